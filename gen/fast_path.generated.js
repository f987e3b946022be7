// @ts-self-types="../lib/cli/fast_path.ts"
// Generated from lib/cli/fast_path.ts by `deno task bundle`; do not edit.
// lib/model/audit_event.ts
function makeEvent(kind, name, actor, parts, now) {
  return {
    ts: new Date(now).toISOString(),
    event: kind,
    name,
    lock_id: parts.lock_id ?? null,
    fence: parts.fence ?? null,
    owner: actor.owner,
    agent_id: actor.agentId,
    host: actor.host,
    pid: actor.pid,
    ttl_ms: parts.ttl_ms ?? null,
    reason: parts.reason ?? null,
    detail: parts.detail ?? null
  };
}
function recordEvent(kind, record, actor, now, detail = null) {
  return makeEvent(kind, record.name, actor, {
    lock_id: record.lock_id,
    fence: record.fence,
    ttl_ms: record.ttl_ms,
    reason: record.reason,
    detail
  }, now);
}
function encodeEvent(event) {
  return `${JSON.stringify(event)}
`;
}

// lib/model/defaults.ts
var DEFAULT_LOCK_TTL_MS = 30 * 6e4;
var DEFAULT_WAIT_TIMEOUT_MS = 10 * 6e4;

// lib/model/errors.ts
var ExitCode = {
  /** Success. */
  Ok: 0,
  /** I/O error, corrupt data, or a lock that is not stale for `--break-stale`. */
  Error: 1,
  /** Held by another owner, frozen, or a `--wait` that timed out. */
  Held: 2,
  /** The lock (or freeze) does not exist. */
  NotFound: 3,
  /** The lock belongs to another owner. */
  NotOwner: 4,
  /** A usage error: unknown flag, bad duration, bad name. */
  Usage: 64
};
var LoktError = class extends Error {
  /** The exit code the CLI ends with when this error is not handled. */
  exitCode;
  /**
   * Creates an error with a message and an exit code.
   *
   * @param message A one-line, human-readable message.
   * @param exitCode The CLI exit code for this error.
   */
  constructor(message, exitCode = ExitCode.Error) {
    super(message);
    this.name = "LoktError";
    this.exitCode = exitCode;
  }
};
var UsageError = class extends LoktError {
  /** The command whose `--help` the message points to, if any. */
  command;
  /**
   * Creates a usage error.
   *
   * @param message What was wrong with the input.
   * @param command The command whose help explains the right usage.
   */
  constructor(message, command = null) {
    super(message, ExitCode.Usage);
    this.name = "UsageError";
    this.command = command;
  }
};
function toLoktError(err, context) {
  if (err instanceof LoktError) return err;
  if (err instanceof Deno.errors.NotCapable) {
    return new LoktError(`Missing Deno permission: ${firstLine(err.message)}; run lokt with the permissions listed in its README`);
  }
  const message = err instanceof Error ? firstLine(err.message) : String(err);
  return new LoktError(context ? `${context}: ${message}` : message);
}
function firstLine(text) {
  const line = text.split("\n")[0] ?? "";
  return line.length > 300 ? `${line.slice(0, 300)}\u2026` : line;
}

// lib/model/duration.ts
var UNIT_MS = {
  ms: 1,
  s: 1e3,
  m: 6e4,
  h: 36e5,
  d: 864e5
};
var PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;
var MAX_DURATION_MS = 365 * 864e5;
function parseDuration(text, flag = "duration") {
  const bad = () => new UsageError(`Invalid ${flag} ${JSON.stringify(text)}: use a number with a unit, e.g. 500ms, 90s, 5m, 1h30m, 2d`);
  if (text.length === 0 || text.length > 64) throw bad();
  let total = 0;
  let index = 0;
  PART.lastIndex = 0;
  while (index < text.length) {
    PART.lastIndex = index;
    const match = PART.exec(text);
    if (!match) throw bad();
    total += Number(match[1]) * UNIT_MS[match[2]];
    index = PART.lastIndex;
  }
  if (!Number.isFinite(total) || total > MAX_DURATION_MS) {
    throw new UsageError(`Invalid ${flag} ${JSON.stringify(text)}: at most 365d`);
  }
  return Math.round(total);
}
function parseTtl(text, options = {}) {
  const flag = options.flag ?? "--ttl";
  if (text === "0" || text === "0s") {
    if (options.allowZero) return 0;
    throw new UsageError(`Invalid ${flag} ${JSON.stringify(text)}: must be at least 1s`);
  }
  const ms = parseDuration(text, flag);
  if (ms < 1e3) {
    throw new UsageError(`Invalid ${flag} ${JSON.stringify(text)}: must be at least 1s (a shorter lock expires before it is useful)`);
  }
  return ms;
}
function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms <= 0) return "0s";
  if (ms < 1e3) return `${Math.round(ms)}ms`;
  let seconds = Math.floor(ms / 1e3);
  const days = Math.floor(seconds / 86400);
  seconds -= days * 86400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const parts = [];
  if (days) parts.push(`${days}d`);
  if (hours) parts.push(`${hours}h`);
  if (minutes && !days) parts.push(`${minutes}m`);
  if (seconds && !days && !hours) parts.push(`${seconds}s`);
  return parts.join("") || "0s";
}

// lib/cli/lock_results.ts
function acquiredResult(result) {
  const r = result.record;
  const expiry = r.ttl_ms === null ? `held while pid ${r.pid} lives` : `expires in ${formatDuration(r.ttl_ms)}`;
  const broke = result.broke ? ` (took over from ${result.broke.previous?.owner ?? "a corrupt record"}: ${result.broke.event})` : "";
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "lock",
      outcome: result.outcome,
      lock: r,
      broke: result.broke ? {
        event: result.broke.event,
        previous: result.broke.previous
      } : null
    },
    text: `${result.outcome} "${r.name}" (fence ${r.fence}, ${expiry})${broke}`
  };
}
function releasedResult(record) {
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "unlock",
      action: "release",
      released: [
        record
      ],
      broken: []
    },
    text: `released "${record.name}" (fence ${record.fence})`
  };
}

// lib/sys/path.ts
function isAbsolute(path) {
  return path.startsWith("/");
}
function normalize(path) {
  const absolute = isAbsolute(path);
  const out = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
      continue;
    }
    out.push(part);
  }
  const joined = out.join("/");
  return absolute ? `/${joined}` : joined || ".";
}
function join(...parts) {
  return normalize(parts.filter((p) => p !== "").join("/"));
}
function resolve(base, path) {
  return isAbsolute(path) ? normalize(path) : join(base, path);
}
function dirname(path) {
  const normal = normalize(path);
  const index = normal.lastIndexOf("/");
  if (index < 0) return ".";
  if (index === 0) return "/";
  return normal.slice(0, index);
}

// lib/store/file_primitives.ts
var DEFAULT_AUDIT_MAX_BYTES = 64 * 1024 * 1024;
var COUNTER_WIDTH = 20;
var COUNTER_SLOT = {
  fence: 0,
  ticket: 1
};
function auditMaxBytes() {
  const value = Number(Deno.env.get("LOKT_AUDIT_MAX_BYTES"));
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_AUDIT_MAX_BYTES;
}
function allocateCounter(mutex, slot, floor) {
  const width = COUNTER_WIDTH + 1;
  const buffer = new Uint8Array(width);
  mutex.seekSync(slot * width, Deno.SeekMode.Start);
  const read = mutex.readSync(buffer) ?? 0;
  let stored = 0;
  for (let i = 0; i < Math.min(read, COUNTER_WIDTH); i++) {
    const digit = buffer[i] - 48;
    if (digit < 0 || digit > 9) break;
    stored = stored * 10 + digit;
  }
  const next = Math.max(Number.isSafeInteger(stored) ? stored : 0, floor) + 1;
  if (slot > 0) {
    const size = mutex.statSync().size;
    if (size < slot * width) {
      mutex.seekSync(size, Deno.SeekMode.Start);
      mutex.writeSync(digits(0));
    }
  }
  mutex.seekSync(slot * width, Deno.SeekMode.Start);
  mutex.writeSync(digits(next));
  return next;
}
function digits(value) {
  const text = `${String(value).padStart(COUNTER_WIDTH, "0")}
`;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
function writeAtomically(path, content) {
  const slash = path.lastIndexOf("/") + 1;
  const tmp = `${path.slice(0, slash)}.${path.slice(slash)}.${Deno.pid}.${uniqueSuffix()}.tmp`;
  try {
    Deno.writeTextFileSync(tmp, content, {
      createNew: true,
      mode: 420
    });
    Deno.renameSync(tmp, path);
  } catch (err) {
    try {
      Deno.removeSync(tmp);
    } catch {
    }
    throw toLoktError(err, `Cannot write ${path}`);
  }
}
function uniqueSuffix() {
  return Math.floor(Math.random() * 2 ** 32).toString(36);
}
function appendAudit(root, events, maxBytes) {
  if (events.length === 0) return null;
  const path = join(root, "audit.jsonl");
  try {
    Deno.writeTextFileSync(path, events.map(encodeEvent).join(""), {
      append: true,
      create: true,
      mode: 420
    });
    if (Deno.statSync(path).size > maxBytes) rotate(root, path, maxBytes);
    return null;
  } catch (err) {
    return `cannot write audit trail ${path}: ${toLoktError(err).message}`;
  }
}
function rotate(root, path, maxBytes) {
  const lock = Deno.openSync(join(root, "audit.lock"), {
    read: true,
    write: true,
    create: true,
    mode: 420
  });
  try {
    lock.lockSync(true);
    if (Deno.statSync(path).size > maxBytes) Deno.renameSync(path, `${path}.1`);
  } finally {
    lock.close();
  }
}

// lib/sys/permissions.ts
function granted(descriptor) {
  try {
    return Deno.permissions.querySync(descriptor).state === "granted";
  } catch {
    return false;
  }
}

// lib/sys/procfs.ts
function readProcStat(pid) {
  return parseProcStat(Deno.readTextFileSync(`/proc/${pid}/stat`));
}
function parseProcStat(text) {
  const close = text.lastIndexOf(")");
  if (close < 0) return null;
  const fields = text.slice(close + 1).trim().split(/\s+/);
  const startTime = fields[19];
  if (fields.length < 20 || startTime === void 0) return null;
  return {
    state: fields[0] ?? "?",
    ppid: Number(fields[1]),
    session: Number(fields[3]),
    ttyNr: Number(fields[4]),
    startTime
  };
}

// lib/sys/identity.ts
var SESSION_VARIABLES = [
  "CLAUDE_SESSION_ID",
  "CODEX_SESSION_ID",
  "GEMINI_SESSION_ID",
  "AIDER_SESSION_ID",
  "CURSOR_SESSION_ID",
  "TERM_SESSION_ID"
];
var TERMINAL_VARIABLES = [
  "TMUX_PANE",
  "STY",
  "ITERM_SESSION_ID",
  "WT_SESSION",
  "KITTY_WINDOW_ID",
  "WINDOWID",
  "SSH_TTY"
];
var MAX_OWNER_LENGTH = 256;
var cached;
function currentIdentity() {
  cached ??= resolveIdentity();
  return cached;
}
function resolveIdentity(env = (key) => Deno.env.get(key)) {
  const self = safeStat();
  const host = hostName();
  const explicit = checkedVar(env, "LOKT_OWNER");
  let user;
  const userOnce = () => user ??= userName(env);
  let owner;
  let ownerSource;
  if (explicit) {
    owner = explicit;
    ownerSource = "LOKT_OWNER";
  } else {
    const qualifier = sessionQualifier(env, self?.ttyNr ?? 0, self?.session ?? 0);
    owner = `${userOnce()}@${host}:${qualifier.tag}`;
    ownerSource = qualifier.source;
  }
  const agentVar = checkedVar(env, "LOKT_AGENT_ID");
  return {
    owner,
    ownerSource,
    agentId: agentVar ?? `agent-${fnv1a(owner)}`,
    agentSource: agentVar ? "LOKT_AGENT_ID" : "derived from owner",
    get user() {
      return userOnce();
    },
    host,
    machineId: machineId(),
    pid: Deno.pid,
    pidStart: self?.startTime ?? null
  };
}
function identityValueProblem(value, key) {
  if (value.length > MAX_OWNER_LENGTH) {
    return `Invalid ${key}: longer than ${MAX_OWNER_LENGTH} characters`;
  }
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    return `Invalid ${key}: contains a newline or control character`;
  }
  if (value.trim() !== value || value === "") {
    return `Invalid ${key}: empty or surrounded by spaces`;
  }
  return null;
}
function checkedVar(env, key) {
  const value = env(key);
  if (value === void 0 || value === "") return null;
  const problem = identityValueProblem(value, key);
  if (problem) throw new UsageError(problem);
  return value;
}
function sessionQualifier(env, ttyNr, session) {
  for (const key of SESSION_VARIABLES) {
    const value = env(key);
    if (value && identityValueProblem(value, key) === null) {
      return {
        tag: `${key.split("_")[0]?.toLowerCase()}-${value.slice(0, 16)}`,
        source: key
      };
    }
  }
  if (ttyNr !== 0) {
    const tty = terminalPath();
    if (tty) return {
      tag: tty.replace(/^\/dev\//, ""),
      source: `terminal ${tty}`
    };
    return {
      tag: `tty${ttyNr}`,
      source: `terminal device ${ttyNr}`
    };
  }
  if (session > 0) return {
    tag: `sid${session}`,
    source: `process session ${session}`
  };
  for (const key of TERMINAL_VARIABLES) {
    const value = env(key);
    if (value && identityValueProblem(value, key) === null) {
      return {
        tag: `${key.toLowerCase()}-${value.replace(/[^A-Za-z0-9._-]/g, "").slice(0, 16)}`,
        source: key
      };
    }
  }
  return {
    tag: `ppid${Deno.ppid}`,
    source: `parent process ${Deno.ppid} (set LOKT_OWNER for a stable owner)`
  };
}
function terminalPath() {
  for (const fd of [
    0,
    1,
    2
  ]) {
    try {
      const target = Deno.readLinkSync(`/proc/self/fd/${fd}`);
      if (/^\/dev\/(pts\/\d+|tty\w*)$/.test(target)) return target;
    } catch {
    }
  }
  return null;
}
function safeStat() {
  try {
    return readProcStat("self");
  } catch {
    return null;
  }
}
function userName(env) {
  const fromEnv = env("USER") || env("LOGNAME");
  if (fromEnv && identityValueProblem(fromEnv, "USER") === null) return fromEnv;
  const uid = readUid();
  if (uid === null) return "user";
  try {
    for (const line of Deno.readTextFileSync("/etc/passwd").split("\n")) {
      const fields = line.split(":");
      if (fields[2] === uid && fields[0]) return fields[0];
    }
  } catch {
  }
  return `uid${uid}`;
}
function readUid() {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    return status.match(/^Uid:\s+(\d+)/m)?.[1] ?? null;
  } catch {
    if (!granted({
      name: "sys",
      kind: "uid"
    })) return null;
    try {
      return String(Deno.uid() ?? "");
    } catch {
      return null;
    }
  }
}
function hostName() {
  try {
    const name = Deno.readTextFileSync("/proc/sys/kernel/hostname").trim();
    if (name) return name;
  } catch {
  }
  if (granted({
    name: "sys",
    kind: "hostname"
  })) {
    try {
      return Deno.hostname();
    } catch {
    }
  }
  try {
    return Deno.readTextFileSync("/etc/hostname").trim() || "localhost";
  } catch {
    return "localhost";
  }
}
function machineId() {
  let id = "";
  for (const path of [
    "/etc/machine-id",
    "/proc/sys/kernel/random/boot_id"
  ]) {
    try {
      id = Deno.readTextFileSync(path).trim();
      if (id) break;
    } catch {
    }
  }
  if (!id) id = `host-${hostName()}`;
  try {
    const ns = Deno.readLinkSync("/proc/self/ns/pid").match(/\d+/)?.[0];
    if (ns) return `${id}:${ns}`;
  } catch {
  }
  return id;
}
function fnv1a(text) {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

// lib/model/lock_record.ts
function newRecord(name, fence, holder, spec, now) {
  const at = new Date(now).toISOString();
  return {
    version: 1,
    name,
    lock_id: randomId(),
    fence,
    owner: holder.owner,
    agent_id: holder.agentId,
    host: holder.host,
    machine_id: holder.machineId,
    pid: spec.pid ?? holder.pid,
    pid_start: spec.pid === void 0 ? holder.pidStart : spec.pidStart ?? null,
    liveness: spec.liveness,
    acquired_at: at,
    renewed_at: at,
    ttl_ms: spec.ttlMs,
    expires_at: spec.ttlMs === null ? null : new Date(now + spec.ttlMs).toISOString(),
    reason: spec.reason ?? null,
    command: spec.command ?? null
  };
}
function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
var MAX_REASON_LENGTH = 1e3;
function isValidReason(reason) {
  return reason.length <= MAX_REASON_LENGTH && !/[\u0000-\u001f]/.test(reason);
}
var MAX_RECORD_BYTES = 1 << 20;
function encodeRecord(record) {
  return `${JSON.stringify(record, null, 2)}
`;
}
function parseLockRecord(raw) {
  const value = parseObject(raw);
  if (!value) return null;
  const ok = value.version === 1 && isString(value.name) && isString(value.lock_id) && isCount(value.fence) && isString(value.owner) && isString(value.agent_id) && isString(value.host) && isString(value.machine_id) && isCount(value.pid) && (value.pid_start === null || isString(value.pid_start)) && (value.liveness === "process" || value.liveness === "ttl") && isTime(value.acquired_at) && isTime(value.renewed_at) && (value.ttl_ms === null || isCount(value.ttl_ms)) && (value.expires_at === null || isTime(value.expires_at)) && value.ttl_ms === null === (value.expires_at === null) && (value.reason === null || typeof value.reason === "string") && (value.command === null || Array.isArray(value.command) && value.command.every((a) => typeof a === "string"));
  return ok ? value : null;
}
function parseObject(raw) {
  try {
    const value = JSON.parse(raw);
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return value;
    }
  } catch {
  }
  return null;
}
function isString(value) {
  return typeof value === "string" && value.length > 0;
}
function isCount(value) {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
function isTime(value) {
  return typeof value === "string" && !Number.isNaN(Date.parse(value));
}

// lib/model/name.ts
var MAX_NAME_LENGTH = 128;
var NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
function isValidName(name) {
  return name.length >= 1 && name.length <= MAX_NAME_LENGTH && NAME.test(name) && !name.includes("..");
}

// lib/cli/output.ts
var encoder = new TextEncoder();
function processIo(json) {
  let color;
  return {
    json,
    // Decided when first needed (most output is never painted): colour needs a
    // terminal and NO_COLOR unset, which needs env access.
    get color() {
      return color ??= !json && Deno.stdout.isTerminal() && colorAllowed();
    },
    out: (text) => writeLine(Deno.stdout, text),
    err: (text) => writeLine(Deno.stderr, text)
  };
}
function colorAllowed() {
  return granted({
    name: "env",
    variable: "NO_COLOR"
  }) && (Deno.env.get("NO_COLOR") ?? "") === "";
}
function writeLine(stream, text) {
  const bytes = encoder.encode(`${text}
`);
  let written = 0;
  try {
    while (written < bytes.length) written += stream.writeSync(bytes.subarray(written));
  } catch (err) {
    if (!(err instanceof Deno.errors.BrokenPipe)) throw err;
  }
}
function printResult(io, result) {
  if (result.warning) io.err(`warning: ${result.warning}`);
  if (io.json) {
    if (result.json !== null) io.out(JSON.stringify(result.json));
  } else if (result.text) io.out(result.text);
}

// lib/sys/root.ts
function findRoot(options = {}) {
  const cwd = options.cwd ?? Deno.cwd();
  const env = options.envRoot !== void 0 ? options.envRoot : Deno.env.get("LOKT_ROOT");
  const repo = findRepository(cwd);
  if (env !== void 0 && env !== null && env !== "") {
    if (env.trim() === "" || /[\u0000-\u001f]/.test(env)) {
      throw new UsageError(`Invalid LOKT_ROOT ${JSON.stringify(env)}: must be a directory path`);
    }
    return {
      root: resolve(cwd, env),
      source: "env",
      ...repo
    };
  }
  if (repo.gitCommonDir) {
    return {
      root: join(repo.gitCommonDir, "lokt"),
      source: "git",
      ...repo
    };
  }
  return {
    root: join(cwd, ".lokt"),
    source: "cwd",
    repo: null,
    gitCommonDir: null
  };
}
function findRepository(cwd) {
  let dir = resolve("/", cwd);
  for (; ; ) {
    const common = gitCommonDirAt(dir);
    if (common) return {
      repo: dir,
      gitCommonDir: common
    };
    const parent = dirname(dir);
    if (parent === dir) return {
      repo: null,
      gitCommonDir: null
    };
    dir = parent;
  }
}
function gitCommonDirAt(dir) {
  const dotGit = join(dir, ".git");
  let info;
  try {
    info = Deno.statSync(dotGit);
  } catch {
    return null;
  }
  if (info.isDirectory) return dotGit;
  if (!info.isFile) return null;
  const text = readSmall(dotGit);
  const match = text?.match(/^gitdir:\s*(.+?)\s*$/m);
  if (!match) return null;
  return commonDirOf(resolve(dir, match[1]));
}
function commondirFile(gitDir) {
  const text = readSmall(join(gitDir, "commondir"));
  const line = text?.trim();
  return line ? resolve(gitDir, line) : null;
}
function commonDirOf(gitDir) {
  return commondirFile(gitDir) ?? gitDir;
}
function readSmall(path) {
  try {
    return Deno.readTextFileSync(path).slice(0, 4096);
  } catch {
    return null;
  }
}
function configPath(info, cwd) {
  return join(info.repo ?? cwd, "lokt.jsonc");
}

// lib/cli/fast_path.ts
function fastPath(argv) {
  const call = parseCall(argv);
  if (call === null) return null;
  let result;
  try {
    result = call.command === "lock" ? lockFree(call) : unlockMine(call);
  } catch {
    return null;
  }
  if (result === null) return null;
  printResult(processIo(call.json), result);
  return result.exitCode;
}
function parseCall(argv) {
  const command = argv[0];
  if (command !== "lock" && command !== "unlock") return null;
  const call = {
    command,
    name: "",
    ttl: null,
    reason: null,
    json: false
  };
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("-")) {
      if (call.name !== "") return null;
      call.name = arg;
      continue;
    }
    if (arg === "--json" && !call.json) {
      call.json = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    if (command !== "lock" || flag !== "--ttl" && flag !== "--reason") return null;
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    const key = flag === "--ttl" ? "ttl" : "reason";
    if (value === void 0 || call[key] !== null) return null;
    call[key] = value;
  }
  if (!isValidName(call.name)) return null;
  if (call.reason !== null && !isValidReason(call.reason)) return null;
  return call;
}
function scene(name, command) {
  if (!granted({
    name: "read"
  }) || !granted({
    name: "env"
  })) return null;
  const cwd = Deno.cwd();
  const info = findRoot({
    cwd
  });
  if (!granted({
    name: "write",
    path: info.root
  })) return null;
  const config = configPath(info, cwd);
  const slash = config.lastIndexOf("/");
  if (entries(config.slice(0, slash) || "/").has(config.slice(slash + 1))) return null;
  const top = entries(info.root);
  if (top.get("locks") !== "dir" || top.get("mutex") !== "dir") return null;
  if (top.has("audit.jsonl") && top.get("audit.jsonl") !== "file") return null;
  if (command === "lock") {
    if (top.has("freezes")) {
      if (top.get("freezes") !== "dir") return null;
      if (entries(`${info.root}/freezes`).has(`${name}.json`)) return null;
    }
    if (top.has("queue")) {
      if (top.get("queue") !== "dir") return null;
      const queue = entries(`${info.root}/queue`);
      if (queue.has(name) && hasTickets(`${info.root}/queue/${name}`)) return null;
    }
  }
  const mutex = entries(`${info.root}/mutex`).get(`${name}.lock`);
  if (mutex !== void 0 && mutex !== "file") return null;
  return {
    root: info.root,
    mutexPath: `${info.root}/mutex/${name}.lock`,
    recordPath: `${info.root}/locks/${name}.json`
  };
}
function lockFree(call) {
  const ttlMs = call.ttl === null ? DEFAULT_LOCK_TTL_MS : parseTtl(call.ttl);
  const at = scene(call.name, "lock");
  if (at === null) return null;
  return withMutex(at.mutexPath, true, (mutex) => {
    if (entries(`${at.root}/locks`).has(`${call.name}.json`)) return null;
    const identity = currentIdentity();
    const fence = allocateCounter(mutex, COUNTER_SLOT.fence, 0);
    const record = newRecord(call.name, fence, identity, {
      ttlMs,
      liveness: "ttl",
      reason: call.reason
    }, Date.now());
    writeAtomically(at.recordPath, encodeRecord(record));
    const warning = appendAudit(at.root, [
      recordEvent("acquire", record, identity, Date.now())
    ], auditMaxBytes());
    return withWarning(acquiredResult({
      record,
      outcome: "acquired",
      broke: null
    }), warning);
  });
}
function unlockMine(call) {
  const at = scene(call.name, "unlock");
  if (at === null) return null;
  return withMutex(at.mutexPath, false, () => {
    if (entries(`${at.root}/locks`).get(`${call.name}.json`) !== "file") return null;
    const raw = Deno.readTextFileSync(at.recordPath);
    if (raw.length > MAX_RECORD_BYTES) return null;
    const record = parseLockRecord(raw);
    const identity = currentIdentity();
    if (record === null || record.owner !== identity.owner) return null;
    Deno.removeSync(at.recordPath);
    const warning = appendAudit(at.root, [
      recordEvent("release", record, identity, Date.now())
    ], auditMaxBytes());
    return withWarning(releasedResult(record), warning);
  });
}
function withWarning(result, warning) {
  return warning === null ? result : {
    ...result,
    warning
  };
}
function withMutex(path, create, fn) {
  const mutex = Deno.openSync(path, {
    read: true,
    write: true,
    create,
    mode: 420
  });
  try {
    return mutex.tryLockSync(true) ? fn(mutex) : null;
  } finally {
    mutex.close();
  }
}
function entries(dir) {
  const found = /* @__PURE__ */ new Map();
  for (const entry of Deno.readDirSync(dir)) {
    found.set(entry.name, entry.isSymlink ? "other" : entry.isFile ? "file" : entry.isDirectory ? "dir" : "other");
  }
  return found;
}
function hasTickets(dir) {
  for (const name of entries(dir).keys()) if (name.endsWith(".json")) return true;
  return false;
}
export {
  fastPath
};

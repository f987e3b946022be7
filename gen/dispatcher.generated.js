// @ts-self-types="../lib/cli/dispatcher.ts"
// Generated from lib/cli/dispatcher.ts by `deno task bundle`; do not edit.
var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res) => function __init() {
  return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// lib/model/errors.ts
function toLoktError(err, context) {
  if (err instanceof LoktError) return err;
  if (err instanceof Deno.errors.NotCapable) {
    return new LoktError(`Missing Deno permission: ${firstLine(err.message)}; run lokt with the permissions listed in its README`, ExitCode.Error, {
      cause: err
    });
  }
  const message = err instanceof Error ? firstLine(err.message) : String(err);
  return new LoktError(context ? `${context}: ${message}` : message, ExitCode.Error, {
    cause: err
  });
}
function firstLine(text2) {
  const line = text2.split("\n")[0] ?? "";
  return line.length > 300 ? `${line.slice(0, 300)}\u2026` : line;
}
var ExitCode, LoktError, UsageError, ContentionError;
var init_errors = __esm({
  "lib/model/errors.ts"() {
    ExitCode = {
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
    LoktError = class extends Error {
      /** The exit code the CLI ends with when this error is not handled. */
      exitCode;
      /**
       * Creates an error with a message and an exit code.
       *
       * @param message A one-line, human-readable message.
       * @param exitCode The CLI exit code for this error.
       * @param options `cause`: the error this one reports.
       */
      constructor(message, exitCode = ExitCode.Error, options) {
        super(message, options);
        this.name = "LoktError";
        this.exitCode = exitCode;
      }
    };
    UsageError = class extends LoktError {
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
    ContentionError = class extends LoktError {
      /**
       * Creates the error.
       *
       * @param operation What was attempted (`acquire`, `release`, `freeze`, …).
       * @param name The name.
       */
      constructor(operation, name) {
        super(`Could not ${operation} "${name}": the record kept changing`);
        this.name = "ContentionError";
      }
    };
  }
});

// lib/model/package_version.ts
var VERSION;
var init_package_version = __esm({
  "lib/model/package_version.ts"() {
    VERSION = "0.1.0";
  }
});

// lib/cli/args.ts
function parseArgs(spec21, argv) {
  const flags = {};
  const positionals = [];
  let command = null;
  const known = new Map([
    ...spec21.flags,
    ...COMMON_FLAGS
  ].map((f) => [
    f.name,
    f
  ]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      const rest = argv.slice(i + 1);
      if (spec21.takesCommand) command = rest;
      else positionals.push(...rest);
      break;
    }
    if (arg === "-h") {
      flags.help = true;
      continue;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = arg.slice(2, eq < 0 ? void 0 : eq);
      const flag = known.get(name);
      if (!flag) throw unknownFlag(spec21, arg.slice(0, eq < 0 ? void 0 : eq), known);
      if (flag.type === "boolean") {
        if (eq >= 0) throw new UsageError(`--${name} takes no value`, spec21.name);
        flags[name] = true;
        continue;
      }
      let value;
      if (eq >= 0) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        if (value === void 0 || value === "--" || value.startsWith("--")) {
          throw new UsageError(`--${name} needs a value (--${name} ${flag.value ?? "VALUE"})`, spec21.name);
        }
        i++;
      }
      flags[name] = value;
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      throw new UsageError(`unknown flag ${arg}`, spec21.name);
    }
    positionals.push(arg);
  }
  if (flags.help) return {
    flags,
    positionals,
    command
  };
  const variadic = spec21.positionals.at(-1)?.replace(/\?$/, "").endsWith("...") ?? false;
  const max = variadic ? Infinity : spec21.positionals.length;
  if (positionals.length > max) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[max])}${spec21.takesCommand ? " (put the command after --)" : ""}`, spec21.name);
  }
  const required = spec21.positionals.filter((p) => !p.endsWith("?")).length;
  if (positionals.length < required) {
    throw new UsageError(`missing <${spec21.positionals[positionals.length]}>`, spec21.name);
  }
  return {
    flags,
    positionals,
    command
  };
}
function unknownFlag(spec21, given, known) {
  const name = given.slice(2);
  const close = [
    ...known.keys()
  ].find((k) => k.startsWith(name.slice(0, 3)) && name.length > 1);
  const hint = close ? ` (did you mean --${close}?)` : "";
  return new UsageError(`unknown flag ${given} for 'lokt ${spec21.name}'${hint}`, spec21.name);
}
function helpText(spec21) {
  const lines2 = [
    `lokt ${spec21.name} \u2014 ${spec21.summary}`,
    "",
    "Usage:"
  ];
  for (const u of spec21.usage) lines2.push(`  lokt ${u}`);
  lines2.push("", "Flags:");
  const all = [
    ...spec21.flags,
    ...COMMON_FLAGS
  ];
  const left = all.map((f) => `--${f.name}${f.type === "string" ? ` ${f.value ?? "VALUE"}` : ""}`);
  const width = Math.max(...left.map((l) => l.length));
  all.forEach((f, i) => {
    const def = f.default ? ` (default: ${f.default})` : "";
    lines2.push(`  ${left[i].padEnd(width)}  ${f.help}${def}`);
  });
  if (spec21.examples.length) {
    lines2.push("", "Examples:");
    for (const e of spec21.examples) lines2.push(`  ${e}`);
  }
  return lines2.join("\n");
}
var COMMON_FLAGS;
var init_args = __esm({
  "lib/cli/args.ts"() {
    init_errors();
    COMMON_FLAGS = [
      {
        name: "json",
        type: "boolean",
        help: "print one JSON document on stdout"
      },
      {
        name: "help",
        type: "boolean",
        help: "show this help"
      }
    ];
  }
});

// lib/model/duration_format.ts
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
var init_duration_format = __esm({
  "lib/model/duration_format.ts"() {
  }
});

// lib/model/lock_errors.ts
function heldMessage(name, r, detail2) {
  const why = `run 'lokt why ${name}'`;
  if (detail2.kind === "queued") {
    return `lock "${name}" is ${detail2.status} but ${detail2.queued} waiter(s) are queued first; use --wait to join the queue`;
  }
  if (detail2.kind === "full") {
    const who = listOwners(detail2.owners);
    const next = detail2.expiresInMs === null ? "they hold it while their processes live" : `the first expires in ${formatDuration(detail2.expiresInMs)}`;
    const held = detail2.mode === "slots" ? `has all ${detail2.slots} slots held (${who})` : `is held shared by ${detail2.owners.length} reader(s) (${who}); an exclusive hold waits for all of them`;
    return `lock "${name}" ${held} \u2014 ${next}; wait for a turn with --wait; ${why}`;
  }
  if (detail2.kind === "upgrade") {
    const whose = detail2.via === "owner" ? "your own shared hold" : "the shared hold this command inherited from its guard";
    return `lock "${name}" is held shared under ${whose}, which an exclusive request would wait for forever; release that hold first, or ask with --shared; ${why}`;
  }
  if (detail2.kind === "own") {
    const left2 = detail2.expiresInMs === null ? "no expiry while it lives" : `expires in ${formatDuration(detail2.expiresInMs)}`;
    return `lock "${name}" is held by your own guard or process (pid ${detail2.pid}) for ${formatDuration(detail2.ageMs)} \u2014 ${left2}; it is released when that command ends: wait for it with --wait; ${why}`;
  }
  if (detail2.kind === "corrupt" || r === null) {
    const corruption = detail2.kind === "corrupt" ? detail2.corruption : "unreadable";
    const when = detail2.kind === "corrupt" ? detail2.replaceableIn : "later";
    return `lock "${name}" has a corrupt record (${corruption}); it can be replaced ${when}; ${why}`;
  }
  const left = detail2.expiresInMs === null ? "no expiry while its process lives" : `expires in ${formatDuration(detail2.expiresInMs)}`;
  return `lock "${name}" held by ${r.owner} (agent ${r.agent_id}, host ${r.host}, pid ${r.pid}) for ${formatDuration(detail2.ageMs)} \u2014 ${left}; ${why}`;
}
function listOwners(owners) {
  const shown = owners.slice(0, 3).join(", ");
  return owners.length > 3 ? `${shown} and ${owners.length - 3} more` : shown;
}
function otherSession(holder, you) {
  const cut = (owner) => owner.slice(0, owner.lastIndexOf(":"));
  return holder !== you && holder.includes("@") && holder.lastIndexOf(":") > 0 && cut(holder) === cut(you);
}
var LockHeldError, FrozenError, WaitTimeoutError, NotFoundError, NotOwnerError;
var init_lock_errors = __esm({
  "lib/model/lock_errors.ts"() {
    init_duration_format();
    init_errors();
    LockHeldError = class extends LoktError {
      /** The name of the lock. */
      lockName;
      /** The record of the current holder, or `null` when there is none or it is corrupt. */
      holder;
      /** Why it was refused. */
      detail;
      /**
       * Creates a held error.
       *
       * @param lockName The lock name.
       * @param holder The current holder's record (`null` for a corrupt or missing record).
       * @param detail Why it was refused.
       */
      constructor(lockName, holder, detail2) {
        super(heldMessage(lockName, holder, detail2), ExitCode.Held);
        this.name = "LockHeldError";
        this.lockName = lockName;
        this.holder = holder;
        this.detail = detail2;
      }
    };
    FrozenError = class extends LoktError {
      /** The frozen name. */
      lockName;
      /** The freeze record. */
      freeze;
      /**
       * Creates a frozen error.
       *
       * @param lockName The frozen name.
       * @param freeze The active freeze.
       * @param leftMs How long the freeze lasts from now, in ms.
       * @param refused `acquire` for a refused acquisition, `freeze` for a refused freeze.
       */
      constructor(lockName, freeze, leftMs, refused = "acquire") {
        const why = freeze.reason ? ` (${freeze.reason})` : "";
        const left = formatDuration(leftMs);
        super(refused === "freeze" ? `"${lockName}" is already frozen by ${freeze.owner}${why} for ${left} more; ask them, or wait until it ends; run 'lokt why ${lockName}'` : `"${lockName}" is frozen by ${freeze.owner}${why} for ${left} more; run 'lokt why ${lockName}'`, ExitCode.Held);
        this.name = "FrozenError";
        this.lockName = lockName;
        this.freeze = freeze;
      }
    };
    WaitTimeoutError = class extends LoktError {
      /** The lock that was waited for. */
      lockName;
      /**
       * Creates a timeout error.
       *
       * @param lockName The lock that was waited for.
       * @param waitedMs How long the caller waited.
       * @param blockedBy What was still in the way (the last denial).
       */
      constructor(lockName, waitedMs, blockedBy) {
        super(`timed out after ${formatDuration(waitedMs)} waiting for "${lockName}": ${blockedBy}`, ExitCode.Held);
        this.name = "WaitTimeoutError";
        this.lockName = lockName;
      }
    };
    NotFoundError = class extends LoktError {
      /**
       * Creates a not-found error.
       *
       * @param kind `lock` (not held), `freeze` (not frozen) or `reservation` (none of yours).
       * @param name The name (for a reservation: the patterns).
       */
      constructor(kind, name) {
        super(kind === "lock" ? `lock "${name}" is not held` : kind === "freeze" ? `"${name}" is not frozen` : `you hold no reservation of ${name}; run 'lokt status' to see yours`, ExitCode.NotFound);
        this.name = "NotFoundError";
      }
    };
    NotOwnerError = class extends LoktError {
      /**
       * Creates a not-owner error.
       *
       * @param kind `lock` or `freeze`; `instance` when it is your own guard's or
       * process's hold, `inherited` when it is the hold of the guard you run under.
       * @param name The name.
       * @param holder Who holds it (`null`: an unreadable freeze record; for
       * `instance` and `inherited`, the holding pid).
       * @param you The acting owner.
       */
      constructor(kind, name, holder, you) {
        const why = `run 'lokt why ${name}'`;
        super(kind === "instance" ? `lock "${name}" is held by your own guard or process (pid ${holder}), which releases it when its command ends; ${why}` : kind === "inherited" ? `lock "${name}" is held by the guard you run under (pid ${holder}), which releases it when its command ends` : kind === "freeze" ? `"${name}" was frozen by ${holder ?? "an unreadable record"}, not by you; ask them to lift it, or wait until it ends; ${why}` : holder !== null && otherSession(holder, you) ? `lock "${name}" is held by ${holder}, another session of this user (it may be another agent), not by you (${you}); each new shell session is a new owner unless LOKT_OWNER is set: use one name per agent, e.g. 'export LOKT_OWNER=agent-1', before taking locks; ${why}` : `lock "${name}" is held by ${holder}, not by you (${you}); ask ${holder} to release it, or wait for it with 'lokt lock ${name} --wait'; ${why}`, ExitCode.NotOwner);
        this.name = "NotOwnerError";
      }
    };
  }
});

// lib/model/reservation_errors.ts
function describeConflict(conflict) {
  const r = conflict.reservation;
  return `"${r.patterns[0]}" (${r.mode}) by ${r.owner}${r.reason ? ` \u2014 ${r.reason}` : ""} \u2014 expires in ${formatDuration(Math.max(0, conflict.expiresInMs))}, overlaps "${conflict.pattern}"`;
}
var ReservationConflictError;
var init_reservation_errors = __esm({
  "lib/model/reservation_errors.ts"() {
    init_duration_format();
    init_errors();
    ReservationConflictError = class extends LoktError {
      /** Every conflict found. */
      conflicts;
      /**
       * Creates the error.
       *
       * @param conflicts Every conflict found.
       */
      constructor(conflicts) {
        const listed = conflicts.slice(0, 5).map(describeConflict).join("; ");
        const more = conflicts.length > 5 ? `; and ${conflicts.length - 5} more` : "";
        super(`cannot reserve: ${conflicts.length} conflicting reservation(s): ${listed}${more}; nothing was reserved \u2014 wait with --wait, ask the owner, or work elsewhere meanwhile`, ExitCode.Held);
        this.name = "ReservationConflictError";
        this.conflicts = conflicts;
      }
    };
  }
});

// lib/sys/permissions.ts
function missingPermission(needs) {
  if (needs.base !== false) {
    if (!granted({
      name: "read"
    })) {
      return missing("--allow-read", "to find the repository and read lock files");
    }
    if (!granted({
      name: "env"
    })) {
      return missing("--allow-env", "to read LOKT_* settings and the agent's identity");
    }
  }
  if (needs.writeRoot !== null && !granted({
    name: "write",
    path: needs.writeRoot
  })) {
    return missing(`--allow-write (or --allow-write=${needs.writeRoot})`, `to write lock files under ${needs.writeRoot}`);
  }
  if (needs.run !== null && !granted({
    name: "run",
    command: needs.run
  })) {
    return missing(`--allow-run (or --allow-run=${needs.run})`, `to run ${needs.run}`);
  }
  return null;
}
function requirePermissions(needs) {
  const problem = missingPermission(needs);
  if (problem) throw new LoktError(problem);
}
function granted(descriptor) {
  try {
    return Deno.permissions.querySync(descriptor).state === "granted";
  } catch {
    return false;
  }
}
function missing(flag, why) {
  return `Missing Deno permission ${flag} ${why}; run lokt with: deno run ${MINIMAL_FLAGS} \u2026`;
}
var MINIMAL_FLAGS;
var init_permissions = __esm({
  "lib/sys/permissions.ts"() {
    init_errors();
    MINIMAL_FLAGS = "--allow-read --allow-write --allow-env --allow-run --allow-sys=hostname,uid";
  }
});

// lib/cli/output.ts
function jsonRequested(argv) {
  const dashDash = argv.indexOf("--");
  return (dashDash < 0 ? argv : argv.slice(0, dashDash)).includes("--json");
}
function processIo(json2) {
  let color;
  return {
    json: json2,
    // Decided when first needed (most output is never painted): colour needs a
    // terminal and NO_COLOR unset, which needs env access.
    get color() {
      return color ??= !json2 && Deno.stdout.isTerminal() && colorAllowed();
    },
    out: (text2) => writeLine(Deno.stdout, text2),
    err: (text2) => writeLine(Deno.stderr, text2)
  };
}
function colorAllowed() {
  return granted({
    name: "env",
    variable: "NO_COLOR"
  }) && (Deno.env.get("NO_COLOR") ?? "") === "";
}
function writeLine(stream, text2) {
  const bytes = encoder.encode(`${text2}
`);
  let written = 0;
  try {
    while (written < bytes.length) written += stream.writeSync(bytes.subarray(written));
  } catch (err) {
    if (!(err instanceof Deno.errors.BrokenPipe)) throw err;
  }
}
function paint(io, style, text2) {
  if (!io.color) return text2;
  const codes = {
    red: 31,
    green: 32,
    yellow: 33,
    bold: 1,
    dim: 2
  };
  return `\x1B[${codes[style]}m${text2}\x1B[0m`;
}
function printResult(io, result) {
  if (result.warning) io.err(`warning: ${result.warning}`);
  if (io.json) {
    if (result.json !== null) io.out(JSON.stringify(result.json));
  } else if (result.text) io.out(result.text);
}
function printError(io, command, error, exitCode = error.exitCode) {
  let message = error.message;
  if (error instanceof UsageError) {
    const cmd = error.command ?? command;
    message += `; see 'lokt ${cmd ? `${cmd} ` : ""}--help'`;
  }
  io.err(`${paint({
    ...io,
    color: io.color && Deno.stderr.isTerminal()
  }, "red", "error:")} ${message}`);
  if (io.json) {
    io.out(JSON.stringify({
      ok: false,
      command,
      exit_code: exitCode,
      error: {
        type: error.name,
        message: error.message
      },
      lock: error instanceof LockHeldError ? error.holder : null,
      freeze: error instanceof FrozenError ? error.freeze : null,
      conflicts: error instanceof ReservationConflictError ? error.conflicts.map((c) => ({
        pattern: c.pattern,
        reservation: c.reservation,
        expires_in_ms: c.expiresInMs
      })) : null
    }));
  }
}
var encoder;
var init_output = __esm({
  "lib/cli/output.ts"() {
    init_errors();
    init_lock_errors();
    init_reservation_errors();
    init_permissions();
    encoder = new TextEncoder();
  }
});

// lib/cli/run_command.ts
async function runCommand(load, name, argv, io = processIo(jsonRequested(argv))) {
  try {
    const mod = await load();
    const args = parseArgs(mod.spec, argv);
    if (args.flags.help) {
      io.out(helpText(mod.spec));
      return 0;
    }
    if (name !== "version") requirePermissions({
      writeRoot: null,
      run: null
    });
    const result = await mod.run(args, io);
    printResult(io, result);
    return result.exitCode;
  } catch (err) {
    return reportError(io, name, err);
  }
}
function reportError(io, name, err) {
  const error = toLoktError(err);
  if (!(err instanceof LoktError) && !(err instanceof Deno.errors.NotCapable)) {
    error.message = `internal error: ${error.message}`;
  }
  printError(io, name, error);
  return error.exitCode;
}
async function captureCommand(load, name, argv) {
  const lines2 = [];
  const io = {
    json: true,
    color: false,
    out: (t) => lines2.push(...t.split("\n")),
    err: () => {
    }
  };
  const code = await runCommand(load, name, argv, io);
  return {
    code,
    lines: lines2.filter((l) => l.trim() !== "")
  };
}
var init_run_command = __esm({
  "lib/cli/run_command.ts"() {
    init_errors();
    init_permissions();
    init_args();
    init_output();
  }
});

// lib/model/name.ts
function validateName(name) {
  if (!isValidName(name)) {
    const shown = name.length > 40 ? `${JSON.stringify(name.slice(0, 40))}\u2026` : JSON.stringify(name);
    throw new UsageError(`Invalid lock name ${shown}: ${NAME_RULE}`);
  }
  return name.toLowerCase();
}
function isValidName(name) {
  return name.length >= 1 && name.length <= MAX_NAME_LENGTH && NAME.test(name) && !name.includes("..");
}
var MAX_NAME_LENGTH, NAME, NAME_RULE;
var init_name = __esm({
  "lib/model/name.ts"() {
    init_errors();
    MAX_NAME_LENGTH = 128;
    NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
    NAME_RULE = "names are 1-128 characters of A-Z a-z 0-9 . _ -, not starting with '-' or '.', without '..' (case-insensitive)";
  }
});

// lib/model/iso_time.ts
function isoTime(ms) {
  const t = Math.floor(ms);
  const days = Math.floor(t / DAY_MS);
  let rest = t - days * DAY_MS;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (!Number.isFinite(t) || year < 0 || year > 9999) return new Date(ms).toISOString();
  const hours = Math.floor(rest / 36e5);
  rest -= hours * 36e5;
  const minutes = Math.floor(rest / 6e4);
  rest -= minutes * 6e4;
  const seconds = Math.floor(rest / 1e3);
  const millis = rest - seconds * 1e3;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(millis, 3)}Z`;
}
function pad(value, width) {
  return String(value).padStart(width, "0");
}
var DAY_MS;
var init_iso_time = __esm({
  "lib/model/iso_time.ts"() {
    DAY_MS = 864e5;
  }
});

// lib/model/audit_event.ts
function makeEvent(kind, name, actor, parts, now) {
  return {
    ts: isoTime(now),
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
function recordEvent(kind, record, actor, now, detail2 = null) {
  const held = record.mode === "exclusive" ? detail2 : {
    ...detail2,
    mode: record.mode,
    slot: record.slot
  };
  return makeEvent(kind, record.name, actor, {
    lock_id: record.lock_id,
    fence: record.fence,
    ttl_ms: record.ttl_ms,
    reason: record.reason,
    detail: held
  }, now);
}
function holderDetail(record, prefix = "previous") {
  return {
    [`${prefix}_owner`]: record.owner,
    [`${prefix}_agent_id`]: record.agent_id,
    [`${prefix}_host`]: record.host,
    [`${prefix}_pid`]: record.pid,
    [`${prefix}_lock_id`]: record.lock_id,
    [`${prefix}_fence`]: record.fence
  };
}
function encodeEvent(event) {
  return `${JSON.stringify(event)}
`;
}
var AUDIT_EVENTS;
var init_audit_event = __esm({
  "lib/model/audit_event.ts"() {
    init_iso_time();
    AUDIT_EVENTS = [
      "acquire",
      "renew",
      "release",
      "deny",
      "wait",
      "timeout",
      "expire-break",
      "dead-break",
      "force-break",
      "corrupt-break",
      "lost",
      "freeze",
      "unfreeze",
      "force-unfreeze",
      "freeze-deny",
      "reserve",
      "reserve-deny",
      "unreserve",
      "reserve-break"
    ];
  }
});

// lib/model/lock_record.ts
function newRecord(name, fence, holder, spec21, now, slot = null) {
  const at = isoTime(now);
  return {
    version: RECORD_VERSION,
    name,
    lock_id: randomId(),
    fence,
    owner: holder.owner,
    agent_id: holder.agentId,
    host: holder.host,
    machine_id: holder.machineId,
    pid: spec21.pid ?? holder.pid,
    pid_start: spec21.pid === void 0 ? holder.pidStart : spec21.pidStart ?? null,
    liveness: spec21.liveness,
    acquired_at: at,
    renewed_at: at,
    ttl_ms: spec21.ttlMs,
    expires_at: spec21.ttlMs === null ? null : isoTime(now + spec21.ttlMs),
    reason: spec21.reason ?? null,
    command: spec21.command ?? null,
    hold: spec21.hold ?? (spec21.liveness === "ttl" ? "owner" : "instance"),
    pgid: null,
    mode: spec21.mode ?? "exclusive",
    slot
  };
}
function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
function isValidReason(reason) {
  return reason.length <= MAX_REASON_LENGTH && !/[\u0000-\u001f]/.test(reason);
}
function encodeRecord(record) {
  return `${JSON.stringify(record, null, 2)}
`;
}
function parseLockRecord(raw) {
  const value = parseObject(raw);
  return value ? recordOf(value) : null;
}
function recordOf(value) {
  if (value.version !== 1 && value.version !== 2) return null;
  const ok = isString(value.name) && isString(value.lock_id) && isCount(value.fence) && isString(value.owner) && isString(value.agent_id) && isString(value.host) && isString(value.machine_id) && isCount(value.pid) && (value.pid_start === null || isString(value.pid_start)) && (value.liveness === "process" || value.liveness === "ttl") && isTime(value.acquired_at) && isTime(value.renewed_at) && (value.ttl_ms === null || isCount(value.ttl_ms)) && (value.expires_at === null || isTime(value.expires_at)) && value.ttl_ms === null === (value.expires_at === null) && (value.reason === null || typeof value.reason === "string") && (value.command === null || Array.isArray(value.command) && value.command.every((a) => typeof a === "string"));
  if (!ok) return null;
  if (value.version === 1) {
    return {
      ...value,
      hold: value.liveness === "ttl" || value.command === null ? "owner" : "instance",
      pgid: null,
      mode: "exclusive",
      slot: null
    };
  }
  const v2 = (value.hold === "owner" || value.hold === "instance") && (value.pgid === null || isCount(value.pgid)) && (value.mode === "exclusive" || value.mode === "shared" || value.mode === "slots") && (value.slot === null || isCount(value.slot));
  return v2 ? value : null;
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
var RECORD_VERSION, MAX_REASON_LENGTH, MAX_RECORD_BYTES;
var init_lock_record = __esm({
  "lib/model/lock_record.ts"() {
    init_iso_time();
    RECORD_VERSION = 2;
    MAX_REASON_LENGTH = 1e3;
    MAX_RECORD_BYTES = 1 << 20;
  }
});

// lib/store/layout.ts
function entryPath(root, kind, name) {
  return `${root}/${ENTRY_DIRS[kind]}/${name}.json`;
}
function mutexPath(root, name) {
  return `${root}/${MUTEX_DIR}/${name}.lock`;
}
function queueDir(root, name) {
  return `${root}/${QUEUE_DIR}/${name}`;
}
function ticketPath(root, name, id) {
  return `${queueDir(root, name)}/${id}.json`;
}
function ticketId(fileName) {
  return /^\d+\.json$/.test(fileName) ? fileName.slice(0, -5) : null;
}
function auditPath(root, rotated = false) {
  return `${root}/${AUDIT_FILE}${rotated ? ".1" : ""}`;
}
function auditLockPath(root) {
  return `${root}/audit.lock`;
}
function auditMaxBytes() {
  const value = Number(Deno.env.get("LOKT_AUDIT_MAX_BYTES"));
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_AUDIT_MAX_BYTES;
}
var ENTRY_DIRS, ENTRY_MAX_BYTES, SESSIONS_DIR, MUTEX_DIR, QUEUE_DIR, INCOMING_DIR, AUDIT_FILE, COUNTER_WIDTH, COUNTER_SLOT, DEFAULT_AUDIT_MAX_BYTES;
var init_layout = __esm({
  "lib/store/layout.ts"() {
    ENTRY_DIRS = {
      lock: "locks",
      freeze: "freezes",
      reservations: "reservations"
    };
    ENTRY_MAX_BYTES = {
      lock: 1 << 20,
      freeze: 1 << 20,
      reservations: 16 << 20
    };
    SESSIONS_DIR = "sessions";
    MUTEX_DIR = "mutex";
    QUEUE_DIR = "queue";
    INCOMING_DIR = "queue/.incoming";
    AUDIT_FILE = "audit.jsonl";
    COUNTER_WIDTH = 20;
    COUNTER_SLOT = {
      fence: 0,
      ticket: 1
    };
    DEFAULT_AUDIT_MAX_BYTES = 64 * 1024 * 1024;
  }
});

// lib/store/file_primitives.ts
function readEntry(path, maxBytes = MAX_RECORD_BYTES) {
  let info;
  try {
    info = Deno.lstatSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) {
      return null;
    }
    throw toLoktError(err, `Cannot read ${path}`);
  }
  const mtimeMs = info.mtime?.getTime() ?? 0;
  const ino = `${info.ino ?? 0}:${mtimeMs}:${info.size}`;
  if (info.isSymlink) return unreadable("is a symbolic link", mtimeMs, ino);
  if (info.isDirectory) return unreadable("is a directory", mtimeMs, ino);
  if (!info.isFile) return unreadable("is not a regular file", mtimeMs, ino);
  if (info.size > maxBytes) {
    return unreadable(`is too large (${info.size} bytes)`, mtimeMs, ino);
  }
  let raw;
  try {
    raw = Deno.readTextFileSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw toLoktError(err, `Cannot read ${path}`);
  }
  return {
    raw,
    problem: null,
    mtimeMs,
    token: `file:${ino}:${raw}`
  };
}
function unreadable(problem, mtimeMs, ino) {
  return {
    raw: null,
    problem,
    mtimeMs,
    token: `${problem}:${ino}`
  };
}
function refuseSymlink(path) {
  try {
    if (Deno.lstatSync(path).isSymlink) {
      throw new LoktError(`Refusing to use ${path}: it is a symbolic link`);
    }
  } catch (err) {
    if (err instanceof LoktError) throw err;
    if (!(err instanceof Deno.errors.NotFound) && !(err instanceof Deno.errors.NotADirectory)) {
      throw toLoktError(err, `Cannot use ${path}`);
    }
  }
}
function allocateCounter(mutex, slot, floor) {
  const width = COUNTER_WIDTH + 1;
  const buffer = new Uint8Array(width);
  mutex.seekSync(slot * width, Deno.SeekMode.Start);
  const read2 = mutex.readSync(buffer) ?? 0;
  let stored = 0;
  for (let i = 0; i < Math.min(read2, COUNTER_WIDTH); i++) {
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
  const text2 = `${String(value).padStart(COUNTER_WIDTH, "0")}
`;
  const bytes = new Uint8Array(text2.length);
  for (let i = 0; i < text2.length; i++) bytes[i] = text2.charCodeAt(i);
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
function appendAudit(root, events2, maxBytes) {
  if (events2.length === 0) return null;
  const path = auditPath(root);
  try {
    refuseSymlink(path);
    Deno.writeTextFileSync(path, events2.map(encodeEvent).join(""), {
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
  const lock = Deno.openSync(auditLockPath(root), {
    read: true,
    write: true,
    create: true,
    mode: 420
  });
  try {
    lock.lockSync(true);
    if (Deno.statSync(path).size > maxBytes) Deno.renameSync(path, auditPath(root, true));
  } finally {
    lock.close();
  }
}
var init_file_primitives = __esm({
  "lib/store/file_primitives.ts"() {
    init_audit_event();
    init_errors();
    init_lock_record();
    init_layout();
  }
});

// lib/store/file_queue.ts
function addTicket(root, name, counter, content) {
  const ticket = String(counter).padStart(COUNTER_WIDTH, "0");
  const tmp = `${root}/${INCOMING_DIR}/${ticket}.${Deno.pid}.${uniqueSuffix()}.tmp`;
  try {
    Deno.writeTextFileSync(tmp, content, {
      createNew: true,
      mode: 420
    });
    Deno.renameSync(tmp, ticketPath(root, name, ticket));
  } catch (err) {
    try {
      Deno.removeSync(tmp);
    } catch {
    }
    throw toLoktError(err, `Cannot join the queue in ${queueDir(root, name)}`);
  }
  return ticket;
}
function listTickets(root, name) {
  const dir = queueDir(root, name);
  const tickets = [];
  try {
    for (const item of Deno.readDirSync(dir)) {
      const id = ticketId(item.name);
      if (id === null) continue;
      try {
        const info = Deno.lstatSync(`${dir}/${item.name}`);
        const raw = info.isFile && info.size <= MAX_RECORD_BYTES ? Deno.readTextFileSync(`${dir}/${item.name}`) : null;
        tickets.push({
          id,
          raw,
          mtimeMs: info.mtime?.getTime() ?? 0
        });
      } catch {
      }
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound) && !(err instanceof Deno.errors.NotADirectory)) {
      throw toLoktError(err, `Cannot list ${dir}`);
    }
  }
  return tickets.sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
function removeTicket(root, name, id) {
  try {
    Deno.removeSync(ticketPath(root, name, id));
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw toLoktError(err, "Cannot leave the queue");
  }
}
var init_file_queue = __esm({
  "lib/store/file_queue.ts"() {
    init_errors();
    init_lock_record();
    init_file_primitives();
    init_layout();
  }
});

// lib/store/fs_watcher.ts
function exists(path) {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
function race(pending, timeoutMs, signal) {
  return new Promise((resolve2) => {
    const timer = setTimeout(() => done(null), timeoutMs);
    const onAbort = () => done(null);
    signal?.addEventListener("abort", onAbort, {
      once: true
    });
    pending?.then((value) => done(value), () => done(null));
    function done(value) {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve2(value);
    }
  });
}
var FsWatcher;
var init_fs_watcher = __esm({
  "lib/store/fs_watcher.ts"() {
    FsWatcher = class {
      #watcher = null;
      #iterator = null;
      #pending = null;
      #gone = false;
      #relevant;
      /**
       * Starts watching.
       *
       * @param paths Directories or files to watch (missing ones are skipped; a
       * single watched file that is already gone counts as a change).
       * @param relevant Which changed paths matter.
       */
      constructor(paths, relevant) {
        this.#relevant = relevant;
        const existing = paths.filter(exists);
        if (existing.length === 0 && paths.length === 1) this.#gone = true;
        if (existing.length === 0) return;
        try {
          this.#watcher = Deno.watchFs(existing, {
            recursive: false
          });
          this.#iterator = this.#watcher[Symbol.asyncIterator]();
        } catch {
        }
      }
      /**
       * Waits for a relevant change.
       *
       * @param timeoutMs The longest wait.
       * @param signal Aborts the wait.
       * @returns `true` on a change, `false` after the timeout or an abort.
       */
      async changed(timeoutMs, signal) {
        if (this.#gone) return true;
        const deadline = Date.now() + timeoutMs;
        for (; ; ) {
          const left = deadline - Date.now();
          if (left <= 0 || signal?.aborted) return false;
          if (this.#iterator && !this.#pending) this.#pending = this.#iterator.next();
          const result = await race(this.#pending, left, signal);
          if (result === null) return false;
          this.#pending = null;
          if (result.done) {
            this.#iterator = null;
            return true;
          }
          if (this.#relevant(result.value.paths)) return true;
        }
      }
      /** Stops watching. */
      close() {
        try {
          this.#watcher?.close();
        } catch {
        }
        this.#watcher = null;
      }
    };
  }
});

// lib/sys/procfs.ts
function readProcStat(pid) {
  return parseProcStat(Deno.readTextFileSync(`/proc/${pid}/stat`));
}
function parseProcStat(text2) {
  const close = text2.lastIndexOf(")");
  const open2 = text2.indexOf("(");
  if (close < 0 || open2 < 0) return null;
  const fields = text2.slice(close + 1).trim().split(/\s+/);
  const startTime = fields[19];
  if (fields.length < 20 || startTime === void 0) return null;
  return {
    state: fields[0] ?? "?",
    ppid: Number(fields[1]),
    session: Number(fields[3]),
    ttyNr: Number(fields[4]),
    startTime,
    comm: text2.slice(open2 + 1, close)
  };
}
function ancestors(pid = Deno.pid) {
  const chain = [];
  let next = pid;
  for (let depth = 0; depth < 64; depth++) {
    let stat;
    try {
      stat = readProcStat(next);
    } catch {
      break;
    }
    if (!stat || stat.ppid <= 1) break;
    next = stat.ppid;
    let parent;
    try {
      parent = readProcStat(next);
    } catch {
      break;
    }
    if (!parent) break;
    chain.push({
      pid: next,
      startTime: parent.startTime,
      comm: parent.comm
    });
  }
  return chain;
}
function flockHolders(inode, locks) {
  let text2 = locks;
  if (text2 === void 0) {
    try {
      text2 = Deno.readTextFileSync("/proc/locks");
    } catch {
      return [];
    }
  }
  const pids = [];
  for (const line of text2.split("\n")) {
    const m = /^\d+: FLOCK\s+\S+\s+\S+\s+(\d+)\s+[0-9a-f]+:[0-9a-f]+:(\d+)\s/.exec(line);
    if (m && Number(m[2]) === inode) pids.push(Number(m[1]));
  }
  return pids;
}
var init_procfs = __esm({
  "lib/sys/procfs.ts"() {
  }
});

// lib/store/name_mutex.ts
function openMutex(path) {
  refuseSymlink(path);
  try {
    return Deno.openSync(path, {
      read: true,
      write: true,
      create: true,
      mode: 420
    });
  } catch (err) {
    throw toLoktError(err, `Cannot open ${path}`);
  }
}
async function withNameMutex(path, fn, onSlow, slowMs = MUTEX_SLOW_MS) {
  const file = openMutex(path);
  try {
    try {
      if (!file.tryLockSync(true)) {
        const timer = onSlow ? setTimeout(() => onSlow(flockHolders(file.statSync().ino ?? -1)), slowMs) : void 0;
        try {
          await file.lock(true);
        } finally {
          clearTimeout(timer);
        }
      }
    } catch (err) {
      throw toLoktError(err, `Cannot lock ${path}`);
    }
    return fn(file);
  } finally {
    file.close();
  }
}
function tryWithNameMutex(path, fn) {
  const file = openMutex(path);
  try {
    return file.tryLockSync(true) ? fn(file) : null;
  } finally {
    file.close();
  }
}
var MUTEX_SLOW_MS;
var init_name_mutex = __esm({
  "lib/store/name_mutex.ts"() {
    init_errors();
    init_procfs();
    init_file_primitives();
    MUTEX_SLOW_MS = 5e3;
  }
});

// lib/store/root_dirs.ts
function isDirectory(path) {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}
var RootDirs;
var init_root_dirs = __esm({
  "lib/store/root_dirs.ts"() {
    init_errors();
    init_file_primitives();
    RootDirs = class {
      #root;
      #ready = /* @__PURE__ */ new Set();
      #checked = /* @__PURE__ */ new Set();
      #onCreate;
      /**
       * Manages the directories under `root` (nothing is created yet).
       *
       * @param root Absolute path of the lokt root.
       * @param onCreate Called once if this process creates the root itself.
       */
      constructor(root, onCreate = null) {
        this.#root = root;
        this.#onCreate = onCreate;
      }
      /**
       * Throws if a subdirectory is a symlink: readers too must not follow one out of the root.
       *
       * @param sub The subdirectory, relative to the root.
       * @throws {LoktError} When it is a symbolic link.
       */
      refuseLinked(sub) {
        if (this.#checked.has(sub)) return;
        refuseSymlink(`${this.#root}/${sub}`);
        this.#checked.add(sub);
      }
      /**
       * Creates a subdirectory (and the root) when missing.
       *
       * @param sub The subdirectory, relative to the root; `""` for the root itself.
       * @throws {LoktError} When a file stands in the way, or it cannot be created.
       */
      ensure(sub) {
        if (this.#ready.has(sub)) return;
        if (sub) {
          this.ensure("");
          this.refuseLinked(sub);
        }
        const path = sub ? `${this.#root}/${sub}` : this.#root;
        const announce = !sub && this.#onCreate !== null && !isDirectory(path);
        try {
          Deno.mkdirSync(path, {
            recursive: true,
            mode: 493
          });
        } catch (err) {
          let isFile2 = false;
          try {
            isFile2 = !Deno.statSync(path).isDirectory;
          } catch {
          }
          if (isFile2) {
            throw new LoktError(sub ? `Cannot use ${path}: it exists and is not a directory` : `The lokt root ${path} exists and is not a directory: remove it or set LOKT_ROOT`, 1, {
              cause: err
            });
          }
          throw toLoktError(err, `Cannot create directory ${path}`);
        }
        if (announce) this.#onCreate?.(path);
        this.#ready.add(sub);
      }
    };
  }
});

// lib/store/lock_store.ts
function fenceIn(entry) {
  const fence = entry?.raw ? parseObject(entry.raw)?.fence : null;
  return typeof fence === "number" && Number.isSafeInteger(fence) ? fence : 0;
}
var RESERVATION_INDEX;
var init_lock_store = __esm({
  "lib/store/lock_store.ts"() {
    init_lock_record();
    RESERVATION_INDEX = "_index";
  }
});

// lib/store/file_store.ts
function slowMutexMessage(name, path, holders) {
  const who = holders.length ? `process ${holders.join(", ")}` : "another process";
  const next = holders.length ? `resume it (kill -CONT ${holders[0]}) or end it` : `find it with fuser ${path}`;
  return `the mutex of "${name}" (${path}) has been held by ${who} for over ${MUTEX_SLOW_MS / 1e3}s \u2014 stopped or hung? Still waiting; ${next}.`;
}
var FileStore;
var init_file_store = __esm({
  "lib/store/file_store.ts"() {
    init_errors();
    init_name();
    init_file_primitives();
    init_file_queue();
    init_fs_watcher();
    init_name_mutex();
    init_root_dirs();
    init_layout();
    init_lock_store();
    FileStore = class {
      /** The root directory. */
      location;
      #auditMaxBytes;
      #onAuditError;
      #onSlowMutex;
      #dirs;
      /**
       * Creates a store rooted at `root` (nothing is created until the first write).
       *
       * @param root Absolute path of the lokt root.
       * @param options Audit options.
       */
      constructor(root, options = {}) {
        this.location = root;
        this.#dirs = new RootDirs(root, options.onCreateRoot ?? null);
        this.#auditMaxBytes = options.auditMaxBytes ?? DEFAULT_AUDIT_MAX_BYTES;
        this.#onAuditError = options.onAuditError ?? ((message) => console.error(`warning: ${message}`));
        this.#onSlowMutex = options.onSlowMutex ?? ((message) => console.error(`warning: ${message}`));
      }
      /** The path of the audit trail. */
      get auditPath() {
        return auditPath(this.location);
      }
      read(kind, name) {
        return Promise.resolve(this.readSync(kind, name));
      }
      /**
       * Reads an entry synchronously; `null` when absent.
       *
       * @param kind Lock or freeze.
       * @param name The name.
       * @returns The entry.
       */
      readSync(kind, name) {
        this.#dirs.refuseLinked(ENTRY_DIRS[kind]);
        return this.#resolve(kind, name).current;
      }
      createIfAbsent(kind, name, produce, options) {
        this.#dirs.ensure(ENTRY_DIRS[kind]);
        return this.#withMutex(name, (mutex) => this.#write(mutex, kind, name, null, produce, options));
      }
      compareAndReplace(kind, name, token, produce, options) {
        this.#dirs.ensure(ENTRY_DIRS[kind]);
        return this.#withMutex(name, (mutex) => this.#write(mutex, kind, name, token, produce, options));
      }
      compareAndRemove(kind, name, token, audit) {
        return this.#withMutex(name, () => this.#remove(kind, name, token, audit));
      }
      /**
       * {@linkcode FileStore.createIfAbsent} as one synchronous try that never waits.
       *
       * @param kind Lock or freeze.
       * @param name The name.
       * @param produce Produces the entry and its audit events.
       * @param options Whether to allocate a fresh fence.
       * @returns Whether it wrote, or `null` when the name's mutex was busy.
       */
      tryCreateIfAbsentSync(kind, name, produce, options) {
        this.#dirs.ensure(ENTRY_DIRS[kind]);
        return this.#tryWithMutex(name, (mutex) => this.#write(mutex, kind, name, null, produce, options));
      }
      /**
       * {@linkcode FileStore.compareAndRemove} as one synchronous try that never waits.
       *
       * @param kind Lock or freeze.
       * @param name The name.
       * @param token The compare token of the entry judged.
       * @param audit The events of the removal.
       * @returns Whether it removed, or `null` when the name's mutex was busy.
       */
      tryCompareAndRemoveSync(kind, name, token, audit) {
        return this.#tryWithMutex(name, () => this.#remove(kind, name, token, audit));
      }
      list(kind) {
        this.#dirs.refuseLinked(ENTRY_DIRS[kind]);
        const dir = `${this.location}/${ENTRY_DIRS[kind]}`;
        const names = [];
        try {
          for (const item of Deno.readDirSync(dir)) {
            if (!item.name.endsWith(".json")) continue;
            const name = item.name.slice(0, -5);
            if (isValidName(name) && !names.includes(name.toLowerCase())) {
              names.push(name.toLowerCase());
            }
          }
        } catch (err) {
          if (!(err instanceof Deno.errors.NotFound) && !(err instanceof Deno.errors.NotADirectory)) {
            throw toLoktError(err, `Cannot list ${dir}`);
          }
        }
        return Promise.resolve(names.sort());
      }
      watch(target) {
        if (target.kind === "reservations") {
          const dir = `${this.location}/${ENTRY_DIRS.reservations}`;
          return new FsWatcher([
            dir
          ], (paths) => paths.some((p) => p.endsWith(".json")));
        }
        if (target.kind === "ticket") {
          return new FsWatcher([
            ticketPath(this.location, target.name, target.id)
          ], () => true);
        }
        const suffix = `/${target.name}.json`;
        const dirs = [
          ENTRY_DIRS.lock,
          ENTRY_DIRS.freeze
        ].map((d) => `${this.location}/${d}`);
        return new FsWatcher(dirs, (paths) => paths.some((p) => p.toLowerCase().endsWith(suffix)));
      }
      async enqueue(name, content) {
        this.#dirs.ensure(QUEUE_DIR);
        this.#dirs.ensure(`${QUEUE_DIR}/${name}`);
        this.#dirs.ensure(INCOMING_DIR);
        const id = await this.#withMutex(name, (mutex) => this.#count(mutex, name, "ticket", 0));
        return addTicket(this.location, name, id, content);
      }
      queue(name) {
        this.#dirs.refuseLinked(QUEUE_DIR);
        this.#dirs.refuseLinked(`${QUEUE_DIR}/${name}`);
        return Promise.resolve(listTickets(this.location, name));
      }
      dequeue(name, id) {
        removeTicket(this.location, name, id);
        return Promise.resolve();
      }
      touch(name, id) {
        try {
          const now = /* @__PURE__ */ new Date();
          Deno.utimeSync(ticketPath(this.location, name, id), now, now);
        } catch {
        }
        return Promise.resolve();
      }
      appendAudit(events2) {
        if (events2.length === 0) return Promise.resolve();
        try {
          this.#dirs.ensure("");
        } catch (err) {
          this.#onAuditError(`cannot write audit trail: ${toLoktError(err).message}`);
          return Promise.resolve();
        }
        this.#appendNow(events2);
        return Promise.resolve();
      }
      /** The write of a mutation, inside the name's critical section. */
      #write(mutex, kind, name, token, produce, options) {
        const { path, current } = this.#resolve(kind, name);
        if ((current?.token ?? null) !== token) return false;
        const fence = options.freshFence ? this.#count(mutex, name, "fence", fenceIn(current)) : 0;
        const produced = produce(fence);
        try {
          if (current?.problem === "is a directory") Deno.removeSync(path, {
            recursive: true
          });
        } catch (err) {
          throw toLoktError(err, `Cannot remove ${path}`);
        }
        writeAtomically(path, produced.content);
        this.#appendNow(produced.audit);
        return true;
      }
      /** The removal of a mutation, inside the name's critical section. */
      #remove(kind, name, token, audit) {
        const { path, current } = this.#resolve(kind, name);
        if (!current || current.token !== token) return false;
        try {
          Deno.removeSync(path, {
            recursive: current.problem === "is a directory"
          });
        } catch (err) {
          if (err instanceof Deno.errors.NotFound) return false;
          throw toLoktError(err, `Cannot remove ${path}`);
        }
        this.#appendNow(audit);
        return true;
      }
      #count(mutex, name, slot, floor) {
        try {
          return allocateCounter(mutex, COUNTER_SLOT[slot], floor);
        } catch (err) {
          const what = slot === "fence" ? "fence" : "queue";
          throw toLoktError(err, `Cannot update the ${what} counter in ${mutexPath(this.location, name)}`);
        }
      }
      /**
       * The file of a name's entry and what it holds: `<name>.json` (names are
       * lower case), or, when only an earlier lokt's mixed-case file exists
       * (`Build.json`), that file — honoured as the same lock, never beside it a
       * second holder.
       */
      #resolve(kind, name) {
        const path = entryPath(this.location, kind, name);
        const current = readEntry(path, ENTRY_MAX_BYTES[kind]);
        if (current !== null || kind === "reservations") return {
          path,
          current
        };
        const wanted = `${name}.json`;
        try {
          for (const item of Deno.readDirSync(`${this.location}/${ENTRY_DIRS[kind]}`)) {
            if (item.name !== wanted && item.name.toLowerCase() === wanted) {
              const legacy = `${this.location}/${ENTRY_DIRS[kind]}/${item.name}`;
              return {
                path: legacy,
                current: readEntry(legacy)
              };
            }
          }
        } catch {
        }
        return {
          path,
          current: null
        };
      }
      #withMutex(name, fn) {
        this.#dirs.ensure(MUTEX_DIR);
        const path = mutexPath(this.location, name);
        return withNameMutex(path, fn, (holders) => this.#onSlowMutex(slowMutexMessage(name, path, holders)));
      }
      #tryWithMutex(name, fn) {
        this.#dirs.ensure(MUTEX_DIR);
        return tryWithNameMutex(mutexPath(this.location, name), fn);
      }
      #appendNow(events2) {
        const problem = appendAudit(this.location, events2, this.#auditMaxBytes);
        if (problem) this.#onAuditError(problem);
      }
    };
  }
});

// lib/store/deferred_store.ts
var DeferredStore;
var init_deferred_store = __esm({
  "lib/store/deferred_store.ts"() {
    DeferredStore = class {
      /** Where the state lives, for messages. */
      location;
      #make;
      #store = null;
      #made = null;
      /**
       * Creates the store; nothing is loaded yet.
       *
       * @param location Where the state lives, for messages.
       * @param make Makes the real store.
       */
      constructor(location, make) {
        this.location = location;
        this.#make = make;
      }
      /** The real store, made once. */
      store() {
        this.#store ??= this.#make().then((s) => this.#made = s);
        return this.#store;
      }
      /**
       * The time by the store's clock (SPEC §17: a shared server's clock judges
       * expiry), once the store has been used; this process's clock before.
       *
       * @returns Milliseconds since the epoch.
       */
      now() {
        return Date.now() + (this.#made?.clockOffsetMs ?? 0);
      }
      async read(kind, name) {
        return await (await this.store()).read(kind, name);
      }
      async createIfAbsent(k, n, p, o) {
        return await (await this.store()).createIfAbsent(k, n, p, o);
      }
      async compareAndReplace(k, n, t, p, o) {
        return await (await this.store()).compareAndReplace(k, n, t, p, o);
      }
      async compareAndRemove(k, n, t, a) {
        return await (await this.store()).compareAndRemove(k, n, t, a);
      }
      async list(kind) {
        return await (await this.store()).list(kind);
      }
      watch(target) {
        const inner = this.store().then((s) => s.watch(target));
        return {
          changed: async (timeoutMs, signal) => await (await inner).changed(timeoutMs, signal),
          close: () => void inner.then((w) => w.close())
        };
      }
      async enqueue(name, content) {
        return await (await this.store()).enqueue(name, content);
      }
      async queue(name) {
        return await (await this.store()).queue(name);
      }
      async dequeue(name, id) {
        await (await this.store()).dequeue(name, id);
      }
      async touch(name, id) {
        await (await this.store()).touch(name, id);
      }
      async appendAudit(events2) {
        await (await this.store()).appendAudit(events2);
      }
      close() {
        void this.#store?.then((s) => s.close());
      }
    };
  }
});

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
function isFile(path) {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
var init_path = __esm({
  "lib/sys/path.ts"() {
  }
});

// lib/sys/backend.ts
function parseBackend(value, env = (key) => Deno.env.get(key)) {
  if (value === void 0 || value === "" || value === "file") return {
    kind: "file"
  };
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`Invalid backend: use file, redis://host:port[/db] or rediss://\u2026`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new UsageError(`Invalid backend ${url.protocol}//\u2026: use file, redis:// or rediss://`);
  }
  const db = url.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d{1,2}$/.test(db)) {
    throw new UsageError(`Invalid backend database ${JSON.stringify(db)}: a number`);
  }
  const port = url.port === "" ? 6379 : Number(url.port);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!host) throw new UsageError("Invalid backend: no host");
  const tls = url.protocol === "rediss:";
  return {
    kind: "redis",
    host,
    port,
    tls,
    db: db === "" ? 0 : Number(db),
    username: url.username ? decodeURIComponent(url.username) : null,
    password: url.password ? decodeURIComponent(url.password) : env("LOKT_REDIS_PASSWORD") || null,
    caFile: env("LOKT_REDIS_CA") || null,
    display: `${tls ? "rediss" : "redis"}://${host}:${port}/${db === "" ? 0 : Number(db)}`
  };
}
function namespaceOf(info, env = (key) => Deno.env.get(key)) {
  const set = env("LOKT_NAMESPACE");
  if (set) {
    if (!/^[A-Za-z0-9._\/:@-]{1,200}$/.test(set)) {
      throw new UsageError("Invalid LOKT_NAMESPACE: 1-200 of A-Za-z0-9 . _ / : @ -");
    }
    return set;
  }
  if (!info.gitCommonDir) return "default";
  let config;
  try {
    config = Deno.readTextFileSync(join(info.gitCommonDir, "config"));
  } catch {
    return "default";
  }
  const origin = /\[remote "origin"\]([^[]*)/.exec(config)?.[1];
  const url = origin ? /^\s*url\s*=\s*(.+?)\s*$/m.exec(origin)?.[1] : void 0;
  return url ? normalizeRemote(url) : "default";
}
function normalizeRemote(url) {
  let rest = url.trim();
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/\/)(.+)$/.exec(rest);
  if (scp && !/^[a-z+]+:\/\//i.test(rest)) {
    rest = `${scp[1]}/${scp[2]}`;
  } else {
    rest = rest.replace(/^[a-z+]+:\/\//i, "").replace(/^[^@/]+@/, "").replace(/^([^/:]+):\d+/, "$1");
  }
  const slash = rest.indexOf("/");
  const host = (slash < 0 ? rest : rest.slice(0, slash)).toLowerCase();
  const path = (slash < 0 ? "" : rest.slice(slash)).replace(/\.git\/?$/, "").replace(/\/+$/, "");
  return `${host}${path}`;
}
var init_backend = __esm({
  "lib/sys/backend.ts"() {
    init_errors();
    init_path();
  }
});

// lib/model/defaults.ts
var DEFAULT_LOCK_TTL_MS, DEFAULT_WAIT_TIMEOUT_MS, SKEW_MS, CORRUPT_GRACE_MS, MAX_CAS_ROUNDS;
var init_defaults = __esm({
  "lib/model/defaults.ts"() {
    DEFAULT_LOCK_TTL_MS = 30 * 6e4;
    DEFAULT_WAIT_TIMEOUT_MS = 10 * 6e4;
    SKEW_MS = 1e3;
    CORRUPT_GRACE_MS = 5e3;
    MAX_CAS_ROUNDS = 100;
  }
});

// lib/model/duration.ts
function parseDuration(text2, flag = "duration") {
  const bad = () => new UsageError(`Invalid ${flag} ${JSON.stringify(text2)}: use a number with a unit, e.g. 500ms, 90s, 5m, 1h30m, 2d`);
  if (text2.length === 0 || text2.length > 64) throw bad();
  let total = 0;
  let index = 0;
  PART.lastIndex = 0;
  while (index < text2.length) {
    PART.lastIndex = index;
    const match = PART.exec(text2);
    if (!match) throw bad();
    total += Number(match[1]) * UNIT_MS[match[2]];
    index = PART.lastIndex;
  }
  if (!Number.isFinite(total) || total > MAX_DURATION_MS) {
    throw new UsageError(`Invalid ${flag} ${JSON.stringify(text2)}: at most 365d`);
  }
  return Math.round(total);
}
function parseTtl(text2, options = {}) {
  const flag = options.flag ?? "--ttl";
  if (text2 === "0" || text2 === "0s") {
    if (options.allowZero) return 0;
    throw new UsageError(`Invalid ${flag} ${JSON.stringify(text2)}: must be at least 1s`);
  }
  const ms = parseDuration(text2, flag);
  if (ms < 1e3) {
    throw new UsageError(`Invalid ${flag} ${JSON.stringify(text2)}: must be at least 1s (a shorter lock expires before it is useful)`);
  }
  return ms;
}
var UNIT_MS, PART, MAX_DURATION_MS;
var init_duration = __esm({
  "lib/model/duration.ts"() {
    init_errors();
    UNIT_MS = {
      ms: 1,
      s: 1e3,
      m: 6e4,
      h: 36e5,
      d: 864e5
    };
    PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;
    MAX_DURATION_MS = 365 * 864e5;
  }
});

// lib/model/lock_group.ts
function makeGroup(name, mode, slots, holders) {
  const fence = holders.reduce((top, h) => Math.max(top, h.fence), 0);
  return {
    version: GROUP_VERSION,
    name,
    mode,
    slots,
    fence,
    holders
  };
}
function isGroupDocument(value) {
  return value.version === GROUP_VERSION;
}
function groupOf(value) {
  if (!isGroupDocument(value) || typeof value.name !== "string") return null;
  const mode = value.mode;
  const slots = value.slots;
  if (mode === "shared" ? slots !== null : mode !== "slots" || !isSlotCount(slots)) return null;
  if (!Array.isArray(value.holders) || value.holders.length === 0) return null;
  const holders = [];
  const used = /* @__PURE__ */ new Set();
  for (const item of value.holders) {
    const record = item && typeof item === "object" && !Array.isArray(item) ? recordOf(item) : null;
    if (!record || record.version !== 2 || record.mode !== mode) return null;
    if (record.name.toLowerCase() !== value.name.toLowerCase()) return null;
    if (mode === "slots") {
      const slot = record.slot;
      if (slot === null || slot >= slots || used.has(slot)) return null;
      used.add(slot);
    } else if (record.slot !== null) return null;
    holders.push(record);
  }
  if (mode === "slots" && holders.length > slots) return null;
  return makeGroup(value.name, mode, mode === "slots" ? slots : null, holders);
}
function encodeGroup(group) {
  return `${JSON.stringify(group, null, 2)}
`;
}
function isSlotCount(value) {
  return typeof value === "number" && Number.isInteger(value) && value >= SLOT_LIMITS.min && value <= SLOT_LIMITS.max;
}
function holdIn(raw, lockId) {
  const value = parseObject(raw);
  if (!value) return null;
  if (isGroupDocument(value)) {
    return groupOf(value)?.holders.find((h) => h.lock_id === lockId) ?? null;
  }
  const record = recordOf(value);
  return record?.lock_id === lockId ? record : null;
}
var GROUP_VERSION, KNOWN_VERSION, SLOT_LIMITS;
var init_lock_group = __esm({
  "lib/model/lock_group.ts"() {
    init_lock_record();
    GROUP_VERSION = 3;
    KNOWN_VERSION = GROUP_VERSION;
    SLOT_LIMITS = {
      min: 2,
      max: 64
    };
  }
});

// lib/sys/jsonc.ts
function stripJsonc(text2) {
  const out = text2.split("");
  const blank = (from, to) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n" && out[k] !== "\r") out[k] = " ";
  };
  let i = 0;
  let lastComma = -1;
  while (i < text2.length) {
    const c = text2[i];
    if (c === '"') {
      lastComma = -1;
      for (i++; i < text2.length && text2[i] !== '"'; i++) if (text2[i] === "\\") i++;
      i++;
    } else if (c === "/" && text2[i + 1] === "/") {
      const end = text2.indexOf("\n", i);
      const stop = end < 0 ? text2.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === "/" && text2[i + 1] === "*") {
      const end = text2.indexOf("*/", i + 2);
      const stop = end < 0 ? text2.length : end + 2;
      blank(i, stop);
      i = stop;
    } else {
      if (c === ",") lastComma = i;
      else if ((c === "}" || c === "]") && lastComma >= 0) blank(lastComma, lastComma + 1);
      if (c !== " " && c !== "	" && c !== "\n" && c !== "\r" && c !== ",") lastComma = -1;
      i++;
    }
  }
  return out.join("");
}
var init_jsonc = __esm({
  "lib/sys/jsonc.ts"() {
  }
});

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
  const found = nearestDotLokt(cwd);
  if (found) return {
    root: found,
    source: "dotlokt",
    repo: null,
    gitCommonDir: null
  };
  return {
    root: join(cwd, ".lokt"),
    source: "cwd",
    repo: null,
    gitCommonDir: null
  };
}
function nearestDotLokt(cwd) {
  let dir = resolve("/", cwd);
  for (; ; ) {
    try {
      if (Deno.statSync(join(dir, ".lokt")).isDirectory) return join(dir, ".lokt");
    } catch {
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
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
  const text2 = readSmall(dotGit);
  const match = text2?.match(/^gitdir:\s*(.+?)\s*$/m);
  if (!match) return null;
  return commonDirOf(resolve(dir, match[1]));
}
function commondirFile(gitDir) {
  const text2 = readSmall(join(gitDir, "commondir"));
  const line = text2?.trim();
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
  if (info.repo) return join(info.repo, "lokt.jsonc");
  return join(info.source === "env" ? cwd : dirname(info.root), "lokt.jsonc");
}
function patternBase(info) {
  if (info.repo) return info.repo;
  const parent = info.root.slice(0, info.root.lastIndexOf("/"));
  return parent === "" ? "/" : parent;
}
var init_root = __esm({
  "lib/sys/root.ts"() {
    init_errors();
    init_path();
  }
});

// lib/sys/config.ts
function loadConfig(info, cwd = Deno.cwd()) {
  const path = configPath(info, cwd);
  let text2;
  try {
    text2 = Deno.readTextFileSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return DEFAULT_CONFIG;
    throw new LoktError(`Cannot read ${path}: ${err instanceof Error ? err.message : err}`, ExitCode.Error, {
      cause: err
    });
  }
  const stripped = stripJsonc(text2);
  let value;
  try {
    value = JSON.parse(stripped);
  } catch {
    const line = lineOf(stripped, syntaxErrorAt(stripped));
    throw new LoktError(`Invalid config ${path}:${line}: not valid JSONC`);
  }
  return validate(value, text2, path);
}
function validate(value, source, path) {
  const fail = (key, why) => {
    const last = key.split(".").pop();
    const index = source.indexOf(`"${last}"`);
    const line = index < 0 ? 1 : lineOf(source, index);
    throw new LoktError(`Invalid config ${path}:${line}: key "${key}" ${why}`);
  };
  if (!isObject(value)) return fail("(root)", "must be an object");
  const config = {
    ...DEFAULT_CONFIG,
    path,
    locks: {}
  };
  for (const key of Object.keys(value)) {
    if (![
      "$schema",
      "defaults",
      "locks",
      "agents",
      "backend"
    ].includes(key)) {
      fail(key, "is not a known setting");
    }
  }
  const defaults = value.defaults;
  if (defaults !== void 0) {
    if (!isObject(defaults)) fail("defaults", "must be an object");
    const d = defaults;
    for (const key of Object.keys(d)) {
      if (![
        "ttl",
        "timeout"
      ].includes(key)) fail(`defaults.${key}`, "is not a known setting");
    }
    if (d.ttl !== void 0) config.defaultTtlMs = duration(d.ttl, "defaults.ttl", true, fail);
    if (d.timeout !== void 0) {
      config.waitTimeoutMs = duration(d.timeout, "defaults.timeout", false, fail);
    }
  }
  if (value.backend !== void 0) {
    if (typeof value.backend !== "string") fail("backend", "must be file or a redis:// URL");
    try {
      parseBackend(value.backend, () => void 0);
    } catch (err) {
      fail("backend", `is invalid: ${err.message}`);
    }
    config.backend = value.backend;
  }
  const agents = value.agents;
  if (agents !== void 0) {
    if (!isObject(agents)) fail("agents", "must be an object");
    const a = agents;
    for (const key of Object.keys(a)) {
      if (key !== "reserve_on_edit") fail(`agents.${key}`, "is not a known setting");
    }
    if (a.reserve_on_edit !== void 0) {
      config.reserveOnEditMs = duration(a.reserve_on_edit, "agents.reserve_on_edit", true, fail);
    }
  }
  const locks = value.locks;
  if (locks !== void 0) {
    if (!isObject(locks)) fail("locks", "must be an object");
    for (const [name, policy] of Object.entries(locks)) {
      const key = `locks.${name}`;
      if (!isValidName(name)) fail(key, "is not a valid lock name");
      if (!isObject(policy)) fail(key, "must be an object");
      const p = policy;
      for (const k of Object.keys(p)) {
        if (![
          "ttl",
          "wait",
          "timeout",
          "slots",
          "shared"
        ].includes(k)) {
          fail(`${key}.${k}`, "is not a known setting");
        }
      }
      for (const flag of [
        "wait",
        "shared"
      ]) {
        if (p[flag] !== void 0 && typeof p[flag] !== "boolean") {
          fail(`${key}.${flag}`, "must be true or false");
        }
      }
      if (p.slots !== void 0 && !isSlotCount(p.slots)) {
        fail(`${key}.slots`, "must be an integer from 2 to 64");
      }
      if (p.slots !== void 0 && p.shared === true) {
        fail(`${key}.shared`, "cannot be combined with slots: a name is shared or a semaphore");
      }
      config.locks[name.toLowerCase()] = {
        ttlMs: p.ttl === void 0 ? null : duration(p.ttl, `${key}.ttl`, true, fail),
        wait: p.wait === void 0 ? null : p.wait,
        timeoutMs: p.timeout === void 0 ? null : duration(p.timeout, `${key}.timeout`, false, fail),
        slots: p.slots === void 0 ? null : p.slots,
        shared: p.shared === void 0 ? null : p.shared
      };
    }
  }
  return config;
}
function duration(value, key, isTtl, fail) {
  if (typeof value !== "string") return fail(key, 'must be a duration string such as "10m"');
  try {
    return isTtl ? parseTtl(value, {
      flag: key
    }) : parseDuration(value, key);
  } catch (err) {
    return fail(key, `is invalid: ${err instanceof Error ? err.message : err}`);
  }
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function lineOf(text2, index) {
  let line = 1;
  for (let i = 0; i < index && i < text2.length; i++) if (text2[i] === "\n") line++;
  return line;
}
function syntaxErrorAt(text2) {
  let i = 0;
  const ws = () => {
    while (i < text2.length && " 	\r\n".includes(text2[i])) i++;
  };
  const fail = () => {
    throw i;
  };
  const value = () => {
    ws();
    const c = text2[i];
    if (c === "{") {
      i++;
      ws();
      if (text2[i] === "}") return void i++;
      for (; ; ) {
        ws();
        if (text2[i] !== '"') fail();
        string();
        ws();
        if (text2[i++] !== ":") fail();
        value();
        ws();
        if (text2[i] === ",") i++;
        else if (text2[i] === "}") return void i++;
        else fail();
      }
    } else if (c === "[") {
      i++;
      ws();
      if (text2[i] === "]") return void i++;
      for (; ; ) {
        value();
        ws();
        if (text2[i] === ",") i++;
        else if (text2[i] === "]") return void i++;
        else fail();
      }
    } else if (c === '"') string();
    else {
      const m = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text2.slice(i));
      if (!m) fail();
      i += m[0].length;
    }
  };
  const string = () => {
    i++;
    while (i < text2.length && text2[i] !== '"') i += text2[i] === "\\" ? 2 : 1;
    if (i >= text2.length) fail();
    i++;
  };
  try {
    value();
    ws();
    return i;
  } catch (at) {
    return typeof at === "number" ? at : 0;
  }
}
var DEFAULT_CONFIG;
var init_config = __esm({
  "lib/sys/config.ts"() {
    init_defaults();
    init_duration();
    init_errors();
    init_lock_group();
    init_backend();
    init_name();
    init_jsonc();
    init_root();
    DEFAULT_CONFIG = {
      path: null,
      defaultTtlMs: DEFAULT_LOCK_TTL_MS,
      waitTimeoutMs: DEFAULT_WAIT_TIMEOUT_MS,
      locks: {},
      reserveOnEditMs: null,
      backend: null
    };
  }
});

// lib/sys/backend_choice.ts
function backendOf(info, cwd, lenient) {
  const set = Deno.env.get("LOKT_BACKEND");
  if (set) return parseBackend(set);
  try {
    return parseBackend(loadConfig(info, cwd).backend ?? void 0);
  } catch (err) {
    if (lenient) return {
      kind: "file"
    };
    throw err;
  }
}
var init_backend_choice = __esm({
  "lib/sys/backend_choice.ts"() {
    init_backend();
    init_config();
  }
});

// lib/model/identity_value.ts
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
var MAX_OWNER_LENGTH;
var init_identity_value = __esm({
  "lib/model/identity_value.ts"() {
    MAX_OWNER_LENGTH = 256;
  }
});

// lib/sys/host.ts
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
var init_host = __esm({
  "lib/sys/host.ts"() {
    init_identity_value();
    init_permissions();
  }
});

// lib/sys/identity.ts
function currentIdentity() {
  cached ??= resolveIdentity();
  return cached;
}
function resolveIdentity(env = (key) => Deno.env.get(key)) {
  const self = safeStat();
  const host = checkedVar(env, "LOKT_HOST") ?? hostName();
  const explicit = checkedVar(env, "LOKT_OWNER");
  let user;
  const userOnce = () => user ??= userName(env);
  let owner;
  let ownerSource;
  let ownerGuessed = false;
  if (explicit) {
    owner = explicit;
    ownerSource = "LOKT_OWNER";
  } else {
    const qualifier = sessionQualifier(env, self?.ttyNr ?? 0, self?.session ?? 0);
    owner = `${userOnce()}@${host}:${qualifier.tag}`;
    ownerSource = qualifier.source;
    ownerGuessed = qualifier.guessed;
  }
  const agentVar = checkedVar(env, "LOKT_AGENT_ID");
  return {
    owner,
    ownerSource,
    ownerGuessed,
    agentId: agentVar ?? derivedAgentId(owner),
    agentSource: agentVar ? "LOKT_AGENT_ID" : "derived from owner",
    get user() {
      return userOnce();
    },
    host,
    machineId: checkedVar(env, "LOKT_MACHINE_ID") ?? machineId(),
    pid: Deno.pid,
    pidStart: self?.startTime ?? null
  };
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
        source: key,
        guessed: false
      };
    }
  }
  if (ttyNr !== 0) {
    const tty = terminalPath();
    if (tty) return {
      tag: tty.replace(/^\/dev\//, ""),
      source: `terminal ${tty}`,
      guessed: false
    };
    return {
      tag: `tty${ttyNr}`,
      source: `terminal device ${ttyNr}`,
      guessed: false
    };
  }
  if (session > 0) {
    return {
      tag: `sid${session}`,
      source: `process session ${session}`,
      guessed: true
    };
  }
  for (const key of TERMINAL_VARIABLES) {
    const value = env(key);
    if (value && identityValueProblem(value, key) === null) {
      return {
        tag: `${key.toLowerCase()}-${value.replace(/[^A-Za-z0-9._-]/g, "").slice(0, 16)}`,
        source: key,
        guessed: false
      };
    }
  }
  return {
    tag: `ppid${Deno.ppid}`,
    source: `parent process ${Deno.ppid} (set LOKT_OWNER for a stable owner)`,
    guessed: true
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
function fnv1a(text2) {
  let hash = 2166136261;
  for (let i = 0; i < text2.length; i++) {
    hash ^= text2.charCodeAt(i);
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
function guessedOwnerWarning(identity) {
  if (!identity.ownerGuessed) return null;
  return `the owner ${identity.owner} was guessed from this process's ${identity.ownerSource}; a command run from another shell session will be another owner and cannot unlock it: set LOKT_OWNER (one name per agent, e.g. 'export LOKT_OWNER=agent-1') to keep one identity`;
}
function derivedAgentId(owner) {
  return `agent-${fnv1a(owner)}`;
}
var SESSION_VARIABLES, TERMINAL_VARIABLES, cached;
var init_identity = __esm({
  "lib/sys/identity.ts"() {
    init_errors();
    init_identity_value();
    init_host();
    init_procfs();
    SESSION_VARIABLES = [
      "CLAUDE_SESSION_ID",
      "CODEX_SESSION_ID",
      "GEMINI_SESSION_ID",
      "AIDER_SESSION_ID",
      "CURSOR_SESSION_ID",
      "TERM_SESSION_ID"
    ];
    TERMINAL_VARIABLES = [
      "TMUX_PANE",
      "STY",
      "ITERM_SESSION_ID",
      "WT_SESSION",
      "KITTY_WINDOW_ID",
      "WINDOWID",
      "SSH_TTY"
    ];
  }
});

// lib/sys/liveness.ts
function probeProcess(pid, pidStart) {
  if (!Number.isSafeInteger(pid) || pid <= 0) return "unknown";
  try {
    const stat = readProcStat(pid);
    if (!stat) return "unknown";
    if (stat.state === "Z" || stat.state === "X") return "dead";
    if (pidStart !== null && stat.startTime !== pidStart) return "dead";
    return "alive";
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      return procAvailable() ? "dead" : probeBySignal(pid);
    }
    if (err instanceof Deno.errors.NotCapable) return probeBySignal(pid);
    return "unknown";
  }
}
function procAvailable() {
  if (hasProc === void 0) {
    try {
      Deno.statSync("/proc/self/stat");
      hasProc = true;
    } catch {
      hasProc = false;
    }
  }
  return hasProc;
}
function probeBySignal(pid) {
  if (!granted({
    name: "run"
  })) return "unknown";
  try {
    Deno.kill(pid, 0);
    return "alive";
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return "dead";
    if (err instanceof Deno.errors.PermissionDenied) return "alive";
    return "unknown";
  }
}
function probeGroup(pgid) {
  if (!Number.isSafeInteger(pgid) || pgid <= 1) return "unknown";
  if (!granted({
    name: "run"
  })) return "unknown";
  try {
    Deno.kill(-pgid, 0);
    return "alive";
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return "dead";
    if (err instanceof Deno.errors.PermissionDenied) return "alive";
    return "unknown";
  }
}
var hasProc;
var init_liveness = __esm({
  "lib/sys/liveness.ts"() {
    init_permissions();
    init_procfs();
  }
});

// lib/store/session_registry.ts
function registerSession(root, entry) {
  const dir = `${root}/${SESSIONS_DIR}`;
  const known = readEntry2(dir, entry.pid);
  if (known?.session_id === entry.session_id && known.owner === entry.owner && known.pid_start === entry.pid_start) return;
  try {
    Deno.mkdirSync(dir, {
      recursive: true
    });
  } catch (err) {
    throw toLoktError(err, `Cannot create ${dir}`);
  }
  for (const name of fileNames(dir)) {
    const pid = Number(name.replace(/\.json$/, ""));
    if (!Number.isSafeInteger(pid) || pid === entry.pid) continue;
    const old = readEntry2(dir, pid);
    if (old && probeProcess(old.pid, old.pid_start) === "dead") {
      try {
        Deno.removeSync(`${dir}/${name}`);
      } catch {
      }
    }
  }
  writeAtomically(`${dir}/${entry.pid}.json`, `${JSON.stringify(entry)}
`);
}
function unregisterSession(root, pid, sessionId) {
  const dir = `${root}/${SESSIONS_DIR}`;
  const entry = readEntry2(dir, pid);
  if (!entry || entry.session_id !== sessionId) return false;
  try {
    Deno.removeSync(`${dir}/${pid}.json`);
    return true;
  } catch {
    return false;
  }
}
function lookupSession(root, chain) {
  const dir = `${root}/${SESSIONS_DIR}`;
  const names = new Set(fileNames(dir));
  if (names.size === 0) return null;
  for (const a of chain()) {
    if (!names.has(`${a.pid}.json`)) continue;
    const entry = readEntry2(dir, a.pid);
    if (entry && entry.pid_start === a.startTime) return entry;
  }
  return null;
}
function readEntry2(dir, pid) {
  let text2;
  try {
    text2 = Deno.readTextFileSync(`${dir}/${pid}.json`);
  } catch {
    return null;
  }
  const value = parseObject(text2);
  const ok = value && typeof value.owner === "string" && value.owner !== "" && typeof value.agent_id === "string" && value.pid === pid && typeof value.pid_start === "string" && typeof value.session_id === "string" && typeof value.harness === "string";
  return ok ? value : null;
}
function fileNames(dir) {
  try {
    return Array.from(Deno.readDirSync(dir), (e) => e.name);
  } catch {
    return [];
  }
}
var init_session_registry = __esm({
  "lib/store/session_registry.ts"() {
    init_lock_record();
    init_errors();
    init_liveness();
    init_file_primitives();
    init_layout();
  }
});

// lib/core/session_identity.ts
function withSession(identity, root) {
  if (identity.ownerSource === "LOKT_OWNER") return identity;
  const session = lookupSession(root, () => ancestors());
  if (!session) return identity;
  const agentSet = identity.agentSource === "LOKT_AGENT_ID";
  return {
    ...identity,
    owner: session.owner,
    ownerSource: `${session.harness} session ${session.session_id} (registered for pid ${session.pid})`,
    ownerGuessed: false,
    agentId: agentSet ? identity.agentId : session.agent_id,
    agentSource: agentSet ? identity.agentSource : "the registered session"
  };
}
var init_session_identity = __esm({
  "lib/core/session_identity.ts"() {
    init_session_registry();
    init_procfs();
  }
});

// lib/store/redis_protocol.ts
function encodeCommand(args) {
  const parts = [
    encoder2.encode(`*${args.length}${CRLF}`)
  ];
  for (const arg of args) {
    const bytes = encoder2.encode(String(arg));
    parts.push(encoder2.encode(`$${bytes.length}${CRLF}`), bytes, encoder2.encode(CRLF));
  }
  return concat(parts);
}
function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
var RedisReplyError, CRLF, encoder2, decoder, ReplyParser;
var init_redis_protocol = __esm({
  "lib/store/redis_protocol.ts"() {
    init_errors();
    RedisReplyError = class extends LoktError {
      /**
       * Creates the error.
       *
       * @param message The server's error text.
       */
      constructor(message) {
        super(`Redis: ${message}`);
        this.name = "RedisReplyError";
      }
    };
    CRLF = "\r\n";
    encoder2 = new TextEncoder();
    decoder = new TextDecoder();
    ReplyParser = class {
      #buffer = new Uint8Array(0);
      #at = 0;
      #pending = [];
      /**
       * Adds received bytes.
       *
       * @param bytes The bytes.
       */
      feed(bytes) {
        const rest = this.#buffer.subarray(this.#at);
        this.#buffer = concat([
          rest,
          bytes
        ]);
        this.#at = 0;
        for (; ; ) {
          const start = this.#at;
          const value = this.#parse();
          if (value === void 0) {
            this.#at = start;
            return;
          }
          this.#pending.push({
            value
          });
        }
      }
      /**
       * The next whole reply, or `undefined` when none is complete yet.
       *
       * @returns The reply.
       */
      next() {
        return this.#pending.shift()?.value;
      }
      /** Parses one reply at the cursor, or returns `undefined` (cursor unchanged by the caller). */
      #parse() {
        const line = this.#line();
        if (line === void 0) return void 0;
        const type = line[0];
        const body = line.slice(1);
        if (type === "+") return body;
        if (type === "-") return new RedisReplyError(body);
        if (type === ":") return Number(body);
        if (type === "$") {
          const length = Number(body);
          if (length < 0) return null;
          if (this.#buffer.length - this.#at < length + 2) return void 0;
          const text2 = decoder.decode(this.#buffer.subarray(this.#at, this.#at + length));
          this.#at += length + 2;
          return text2;
        }
        if (type === "*") {
          const count = Number(body);
          if (count < 0) return null;
          const items = [];
          for (let i = 0; i < count; i++) {
            const item = this.#parse();
            if (item === void 0) return void 0;
            items.push(item);
          }
          return items;
        }
        throw new LoktError(`Redis: unexpected reply ${JSON.stringify(line.slice(0, 40))}`);
      }
      #line() {
        for (let i = this.#at; i + 1 < this.#buffer.length; i++) {
          if (this.#buffer[i] === 13 && this.#buffer[i + 1] === 10) {
            const text2 = decoder.decode(this.#buffer.subarray(this.#at, i));
            this.#at = i + 2;
            return text2;
          }
        }
        return void 0;
      }
    };
  }
});

// lib/store/redis_client.ts
async function open(target) {
  if (!target.tls) return await Deno.connect({
    hostname: target.host,
    port: target.port
  });
  const caCerts = target.caFile ? [
    await Deno.readTextFile(target.caFile)
  ] : void 0;
  const conn = await Deno.connectTls({
    hostname: target.host,
    port: target.port,
    caCerts
  });
  await conn.handshake();
  return conn;
}
var Script, RedisClient;
var init_redis_client = __esm({
  "lib/store/redis_client.ts"() {
    init_errors();
    init_redis_protocol();
    init_redis_protocol();
    Script = class {
      /** The script's source. */
      source;
      #sha = null;
      /**
       * Wraps a script.
       *
       * @param source Its Lua source.
       */
      constructor(source) {
        this.source = source;
      }
      /** Its SHA1 (hex), computed once. */
      async sha() {
        if (this.#sha) return this.#sha;
        const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(this.source));
        this.#sha = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
        return this.#sha;
      }
    };
    RedisClient = class _RedisClient {
      #conn;
      #parser = new ReplyParser();
      #waiting = [];
      #closed = false;
      #target;
      #onMessage = null;
      #offsetMs = 0;
      constructor(conn, target) {
        this.#conn = conn;
        this.#target = target;
        conn.unref();
        void this.#readLoop();
      }
      /** The server's clock minus this process's, measured at connect (ms). */
      get offsetMs() {
        return this.#offsetMs;
      }
      /** Whether the connection is closed (after `close()` or a failure). */
      get closed() {
        return this.#closed;
      }
      /** `host:port`, for messages (never credentials). */
      get address() {
        return `${this.#target.host}:${this.#target.port}`;
      }
      /**
       * Connects, authenticates and selects the database, within the connect timeout.
       *
       * @param target Where and how.
       * @returns The connection.
       * @throws {LoktError} When the server cannot be reached or refuses the credentials (exit 1).
       */
      static async connect(target) {
        const where = `${target.host}:${target.port}`;
        const timeoutMs = target.connectTimeoutMs ?? 2e3;
        let timer;
        const timeout = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new LoktError(`cannot reach Redis at ${where}: no answer within ${timeoutMs} ms`)), timeoutMs);
        });
        try {
          const conn = await Promise.race([
            open(target),
            timeout
          ]);
          const client = new _RedisClient(conn, target);
          const hello = [];
          const asked = Date.now();
          if (target.password) {
            hello.push(target.username ? [
              "AUTH",
              target.username,
              target.password
            ] : [
              "AUTH",
              target.password
            ]);
          }
          if (target.db) hello.push([
            "SELECT",
            target.db
          ]);
          hello.push([
            "TIME"
          ]);
          const replies = await Promise.race([
            client.pipeline(hello),
            timeout
          ]);
          const time = replies.at(-1);
          if (Array.isArray(time)) {
            const server = Number(time[0]) * 1e3 + Math.floor(Number(time[1]) / 1e3);
            client.#offsetMs = server - Math.round((asked + Date.now()) / 2);
          }
          const failed = replies.find((r) => r instanceof RedisReplyError);
          if (failed) {
            client.close();
            throw new LoktError(`Redis at ${where} refused the connection: ${failed.message.replace(/^Redis: /, "")}`);
          }
          return client;
        } catch (err) {
          if (err instanceof LoktError) throw err;
          const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
          throw new LoktError(`cannot reach Redis at ${where}: ${why}`);
        } finally {
          clearTimeout(timer);
        }
      }
      /**
       * Sends one command.
       *
       * @param args The command and its arguments.
       * @returns The reply.
       * @throws {RedisReplyError} On an error reply.
       * @throws {LoktError} When the connection fails or the command times out.
       */
      async command(...args) {
        const [reply] = await this.pipeline([
          args
        ]);
        if (reply instanceof RedisReplyError) throw reply;
        return reply;
      }
      /**
       * Sends several commands at once; their replies, in order (error replies as values).
       *
       * @param commands The commands.
       * @returns The replies.
       */
      pipeline(commands) {
        if (commands.length === 0) return Promise.resolve([]);
        if (this.#closed) {
          return Promise.reject(new LoktError(`the connection to Redis at ${this.address} is closed`));
        }
        if (this.#waiting.length === 0 && !this.#onMessage) this.#conn.ref();
        const replies = commands.map(() => new Promise((resolve2, reject) => this.#waiting.push({
          resolve: resolve2,
          reject
        })));
        const bytes = concat(commands.map(encodeCommand));
        this.#write(bytes).catch((err) => this.#fail(err));
        const timeoutMs = this.#target.commandTimeoutMs ?? 5e3;
        let timer;
        const timeout = new Promise((_, reject) => {
          timer = setTimeout(() => {
            const err = new LoktError(`Redis at ${this.address} did not answer within ${timeoutMs} ms`);
            this.#fail(err);
            reject(err);
          }, timeoutMs);
        });
        return Promise.race([
          Promise.all(replies),
          timeout
        ]).finally(() => clearTimeout(timer));
      }
      /**
       * Runs a Lua script by its SHA1, loading it when the server does not know it.
       *
       * @param script The script.
       * @param keys Its keys.
       * @param args Its arguments.
       * @returns The script's reply.
       */
      async evalScript(script, keys, args) {
        const sha = await script.sha();
        const [reply] = await this.pipeline([
          [
            "EVALSHA",
            sha,
            keys.length,
            ...keys,
            ...args
          ]
        ]);
        if (reply instanceof RedisReplyError && reply.message.includes("NOSCRIPT")) {
          return await this.command("EVAL", script.source, keys.length, ...keys, ...args);
        }
        if (reply instanceof RedisReplyError) throw reply;
        return reply;
      }
      /**
       * Turns this connection into a subscriber: `onMessage` gets every message
       * of the channels (the connection is then used for nothing else).
       *
       * @param channels The channels.
       * @param onMessage Called with channel and message.
       */
      async subscribe(channels, onMessage) {
        this.#onMessage = onMessage;
        await this.#write(encodeCommand([
          "SUBSCRIBE",
          ...channels
        ]));
      }
      /** Closes the connection. */
      close() {
        if (this.#closed) return;
        this.#closed = true;
        try {
          this.#conn.close();
        } catch {
        }
        for (const w of this.#waiting.splice(0)) {
          w.reject(new LoktError(`the connection to Redis at ${this.address} was closed`));
        }
      }
      async #write(bytes) {
        let done = 0;
        while (done < bytes.length) done += await this.#conn.write(bytes.subarray(done));
      }
      #fail(err) {
        const error = err instanceof LoktError ? err : new LoktError(`Redis at ${this.address}: ${err instanceof Error ? err.message : String(err)}`);
        for (const w of this.#waiting.splice(0)) w.reject(error);
        this.close();
      }
      async #readLoop() {
        const buffer = new Uint8Array(64 * 1024);
        try {
          for (; ; ) {
            const n = await this.#conn.read(buffer);
            if (n === null) break;
            this.#parser.feed(buffer.subarray(0, n));
            for (let reply = this.#parser.next(); reply !== void 0; reply = this.#parser.next()) {
              this.#deliver(reply);
            }
          }
        } catch (err) {
          if (!this.#closed) this.#fail(err);
          return;
        }
        if (!this.#closed) this.#fail(new LoktError(`Redis at ${this.address} closed the connection`));
      }
      #deliver(reply) {
        if (this.#onMessage && Array.isArray(reply) && reply[0] === "message") {
          this.#onMessage(String(reply[1]), String(reply[2]));
          return;
        }
        if (this.#onMessage && Array.isArray(reply) && reply[0] === "subscribe") return;
        this.#waiting.shift()?.resolve(reply);
        if (this.#waiting.length === 0 && !this.#closed) this.#conn.unref();
      }
    };
  }
});

// lib/store/redis_scripts.ts
var NOW_MS, WRITE, REMOVE, FENCE, ENQUEUE, TOUCH;
var init_redis_scripts = __esm({
  "lib/store/redis_scripts.ts"() {
    init_redis_client();
    NOW_MS = `local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
`;
    WRITE = new Script(`
local current = redis.call('HGET', KEYS[1], 'n')
if ARGV[1] == '' then
  if current then return 0 end
elseif current ~= ARGV[1] then
  return 0
end
${NOW_MS}local version = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[1], 'v', ARGV[2], 't', ms, 'n', version)
redis.call('SADD', KEYS[2], ARGV[3])
for i = 6, #ARGV do
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'e', ARGV[i])
end
redis.call('PUBLISH', ARGV[4], 'w')
return 1
`);
    REMOVE = new Script(`
if redis.call('HGET', KEYS[1], 'n') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[2])
for i = 5, #ARGV do
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*', 'e', ARGV[i])
end
redis.call('PUBLISH', ARGV[3], 'r')
return 1
`);
    FENCE = new Script(`
local f = redis.call('INCR', KEYS[1])
local floor = tonumber(ARGV[1])
if f <= floor then
  f = floor + 1
  redis.call('SET', KEYS[1], f)
end
return f
`);
    ENQUEUE = new Script(`
local id = string.format('%020d', redis.call('INCR', KEYS[1]))
${NOW_MS}redis.call('HSET', KEYS[2], id, ms .. ' ' .. ARGV[1])
return id
`);
    TOUCH = new Script(`
local value = redis.call('HGET', KEYS[1], ARGV[1])
if not value then return 0 end
${NOW_MS}local space = string.find(value, ' ')
redis.call('HSET', KEYS[1], ARGV[1], ms .. string.sub(value, space))
return 1
`);
  }
});

// lib/store/redis_watcher.ts
var RedisWatcher;
var init_redis_watcher = __esm({
  "lib/store/redis_watcher.ts"() {
    init_redis_client();
    RedisWatcher = class {
      #ready;
      #fired = false;
      #wake = null;
      #onClose;
      /**
       * Subscribes; messages that arrive before `changed()` is asked count.
       *
       * @param target The server.
       * @param channel The channel.
       * @param onClose Called when the watcher is closed.
       */
      constructor(target, channel, onClose) {
        this.#onClose = onClose;
        this.#ready = RedisClient.connect(target).then(async (client) => {
          await client.subscribe([
            channel
          ], () => {
            this.#fired = true;
            this.#wake?.();
          });
          return client;
        }).catch(() => null);
      }
      /**
       * Resolves `true` on a message, `false` after `timeoutMs` or an abort.
       *
       * @param timeoutMs The longest wait.
       * @param signal Aborts the wait.
       * @returns Whether something changed.
       */
      async changed(timeoutMs, signal) {
        await this.#ready;
        if (this.#fired) {
          this.#fired = false;
          return true;
        }
        return await new Promise((resolve2) => {
          const done = (value) => {
            clearTimeout(timer);
            signal?.removeEventListener("abort", abort);
            this.#wake = null;
            this.#fired = false;
            resolve2(value);
          };
          const abort = () => done(false);
          const timer = setTimeout(() => done(false), timeoutMs);
          signal?.addEventListener("abort", abort, {
            once: true
          });
          this.#wake = () => done(true);
        });
      }
      /** Stops watching. */
      close() {
        this.#ready.then((c) => c?.close());
        this.#onClose();
      }
    };
  }
});

// lib/store/redis_store.ts
var redis_store_exports = {};
__export(redis_store_exports, {
  DEFAULT_AUDIT_MAX_LENGTH: () => DEFAULT_AUDIT_MAX_LENGTH,
  RedisStore: () => RedisStore
});
var DEFAULT_AUDIT_MAX_LENGTH, RedisStore;
var init_redis_store = __esm({
  "lib/store/redis_store.ts"() {
    init_audit_event();
    init_redis_client();
    init_redis_scripts();
    init_redis_watcher();
    init_lock_store();
    DEFAULT_AUDIT_MAX_LENGTH = 1e6;
    RedisStore = class {
      /** Where the state lives, for messages: `redis://host:port` and the namespace (no credentials). */
      location;
      #target;
      #prefix;
      #maxlen;
      #client = null;
      #watchers = /* @__PURE__ */ new Set();
      #offset = 0;
      /**
       * Creates a store; it connects on first use.
       *
       * @param target The server.
       * @param options The namespace and the audit bound.
       */
      constructor(target, options) {
        this.#target = target;
        this.#prefix = `lokt:{${options.namespace}}`;
        this.#maxlen = options.auditMaxLength ?? DEFAULT_AUDIT_MAX_LENGTH;
        this.location = `${target.tls ? "rediss" : "redis"}://${target.host}:${target.port}/${target.db ?? 0} namespace ${options.namespace}`;
      }
      /** The key of the audit stream. */
      get auditKey() {
        return `${this.#prefix}:audit`;
      }
      /** The server's clock minus this process's, once connected (else 0). */
      get clockOffsetMs() {
        return this.#offset;
      }
      /** A new connection of its own (for blocking reads), closed by the caller. */
      connectAnother() {
        return RedisClient.connect(this.#target);
      }
      /** The connection, opened on first use, and again after it failed (a long-lived guard survives a blip). */
      async client() {
        if (this.#client) {
          try {
            const current = await this.#client;
            if (!current.closed) return current;
          } catch {
          }
        }
        this.#client = RedisClient.connect(this.#target);
        const client = await this.#client;
        this.#offset = client.offsetMs;
        return client;
      }
      async read(kind, name) {
        const reply = await (await this.client()).command("HMGET", this.#entry(kind, name), "v", "t", "n");
        const [v, t, n] = reply;
        if (v === null || v === void 0 || n === null) return null;
        return {
          raw: v,
          problem: null,
          mtimeMs: Number(t),
          token: String(n)
        };
      }
      createIfAbsent(kind, name, produce, options) {
        return this.#write(kind, name, "", null, produce, options);
      }
      async compareAndReplace(kind, name, token, produce, options) {
        const current = options.freshFence ? await this.read(kind, name) : null;
        return await this.#write(kind, name, token, current, produce, options);
      }
      async compareAndRemove(kind, name, token, audit) {
        const client = await this.client();
        const reply = await client.evalScript(REMOVE, [
          this.#entry(kind, name),
          this.#index(kind),
          this.auditKey
        ], [
          token,
          name,
          this.#channel(kind, name),
          this.#maxlen,
          ...audit.map(encodeEvent)
        ]);
        return reply === 1;
      }
      async list(kind) {
        const names = await (await this.client()).command("SMEMBERS", this.#index(kind));
        return names.sort();
      }
      watch(target) {
        const channel = target.kind === "ticket" ? `${this.#prefix}:ch:ticket:${target.name}:${target.id}` : target.kind === "reservations" ? this.#channel("reservations", "_index") : this.#channel("lock", target.name);
        const watcher = new RedisWatcher(this.#target, channel, () => this.#watchers.delete(watcher));
        this.#watchers.add(watcher);
        return watcher;
      }
      async enqueue(name, content) {
        const client = await this.client();
        const id = await client.evalScript(ENQUEUE, [
          `${this.#prefix}:tq:${name}`,
          `${this.#prefix}:q:${name}`
        ], [
          content
        ]);
        return String(id);
      }
      async queue(name) {
        const flat = await (await this.client()).command("HGETALL", `${this.#prefix}:q:${name}`);
        const tickets = [];
        for (let i = 0; i + 1 < flat.length; i += 2) {
          const value = flat[i + 1];
          const space = value.indexOf(" ");
          tickets.push({
            id: flat[i],
            raw: value.slice(space + 1),
            mtimeMs: Number(value.slice(0, space))
          });
        }
        return tickets.sort((a, b) => a.id < b.id ? -1 : 1);
      }
      async dequeue(name, id) {
        await (await this.client()).pipeline([
          [
            "HDEL",
            `${this.#prefix}:q:${name}`,
            id
          ],
          [
            "PUBLISH",
            `${this.#prefix}:ch:ticket:${name}:${id}`,
            "d"
          ]
        ]);
      }
      async touch(name, id) {
        await (await this.client()).evalScript(TOUCH, [
          `${this.#prefix}:q:${name}`
        ], [
          id
        ]);
      }
      async appendAudit(events2) {
        if (events2.length === 0) return;
        try {
          await (await this.client()).pipeline(events2.map((e) => [
            "XADD",
            this.auditKey,
            "MAXLEN",
            "~",
            this.#maxlen,
            "*",
            "e",
            encodeEvent(e)
          ]));
        } catch (err) {
          console.error(`warning: cannot write audit trail: ${err.message}`);
        }
      }
      /** Closes the connections (the store reconnects on next use). */
      close() {
        for (const w of this.#watchers) w.close();
        const client = this.#client;
        this.#client = null;
        client?.then((c) => c.close(), () => {
        });
      }
      async #write(kind, name, token, current, produce, options) {
        const client = await this.client();
        let fence = 0;
        if (options.freshFence) {
          const floor = fenceIn(current);
          fence = Number(await client.evalScript(FENCE, [
            `${this.#prefix}:fence:${name}`
          ], [
            floor
          ]));
        }
        const produced = produce(fence);
        const reply = await client.evalScript(WRITE, [
          this.#entry(kind, name),
          this.#index(kind),
          this.auditKey,
          `${this.#prefix}:ver:${kind}:${name}`
        ], [
          token,
          produced.content,
          name,
          this.#channel(kind, name),
          this.#maxlen,
          ...produced.audit.map(encodeEvent)
        ]);
        return reply === 1;
      }
      #entry(kind, name) {
        return `${this.#prefix}:e:${kind}:${name}`;
      }
      #index(kind) {
        return `${this.#prefix}:idx:${kind}`;
      }
      /** Locks and freezes of a name share one channel: a waiter watches both. */
      #channel(kind, name) {
        return `${this.#prefix}:ch:${kind === "freeze" ? "lock" : kind}:${name}`;
      }
    };
  }
});

// lib/core/context.ts
function openContext(options = {}) {
  const cwd = options.cwd ?? Deno.cwd();
  const rootInfo = options.root !== void 0 ? findRoot({
    cwd,
    envRoot: options.root
  }) : findRoot({
    cwd
  });
  if (options.write) requirePermissions({
    base: false,
    writeRoot: rootInfo.root,
    run: null
  });
  let identity = options.owner === void 0 ? withSession(currentIdentity(), rootInfo.root) : currentIdentity();
  if (options.owner !== void 0) {
    const problem = identityValueProblem(options.owner, "owner");
    if (problem) throw new UsageError(problem);
    identity = {
      ...identity,
      owner: options.owner,
      ownerSource: "option",
      ownerGuessed: false
    };
  }
  const backend = backendOf(rootInfo, cwd, options.lenientConfig ?? false);
  const shared = backend.kind === "redis" ? redisStore(backend, rootInfo) : null;
  return {
    rootInfo,
    cwd,
    backend,
    store: shared ?? new FileStore(rootInfo.root, {
      auditMaxBytes: auditMaxBytes(),
      // Outside any repository and below no .lokt, a new namespace starts here: say so.
      onCreateRoot: rootInfo.source === "cwd" ? (root) => console.error(`note: created ${root} (not in a git repository, no .lokt above): lokt calls from ${cwd} and below share it`) : void 0
    }),
    identity,
    // On a shared server its clock judges expiry, not this machine's.
    now: shared ? () => shared.now() : Date.now
  };
}
function redisStore(backend, info) {
  const namespace = namespaceOf(info);
  return new DeferredStore(`${backend.display} namespace ${namespace}`, async () => {
    const { RedisStore: RedisStore2 } = await Promise.resolve().then(() => (init_redis_store(), redis_store_exports));
    const max = Number(Deno.env.get("LOKT_AUDIT_MAX_EVENTS"));
    const auditMaxLength = Number.isSafeInteger(max) && max > 0 ? max : void 0;
    return new RedisStore2(backend, {
      namespace,
      auditMaxLength
    });
  });
}
var init_context = __esm({
  "lib/core/context.ts"() {
    init_errors();
    init_file_store();
    init_deferred_store();
    init_backend();
    init_backend_choice();
    init_layout();
    init_identity_value();
    init_identity();
    init_session_identity();
    init_permissions();
    init_root();
  }
});

// lib/model/record_errors.ts
var NotStaleError, CorruptRecordError, LockLostError;
var init_record_errors = __esm({
  "lib/model/record_errors.ts"() {
    init_duration_format();
    init_errors();
    NotStaleError = class extends LoktError {
      /**
       * Creates a not-stale error.
       *
       * @param lockName The lock.
       * @param why A newer lokt's record, a corrupt record still in its grace
       * period, or a live holder (with the denial it would get).
       */
      constructor(lockName, why) {
        super(why.kind === "newer" ? `lock "${lockName}" has a record of a newer lokt, which this one cannot judge; upgrade lokt, or a person may remove it with 'lokt unlock ${lockName} --force' (break-glass)` : why.kind === "young-corrupt" ? `lock "${lockName}" has a corrupt record that may still be being written; retry 'lokt unlock ${lockName} --break-stale' in ${formatDuration(why.retryInMs)}` : `${why.held.message} \u2014 it is not stale: wait for it with 'lokt lock ${lockName} --wait', or ask its holder`, ExitCode.Error);
        this.name = "NotStaleError";
      }
    };
    CorruptRecordError = class extends LoktError {
      /**
       * Creates the error.
       *
       * @param lockName The lock.
       * @param corruption What is wrong with its record.
       */
      constructor(lockName, corruption) {
        super(`lock "${lockName}" has a corrupt record (${corruption}); 'lokt unlock ${lockName} --break-stale' removes it once it has been left unchanged for a few seconds; run 'lokt why ${lockName}'`);
        this.name = "CorruptRecordError";
      }
    };
    LockLostError = class extends LoktError {
      /** The lock that was lost. */
      lockName;
      /**
       * Creates a lost error.
       *
       * @param lockName The lock name.
       * @param current Whose record is there now (`null`: none, or unreadable).
       * @param unrenewable Why it could not be renewed before it expires, when that is the loss.
       */
      constructor(lockName, current, unrenewable) {
        super(unrenewable !== void 0 ? `lock "${lockName}" is given up: it could not be renewed before it expires (${unrenewable})` : current ? `lock "${lockName}" was lost: it is now held by ${current.owner} (pid ${current.pid})` : `lock "${lockName}" was lost: its record was removed or broken`);
        this.name = "LockLostError";
        this.lockName = lockName;
      }
    };
  }
});

// lib/model/freeze_record.ts
function parseFreezeRecord(raw) {
  const v = parseObject(raw);
  if (!v) return null;
  const ok = v.version === 1 && typeof v.name === "string" && typeof v.owner === "string" && typeof v.agent_id === "string" && typeof v.host === "string" && typeof v.pid === "number" && isTime(v.frozen_at) && typeof v.ttl_ms === "number" && isTime(v.expires_at) && (v.reason === null || typeof v.reason === "string");
  return ok ? v : null;
}
var init_freeze_record = __esm({
  "lib/model/freeze_record.ts"() {
    init_lock_record();
  }
});

// lib/core/freeze_ops.ts
function judgeFreeze(name, entry, now) {
  const record = entry.raw === null ? null : parseFreezeRecord(entry.raw);
  if (!record || record.name.toLowerCase() !== name.toLowerCase()) {
    return {
      name,
      record: null,
      active: false,
      expiresInMs: null,
      corruption: entry.problem ?? "not a valid freeze record"
    };
  }
  const left = Date.parse(record.expires_at) - now;
  return {
    name,
    record,
    active: left > 0,
    expiresInMs: left,
    corruption: null
  };
}
async function inspectFreeze(ctx, name) {
  const entry = await ctx.store.read("freeze", name);
  return entry ? judgeFreeze(name, entry, ctx.now()) : null;
}
async function activeFreeze(ctx, name) {
  const state = await inspectFreeze(ctx, name);
  return state?.active ? state.record : null;
}
async function listFreezes(ctx) {
  const states = [];
  for (const name of await ctx.store.list("freeze")) {
    const state = await inspectFreeze(ctx, name);
    if (state) states.push(state);
  }
  return states;
}
async function setFreeze(ctx, name, ttlMs, reason) {
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const entry = await ctx.store.read("freeze", name);
    const state = entry ? judgeFreeze(name, entry, ctx.now()) : null;
    const current = state?.record ?? null;
    if (state?.active && current && current.owner !== ctx.identity.owner) {
      throw new FrozenError(name, current, state.expiresInMs ?? 0, "freeze");
    }
    const extended = Boolean(state?.active && current);
    let written = null;
    const produce = () => {
      const now = ctx.now();
      const record = {
        version: 1,
        name,
        owner: ctx.identity.owner,
        agent_id: ctx.identity.agentId,
        host: ctx.identity.host,
        pid: ctx.identity.pid,
        frozen_at: isoTime(now),
        ttl_ms: ttlMs,
        expires_at: isoTime(now + ttlMs),
        reason: reason ?? (extended ? current?.reason ?? null : null)
      };
      written = record;
      return {
        content: encodeRecord(record),
        audit: [
          makeEvent("freeze", name, ctx.identity, {
            ttl_ms: ttlMs,
            reason: record.reason,
            detail: {
              extended,
              expires_at: record.expires_at
            }
          }, now)
        ]
      };
    };
    const ok = entry ? await ctx.store.compareAndReplace("freeze", name, entry.token, produce, {
      freshFence: false
    }) : await ctx.store.createIfAbsent("freeze", name, produce, {
      freshFence: false
    });
    if (ok && written) return {
      record: written,
      extended
    };
  }
  throw new ContentionError("freeze", name);
}
async function liftFreeze(ctx, name, force) {
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const entry = await ctx.store.read("freeze", name);
    const state = entry ? judgeFreeze(name, entry, ctx.now()) : null;
    if (!entry || !state || !state.active && !(state.corruption && force)) {
      throw new NotFoundError("freeze", name);
    }
    const record = state.record;
    const mine = record?.owner === ctx.identity.owner;
    if (!mine && !force) {
      throw new NotOwnerError("freeze", name, record?.owner ?? null, ctx.identity.owner);
    }
    const event = mine ? "unfreeze" : "force-unfreeze";
    const ok = await ctx.store.compareAndRemove("freeze", name, entry.token, [
      makeEvent(event, name, ctx.identity, {
        reason: record?.reason,
        detail: {
          frozen_by: record?.owner ?? null,
          corrupt: state.corruption
        }
      }, ctx.now())
    ]);
    if (ok) return {
      record,
      event
    };
  }
  throw new ContentionError("unfreeze", name);
}
var init_freeze_ops = __esm({
  "lib/core/freeze_ops.ts"() {
    init_audit_event();
    init_defaults();
    init_errors();
    init_lock_errors();
    init_freeze_record();
    init_lock_record();
    init_iso_time();
  }
});

// lib/model/mode_errors.ts
function describeMode(ask) {
  if (ask.mode === "slots") return `a semaphore of ${ask.slots} slots`;
  return ask.mode === "shared" ? "a shared lock" : "an exclusive lock";
}
function mismatchMessage(name, held, asked, own) {
  const flag = (ask) => ask.mode === "slots" ? `--slots ${ask.slots}` : ask.mode === "shared" ? "--shared" : "no flag";
  if (own) {
    return `your hold of "${name}" is ${describeMode(held)}; asking for it again as ${describeMode(asked)} is not allowed: unlock "${name}" first, then lock it again (or ask with ${flag(held)})`;
  }
  if (held.mode === "slots" && asked.mode === "slots") {
    return `lock "${name}" is held as a semaphore of ${held.slots} slots; you asked for ${asked.slots} slots: every holder of a semaphore must ask for the same number of slots (${held.slots} vs ${asked.slots}); ask with --slots ${held.slots}`;
  }
  if (held.mode === "slots") {
    return `lock "${name}" is held as a semaphore of ${held.slots} slots; you asked for ${describeMode(asked)}: a semaphore is joined only with --slots ${held.slots}`;
  }
  return `lock "${name}" is held as ${describeMode(held)} (without --slots); you asked for ${describeMode(asked)}: a name held without --slots cannot be joined with it; ask without --slots`;
}
var ModeMismatchError;
var init_mode_errors = __esm({
  "lib/model/mode_errors.ts"() {
    init_errors();
    ModeMismatchError = class extends LoktError {
      /** The name. */
      lockName;
      /** How it is held. */
      held;
      /** How it was asked for. */
      asked;
      /**
       * Creates the error.
       *
       * @param lockName The name.
       * @param held How its current holders (or the caller's own hold) hold it.
       * @param asked How the caller asked for it.
       * @param own `true` when it is the caller's own hold that is asked for again.
       */
      constructor(lockName, held, asked, own = false) {
        super(mismatchMessage(lockName, held, asked, own), ExitCode.Usage);
        this.name = "ModeMismatchError";
        this.lockName = lockName;
        this.held = held;
        this.asked = asked;
      }
    };
  }
});

// lib/core/group_decisions.ts
function decideGroupAcquire(state, ask, hold, inherited) {
  const live = state.holds.filter((h) => h.status === "held");
  const held = {
    mode: state.mode,
    slots: state.slots
  };
  if (ask.mode === "slots" !== (held.mode === "slots") || ask.mode === "slots" && ask.slots !== held.slots) {
    throw new ModeMismatchError(state.name, held, ask);
  }
  const passed = live.find((h) => h.record.lock_id === inherited);
  if (passed) {
    if (ask.mode === "exclusive") return deny(state, {
      kind: "upgrade",
      via: "inherited"
    });
    return {
      kind: "nested",
      record: passed.record
    };
  }
  const own = live.find((h) => h.mine && h.record.hold === "owner");
  if (own) {
    if (hold === "owner") {
      if (ask.mode !== held.mode) throw new ModeMismatchError(state.name, held, ask, true);
      return {
        kind: "renew",
        record: own.record
      };
    }
    if (ask.mode === "exclusive") return deny(state, {
      kind: "upgrade",
      via: "owner"
    });
    return {
      kind: "nested",
      record: own.record
    };
  }
  if (ask.mode === "shared") return {
    kind: "join"
  };
  if (ask.mode === "slots" && live.length < held.slots) return {
    kind: "join"
  };
  return deny(state, fullDetail(state));
}
function fullDetail(state) {
  const live = state.holds.filter((h) => h.status === "held");
  const expiries = live.flatMap((h) => h.expiresInMs === null ? [] : [
    h.expiresInMs
  ]);
  return {
    kind: "full",
    mode: state.mode === "slots" ? "slots" : "shared",
    slots: state.slots,
    owners: live.map((h) => h.record.owner),
    expiresInMs: expiries.length > 0 ? Math.min(...expiries) : null
  };
}
function deny(state, detail2) {
  return {
    kind: "deny",
    error: new LockHeldError(state.name, null, detail2)
  };
}
function decideGroupRelease(state, you, lockId, inherited = null) {
  if (lockId !== void 0) {
    const hold = state.holds.find((h) => h.record.lock_id === lockId);
    if (!hold) throw new LockLostError(state.name, null);
    return hold;
  }
  const passed = state.holds.find((h) => h.record.lock_id === inherited && h.status === "held");
  if (passed) throw new NotOwnerError("inherited", state.name, String(passed.record.pid), you);
  const own = state.holds.find((h) => h.mine && (h.record.hold === "owner" || h.status !== "held"));
  if (own) return own;
  const instance = state.holds.find((h) => h.mine && h.status === "held");
  if (instance) throw new NotOwnerError("instance", state.name, String(instance.record.pid), you);
  const owners = [
    ...new Set(state.holds.map((h) => h.record.owner))
  ].join(", ");
  throw new NotOwnerError("lock", state.name, owners, you);
}
var init_group_decisions = __esm({
  "lib/core/group_decisions.ts"() {
    init_lock_errors();
    init_record_errors();
    init_mode_errors();
  }
});

// lib/core/hold_judge.ts
function judgeHold(record, writtenAtMs, sharedFile, identity, now, probes = SYSTEM_PROBES) {
  const acquiredAt = Date.parse(record.acquired_at);
  const expiry = effectiveExpiry(record, writtenAtMs, sharedFile, now);
  let clockSkew = null;
  if (Date.parse(record.renewed_at) > now + SKEW_MS) {
    clockSkew = `renewed_at ${record.renewed_at} is in the future; expiry judged from the file time`;
  } else if (acquiredAt > now + SKEW_MS) {
    clockSkew = `acquired_at ${record.acquired_at} is in the future`;
  }
  const hold = {
    record,
    status: "held",
    liveness: record.liveness === "ttl" ? "ttl-only" : record.machine_id !== identity.machineId ? "unknown-host" : probes.process(record.pid, record.pid_start),
    mine: record.owner === identity.owner,
    ageMs: now - acquiredAt,
    expiresInMs: expiry === null ? null : expiry - now,
    clockSkew
  };
  if (hold.liveness === "dead" && record.pgid !== null && probes.group(record.pgid) !== "dead") {
    hold.liveness = "orphaned";
  } else if (hold.liveness === "dead") {
    hold.status = "dead";
  } else if (expiry !== null && now > expiry + SKEW_MS) {
    hold.status = "expired";
  }
  return hold;
}
function effectiveExpiry(record, writtenAtMs, sharedFile, now) {
  if (record.ttl_ms === null || record.expires_at === null) return null;
  const byFile = writtenAtMs + record.ttl_ms;
  if (Date.parse(record.renewed_at) > now + SKEW_MS) return byFile;
  const byRecord = Date.parse(record.expires_at);
  return sharedFile ? byRecord : Math.max(byRecord, byFile);
}
var SYSTEM_PROBES;
var init_hold_judge = __esm({
  "lib/core/hold_judge.ts"() {
    init_defaults();
    init_liveness();
    SYSTEM_PROBES = {
      process: probeProcess,
      group: probeGroup
    };
  }
});

// lib/core/judge.ts
function judge(name, entry, identity, now, probes = SYSTEM_PROBES) {
  const state = {
    name,
    status: "free",
    record: null,
    entry,
    liveness: null,
    mine: false,
    ageMs: null,
    expiresInMs: null,
    clockSkew: null,
    corruption: null,
    graceLeftMs: null,
    mode: "exclusive",
    slots: null,
    holds: []
  };
  if (!entry) return state;
  const value = entry.raw === null ? null : parseObject(entry.raw);
  const group = value && isGroupDocument(value) ? groupOf(value) : null;
  if (group && group.name.toLowerCase() === name.toLowerCase()) {
    return judgeGroup(state, group, entry, identity, now, probes);
  }
  const record = value && !isGroupDocument(value) ? recordOf(value) : null;
  if (!record || record.name.toLowerCase() !== name.toLowerCase()) {
    state.status = "corrupt";
    const newer = newerVersion(value);
    if (newer !== null) {
      state.corruption = `written by a newer lokt (record version ${newer}); only 'lokt unlock ${name} --force' removes it`;
      return state;
    }
    const named = record ?? group;
    state.corruption = entry.problem ?? (named ? `names another lock (${JSON.stringify(named.name)})` : corruptionOf(entry.raw ?? ""));
    state.graceLeftMs = Math.max(0, entry.mtimeMs + CORRUPT_GRACE_MS - now);
    return state;
  }
  const hold = judgeHold(record, entry.mtimeMs, false, identity, now, probes);
  return {
    ...state,
    status: hold.status,
    record,
    liveness: hold.liveness,
    mine: hold.mine,
    ageMs: hold.ageMs,
    expiresInMs: hold.expiresInMs,
    clockSkew: hold.clockSkew,
    holds: [
      hold
    ]
  };
}
function judgeGroup(state, group, entry, identity, now, probes) {
  const holds = group.holders.map((r) => judgeHold(r, entry.mtimeMs, true, identity, now, probes));
  const live = holds.filter((h) => h.status === "held");
  const expiries = live.flatMap((h) => h.expiresInMs === null ? [] : [
    h.expiresInMs
  ]);
  return {
    ...state,
    status: live.length > 0 ? "held" : holds.some((h) => h.status === "expired") ? "expired" : "dead",
    mine: live.some((h) => h.mine),
    ageMs: live.length > 0 ? Math.max(...live.map((h) => h.ageMs)) : null,
    expiresInMs: expiries.length > 0 && expiries.length === live.length ? Math.min(...expiries) : null,
    clockSkew: holds.find((h) => h.clockSkew !== null)?.clockSkew ?? null,
    mode: group.mode,
    slots: group.slots,
    holds
  };
}
function newerVersion(value) {
  const version = value?.version;
  return typeof version === "number" && version > KNOWN_VERSION ? version : null;
}
function corruptionOf(raw) {
  if (raw.trim() === "") return "empty record";
  try {
    JSON.parse(raw);
    return "not a valid lock record (wrong schema or version)";
  } catch {
    return "not valid JSON (truncated or garbage)";
  }
}
function replaceableIn(state) {
  if (state.graceLeftMs === null) return "never automatically";
  return state.graceLeftMs === 0 ? "now" : `in ${formatDuration(state.graceLeftMs)}`;
}
var init_judge = __esm({
  "lib/core/judge.ts"() {
    init_defaults();
    init_duration_format();
    init_lock_group();
    init_lock_record();
    init_hold_judge();
  }
});

// lib/core/decisions.ts
function decideAcquire(state, claim = {
  hold: "owner",
  inherited: null
}) {
  if (state.status === "free") return {
    kind: "create"
  };
  const ask = {
    mode: claim.mode ?? "exclusive",
    slots: claim.slots ?? null
  };
  if (state.mode !== "exclusive" && state.status === "held") {
    return decideGroupAcquire(state, ask, claim.hold, claim.inherited);
  }
  const record = state.record;
  if (state.status === "held" && record) {
    if (ask.mode === "slots") throw new ModeMismatchError(state.name, EXCLUSIVE_HELD, ask);
    if (claim.inherited === record.lock_id) return {
      kind: "nested",
      record
    };
    if (state.mine && record.hold === "owner") {
      if (claim.hold === "instance") return {
        kind: "nested",
        record
      };
      if (ask.mode !== "exclusive") {
        throw new ModeMismatchError(state.name, EXCLUSIVE_HELD, ask, true);
      }
      return {
        kind: "renew",
        record
      };
    }
  }
  const event = staleBreak(state);
  if (event) return {
    kind: "take-over",
    event
  };
  return {
    kind: "deny",
    error: new LockHeldError(state.name, state.record, heldDetail(state))
  };
}
function heldDetail(state) {
  if (state.mode !== "exclusive") return fullDetail(state);
  if (state.mine && state.record?.hold === "instance") {
    return {
      kind: "own",
      pid: state.record.pid,
      ageMs: state.ageMs ?? 0,
      expiresInMs: state.expiresInMs
    };
  }
  if (!state.record) {
    return {
      kind: "corrupt",
      corruption: state.corruption ?? "unreadable",
      replaceableIn: replaceableIn(state)
    };
  }
  return {
    kind: "holder",
    ageMs: state.ageMs ?? 0,
    expiresInMs: state.expiresInMs
  };
}
function staleBreak(state) {
  if (state.status === "expired") return "expire-break";
  if (state.status === "dead") return "dead-break";
  if (state.status === "corrupt" && state.graceLeftMs === 0) return "corrupt-break";
  return null;
}
function decideRelease(state, you, lockId, inherited = null) {
  const record = state.record;
  if (state.status === "free") {
    if (lockId !== void 0) throw new LockLostError(state.name, null);
    throw new NotFoundError("lock", state.name);
  }
  if (state.mode !== "exclusive") return decideGroupRelease(state, you, lockId, inherited).record;
  if (!record) throw new CorruptRecordError(state.name, state.corruption ?? "unreadable");
  if (lockId !== void 0) {
    if (record.lock_id !== lockId) throw new LockLostError(state.name, record);
    return record;
  }
  if (inherited === record.lock_id) {
    throw new NotOwnerError("inherited", state.name, String(record.pid), you);
  }
  if (!state.mine) throw new NotOwnerError("lock", state.name, record.owner, you);
  if (record.hold === "instance" && state.status === "held") {
    throw new NotOwnerError("instance", state.name, String(record.pid), you);
  }
  return record;
}
function decideBreak(state, mode) {
  if (state.status === "free") throw new NotFoundError("lock", state.name);
  if (mode === "force") return "force-break";
  const stale = state.holds.find((h) => h.status !== "held");
  if (state.mode !== "exclusive" && stale) {
    return stale.status === "dead" ? "dead-break" : "expire-break";
  }
  const event = staleBreak(state);
  if (event) return event;
  if (state.status === "corrupt") {
    throw new NotStaleError(state.name, state.graceLeftMs === null ? {
      kind: "newer"
    } : {
      kind: "young-corrupt",
      retryInMs: state.graceLeftMs
    });
  }
  const held = new LockHeldError(state.name, state.record, heldDetail(state));
  throw new NotStaleError(state.name, {
    kind: "held",
    held
  });
}
function isHeld(state) {
  return state.status === "held" || state.status === "corrupt" && state.graceLeftMs !== 0;
}
var EXCLUSIVE_HELD;
var init_decisions = __esm({
  "lib/core/decisions.ts"() {
    init_lock_errors();
    init_record_errors();
    init_mode_errors();
    init_group_decisions();
    init_judge();
    EXCLUSIVE_HELD = {
      mode: "exclusive",
      slots: null
    };
  }
});

// lib/core/transitions.ts
function acquisition(state, fence, identity, spec21, now, detail2 = null) {
  const mode = spec21.mode ?? "exclusive";
  const kept = state.mode !== "exclusive" && mode === state.mode ? state.holds.filter((h) => h.status === "held").map((h) => h.record) : [];
  const used = new Set(kept.map((r) => r.slot));
  let slot = null;
  if (mode === "slots") {
    for (slot = 0; used.has(slot); slot++) ;
  }
  const record = newRecord(state.name, fence, identity, spec21, now, slot);
  const audit = replacedEvents(state, kept, identity, now);
  const took = audit[0]?.event;
  const acquired = {
    ...took ? {
      took_over: took
    } : {},
    ...detail2
  };
  audit.push(recordEvent("acquire", record, identity, now, Object.keys(acquired).length ? acquired : null));
  const content = mode === "exclusive" ? encodeRecord(record) : encodeGroup(makeGroup(state.name, mode, spec21.slots ?? null, [
    ...kept,
    record
  ]));
  return {
    record,
    content,
    audit
  };
}
function replacedEvents(state, kept, identity, now) {
  if (state.status === "free") return [];
  if (state.mode === "exclusive") {
    const event = staleBreak(state);
    return event ? [
      makeEvent(event, state.name, identity, {
        detail: breakDetail(state)
      }, now)
    ] : [];
  }
  return holdBreakEvents(state.holds.filter((h) => !kept.includes(h.record)), identity, now);
}
function holdBreakEvents(holds, identity, now, event) {
  return holds.map((h) => makeEvent(event ?? (h.status === "dead" ? "dead-break" : "expire-break"), h.record.name, identity, {
    lock_id: h.record.lock_id,
    fence: h.record.fence,
    detail: {
      ...holderDetail(h.record),
      liveness: h.liveness,
      expired_ms_ago: h.expiresInMs === null ? null : -h.expiresInMs,
      mode: h.record.mode,
      slot: h.record.slot
    }
  }, now));
}
function renewal(record, ttlMs, identity, now, options = {}) {
  const restate = options.restate;
  const renewed2 = {
    ...record,
    ...restate ? {
      liveness: restate.liveness,
      pid: restate.pid ?? identity.pid,
      pid_start: restate.pid === void 0 ? identity.pidStart : restate.pidStart ?? null
    } : {},
    renewed_at: isoTime(now),
    ttl_ms: ttlMs,
    expires_at: ttlMs === null ? null : isoTime(now + ttlMs),
    reason: options.reason ?? record.reason
  };
  const audit = options.audit === false ? [] : [
    recordEvent("renew", renewed2, identity, now)
  ];
  return {
    record: renewed2,
    content: encodeRecord(renewed2),
    audit
  };
}
function releaseEvents(record, identity, now, detail2 = null) {
  return [
    recordEvent("release", record, identity, now, detail2)
  ];
}
function breakEvents(state, event, identity, now) {
  if (state.mode !== "exclusive") return holdBreakEvents(state.holds, identity, now, event);
  return [
    makeEvent(event, state.name, identity, {
      lock_id: state.record?.lock_id,
      fence: state.record?.fence,
      detail: breakDetail(state)
    }, now)
  ];
}
function breakDetail(state) {
  if (state.record) {
    return {
      ...holderDetail(state.record),
      liveness: state.liveness,
      expired_ms_ago: state.expiresInMs === null ? null : -state.expiresInMs
    };
  }
  return {
    corrupt: state.corruption
  };
}
var init_transitions = __esm({
  "lib/core/transitions.ts"() {
    init_audit_event();
    init_lock_group();
    init_lock_record();
    init_decisions();
    init_iso_time();
  }
});

// lib/core/group_transitions.ts
function contentOf(state, holds) {
  if (holds.length === 0) return null;
  if (state.mode === "exclusive") return encodeRecord(holds[0]);
  return encodeGroup(makeGroup(state.name, state.mode, state.slots, holds));
}
function withUpdated(state, updated) {
  const holds = state.holds.map((h) => h.record.lock_id === updated.lock_id ? updated : h.record);
  return contentOf(state, holds);
}
function departure(state, record, identity, now, detail2 = null) {
  const rest = state.holds.map((h) => h.record).filter((r) => r.lock_id !== record.lock_id);
  return {
    content: contentOf(state, rest),
    audit: releaseEvents(record, identity, now, detail2)
  };
}
function staleRemoval(state, identity, now) {
  const stale = state.holds.filter((h) => h.status !== "held");
  const live = state.holds.filter((h) => h.status === "held").map((h) => h.record);
  return {
    content: contentOf(state, live),
    audit: holdBreakEvents(stale, identity, now)
  };
}
var init_group_transitions = __esm({
  "lib/core/group_transitions.ts"() {
    init_lock_group();
    init_lock_record();
    init_transitions();
  }
});

// lib/core/engine.ts
async function inspectLock(ctx, name) {
  return judge(name, await ctx.store.read("lock", name), ctx.identity, ctx.now());
}
async function tryAcquire(ctx, name, spec21) {
  const { store, identity } = ctx;
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const freeze = await activeFreeze(ctx, name);
    if (freeze) {
      if (!spec21.quietDeny) {
        await store.appendAudit([
          makeEvent("freeze-deny", name, identity, {
            reason: spec21.reason,
            detail: {
              frozen_by: freeze.owner,
              freeze_reason: freeze.reason
            }
          }, ctx.now())
        ]);
      }
      throw new FrozenError(name, freeze, Date.parse(freeze.expires_at) - ctx.now());
    }
    const state = await inspectLock(ctx, name);
    const action = decideAcquire(state, claimOf(spec21));
    if (action.kind === "nested") return {
      record: action.record,
      outcome: "nested",
      broke: null
    };
    let written = null;
    let wrote = false;
    if (action.kind === "deny") {
      if (!spec21.quietDeny) await store.appendAudit([
        denyEvent(ctx, state, spec21)
      ]);
      throw action.error;
    } else if (action.kind === "create") {
      wrote = await store.createIfAbsent("lock", name, (fence) => {
        written = acquisition(state, fence, identity, spec21, ctx.now(), spec21.acquireDetail);
        return written;
      }, {
        freshFence: true
      });
    } else if (action.kind === "renew") {
      wrote = await store.compareAndReplace("lock", name, state.entry.token, () => {
        const renewed2 = renewal(action.record, spec21.ttlMs, identity, ctx.now(), {
          reason: spec21.reason,
          restate: spec21
        });
        written = {
          ...renewed2,
          content: withUpdated(state, renewed2.record)
        };
        return written;
      }, {
        freshFence: false
      });
    } else {
      wrote = await store.compareAndReplace("lock", name, state.entry.token, (fence) => {
        written = acquisition(state, fence, identity, spec21, ctx.now(), spec21.acquireDetail);
        return written;
      }, {
        freshFence: true
      });
    }
    const done = written;
    if (wrote && done) {
      return {
        record: done.record,
        outcome: action.kind === "renew" ? "renewed" : "acquired",
        broke: action.kind === "take-over" ? {
          event: action.event,
          previous: state.record
        } : null
      };
    }
  }
  throw new ContentionError("acquire", name);
}
function claimOf(spec21) {
  return {
    hold: spec21.hold ?? (spec21.liveness === "ttl" ? "owner" : "instance"),
    inherited: spec21.inherited ?? null,
    mode: spec21.mode,
    slots: spec21.slots
  };
}
function denyEvent(ctx, state, spec21) {
  return makeEvent("deny", state.name, ctx.identity, {
    reason: spec21.reason,
    detail: state.record ? holderDetail(state.record, "holder") : state.mode !== "exclusive" ? {
      mode: state.mode,
      slots: state.slots,
      holder_owners: state.holds.filter((h) => h.status === "held").map((h) => h.record.owner)
    } : {
      corrupt: state.corruption
    }
  }, ctx.now());
}
async function renewLock(ctx, name, lockId, options) {
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const state = await inspectLock(ctx, name);
    const record = state.holds.find((h) => h.record.lock_id === lockId)?.record;
    if (!state.entry || !record) throw new LockLostError(name, state.record);
    let renewed2 = null;
    const ok = await ctx.store.compareAndReplace("lock", name, state.entry.token, () => {
      const next = renewal(record, options.ttlMs, ctx.identity, ctx.now(), {
        audit: options.audit
      });
      renewed2 = {
        ...next,
        content: withUpdated(state, next.record)
      };
      return renewed2;
    }, {
      freshFence: false
    });
    const done = renewed2;
    if (ok && done) return done.record;
  }
  throw new ContentionError("renew", name);
}
async function releaseLock(ctx, name, options = {}) {
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const state = await inspectLock(ctx, name);
    const record = decideRelease(state, ctx.identity.owner, options.lockId, options.inherited);
    const change = departure(state, record, ctx.identity, ctx.now(), options.detail ?? null);
    if (await applyChange(ctx, state, change)) return record;
  }
  throw new ContentionError("release", name);
}
function applyChange(ctx, state, change) {
  const token = state.entry.token;
  if (change.content === null) {
    return ctx.store.compareAndRemove("lock", state.name, token, change.audit);
  }
  const produced = {
    content: change.content,
    audit: change.audit
  };
  return ctx.store.compareAndReplace("lock", state.name, token, () => produced, {
    freshFence: false
  });
}
async function listLocks(ctx) {
  const states = [];
  for (const name of await ctx.store.list("lock")) {
    const state = await inspectLock(ctx, name);
    if (state.status !== "free") states.push(state);
  }
  return states;
}
var init_engine = __esm({
  "lib/core/engine.ts"() {
    init_audit_event();
    init_defaults();
    init_errors();
    init_lock_errors();
    init_record_errors();
    init_freeze_ops();
    init_decisions();
    init_judge();
    init_transitions();
    init_group_transitions();
  }
});

// lib/core/command_group.ts
async function recordCommandGroup(ctx, name, lockId, pgid) {
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const state = await inspectLock(ctx, name);
    const record = state.holds.find((h) => h.record.lock_id === lockId)?.record;
    if (!state.entry || !record) throw new LockLostError(name, state.record);
    try {
      const content = withUpdated(state, {
        ...record,
        version: 2,
        pgid
      });
      const ok = await ctx.store.compareAndReplace("lock", name, state.entry.token, () => ({
        content,
        audit: []
      }), {
        freshFence: false
      });
      if (ok) return;
    } catch (err) {
      throw toLoktError(err);
    }
  }
  throw new ContentionError("update", name);
}
var init_command_group = __esm({
  "lib/core/command_group.ts"() {
    init_defaults();
    init_errors();
    init_record_errors();
    init_engine();
    init_group_transitions();
  }
});

// lib/sys/session_spawn.ts
function setsidLauncher() {
  if (launcher !== void 0) return launcher;
  launcher = null;
  for (const path of SETSID_PATHS) {
    try {
      if (Deno.statSync(path).isFile && granted({
        name: "run",
        command: path
      })) {
        launcher = path;
        break;
      }
    } catch {
    }
  }
  return launcher;
}
function spawnSessionLeader(executable, args, env) {
  const setsid = executable.startsWith("-") ? null : setsidLauncher();
  return new Deno.Command(setsid ?? executable, {
    args: setsid ? [
      executable,
      ...args
    ] : args,
    env,
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
    detached: setsid === null
  }).spawn();
}
var SETSID_PATHS, launcher;
var init_session_spawn = __esm({
  "lib/sys/session_spawn.ts"() {
    init_permissions();
    SETSID_PATHS = [
      "/usr/bin/setsid",
      "/bin/setsid"
    ];
  }
});

// lib/core/guard_runner.ts
function resolveCommand(command, path = Deno.env.get("PATH") ?? "") {
  if (command === "") throw new CommandError("empty command", EXIT_NOT_FOUND);
  const candidates = command.includes("/") ? [
    command
  ] : path.split(":").filter((d) => d !== "").map((d) => join(d, command));
  let notExecutable = null;
  for (const candidate of candidates) {
    let info;
    try {
      info = Deno.statSync(candidate);
    } catch {
      continue;
    }
    if (info.isFile && info.mode !== null && (info.mode & 73) !== 0) return candidate;
    notExecutable ??= candidate;
  }
  if (notExecutable) {
    throw new CommandError(`${notExecutable}: permission denied (not an executable file)`, EXIT_NOT_EXECUTABLE);
  }
  throw new CommandError(`${command}: command not found`, EXIT_NOT_FOUND);
}
async function runGuarded(lock, executable, argv, options) {
  const ownGroup = options.ownGroup ?? true;
  let group = null;
  const early = [];
  const signalGroup = (signal) => {
    if (group === null) return void early.push(signal);
    try {
      Deno.kill(ownGroup ? -group : group, signal);
    } catch {
    }
  };
  let killTimer = null;
  const terminate = () => {
    signalGroup("SIGTERM");
    const expires = lock.record.expires_at ? Date.parse(lock.record.expires_at) : Infinity;
    const left = expires - Date.now();
    const delay = left > 0 ? Math.min(options.graceMs, left) : options.graceMs;
    killTimer ??= setTimeout(() => signalGroup("SIGKILL"), delay);
  };
  const forwarded = [];
  let interrupts = 0;
  const listeners = FORWARDED_SIGNALS.map((signal) => {
    const listener = () => {
      forwarded.push(signal);
      if (signal === "SIGINT" && ++interrupts >= 2) {
        signalGroup("SIGKILL");
        return;
      }
      signalGroup(signal);
    };
    Deno.addSignalListener(signal, listener);
    return {
      signal,
      listener
    };
  });
  const removeListeners = () => {
    for (const { signal, listener } of listeners) Deno.removeSignalListener(signal, listener);
  };
  let child;
  try {
    child = ownGroup ? spawnSessionLeader(executable, argv.slice(1), options.env) : new Deno.Command(executable, {
      args: argv.slice(1),
      env: options.env
    }).spawn();
  } catch (err) {
    removeListeners();
    if (err instanceof Deno.errors.NotFound) {
      throw new CommandError(`${argv[0]}: command not found`, EXIT_NOT_FOUND);
    }
    if (err instanceof Deno.errors.PermissionDenied) {
      throw new CommandError(`${argv[0]}: permission denied`, EXIT_NOT_EXECUTABLE);
    }
    throw err;
  }
  group = child.pid;
  for (const signal of early.splice(0)) signalGroup(signal);
  lock.startHeartbeat();
  let lost = false;
  const onLost = () => {
    lost = true;
    const error = lock.signal.reason;
    if (options.onLost === "warn") {
      options.warn(`${error.message}; the command keeps running (--on-lost=warn)`);
      return;
    }
    options.warn(`${error.message}; stopping the command`);
    terminate();
  };
  lock.signal.addEventListener("abort", onLost, {
    once: true
  });
  if (lock.signal.aborted) onLost();
  try {
    if (ownGroup) {
      try {
        await options.onGroup?.(child.pid);
      } catch (err) {
        options.warn(`cannot record the command's process group: ${err.message}`);
      }
    }
    const status = await child.status;
    const signal = status.signal ?? null;
    const exitCode = signal ? 128 + (SIGNAL_NUMBERS[signal] ?? signalNumber(status.code)) : status.code;
    return {
      exitCode,
      signal,
      lost,
      forwarded
    };
  } finally {
    if (killTimer) clearTimeout(killTimer);
    lock.signal.removeEventListener("abort", onLost);
    removeListeners();
    if (ownGroup) signalGroup("SIGKILL");
  }
}
function signalNumber(code) {
  return code > 128 ? code - 128 : code;
}
var EXIT_NOT_FOUND, EXIT_NOT_EXECUTABLE, FORWARDED_SIGNALS, SIGNAL_NUMBERS, CommandError;
var init_guard_runner = __esm({
  "lib/core/guard_runner.ts"() {
    init_errors();
    init_path();
    init_session_spawn();
    EXIT_NOT_FOUND = 127;
    EXIT_NOT_EXECUTABLE = 126;
    FORWARDED_SIGNALS = [
      "SIGINT",
      "SIGTERM",
      "SIGHUP",
      "SIGQUIT"
    ];
    SIGNAL_NUMBERS = {
      SIGHUP: 1,
      SIGINT: 2,
      SIGQUIT: 3,
      SIGKILL: 9,
      SIGTERM: 15
    };
    CommandError = class extends LoktError {
      /**
       * Creates the error.
       *
       * @param message What went wrong.
       * @param exitCode 126 or 127.
       */
      constructor(message, exitCode) {
        super(message, exitCode);
        this.name = "CommandError";
      }
    };
  }
});

// lib/core/lock_handle.ts
var VERIFY_INTERVAL_MS, Lock;
var init_lock_handle = __esm({
  "lib/core/lock_handle.ts"() {
    init_audit_event();
    init_engine();
    init_errors();
    init_record_errors();
    init_lock_record();
    init_lock_group();
    VERIFY_INTERVAL_MS = 1e3;
    Lock = class {
      #ctx;
      #record;
      #controller = new AbortController();
      #timer = null;
      #inFlight = null;
      #done = false;
      #onLost;
      #onDone;
      #nested;
      #stopMarginMs;
      /**
       * Wraps an acquired record. Use `acquire()` rather than this constructor.
       *
       * @param ctx The engine context that acquired it.
       * @param record The acquired record.
       * @param options Heartbeat options.
       */
      constructor(ctx, record, options = {}) {
        this.#ctx = ctx;
        this.#record = record;
        this.#onLost = options.onLost;
        this.#onDone = options.onDone;
        this.#nested = options.nested ?? false;
        this.#stopMarginMs = options.stopMarginMs ?? 0;
        if (options.heartbeat ?? true) this.startHeartbeat();
      }
      /** The lock name. */
      get name() {
        return this.#record.name;
      }
      /** The id of this acquisition. */
      get lockId() {
        return this.#record.lock_id;
      }
      /** The slot of a semaphore hold (0 … N−1), else `null`. */
      get slot() {
        return this.#record.slot;
      }
      /** How the name is held: `exclusive`, `shared` or `slots`. */
      get mode() {
        return this.#record.mode;
      }
      /** The fencing token: strictly greater than any earlier acquisition's. */
      get fence() {
        return this.#record.fence;
      }
      /** The current record (updated on renewal). */
      get record() {
        return this.#record;
      }
      /** Aborts (with a `LockLostError`) when the lock is lost. */
      get signal() {
        return this.#controller.signal;
      }
      /** Whether this handle runs under a hold it did not take (and will not release). */
      get nested() {
        return this.#nested;
      }
      /** Whether the lock was lost. */
      get lost() {
        return this.#controller.signal.aborted;
      }
      /**
       * Renews the lock now, optionally with a new TTL; audited as `renew`.
       *
       * @param ttlMs The new TTL in ms (default: the current TTL).
       * @returns The renewed record.
       * @throws {LockLostError} When the lock is no longer ours.
       */
      async renew(ttlMs) {
        if (this.#done) throw new LoktError(`lock "${this.name}" was already released`);
        try {
          this.#record = await renewLock(this.#ctx, this.name, this.lockId, {
            ttlMs: ttlMs === void 0 ? this.#record.ttl_ms : ttlMs,
            audit: true
          });
          return this.#record;
        } catch (err) {
          if (err instanceof LockLostError) await this.#markLost(err);
          throw err;
        }
      }
      /**
       * Stops the heartbeat (waiting for a renewal in flight), then releases the
       * lock if it is still this acquisition's. Idempotent.
       *
       * @param detail What the `release` event records of how the work ended (guard: `exit_code` or `signal`).
       * @returns `true` when released, `false` when it had been lost or released.
       */
      async release(detail2) {
        if (this.#done) return false;
        this.#done = true;
        this.#stopHeartbeat();
        await this.#inFlight;
        this.#onDone?.();
        if (this.lost || this.#nested) return false;
        try {
          await releaseLock(this.#ctx, this.name, {
            lockId: this.lockId,
            detail: detail2
          });
          return true;
        } catch (err) {
          if (err instanceof LockLostError) {
            await this.#markLost(err);
            return false;
          }
          throw err;
        }
      }
      /** Releases the lock; used by `await using`. */
      async [Symbol.asyncDispose]() {
        await this.release();
      }
      /**
       * Starts the heartbeat: renewal at TTL/2, or a check every second without a
       * TTL, aborting `signal` on loss. Idempotent; nothing after release. The
       * first timer of a Deno process costs several milliseconds, so `guard`
       * starts it only once its command is running.
       */
      startHeartbeat() {
        if (this.#timer !== null || this.#done || this.lost) return;
        const every = this.#interval();
        const timer = setInterval(() => {
          if (this.#inFlight || this.#done) return;
          this.#inFlight = this.#beat().finally(() => this.#inFlight = null);
        }, every);
        Deno.unrefTimer(timer);
        this.#timer = timer;
      }
      #stopHeartbeat() {
        if (this.#timer !== null) clearInterval(this.#timer);
        this.#timer = null;
      }
      async #beat() {
        try {
          if (this.#record.ttl_ms && !this.#nested) {
            this.#record = await renewLock(this.#ctx, this.name, this.lockId, {
              ttlMs: this.#record.ttl_ms,
              audit: false
            });
          } else {
            const entry = await this.#ctx.store.read("lock", this.name);
            const raw = entry?.raw ?? null;
            if (raw === null || holdIn(raw, this.lockId) === null) {
              throw new LockLostError(this.name, raw === null ? null : parseLockRecord(raw));
            }
          }
        } catch (err) {
          if (this.#done) return;
          if (err instanceof LockLostError) return await this.#markLost(err);
          const expiresAt = this.#record.expires_at ? Date.parse(this.#record.expires_at) : null;
          if (expiresAt !== null && expiresAt - Date.now() <= this.#interval() + this.#stopMarginMs) {
            const why = err instanceof Error ? err.message.split("\n")[0] ?? "" : String(err);
            await this.#markLost(new LockLostError(this.name, null, why));
          }
        }
      }
      /** The heartbeat's period. */
      #interval() {
        const ttl = this.#record.ttl_ms;
        return ttl ? Math.max(500, Math.floor(ttl / 2)) : VERIFY_INTERVAL_MS;
      }
      async #markLost(error) {
        if (this.lost) return;
        this.#stopHeartbeat();
        await this.#ctx.store.appendAudit([
          recordEvent("lost", this.#record, this.#ctx.identity, this.#ctx.now(), {
            message: error.message
          })
        ]);
        this.#onDone?.();
        this.#controller.abort(error);
        this.#onLost?.(error);
      }
    };
  }
});

// lib/core/policy.ts
function acquireSettings(request, name, config, defaultTtlMs, labels = FLAG_LABELS) {
  const policy = config.locks[name];
  let ttlMs = policy?.ttlMs ?? defaultTtlMs;
  if (request.ttl !== void 0) ttlMs = ttlOf(request.ttl, request.pid != null, labels.ttl);
  const timeoutMs = request.timeout !== void 0 ? durationOf(request.timeout, labels.timeout) : policy?.timeoutMs ?? config.waitTimeoutMs;
  const reason = request.reason ?? null;
  if (reason !== null && !isValidReason(reason)) {
    throw new UsageError(`${labels.reason} must be one line of at most 1000 characters`);
  }
  return {
    ttlMs,
    wait: request.timeout !== void 0 || (request.wait ?? policy?.wait ?? false),
    timeoutMs,
    reason,
    ...modeOf(request, policy, labels)
  };
}
function modeOf(request, policy, labels) {
  if (request.slots !== void 0 && request.shared === true) {
    throw new UsageError(`${labels.shared} cannot be combined with ${labels.slots}: a name is either shared (readers and a writer) or a semaphore`);
  }
  if (request.slots !== void 0) return {
    mode: "slots",
    slots: slotsOf(request.slots, labels)
  };
  if (request.shared !== void 0) {
    return {
      mode: request.shared ? "shared" : "exclusive",
      slots: null
    };
  }
  if (policy?.slots) return {
    mode: "slots",
    slots: policy.slots
  };
  return {
    mode: policy?.shared ? "shared" : "exclusive",
    slots: null
  };
}
function slotsOf(value, labels) {
  const count = typeof value === "number" ? value : /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!isSlotCount(count)) {
    throw new UsageError(`Invalid ${labels.slots} ${JSON.stringify(String(value))}: must be an integer from ${SLOT_LIMITS.min} to ${SLOT_LIMITS.max}`);
  }
  return count;
}
function ttlOf(value, allowZero, label) {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw new UsageError(`Invalid ${label}: ${value}`);
    if (value === 0 && allowZero) return null;
    if (value < 1e3) throw new UsageError(`Invalid ${label} ${value}ms: must be at least 1s`);
    return Math.round(value);
  }
  if (!allowZero && (value === "0" || value === "0s")) {
    throw new UsageError(`${label} 0 (no expiry) is allowed only together with --pid`);
  }
  const ms = parseTtl(value, {
    allowZero,
    flag: label
  });
  return ms === 0 ? null : ms;
}
function durationOf(value, label) {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw new UsageError(`Invalid ${label}: ${value}`);
    return Math.round(value);
  }
  return parseDuration(value, label);
}
var FLAG_LABELS;
var init_policy = __esm({
  "lib/core/policy.ts"() {
    init_duration();
    init_errors();
    init_lock_group();
    init_lock_record();
    FLAG_LABELS = {
      ttl: "--ttl",
      timeout: "--timeout",
      reason: "--reason",
      slots: "--slots",
      shared: "--shared"
    };
  }
});

// lib/core/waiters.ts
function ticketContent(identity, started, mode = "exclusive") {
  return JSON.stringify({
    owner: identity.owner,
    agent_id: identity.agentId,
    pid: identity.pid,
    pid_start: identity.pidStart,
    machine_id: identity.machineId,
    since: isoTime(started),
    mode
  });
}
function ticketLive(ctx, ticket) {
  const info = ticket.raw ? parseObject(ticket.raw) : null;
  if (info && info.machine_id === ctx.identity.machineId && typeof info.pid === "number") {
    const start = typeof info.pid_start === "string" ? info.pid_start : null;
    return probeProcess(info.pid, start) !== "dead";
  }
  if (info) return ctx.now() - ticket.mtimeMs < TICKET_STALE_MS;
  return ctx.now() - ticket.mtimeMs < CORRUPT_GRACE_MS;
}
async function liveWaiters(ctx, name) {
  const waiters = [];
  for (const ticket of await ctx.store.queue(name)) {
    if (!ticketLive(ctx, ticket)) continue;
    const info = ticket.raw ? parseObject(ticket.raw) : null;
    const text2 = (key) => typeof info?.[key] === "string" ? info[key] : null;
    waiters.push({
      ticket: ticket.id,
      owner: text2("owner"),
      agent_id: text2("agent_id"),
      pid: typeof info?.pid === "number" ? info.pid : null,
      since: text2("since"),
      mode: text2("mode")
    });
  }
  return waiters;
}
var TICKET_STALE_MS;
var init_waiters = __esm({
  "lib/core/waiters.ts"() {
    init_defaults();
    init_iso_time();
    init_lock_record();
    init_liveness();
    TICKET_STALE_MS = 6e4;
  }
});

// lib/core/wait.ts
async function acquireWaiting(ctx, name, spec21, options) {
  const queued = await waitersAhead(ctx, name, null);
  const first2 = queued === 0 || await takesNothing(ctx, name, spec21) ? await tryAsHead(ctx, name, spec21) : {
    result: null,
    message: `${queued} waiter(s) queued ahead`,
    position: queued
  };
  if (first2.result) return first2.result;
  const started = ctx.now();
  const { store, identity } = ctx;
  const ticket = await store.enqueue(name, ticketContent(identity, started, spec21.mode));
  await store.appendAudit([
    makeEvent("wait", name, identity, {
      reason: spec21.reason,
      ttl_ms: spec21.ttlMs,
      detail: {
        blocked_by: first2.message,
        timeout_ms: options.timeoutMs
      }
    }, started)
  ]);
  let lastMessage = first2.message;
  let touched = started;
  try {
    for (; ; ) {
      const left = started + options.timeoutMs - ctx.now();
      if (left <= 0) break;
      if (ctx.now() - touched >= TICKET_TOUCH_MS) {
        touched = ctx.now();
        await store.touch(name, ticket);
      }
      options.signal?.throwIfAborted();
      const ahead = await liveTicketsAhead(ctx, name, ticket);
      const target = ahead.length === 0 ? {
        kind: "lock",
        name
      } : {
        kind: "ticket",
        name,
        id: ahead[ahead.length - 1]
      };
      const watcher = store.watch(target);
      try {
        const waited2 = {
          acquireDetail: {
            ...spec21.acquireDetail,
            waited_ms: ctx.now() - started
          }
        };
        const now = ahead.length === 0 ? await tryAsHead(ctx, name, {
          ...spec21,
          ...waited2
        }) : {
          result: null,
          message: `${ahead.length} waiter(s) queued ahead`,
          position: ahead.length
        };
        if (now.result) return now.result;
        lastMessage = now.message;
        options.onProgress?.({
          message: now.message,
          elapsedMs: ctx.now() - started,
          position: now.position
        });
        const poll = target.kind === "lock" ? HEAD_POLL_MS : QUEUE_POLL_MS;
        await watcher.changed(Math.min(poll, Math.max(1, left)), options.signal);
      } finally {
        watcher.close();
      }
    }
    options.signal?.throwIfAborted();
    const waited = ctx.now() - started;
    await store.appendAudit([
      makeEvent("timeout", name, identity, {
        reason: spec21.reason,
        detail: {
          waited_ms: waited,
          blocked_by: lastMessage
        }
      }, ctx.now())
    ]);
    throw new WaitTimeoutError(name, waited, lastMessage);
  } finally {
    await store.dequeue(name, ticket);
  }
}
async function acquireNow(ctx, name, spec21) {
  const ahead = await waitersAhead(ctx, name, null);
  if (ahead === 0) return await tryAcquire(ctx, name, spec21);
  const state = await inspectLock(ctx, name);
  const action = decideAcquire(state, claimOf(spec21));
  if ([
    "renew",
    "nested",
    "deny"
  ].includes(action.kind)) return await tryAcquire(ctx, name, spec21);
  await ctx.store.appendAudit([
    makeEvent("deny", name, ctx.identity, {
      reason: spec21.reason,
      detail: {
        queued: ahead
      }
    }, ctx.now())
  ]);
  throw new LockHeldError(name, state.record, {
    kind: "queued",
    status: state.status,
    queued: ahead
  });
}
async function takesNothing(ctx, name, spec21) {
  const action = decideAcquire(await inspectLock(ctx, name), claimOf(spec21));
  if (action.kind === "deny" && action.error.detail.kind === "upgrade") throw action.error;
  return action.kind === "renew" || action.kind === "nested";
}
async function tryAsHead(ctx, name, spec21) {
  try {
    return {
      result: await tryAcquire(ctx, name, {
        ...spec21,
        quietDeny: true
      }),
      message: "",
      position: 0
    };
  } catch (err) {
    if (err instanceof LockHeldError && err.detail.kind === "upgrade") throw err;
    if (err instanceof LockHeldError || err instanceof FrozenError) {
      return {
        result: null,
        message: err.message,
        position: 0
      };
    }
    throw err;
  }
}
async function waitersAhead(ctx, name, ticket) {
  return (await liveTicketsAhead(ctx, name, ticket)).length;
}
async function liveTicketsAhead(ctx, name, ticket) {
  const ahead = [];
  for (const t of await ctx.store.queue(name)) {
    if (ticket !== null && t.id >= ticket) break;
    if (ticketLive(ctx, t)) ahead.push(t.id);
    else await ctx.store.dequeue(name, t.id);
  }
  return ahead;
}
var HEAD_POLL_MS, QUEUE_POLL_MS, TICKET_TOUCH_MS;
var init_wait = __esm({
  "lib/core/wait.ts"() {
    init_audit_event();
    init_lock_errors();
    init_engine();
    init_decisions();
    init_waiters();
    HEAD_POLL_MS = 250;
    QUEUE_POLL_MS = 1e3;
    TICKET_TOUCH_MS = 15e3;
  }
});

// lib/sys/held_env.ts
function inheritedHolds(value = Deno.env.get(HELD_VARIABLE)) {
  const held = /* @__PURE__ */ new Map();
  for (const part of (value ?? "").split(",")) {
    const at = part.lastIndexOf(":");
    const name = part.slice(0, at).toLowerCase();
    const id = part.slice(at + 1);
    if (at > 0 && /^[0-9a-f]{32}$/.test(id)) held.set(name, id);
  }
  return held;
}
function passHold(name, lockId, current = Deno.env.get(HELD_VARIABLE)) {
  const held = inheritedHolds(current);
  held.set(name, lockId);
  return [
    ...held
  ].map(([n, id]) => `${n}:${id}`).join(",");
}
var HELD_VARIABLE;
var init_held_env = __esm({
  "lib/sys/held_env.ts"() {
    HELD_VARIABLE = "LOKT_HELD";
  }
});

// lib/model/path_glob.ts
function normalizePattern(raw, top, label = "pattern") {
  const shown = JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}\u2026` : raw);
  const fail = (why) => {
    throw new UsageError(`Invalid ${label} ${shown}: ${why}`);
  };
  if (raw.length === 0) fail("it is empty");
  if (raw.length > MAX_PATTERN_LENGTH) fail(`longer than ${MAX_PATTERN_LENGTH} characters`);
  if (/[\u0000-\u001f\u007f]/.test(raw)) fail("it contains a control character");
  let path = raw;
  if (path.startsWith("/")) {
    if (path !== top && !path.startsWith(`${top}/`)) {
      fail(`an absolute path outside the worktree (${top})`);
    }
    path = path.slice(top.length);
  }
  const segments = path.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) fail("a '..' segment (patterns are relative to the worktree's top)");
  if (segments.length === 0) fail("it names the whole worktree; use '**' to mean every path");
  return segments.join("/");
}
function parseGlob(source) {
  let globbing = false;
  const elements = [];
  for (const part of splitSegments(source)) {
    if (part === "**") {
      globbing = true;
      elements.push({
        kind: "globstar"
      });
      continue;
    }
    const { tokens, glob } = parseSegment(part, source);
    globbing ||= glob;
    elements.push({
      kind: "segment",
      tokens,
      literal: literalOf(tokens)
    });
  }
  if (!globbing) elements.push({
    kind: "globstar"
  });
  return {
    source,
    elements
  };
}
function literalGlob(path, subtree = true) {
  const elements = path.split("/").map((part) => ({
    kind: "segment",
    tokens: Array.from(part, (c) => charToken(c.codePointAt(0))),
    literal: part
  }));
  if (subtree) elements.push({
    kind: "globstar"
  });
  return {
    source: path,
    elements
  };
}
function splitSegments(source) {
  const parts = [];
  let current = "";
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\" && i + 1 < source.length) {
      current += c + source[++i];
    } else if (c === "/") {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}
function literalOf(tokens) {
  let text2 = "";
  for (const t of tokens) {
    if (t.kind !== "chars" || t.ranges.length !== 1) return null;
    const [lo, hi] = t.ranges[0];
    if (lo !== hi) return null;
    text2 += String.fromCodePoint(lo);
  }
  return text2;
}
function charToken(code) {
  return {
    kind: "chars",
    ranges: [
      [
        code,
        code
      ]
    ]
  };
}
function parseSegment(part, source) {
  const tokens = [];
  let glob = false;
  const chars = Array.from(part);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === "\\") {
      if (i + 1 >= chars.length) {
        throw new UsageError(`Invalid pattern ${JSON.stringify(source)}: it ends with '\\'`);
      }
      tokens.push(charToken(chars[++i].codePointAt(0)));
    } else if (c === "*") {
      glob = true;
      if (tokens.at(-1)?.kind !== "star") tokens.push({
        kind: "star"
      });
    } else if (c === "?") {
      glob = true;
      tokens.push({
        kind: "chars",
        ranges: ANY_CHAR
      });
    } else if (c === "[") {
      glob = true;
      const { ranges, end } = parseClass(chars, i, source);
      tokens.push({
        kind: "chars",
        ranges
      });
      i = end;
    } else tokens.push(charToken(c.codePointAt(0)));
  }
  return {
    tokens,
    glob
  };
}
function parseClass(chars, start, source) {
  let i = start + 1;
  const negated = chars[i] === "!";
  if (negated) i++;
  const ranges = [];
  let first2 = true;
  for (; i < chars.length; i++) {
    let c = chars[i];
    if (c === "]" && !first2) {
      const positive = normalizeRanges(ranges);
      return {
        ranges: negated ? complement(positive) : intersect(positive, ANY_CHAR),
        end: i
      };
    }
    first2 = false;
    if (c === "\\" && i + 1 < chars.length) c = chars[++i];
    const low = c.codePointAt(0);
    if (chars[i + 1] === "-" && i + 2 < chars.length && chars[i + 2] !== "]") {
      let hi = chars[i + 2];
      i += 2;
      if (hi === "\\" && i + 1 < chars.length) hi = chars[++i];
      const high = hi.codePointAt(0);
      ranges.push(low <= high ? [
        low,
        high
      ] : [
        high,
        low
      ]);
    } else ranges.push([
      low,
      low
    ]);
  }
  throw new UsageError(`Invalid pattern ${JSON.stringify(source)}: an unterminated '['`);
}
function normalizeRanges(ranges) {
  const sorted = [
    ...ranges
  ].sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const [lo, hi] of sorted) {
    const last = merged.at(-1);
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else merged.push([
      lo,
      hi
    ]);
  }
  return merged;
}
function intersect(a, b) {
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [alo, ahi] = a[i];
    const [blo, bhi] = b[j];
    const lo = Math.max(alo, blo);
    const hi = Math.min(ahi, bhi);
    if (lo <= hi) out.push([
      lo,
      hi
    ]);
    if (ahi < bhi) i++;
    else j++;
  }
  return out;
}
function complement(ranges) {
  const out = [];
  let next = 1;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([
      next,
      lo - 1
    ]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_CODE_POINT) out.push([
    next,
    MAX_CODE_POINT
  ]);
  return intersect(out, ANY_CHAR);
}
var MAX_PATTERN_LENGTH, MAX_PATTERNS, SLASH, MAX_CODE_POINT, ANY_CHAR;
var init_path_glob = __esm({
  "lib/model/path_glob.ts"() {
    init_errors();
    MAX_PATTERN_LENGTH = 512;
    MAX_PATTERNS = 64;
    SLASH = 47;
    MAX_CODE_POINT = 1114111;
    ANY_CHAR = [
      [
        1,
        SLASH - 1
      ],
      [
        SLASH + 1,
        MAX_CODE_POINT
      ]
    ];
  }
});

// lib/cli/flags.ts
function nameArg(args, command) {
  const name = args.positionals[0];
  if (name === void 0) throw new UsageError("missing <name>", command);
  return validateName(name);
}
function stringFlag(args, flag) {
  const value = args.flags[flag];
  return typeof value === "string" ? value : void 0;
}
function acquireRequest(args, pid = null) {
  const exclusive = args.flags.exclusive === true;
  if (exclusive && (args.flags.shared === true || args.flags.slots !== void 0)) {
    throw new UsageError(`--exclusive cannot be combined with --${args.flags.shared === true ? "shared" : "slots"}`);
  }
  return {
    slots: stringFlag(args, "slots"),
    shared: args.flags.shared === true ? true : exclusive ? false : void 0,
    ttl: stringFlag(args, "ttl"),
    wait: args.flags.wait === true ? true : void 0,
    timeout: stringFlag(args, "timeout"),
    reason: stringFlag(args, "reason") ?? null,
    pid
  };
}
function patternArgs(args, command, base, label) {
  if (args.positionals.length === 0) throw new UsageError(`missing <${label}>`, command);
  if (args.positionals.length > MAX_PATTERNS) {
    throw new UsageError(`${args.positionals.length} ${label}s: at most ${MAX_PATTERNS} per call`, command);
  }
  const normal = args.positionals.map((raw) => normalizePattern(raw, base, label));
  if (label === "pattern") normal.forEach(parseGlob);
  return [
    ...new Set(normal)
  ];
}
function pidFlag(args, command) {
  const text2 = stringFlag(args, "pid");
  if (text2 === void 0) return null;
  if (!/^[1-9]\d{0,9}$/.test(text2)) {
    throw new UsageError(`Invalid --pid ${JSON.stringify(text2)}: must be a process id`, command);
  }
  return Number(text2);
}
function pidStartOf(pid) {
  if (probeProcess(pid, null) === "dead") {
    throw new LoktError(`No process with pid ${pid}: cannot hold a lock for it`);
  }
  try {
    return readProcStat(pid)?.startTime ?? null;
  } catch {
    return null;
  }
}
var ACQUIRE_FLAGS;
var init_flags = __esm({
  "lib/cli/flags.ts"() {
    init_errors();
    init_liveness();
    init_procfs();
    init_name();
    init_path_glob();
    ACQUIRE_FLAGS = [
      {
        name: "ttl",
        type: "string",
        value: "D",
        help: "time to live, e.g. 90s, 5m, 1h30m (at least 1s)"
      },
      {
        name: "wait",
        type: "boolean",
        help: "wait until the lock is free (FIFO), default timeout 10m"
      },
      {
        name: "timeout",
        type: "string",
        value: "D",
        help: "give up waiting after D (implies --wait)",
        default: "10m, or lokt.jsonc"
      },
      {
        name: "reason",
        type: "string",
        value: "TEXT",
        help: "why you take the lock (shown to others)"
      },
      {
        name: "slots",
        type: "string",
        value: "N",
        help: "take one of N slots (2-64) of a counting semaphore; every holder asks the same N"
      },
      {
        name: "shared",
        type: "boolean",
        help: "a reader's hold: shared with other readers, never with an exclusive holder"
      },
      {
        name: "exclusive",
        type: "boolean",
        help: "an exclusive hold even where lokt.jsonc makes the name shared (the default)"
      }
    ];
  }
});

// lib/cli/wait_progress.ts
function waitProgressPrinter(io, name) {
  if (io.json || !Deno.stderr.isTerminal()) return void 0;
  const encoder3 = new TextEncoder();
  return (progress) => {
    const where = progress.position > 0 ? ` (#${progress.position + 1} in queue)` : "";
    const line = `waiting for "${name}" ${formatDuration(progress.elapsedMs)}${where}: ${progress.message.replace(/; run 'lokt why .*$/, "")}`;
    const width = Deno.consoleSize?.().columns ?? 100;
    Deno.stderr.writeSync(encoder3.encode(`\r\x1B[2K${line.slice(0, width - 1)}`));
  };
}
var init_wait_progress = __esm({
  "lib/cli/wait_progress.ts"() {
    init_duration_format();
  }
});

// lib/cli/commands/guard.ts
var guard_exports = {};
__export(guard_exports, {
  run: () => run,
  spec: () => spec
});
async function run(args, io) {
  const name = nameArg(args, "guard");
  const argv = args.command;
  if (!argv || argv.length === 0) {
    throw new UsageError("missing command: put it after --, e.g. lokt guard build -- make", "guard");
  }
  const onLost = stringFlag(args, "on-lost") ?? "kill";
  if (onLost !== "kill" && onLost !== "warn") {
    throw new UsageError(`Invalid --on-lost ${JSON.stringify(onLost)}: use kill or warn`, "guard");
  }
  const conflictExit = conflictExitFlag(args);
  const graceText = stringFlag(args, "grace");
  const graceMs = graceText === void 0 ? 5e3 : parseDuration(graceText, "--grace");
  const ctx = openContext({
    write: true
  });
  const settings = acquireSettings(acquireRequest(args), name, loadConfig(ctx.rootInfo, ctx.cwd), null);
  const executable = resolveCommand(argv[0]);
  requirePermissions({
    base: false,
    writeRoot: null,
    run: executable
  });
  const ttlMs = settings.ttlMs ?? (ctx.backend.kind === "redis" ? REDIS_GUARD_TTL_MS : null);
  const acquireSpec = {
    ttlMs,
    liveness: "process",
    reason: settings.reason,
    command: argv,
    hold: "instance",
    inherited: inheritedHolds().get(name) ?? null,
    mode: settings.mode,
    slots: settings.slots
  };
  const progress = waitProgressPrinter(io, name);
  let result;
  try {
    result = settings.wait ? await acquireWaiting(ctx, name, acquireSpec, {
      timeoutMs: settings.timeoutMs,
      onProgress: progress
    }) : await acquireNow(ctx, name, acquireSpec);
  } catch (err) {
    if (conflictExit === null || !(err instanceof LoktError) || err.exitCode !== ExitCode.Held) {
      throw err;
    }
    printError(io, "guard", err, conflictExit);
    return {
      exitCode: conflictExit,
      json: null,
      text: ""
    };
  }
  if (progress) Deno.stderr.writeSync(new TextEncoder().encode("\r\x1B[2K"));
  const nested = result.outcome === "nested";
  if (nested) {
    io.err(`note: running nested under the hold of "${name}" that ${result.record.hold === "owner" ? `${result.record.owner} holds` : "an ancestor guard holds"} (fence ${result.record.fence}); it stays held when the command ends`);
  }
  const lock = new Lock(ctx, result.record, {
    heartbeat: false,
    nested,
    stopMarginMs: graceMs
  });
  let outcome;
  let ended = {
    error: "guard stopped before the command ended"
  };
  try {
    outcome = await runGuarded(lock, executable, argv, {
      onLost,
      graceMs,
      env: {
        LOKT_LOCK: name,
        LOKT_LOCK_ID: lock.lockId,
        LOKT_FENCE: String(lock.fence),
        LOKT_OWNER: ctx.identity.owner,
        // A semaphore hold's slot (0 … N−1); empty for other modes, so an
        // inherited value never leaks into a command that has no slot.
        LOKT_SLOT: lock.slot === null ? "" : String(lock.slot),
        [HELD_VARIABLE]: passHold(name, lock.lockId)
      },
      warn: (message) => io.err(`warning: ${message}`),
      ownGroup: !nested,
      onGroup: (pgid) => recordCommandGroup(ctx, name, lock.lockId, pgid)
    });
    ended = outcome.signal ? {
      signal: outcome.signal
    } : {
      exit_code: outcome.exitCode
    };
  } catch (err) {
    ended = {
      error: err instanceof Error ? err.message : String(err)
    };
    throw err;
  } finally {
    try {
      await lock.release(ended);
    } catch (err) {
      io.err(`warning: cannot release "${name}": ${err.message}`);
    }
  }
  return {
    exitCode: outcome.exitCode,
    json: {
      ok: outcome.exitCode === 0,
      command: "guard",
      exit_code: outcome.exitCode,
      signal: outcome.signal,
      lost: outcome.lost,
      nested,
      forwarded: outcome.forwarded,
      lock: lock.record
    },
    text: ""
  };
}
function conflictExitFlag(args) {
  const text2 = stringFlag(args, "conflict-exit");
  if (text2 === void 0) return null;
  if (!/^\d{1,3}$/.test(text2) || Number(text2) > 255) {
    throw new UsageError(`Invalid --conflict-exit ${JSON.stringify(text2)}: an exit code from 0 to 255`, "guard");
  }
  return Number(text2);
}
var spec, REDIS_GUARD_TTL_MS;
var init_guard = __esm({
  "lib/cli/commands/guard.ts"() {
    init_context();
    init_command_group();
    init_guard_runner();
    init_lock_handle();
    init_policy();
    init_wait();
    init_duration();
    init_errors();
    init_config();
    init_held_env();
    init_permissions();
    init_flags();
    init_output();
    init_wait_progress();
    spec = {
      name: "guard",
      summary: "run a command while holding a lock; release on every exit path",
      usage: [
        "guard <name> [--ttl D] [--wait] [--timeout D] [--reason TEXT] [--slots N | --shared] [--on-lost kill|warn] [--conflict-exit N] -- <cmd> [args\u2026]"
      ],
      flags: [
        ...ACQUIRE_FLAGS.map((f) => f.name === "ttl" ? {
          ...f,
          help: "renew every TTL/2 while the command runs; without it the lock lasts while guard lives"
        } : f),
        {
          name: "on-lost",
          type: "string",
          value: "kill|warn",
          help: "if the lock is lost: stop the command (SIGTERM, then SIGKILL) or only warn",
          default: "kill"
        },
        {
          name: "grace",
          type: "string",
          value: "D",
          help: "time between SIGTERM and SIGKILL when stopping the command",
          default: "5s"
        },
        {
          name: "conflict-exit",
          type: "string",
          value: "N",
          help: "exit N (0-255) instead of 2 when the lock is held, frozen or the wait timed out, like flock -E",
          default: "2"
        }
      ],
      positionals: [
        "name"
      ],
      takesCommand: true,
      examples: [
        "lokt guard build --ttl 5m -- make build",
        "lokt guard push --wait --timeout 10m -- git push",
        "lokt guard migrate --reason 'schema v42' -- ./migrate.sh up",
        "lokt guard test-db --slots 3 --wait -- sh -c 'DB=test_$LOKT_SLOT npm test'",
        "lokt guard node_modules --shared --wait -- npm test   # beside other readers"
      ]
    };
    REDIS_GUARD_TTL_MS = 3e4;
  }
});

// lib/cli/lock_results.ts
function acquiredResult(result, warning = null, slots = null) {
  const r = result.record;
  const how = r.mode === "slots" ? ` slot ${r.slot} of ${slots ?? "N"}` : r.mode === "shared" ? " shared" : "";
  const expiry = r.ttl_ms === null ? `held while pid ${r.pid} lives` : `expires in ${formatDuration(r.ttl_ms)}`;
  const broke = result.broke ? ` (took over from ${result.broke.previous?.owner ?? "a corrupt record"}: ${result.broke.event})` : "";
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "lock",
      outcome: result.outcome,
      mode: r.mode,
      slots: r.mode === "slots" ? slots : null,
      slot: r.slot,
      lock: r,
      broke: result.broke ? {
        event: result.broke.event,
        previous: result.broke.previous
      } : null
    },
    text: result.outcome === "nested" ? `ran nested: "${r.name}"${how} is held by the guard this command runs under (fence ${r.fence}); nothing acquired, and it stays that guard's` : `${result.outcome} "${r.name}"${how} (fence ${r.fence}, ${expiry})${broke}`,
    ...warning === null ? {} : {
      warning
    }
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
    text: `released "${record.name}"${record.slot === null ? "" : ` slot ${record.slot}`} (fence ${record.fence})`
  };
}
var init_lock_results = __esm({
  "lib/cli/lock_results.ts"() {
    init_duration_format();
  }
});

// lib/cli/commands/lock.ts
var lock_exports = {};
__export(lock_exports, {
  run: () => run2,
  spec: () => spec2
});
async function run2(args, io) {
  const name = nameArg(args, "lock");
  const pid = pidFlag(args, "lock");
  const ctx = openContext({
    write: true
  });
  const config = loadConfig(ctx.rootInfo, ctx.cwd);
  const settings = acquireSettings(acquireRequest(args, pid), name, config, config.defaultTtlMs);
  const acquireSpec = {
    ttlMs: settings.ttlMs,
    liveness: "ttl",
    reason: settings.reason,
    // The owner's hold, with or without --pid (§4a).
    hold: "owner",
    inherited: inheritedHolds().get(name) ?? null,
    mode: settings.mode,
    slots: settings.slots
  };
  if (pid !== null) {
    if (settings.ttlMs === null && ctx.backend.kind === "redis") {
      throw new UsageError("--pid with --ttl 0 is not possible on Redis: no other machine can judge a process; give a TTL (it is renewed by locking again)", "lock");
    }
    Object.assign(acquireSpec, {
      liveness: "process",
      pid,
      pidStart: pidStartOf(pid)
    });
  }
  const result = settings.wait ? await acquireWaiting(ctx, name, acquireSpec, {
    timeoutMs: settings.timeoutMs,
    onProgress: waitProgressPrinter(io, name)
  }) : await acquireNow(ctx, name, acquireSpec);
  return acquiredResult(result, guessedOwnerWarning(ctx.identity), settings.slots);
}
var spec2;
var init_lock = __esm({
  "lib/cli/commands/lock.ts"() {
    init_context();
    init_policy();
    init_errors();
    init_wait();
    init_config();
    init_held_env();
    init_identity();
    init_flags();
    init_lock_results();
    init_wait_progress();
    spec2 = {
      name: "lock",
      summary: "acquire a lock and exit, leaving it held until unlock or TTL expiry",
      usage: [
        "lock <name> [--ttl D] [--pid PID] [--reason TEXT] [--wait] [--timeout D] [--slots N | --shared] [--json]"
      ],
      flags: [
        ...ACQUIRE_FLAGS.map((f) => f.name === "ttl" ? {
          ...f,
          default: "30m, or lokt.jsonc"
        } : f),
        {
          name: "pid",
          type: "string",
          value: "PID",
          help: "hold the lock while process PID lives (--ttl 0 then means no expiry)"
        }
      ],
      positionals: [
        "name"
      ],
      examples: [
        "lokt lock deploy --ttl 30m --reason 'release 1.2'",
        "lokt lock db --pid $$ --ttl 0      # held while this shell lives",
        "lokt lock build --wait --timeout 2m",
        "lokt lock test-db --slots 3 --ttl 20m  # one of 3 test databases; prints its slot"
      ]
    };
  }
});

// lib/core/lock_breaks.ts
async function breakLock(ctx, name, mode) {
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const state = await inspectLock(ctx, name);
    const event = decideBreak(state, mode);
    const perHold = mode === "stale" && state.mode !== "exclusive";
    const change = perHold ? staleRemoval(state, ctx.identity, ctx.now()) : {
      content: null,
      audit: breakEvents(state, event, ctx.identity, ctx.now())
    };
    if (await applyChange(ctx, state, change)) {
      const removed = state.holds.filter((h) => !perHold || h.status !== "held");
      return {
        name,
        event,
        previous: state.record,
        holds: removed.map((h) => h.record),
        corruption: state.corruption
      };
    }
  }
  throw new ContentionError("break", name);
}
async function breakOwnerHolds(ctx, name, owner) {
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const state = await inspectLock(ctx, name);
    const removed = state.holds.filter((h) => h.record.owner === owner);
    if (removed.length === 0) throw new NotFoundError("lock", name);
    const rest = state.holds.filter((h) => h.record.owner !== owner).map((h) => h.record);
    const change = {
      content: contentOf(state, rest),
      audit: holdBreakEvents(removed, ctx.identity, ctx.now(), "force-break")
    };
    if (await applyChange(ctx, state, change)) {
      const holds = removed.map((h) => h.record);
      return {
        name,
        event: "force-break",
        previous: null,
        holds,
        corruption: null
      };
    }
  }
  throw new ContentionError("break", name);
}
var init_lock_breaks = __esm({
  "lib/core/lock_breaks.ts"() {
    init_defaults();
    init_errors();
    init_lock_errors();
    init_decisions();
    init_engine();
    init_group_transitions();
    init_transitions();
  }
});

// lib/core/release_all.ts
async function releaseAllOf(ctx, owner) {
  const result = {
    released: [],
    broken: []
  };
  for (const state of await listLocks(ctx)) {
    if (state.mode !== "exclusive") {
      await releaseHoldsOf(ctx, state, owner, result);
      continue;
    }
    if (state.record?.owner !== owner) continue;
    try {
      if (owner === ctx.identity.owner) result.released.push(await releaseLock(ctx, state.name));
      else result.broken.push(await breakLock(ctx, state.name, "force"));
    } catch {
    }
  }
  return result;
}
async function releaseHoldsOf(ctx, state, owner, result) {
  const holds = state.holds.filter((h) => h.record.owner === owner);
  if (holds.length === 0) return;
  try {
    if (owner !== ctx.identity.owner) {
      result.broken.push(await breakOwnerHolds(ctx, state.name, owner));
      return;
    }
    for (const hold of holds) {
      if (hold.record.hold === "instance" && hold.status === "held") continue;
      const lockId = hold.record.lock_id;
      result.released.push(await releaseLock(ctx, state.name, {
        lockId
      }));
    }
  } catch {
  }
}
var init_release_all = __esm({
  "lib/core/release_all.ts"() {
    init_engine();
    init_lock_breaks();
  }
});

// lib/cli/commands/unlock.ts
var unlock_exports = {};
__export(unlock_exports, {
  run: () => run3,
  spec: () => spec3
});
async function run3(args, _io) {
  const force = args.flags.force === true;
  const breakStale = args.flags["break-stale"] === true;
  const mine = args.flags.mine === true;
  const owner = stringFlag(args, "owner");
  if (force && breakStale) throw new UsageError("use either --force or --break-stale", "unlock");
  if (mine || owner !== void 0) {
    if (args.positionals.length > 0) {
      throw new UsageError("--mine and --owner take no lock name", "unlock");
    }
    if (mine && owner !== void 0) throw new UsageError("use either --mine or --owner", "unlock");
    if (breakStale || mine && force) {
      throw new UsageError(`--${breakStale ? "break-stale" : "force"} goes with a lock name or --owner`, "unlock");
    }
    if (owner !== void 0) {
      const problem = identityValueProblem(owner, "--owner");
      if (problem) throw new UsageError(problem, "unlock");
    }
    const ctx2 = openContext({
      write: true
    });
    const target = owner ?? ctx2.identity.owner;
    if (target !== ctx2.identity.owner && !force) {
      throw new UsageError(`--owner ${target} breaks another owner's locks (audited as force-break): it needs --force`, "unlock");
    }
    return await releaseAll(ctx2, target);
  }
  const name = nameArg(args, "unlock");
  const ctx = openContext({
    write: true
  });
  if (force || breakStale) {
    const state = await inspectLock(ctx, name);
    if (force && state.mine && state.status === "held" && state.record?.hold === "owner") {
      return releasedResult(await releaseLock(ctx, name));
    }
    return broken(name, await breakLock(ctx, name, force ? "force" : "stale"));
  }
  return releasedResult(await releaseLock(ctx, name, {
    inherited: inheritedHolds().get(name) ?? null
  }));
}
function broken(name, result) {
  const owners = [
    ...new Set(result.holds.map((r) => r.owner))
  ].join(", ");
  const who = result.previous ? `held by ${result.previous.owner}, pid ${result.previous.pid}` : result.holds.length > 0 ? `${result.holds.length} hold(s) of ${owners}` : `corrupt: ${result.corruption}`;
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "unlock",
      action: result.event,
      released: [],
      broken: [
        {
          name,
          event: result.event,
          previous: result.previous,
          holds: result.holds,
          corruption: result.corruption
        }
      ]
    },
    text: `broke "${name}" (${who}) \u2014 audited as ${result.event}`
  };
}
async function releaseAll(ctx, owner) {
  const { released: releasedRecords, broken: brokenEntries } = await releaseAllOf(ctx, owner);
  const names = [
    ...releasedRecords.map((r) => r.name),
    ...brokenEntries.map((b) => b.name)
  ];
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "unlock",
      action: owner === ctx.identity.owner ? "release" : "force-break",
      released: releasedRecords,
      broken: brokenEntries
    },
    text: names.length === 0 ? `${owner} holds no locks` : `${owner === ctx.identity.owner ? "released" : "force-broke"} ${names.length} lock(s) of ${owner}: ${names.join(", ")}${owner === ctx.identity.owner ? "" : " \u2014 audited as force-break"}`
  };
}
var spec3;
var init_unlock = __esm({
  "lib/cli/commands/unlock.ts"() {
    init_engine();
    init_lock_breaks();
    init_release_all();
    init_identity_value();
    init_errors();
    init_lock_results();
    init_flags();
    init_context();
    init_held_env();
    spec3 = {
      name: "unlock",
      summary: "release your lock; --break-stale a stale one; --force any (break-glass)",
      usage: [
        "unlock <name> [--force | --break-stale] [--json]",
        "unlock --mine [--json]",
        "unlock --owner O --force [--json]"
      ],
      flags: [
        {
          name: "force",
          type: "boolean",
          help: "break the lock whoever holds it (audited as force-break)"
        },
        {
          name: "break-stale",
          type: "boolean",
          help: "break it only if expired, dead or corrupt"
        },
        {
          name: "mine",
          type: "boolean",
          help: "release every lock you hold"
        },
        {
          name: "owner",
          type: "string",
          value: "O",
          help: "with --force: break every lock owner O holds (break-glass, audited as force-break)"
        }
      ],
      positionals: [
        "name?"
      ],
      examples: [
        "lokt unlock build",
        "lokt unlock build --break-stale",
        "lokt unlock --mine"
      ]
    };
  }
});

// lib/model/glob_overlap.ts
function overlapWitness(a, b) {
  const segments = walk(a.elements, b.elements, pathMoves);
  if (segments === null) return null;
  return segments.length === 0 ? "a" : segments.join("/");
}
function walk(x, y, moves) {
  const width = y.length + 1;
  const seen = new Uint8Array((x.length + 1) * width);
  const from = [
    -1
  ];
  const emitted = [
    null
  ];
  const at = [
    0
  ];
  const stack = [
    0
  ];
  seen[0] = 1;
  while (stack.length > 0) {
    const entry = stack.pop();
    const pos = at[entry];
    const i = Math.floor(pos / width);
    const j = pos % width;
    if (i === x.length && j === y.length) {
      const out = [];
      for (let e = entry; e > 0; e = from[e]) {
        const value = emitted[e];
        if (value !== null) out.push(value);
      }
      return out.reverse();
    }
    for (const [ni, nj, value] of moves(x, y, i, j)) {
      const next = ni * width + nj;
      if (seen[next]) continue;
      seen[next] = 1;
      from.push(entry);
      emitted.push(value);
      at.push(next);
      stack.push(at.length - 1);
    }
  }
  return null;
}
function pathMoves(a, b, i, j) {
  const moves = [];
  const ea = a[i];
  const eb = b[j];
  if (ea?.kind === "globstar") moves.push([
    i + 1,
    j,
    null
  ]);
  if (eb?.kind === "globstar") moves.push([
    i,
    j + 1,
    null
  ]);
  if (ea?.kind === "globstar" && eb?.kind === "segment") {
    const w = eb.literal ?? segmentWitness(eb.tokens, STAR_SEGMENT);
    if (w !== null) moves.push([
      i,
      j + 1,
      w
    ]);
  }
  if (ea?.kind === "segment" && eb?.kind === "globstar") {
    const w = ea.literal ?? segmentWitness(ea.tokens, STAR_SEGMENT);
    if (w !== null) moves.push([
      i + 1,
      j,
      w
    ]);
  }
  if (ea?.kind === "segment" && eb?.kind === "segment") {
    const w = segmentsMeet(ea, eb);
    if (w !== null) moves.push([
      i + 1,
      j + 1,
      w
    ]);
  }
  return moves;
}
function segmentsMeet(a, b) {
  if (a.literal !== null && b.literal !== null) return a.literal === b.literal ? a.literal : null;
  if (a.literal !== null) return matchesText(b.tokens, a.literal) ? a.literal : null;
  if (b.literal !== null) return matchesText(a.tokens, b.literal) ? b.literal : null;
  return segmentWitness(a.tokens, b.tokens);
}
function matchesText(tokens, text2) {
  const chars = Array.from(text2, (c2) => c2.codePointAt(0));
  let t = 0;
  let c = 0;
  let star = -1;
  let resume = 0;
  while (c < chars.length) {
    const token = tokens[t];
    if (token?.kind === "chars" && inRanges(token.ranges, chars[c])) {
      t++;
      c++;
    } else if (token?.kind === "star") {
      star = t++;
      resume = c;
    } else if (star >= 0) {
      t = star + 1;
      c = ++resume;
    } else return false;
  }
  while (tokens[t]?.kind === "star") t++;
  return t === tokens.length;
}
function inRanges(ranges, code) {
  for (const [lo, hi] of ranges) if (code >= lo && code <= hi) return true;
  return false;
}
function segmentWitness(a, b) {
  const chars = walk(a, b, charMoves);
  if (chars === null) return null;
  return chars.length === 0 ? "a" : String.fromCodePoint(...chars);
}
function charMoves(a, b, i, j) {
  const moves = [];
  const ta = a[i];
  const tb = b[j];
  if (ta?.kind === "star") moves.push([
    i + 1,
    j,
    null
  ]);
  if (tb?.kind === "star") moves.push([
    i,
    j + 1,
    null
  ]);
  if (ta?.kind === "star" && tb?.kind === "chars") moves.push([
    i,
    j + 1,
    first(tb.ranges)
  ]);
  if (ta?.kind === "chars" && tb?.kind === "star") moves.push([
    i + 1,
    j,
    first(ta.ranges)
  ]);
  if (ta?.kind === "chars" && tb?.kind === "chars") {
    const common = intersect(ta.ranges, tb.ranges);
    if (common.length > 0) moves.push([
      i + 1,
      j + 1,
      first(common)
    ]);
  }
  return moves.filter(([, , c]) => c !== -1);
}
function first(ranges) {
  for (const prefer of [
    LETTERS,
    PRINTABLE,
    ranges
  ]) {
    const found = intersect(ranges, prefer)[0];
    if (found) return found[0];
  }
  return -1;
}
function compilePattern(source) {
  const prefix = [];
  for (const segment of source.split("/")) {
    if (/[*?[\\]/.test(segment)) break;
    prefix.push(segment);
  }
  return {
    source,
    prefix,
    literal: false,
    subtree: false,
    glob: null
  };
}
function compilePath(path, subtree = true) {
  return {
    source: path,
    prefix: path.split("/"),
    literal: true,
    subtree,
    glob: null
  };
}
function compiledOverlap(a, b) {
  const n = Math.min(a.prefix.length, b.prefix.length);
  for (let i = 0; i < n; i++) if (a.prefix[i] !== b.prefix[i]) return false;
  if (a.literal && !a.subtree && !b.literal && !fileCanMatch(a.prefix, b.source)) return false;
  if (b.literal && !b.subtree && !a.literal && !fileCanMatch(b.prefix, a.source)) return false;
  return overlapWitness(globOf(a), globOf(b)) !== null;
}
function fileCanMatch(segments, source) {
  const parts = source.split("/");
  for (const part of parts) {
    if (part !== "**" && !GLOB_CHAR.test(part) && !segments.includes(part)) return false;
  }
  if (!GLOB_CHAR.test(source)) return true;
  const last = parts.at(-1);
  const file = segments.at(-1);
  if (last === "**") return true;
  if (!GLOB_CHAR.test(last)) return last === file;
  const tail = last.slice(last.lastIndexOf("*") + 1);
  return !last.includes("*") || GLOB_CHAR.test(tail) || file.endsWith(tail);
}
function globOf(c) {
  c.glob ??= c.literal ? literalGlob(c.source, c.subtree) : parseGlob(c.source);
  return c.glob;
}
var STAR_SEGMENT, LETTERS, PRINTABLE, GLOB_CHAR;
var init_glob_overlap = __esm({
  "lib/model/glob_overlap.ts"() {
    init_path_glob();
    STAR_SEGMENT = [
      {
        kind: "star"
      }
    ];
    LETTERS = [
      [
        97,
        122
      ]
    ];
    PRINTABLE = [
      [
        33,
        46
      ],
      [
        48,
        126
      ]
    ];
    GLOB_CHAR = /[*?[\\]/;
  }
});

// lib/model/reservation.ts
function newReservation(pattern, holder, spec21, now) {
  return {
    id: randomId(),
    patterns: [
      pattern
    ],
    mode: spec21.mode,
    owner: holder.owner,
    agent_id: holder.agentId,
    host: holder.host,
    machine_id: holder.machineId,
    pid: spec21.pid ?? holder.pid,
    pid_start: spec21.pid === void 0 ? holder.pidStart : spec21.pidStart ?? null,
    liveness: spec21.liveness,
    reason: spec21.reason,
    reserved_at: isoTime(now),
    renewed_at: isoTime(now),
    ttl_ms: spec21.ttlMs,
    expires_at: isoTime(now + spec21.ttlMs),
    ...spec21.exact ? {
      exact: true
    } : {}
  };
}
function parseReservationIndex(raw) {
  const value = parseObject(raw);
  if (!value || value.version !== INDEX_VERSION || !Array.isArray(value.reservations)) return null;
  for (const item of value.reservations) if (!isReservation(item)) return null;
  return value;
}
function isReservation(item) {
  if (!item || typeof item !== "object" || Array.isArray(item)) return false;
  const r = item;
  const patterns = r.patterns;
  return isText(r.id) && Array.isArray(patterns) && patterns.length === 1 && isText(patterns[0]) && (r.mode === "exclusive" || r.mode === "shared") && isText(r.owner) && isText(r.agent_id) && isText(r.host) && isText(r.machine_id) && isCount2(r.pid) && (r.pid_start === null || isText(r.pid_start)) && (r.liveness === "ttl" || r.liveness === "process") && (r.reason === null || typeof r.reason === "string") && isTime(r.reserved_at) && isTime(r.renewed_at) && isCount2(r.ttl_ms) && isTime(r.expires_at) && (r.exact === void 0 || typeof r.exact === "boolean");
}
function isText(value) {
  return typeof value === "string" && value.length > 0;
}
function isCount2(value) {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
function encodeReservationIndex(reservations) {
  const lines2 = reservations.map((r) => JSON.stringify(r));
  return `{"version":${INDEX_VERSION},"reservations":[${lines2.length ? `
${lines2.join(",\n")}
` : ""}]}
`;
}
function reservationLines(raw, wanted) {
  const lines2 = raw.split("\n");
  if (lines2[0] !== INDEX_HEAD && lines2[0] !== `${INDEX_HEAD}]}`) return null;
  if (lines2[0] !== `${INDEX_HEAD}]}` && lines2.at(-2) !== "]}") return null;
  const kept = [];
  const last = lines2.length - 2;
  for (let i = 1; i < last; i++) {
    const line = lines2[i];
    const start = line.indexOf(PATTERN_KEY);
    if (start < 0) return null;
    const end = line.indexOf('"]', start + PATTERN_KEY.length);
    if (end < 0) return null;
    let pattern = line.slice(start + PATTERN_KEY.length + 1, end);
    if (pattern.includes("\\")) pattern = JSON.parse(`"${pattern}"`);
    if (!wanted(pattern)) continue;
    const item = parseObject(line.endsWith(",") ? line.slice(0, -1) : line);
    if (!isReservation(item)) return null;
    kept.push(item);
  }
  return kept;
}
var INDEX_VERSION, INDEX_HEAD, PATTERN_KEY;
var init_reservation = __esm({
  "lib/model/reservation.ts"() {
    init_lock_record();
    init_iso_time();
    INDEX_VERSION = 1;
    INDEX_HEAD = `{"version":${INDEX_VERSION},"reservations":[`;
    PATTERN_KEY = '"patterns":[';
  }
});

// lib/core/reservations.ts
async function inspectReservations(ctx) {
  const { state, records } = await readIndex(ctx);
  const now = ctx.now();
  state.reservations = records.map((r) => judgeReservation(r, state.entry, ctx, now));
  return state;
}
async function readIndex(ctx, wanted) {
  const entry = await ctx.store.read("reservations", RESERVATION_INDEX);
  const state = {
    entry,
    reservations: [],
    corruption: null,
    graceLeftMs: 0
  };
  if (!entry) return {
    state,
    records: []
  };
  const some = wanted && entry.raw !== null ? reservationLines(entry.raw, wanted) : null;
  if (some) return {
    state,
    records: some
  };
  const index = entry.raw === null ? null : parseReservationIndex(entry.raw);
  if (!index) {
    state.corruption = entry.problem ?? "not a valid reservations index";
    state.graceLeftMs = Math.max(0, entry.mtimeMs + CORRUPT_GRACE_MS - ctx.now());
    return {
      state,
      records: []
    };
  }
  return {
    state,
    records: index.reservations
  };
}
function judgeReservation(r, entry, ctx, now) {
  const expiry = Date.parse(r.renewed_at) > now + SKEW_MS ? entry.mtimeMs + r.ttl_ms : Date.parse(r.expires_at);
  const dead = r.liveness === "process" && r.machine_id === ctx.identity.machineId && probeProcess(r.pid, r.pid_start) === "dead";
  return {
    reservation: r,
    status: dead ? "dead" : now > expiry + SKEW_MS ? "expired" : "live",
    mine: r.owner === ctx.identity.owner,
    expiresInMs: expiry - now
  };
}
function conflictsOf(state, asked, mode) {
  const others = state.reservations.filter((j) => j.status === "live" && !j.mine && (mode === "exclusive" || j.reservation.mode === "exclusive"));
  const compiled = others.map((j) => compileReservation(j.reservation));
  const conflicts = [];
  for (const a of asked) {
    others.forEach((j, k) => {
      if (compiledOverlap(a, compiled[k])) {
        conflicts.push({
          pattern: a.source,
          reservation: j.reservation,
          expiresInMs: j.expiresInMs
        });
      }
    });
  }
  return conflicts;
}
async function checkLiteralPaths(ctx, paths, shared, isFile2 = () => false) {
  const asked = paths.map((p) => compilePath(p, !isFile2(p)));
  const overlapping = (pattern) => asked.some((a) => compiledOverlap(a, compilePattern(pattern)));
  const { state, records } = await readIndex(ctx, overlapping);
  const now = ctx.now();
  const me = ctx.identity.owner;
  const candidates = records.filter((r) => r.owner !== me && (!shared || r.mode === "exclusive") && asked.some((a) => compiledOverlap(a, compileReservation(r))));
  state.reservations = candidates.map((r) => judgeReservation(r, state.entry, ctx, now));
  const conflicts = conflictsOf(state, asked, shared ? "shared" : "exclusive");
  return {
    conflicts,
    state
  };
}
function compileReservation(r) {
  return r.exact ? compilePath(r.patterns[0], false) : compilePattern(r.patterns[0]);
}
var init_reservations = __esm({
  "lib/core/reservations.ts"() {
    init_defaults();
    init_glob_overlap();
    init_reservation();
    init_lock_store();
    init_liveness();
  }
});

// lib/core/reservation_writes.ts
async function reservePatterns(ctx, patterns, spec21, options = {}) {
  const wanted = [
    ...new Set(patterns)
  ];
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const state = await inspectReservations(ctx);
    refuseYoungCorruption(state);
    const asked = wanted.map((p) => spec21.exact ? compilePath(p, false) : compilePattern(p));
    const conflicts = conflictsOf(state, asked, spec21.mode);
    if (conflicts.length > 0) {
      if (!options.quietDeny) {
        await ctx.store.appendAudit([
          denyEvent2(ctx, wanted, spec21, conflicts)
        ]);
      }
      throw new ReservationConflictError(conflicts);
    }
    const now = ctx.now();
    const kept = state.reservations.filter((j) => j.status === "live");
    const held = new Map(kept.filter((j) => j.mine).map((j) => [
      j.reservation.patterns[0],
      j.reservation
    ]));
    const result = {
      reservations: [],
      renewed: []
    };
    const audit = staleEvents(ctx, state, now);
    const next = kept.map((j) => j.reservation);
    for (const pattern of wanted) {
      const before = held.get(pattern);
      const r = before ? renewed(before, spec21, now) : newReservation(pattern, ctx.identity, spec21, now);
      if (before) {
        next[next.indexOf(before)] = r;
        result.renewed.push(r.id);
      } else next.push(r);
      result.reservations.push(r);
      audit.push(reservationEvent(ctx, "reserve", r, now, {
        renewed: before !== void 0
      }));
    }
    if (await writeIndex(ctx, state, next, audit)) return result;
  }
  throw new ContentionError("reserve", "reservations");
}
function renewed(before, spec21, now) {
  return {
    ...before,
    ...spec21.exact ? {
      exact: true
    } : {},
    mode: spec21.mode,
    liveness: spec21.liveness,
    pid: spec21.pid ?? before.pid,
    pid_start: spec21.pid === void 0 ? before.pid_start : spec21.pidStart ?? null,
    reason: spec21.reason ?? before.reason,
    renewed_at: isoTime(now),
    ttl_ms: spec21.ttlMs,
    expires_at: isoTime(now + spec21.ttlMs)
  };
}
async function releaseReservations(ctx, patterns, options = {}) {
  const owner = options.owner ?? ctx.identity.owner;
  const forced = owner !== ctx.identity.owner;
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const state = await inspectReservations(ctx);
    refuseYoungCorruption(state);
    const now = ctx.now();
    const theirs = state.reservations.filter((j) => j.reservation.owner === owner);
    const targets = theirs.filter((j) => patterns === "all" || patterns.includes(j.reservation.patterns[0]));
    if (targets.length === 0) {
      const what = patterns === "all" ? "any path" : patterns.map((p) => `"${p}"`).join(", ");
      throw new NotFoundError("reservation", forced ? `${what} of ${owner}` : what);
    }
    const gone = new Set(targets);
    const audit = staleEvents(ctx, state, now, gone);
    for (const j of targets) {
      audit.push(forced ? reservationEvent(ctx, "reserve-break", j.reservation, now, {
        forced: true,
        ...previous(j)
      }) : reservationEvent(ctx, "unreserve", j.reservation, now, null));
    }
    const next = state.reservations.filter((j) => !gone.has(j) && j.status === "live").map((j) => j.reservation);
    if (await writeIndex(ctx, state, next, audit)) {
      const released = targets.map((j) => j.reservation);
      const notHeld = patterns === "all" ? [] : patterns.filter((p) => !released.some((r) => r.patterns[0] === p));
      return {
        released,
        notHeld
      };
    }
  }
  throw new ContentionError("release", "reservations");
}
function refuseYoungCorruption(state) {
  if (state.corruption !== null && state.graceLeftMs > 0) {
    throw new LoktError(`the reservations index is corrupt (${state.corruption}) and may be mid-write; it is replaced in ${Math.ceil(state.graceLeftMs / 1e3)}s: retry then`);
  }
}
function staleEvents(ctx, state, now, except = /* @__PURE__ */ new Set()) {
  const events2 = state.reservations.filter((j) => j.status !== "live" && !except.has(j)).map((j) => reservationEvent(ctx, "reserve-break", j.reservation, now, previous(j)));
  if (state.corruption !== null) {
    events2.push(makeEvent("reserve-break", "reservations", ctx.identity, {
      detail: {
        corrupt: state.corruption
      }
    }, now));
  }
  return events2;
}
function previous(j) {
  return {
    why: j.status,
    previous_owner: j.reservation.owner,
    previous_agent_id: j.reservation.agent_id,
    previous_pid: j.reservation.pid,
    expired_ms_ago: -j.expiresInMs
  };
}
function reservationEvent(ctx, kind, r, now, detail2) {
  return makeEvent(kind, r.patterns[0], ctx.identity, {
    lock_id: r.id,
    ttl_ms: r.ttl_ms,
    reason: r.reason,
    detail: {
      patterns: r.patterns,
      mode: r.mode,
      ...detail2
    }
  }, now);
}
function denyEvent2(ctx, patterns, spec21, conflicts) {
  return makeEvent("reserve-deny", patterns[0], ctx.identity, {
    ttl_ms: spec21.ttlMs,
    reason: spec21.reason,
    detail: {
      patterns,
      mode: spec21.mode,
      conflicts: conflicts.map((c) => ({
        pattern: c.pattern,
        reserved: c.reservation.patterns[0],
        owner: c.reservation.owner,
        id: c.reservation.id
      }))
    }
  }, ctx.now());
}
function writeIndex(ctx, state, next, audit) {
  const produced = {
    content: encodeReservationIndex(next),
    audit
  };
  if (state.entry === null) {
    if (next.length === 0) return ctx.store.appendAudit(audit).then(() => true);
    return ctx.store.createIfAbsent("reservations", RESERVATION_INDEX, () => produced, {
      freshFence: false
    });
  }
  if (next.length === 0) {
    return ctx.store.compareAndRemove("reservations", RESERVATION_INDEX, state.entry.token, audit);
  }
  return ctx.store.compareAndReplace("reservations", RESERVATION_INDEX, state.entry.token, () => produced, {
    freshFence: false
  });
}
var init_reservation_writes = __esm({
  "lib/core/reservation_writes.ts"() {
    init_audit_event();
    init_defaults();
    init_errors();
    init_glob_overlap();
    init_iso_time();
    init_lock_errors();
    init_reservation();
    init_reservation_errors();
    init_lock_store();
    init_reservations();
  }
});

// lib/core/reservation_wait.ts
async function reserveWaiting(ctx, patterns, spec21, options) {
  const started = ctx.now();
  let refusal = "";
  for (let first2 = true; ; first2 = false) {
    const watcher = ctx.store.watch({
      kind: "reservations"
    });
    try {
      try {
        return await reservePatterns(ctx, patterns, spec21, {
          quietDeny: !first2
        });
      } catch (err) {
        if (!(err instanceof ReservationConflictError)) throw err;
        refusal = err.message;
      }
      const left = started + options.timeoutMs - ctx.now();
      if (left <= 0) break;
      options.signal?.throwIfAborted();
      options.onProgress?.(refusal, ctx.now() - started);
      await watcher.changed(Math.min(POLL_MS, left), options.signal);
    } finally {
      watcher.close();
    }
  }
  options.signal?.throwIfAborted();
  throw new WaitTimeoutError(patterns.join(" "), ctx.now() - started, refusal);
}
var POLL_MS;
var init_reservation_wait = __esm({
  "lib/core/reservation_wait.ts"() {
    init_lock_errors();
    init_reservation_errors();
    init_reservation_writes();
    POLL_MS = 250;
  }
});

// lib/cli/commands/reserve.ts
var reserve_exports = {};
__export(reserve_exports, {
  run: () => run4,
  spec: () => spec4
});
async function run4(args, _io) {
  const ctx = openContext({
    write: true
  });
  const patterns = patternArgs(args, "reserve", patternBase(ctx.rootInfo), "pattern");
  const pid = pidFlag(args, "reserve");
  const config = loadConfig(ctx.rootInfo, ctx.cwd);
  if (/^0+(ms|s|m|h|d)?$/.test(stringFlag(args, "ttl") ?? "x")) {
    throw new UsageError("reservations always expire: --ttl must be at least 1s", "reserve");
  }
  const request = {
    ...acquireRequest(args),
    shared: void 0,
    slots: void 0
  };
  const settings = acquireSettings(request, "", config, config.defaultTtlMs);
  const reservation = {
    mode: args.flags.shared === true ? "shared" : "exclusive",
    ttlMs: settings.ttlMs ?? config.defaultTtlMs,
    reason: settings.reason,
    liveness: pid === null ? "ttl" : "process",
    ...pid === null ? {} : {
      pid,
      pidStart: pidStartOf(pid)
    }
  };
  const result = settings.wait ? await reserveWaiting(ctx, patterns, reservation, {
    timeoutMs: settings.timeoutMs
  }) : await reservePatterns(ctx, patterns, reservation);
  return reservedResult(result, guessedOwnerWarning(ctx.identity));
}
function reservedResult(result, warning) {
  const lines2 = result.reservations.map((r) => `${result.renewed.includes(r.id) ? "renewed" : "reserved"} "${r.patterns[0]}" (${r.mode}, expires in ${formatDuration(r.ttl_ms)})`);
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "reserve",
      reservations: result.reservations,
      renewed: result.renewed
    },
    text: lines2.join("\n"),
    ...warning === null ? {} : {
      warning
    }
  };
}
var spec4;
var init_reserve = __esm({
  "lib/cli/commands/reserve.ts"() {
    init_context();
    init_reservation_wait();
    init_reservation_writes();
    init_policy();
    init_duration_format();
    init_config();
    init_identity();
    init_root();
    init_flags();
    init_errors();
    spec4 = {
      name: "reserve",
      summary: "claim paths you are about to edit: all patterns or none",
      usage: [
        "reserve <pattern>\u2026 [--ttl D] [--shared] [--reason TEXT] [--wait] [--timeout D] [--pid PID] [--json]"
      ],
      flags: [
        ...ACQUIRE_FLAGS.filter((f) => [
          "ttl",
          "wait",
          "timeout",
          "reason",
          "shared"
        ].includes(f.name)).map((f) => f.name === "shared" ? {
          ...f,
          help: "read intent: conflicts only with exclusive reservations of others"
        } : f.name === "ttl" ? {
          ...f,
          default: "30m, or lokt.jsonc defaults.ttl"
        } : f),
        {
          name: "pid",
          type: "string",
          value: "PID",
          help: "the reservations also end when process PID ends"
        }
      ],
      positionals: [
        "pattern..."
      ],
      examples: [
        "lokt reserve src/auth --ttl 1h --reason 'refactor login'",
        "lokt reserve 'src/**/*.test.ts' docs/api.md",
        "lokt reserve src/api/types.ts --shared   # I depend on it: do not change it under me"
      ]
    };
  }
});

// lib/cli/commands/release.ts
var release_exports = {};
__export(release_exports, {
  run: () => run5,
  spec: () => spec5
});
async function run5(args, io) {
  const all = args.flags.all === true;
  const force = args.flags.force === true;
  const owner = stringFlag(args, "owner");
  const given = args.positionals.length > 0;
  if (!given && !all && owner === void 0) {
    throw new UsageError("name the patterns to release, or use --all", "release");
  }
  if ((all || owner !== void 0) && given) {
    throw new UsageError(`--${all ? "all" : "owner"} takes no pattern`, "release");
  }
  if (owner !== void 0) {
    const problem = identityValueProblem(owner, "--owner");
    if (problem) throw new UsageError(problem, "release");
    if (!force) {
      throw new UsageError(`--owner ${owner} breaks another owner's reservations (audited): it needs --force`, "release");
    }
  } else if (force) throw new UsageError("--force goes with --owner", "release");
  const ctx = openContext({
    write: true
  });
  const patterns = given ? patternArgs(args, "release", patternBase(ctx.rootInfo), "pattern") : "all";
  const result = await releaseReservations(ctx, patterns, owner === void 0 ? {} : {
    owner
  });
  if (result.notHeld.length > 0) {
    io.err(`note: you hold no reservation of ${result.notHeld.map((p) => `"${p}"`).join(", ")}`);
  }
  const shown = result.released.map((r) => `"${r.patterns[0]}"`).join(", ");
  const forced = owner !== void 0 && owner !== ctx.identity.owner;
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "release",
      action: forced ? "reserve-break" : "unreserve",
      released: result.released,
      not_held: result.notHeld
    },
    text: forced ? `broke ${result.released.length} reservation(s) of ${owner}: ${shown} \u2014 audited as reserve-break` : `released ${result.released.length} reservation(s): ${shown}`
  };
}
var spec5;
var init_release = __esm({
  "lib/cli/commands/release.ts"() {
    init_context();
    init_reservation_writes();
    init_identity_value();
    init_errors();
    init_root();
    init_flags();
    spec5 = {
      name: "release",
      summary: "drop your reservations: the patterns given, or --all",
      usage: [
        "release <pattern>\u2026 [--json]",
        "release --all [--json]",
        "release --owner O --force"
      ],
      flags: [
        {
          name: "all",
          type: "boolean",
          help: "release every reservation you hold"
        },
        {
          name: "owner",
          type: "string",
          value: "O",
          help: "with --force: break every reservation owner O holds (break-glass, audited)"
        },
        {
          name: "force",
          type: "boolean",
          help: "with --owner: break another owner's reservations"
        }
      ],
      positionals: [
        "pattern...?"
      ],
      examples: [
        "lokt release src/auth",
        "lokt release --all"
      ]
    };
  }
});

// lib/cli/commands/check.ts
var check_exports = {};
__export(check_exports, {
  run: () => run6,
  spec: () => spec6
});
async function run6(args, io) {
  const ctx = openContext();
  const base = patternBase(ctx.rootInfo);
  const paths = patternArgs(args, "check", base, "path");
  const { conflicts, state } = await checkLiteralPaths(ctx, paths, args.flags.shared === true, (path) => isFile(`${base}/${path}`));
  const warning = state.corruption === null ? null : `the reservations index is corrupt (${state.corruption}) and was ignored; run 'lokt doctor'`;
  if (warning) io.err(`warning: ${warning}`);
  const allowed = conflicts.length === 0;
  return {
    exitCode: allowed ? ExitCode.Ok : ExitCode.Held,
    json: {
      ok: true,
      command: "check",
      paths,
      shared: args.flags.shared === true,
      allowed,
      conflicts: conflicts.map((c) => ({
        path: c.pattern,
        reservation: c.reservation,
        expires_in_ms: c.expiresInMs
      })),
      warning
    },
    text: allowed ? `ok: no other owner's reservation covers ${paths.length === 1 ? `"${paths[0]}"` : `these ${paths.length} paths`}` : conflicts.map(describeConflict).map((line) => `reserved: ${line}`).join("\n")
  };
}
var spec6;
var init_check = __esm({
  "lib/cli/commands/check.ts"() {
    init_context();
    init_reservations();
    init_errors();
    init_reservation_errors();
    init_root();
    init_path();
    init_flags();
    spec6 = {
      name: "check",
      summary: "exit 0 if you may write these paths now, 2 if another owner reserved one",
      usage: [
        "check <path>\u2026 [--shared] [--json]"
      ],
      flags: [
        {
          name: "shared",
          type: "boolean",
          help: "check read intent: only exclusive reservations of others are in the way"
        }
      ],
      positionals: [
        "path..."
      ],
      examples: [
        "lokt check src/auth/login.ts",
        "lokt check src/auth && vim src/auth/login.ts"
      ]
    };
  }
});

// lib/model/audit_query.ts
function parseTimeBound(text2, now, flag) {
  if (/^\d+(\.\d+)?(ms|s|m|h|d)/.test(text2)) return now - parseDuration(text2, flag);
  if (/^\d{4}-\d{2}-\d{2}/.test(text2)) {
    const ms = Date.parse(text2);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new UsageError(`Invalid ${flag} ${JSON.stringify(text2)}: use a duration (30m, 2h) or a timestamp (2026-01-31T12:00:00Z)`);
}
function parseEventList(text2) {
  const kinds = text2.split(",").map((k) => k.trim()).filter((k) => k !== "");
  for (const kind of kinds) {
    if (!AUDIT_EVENTS.includes(kind)) {
      throw new UsageError(`Unknown event ${JSON.stringify(kind)}: one of ${AUDIT_EVENTS.join(", ")}`);
    }
  }
  if (kinds.length === 0) throw new UsageError("--event needs at least one event kind");
  return kinds;
}
function eventMatcher(query) {
  const since = query.sinceMs != null ? isoTime(query.sinceMs) : null;
  const until = query.untilMs != null ? isoTime(query.untilMs) : null;
  const nameText = query.name ? `"name":${JSON.stringify(query.name)}` : null;
  const ownerText = query.owner ? `"owner":${JSON.stringify(query.owner)}` : null;
  const events2 = query.events && query.events.length ? new Set(query.events) : null;
  return (line) => {
    if (line.trim() === "") return null;
    if (line.startsWith('{"ts":"') && (since || until)) {
      const ts = line.slice(7, 31);
      if (since && ts < since) return null;
      if (until && ts > until) return null;
    }
    if (events2 && line.startsWith('"event":"', 33)) {
      const end = line.indexOf('"', 42);
      if (end > 42 && !events2.has(line.slice(42, end))) return null;
    }
    if (nameText && !line.includes(nameText)) return null;
    if (ownerText && !line.includes(ownerText)) return null;
    const event = parseEvent(line);
    if (!event) return "malformed";
    if (query.name && event.name !== query.name) return null;
    if (query.owner && event.owner !== query.owner) return null;
    if (events2 && !events2.has(event.event)) return null;
    const at = Date.parse(event.ts);
    if (query.sinceMs != null && at < query.sinceMs) return null;
    if (query.untilMs != null && at > query.untilMs) return null;
    return event;
  };
}
function parseEvent(line) {
  let value;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!value || typeof value !== "object") return null;
  const e = value;
  if (typeof e.ts !== "string" || Number.isNaN(Date.parse(e.ts)) || typeof e.event !== "string" || typeof e.name !== "string" || typeof e.owner !== "string") {
    return null;
  }
  return e;
}
var init_audit_query = __esm({
  "lib/model/audit_query.ts"() {
    init_audit_event();
    init_duration();
    init_errors();
    init_iso_time();
  }
});

// lib/store/audit_reader.ts
async function* readAuditFiles(paths, query = {}, stats = {
  lines: 0,
  malformed: 0
}, endOffsets = {}) {
  const match = eventMatcher(query);
  const limit = query.limit ?? null;
  const ring = [];
  let start = 0;
  for (const path of paths) {
    for await (const line of lines(path, endOffsets[path] ?? Infinity)) {
      stats.lines++;
      const event = match(line);
      if (event === "malformed") stats.malformed++;
      if (event === null || event === "malformed") continue;
      if (limit === null) {
        yield event;
      } else if (limit > 0) {
        if (ring.length < limit) ring.push(event);
        else {
          ring[start] = event;
          start = (start + 1) % limit;
        }
      }
    }
  }
  for (let i = 0; i < ring.length; i++) yield ring[(start + i) % ring.length];
}
async function* lines(path, endOffset = Infinity) {
  let file;
  try {
    file = await Deno.open(path, {
      read: true
    });
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) return;
    throw err;
  }
  const decoder2 = new TextDecoder("utf-8", {
    fatal: false
  });
  const buffer = new Uint8Array(CHUNK);
  let rest = "";
  let offset = 0;
  try {
    while (offset < endOffset) {
      const want = Math.min(CHUNK, endOffset - offset);
      const n = await file.read(buffer.subarray(0, want));
      if (n === null) break;
      offset += n;
      const text2 = rest + decoder2.decode(buffer.subarray(0, n), {
        stream: true
      });
      const parts = text2.split("\n");
      rest = parts.pop() ?? "";
      for (const part of parts) yield part;
    }
    rest += decoder2.decode();
    if (rest !== "") yield rest;
  } finally {
    file.close();
  }
}
var CHUNK;
var init_audit_reader = __esm({
  "lib/store/audit_reader.ts"() {
    init_audit_query();
    CHUNK = 1 << 16;
  }
});

// lib/store/audit_follow.ts
async function* followAudit(path, query, signal, options = {}) {
  const pollMs = options.pollMs ?? 200;
  const match = eventMatcher({
    ...query,
    limit: null
  });
  let file = null;
  let ino = null;
  let offset = 0;
  let rest = "";
  const decoder2 = new TextDecoder("utf-8", {
    fatal: false
  });
  const open2 = async (from) => {
    try {
      file = await Deno.open(path, {
        read: true
      });
      const info = await file.stat();
      ino = info.ino;
      offset = from === "end" ? info.size : from;
      await file.seek(offset, Deno.SeekMode.Start);
      rest = "";
    } catch {
      file = null;
    }
  };
  async function* drain() {
    if (!file) return;
    const buffer = new Uint8Array(CHUNK);
    for (; ; ) {
      const n = await file.read(buffer);
      if (n === null || n === 0) break;
      offset += n;
      const parts = (rest + decoder2.decode(buffer.subarray(0, n), {
        stream: true
      })).split("\n");
      rest = parts.pop() ?? "";
      for (const part of parts) {
        const event = match(part);
        if (event && event !== "malformed") yield event;
      }
    }
  }
  const start = options.start;
  if (start) {
    await open2(start.offset);
    if (ino !== start.ino) await open2(0);
  } else {
    await open2("end");
  }
  try {
    while (!signal.aborted) {
      yield* drain();
      let current = null;
      try {
        current = await Deno.stat(path);
      } catch {
        current = null;
      }
      if (current && (file === null || current.ino !== ino)) {
        file?.close();
        await open2(0);
        continue;
      }
      if (current && current.size < offset) {
        offset = 0;
        rest = "";
        await file?.seek(0, Deno.SeekMode.Start);
        continue;
      }
      await new Promise((resolve2) => {
        const timer = setTimeout(resolve2, pollMs);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve2();
        }, {
          once: true
        });
      });
    }
  } finally {
    file?.close();
  }
}
async function followStart(path) {
  try {
    const info = await Deno.stat(path);
    return {
      ino: info.ino,
      offset: info.size
    };
  } catch {
    return {
      ino: null,
      offset: 0
    };
  }
}
var init_audit_follow = __esm({
  "lib/store/audit_follow.ts"() {
    init_audit_query();
    init_audit_reader();
  }
});

// lib/store/redis_audit.ts
async function readAuditStream(client, key, query) {
  const match = eventMatcher(query);
  const limit = query.limit ?? null;
  const events2 = [];
  let from = query.sinceMs != null ? String(query.sinceMs) : "-";
  const to = query.untilMs != null ? String(query.untilMs) : "+";
  let lastId = "0-0";
  for (; ; ) {
    const batch = await client.command("XRANGE", key, from, to, "COUNT", 1e3);
    for (const [id, fields] of batch) {
      lastId = id;
      const event = match(fields[1] ?? "");
      if (event === null || event === "malformed") continue;
      events2.push(event);
      if (limit !== null && events2.length > limit) events2.shift();
    }
    if (batch.length < 1e3) break;
    from = `(${lastId}`;
  }
  if (to === "+" && lastId === "0-0") {
    const last = await client.command("XREVRANGE", key, "+", "-", "COUNT", 1);
    lastId = last[0]?.[0] ?? "0-0";
  }
  return {
    events: limit === 0 ? [] : events2,
    lastId
  };
}
async function* followAuditStream(client, key, query, lastId, signal) {
  const match = eventMatcher(query);
  let from = lastId;
  while (!signal.aborted) {
    const reply = await client.command("XREAD", "BLOCK", 500, "STREAMS", key, from);
    if (!Array.isArray(reply)) continue;
    const entries = reply[0][1];
    for (const [id, fields] of entries) {
      from = id;
      const event = match(fields[1] ?? "");
      if (event !== null && event !== "malformed") yield event;
    }
  }
}
var init_redis_audit = __esm({
  "lib/store/redis_audit.ts"() {
    init_audit_query();
  }
});

// lib/core/audit_source.ts
async function redisStoreOf(ctx) {
  if (ctx.backend.kind !== "redis") return null;
  return await ctx.store.store();
}
async function* auditEventsOf(ctx, query, stats, ends = {}) {
  const redis = await redisStoreOf(ctx);
  if (redis) {
    const { events: events2 } = await readAuditStream(await redis.client(), redis.auditKey, query);
    yield* events2;
    return;
  }
  const root = ctx.rootInfo.root;
  yield* readAuditFiles([
    auditPath(root, true),
    auditPath(root)
  ], query, stats, ends);
}
var init_audit_source = __esm({
  "lib/core/audit_source.ts"() {
    init_audit_reader();
    init_layout();
    init_redis_audit();
  }
});

// lib/core/timeline.ts
var BREAKS, TIMELINE_EVENTS, MAX_ROWS, OTHER_NAMES, MAX_OPEN, MARK_BUCKETS, TimelineBuilder;
var init_timeline = __esm({
  "lib/core/timeline.ts"() {
    BREAKS = /* @__PURE__ */ new Set([
      "expire-break",
      "dead-break",
      "force-break",
      "corrupt-break",
      "reserve-break"
    ]);
    TIMELINE_EVENTS = [
      "acquire",
      "release",
      "wait",
      "timeout",
      "lost",
      "freeze",
      "deny",
      "freeze-deny",
      "reserve",
      "unreserve",
      "reserve-deny",
      ...BREAKS
    ];
    MAX_ROWS = 250;
    OTHER_NAMES = "(other names)";
    MAX_OPEN = 64;
    MARK_BUCKETS = 60;
    TimelineBuilder = class {
      #from;
      #to;
      #cap;
      #fit;
      #rows = /* @__PURE__ */ new Map();
      #held = /* @__PURE__ */ new Map();
      #events = 0;
      /**
       * Starts an empty timeline.
       *
       * @param from The window's start (ms).
       * @param to The window's end (ms).
       * @param options `cap`: the most bars a row keeps before it is merged into
       * buckets (default 240); `fit`: start the window just before its first
       * event rather than at `from` (a short run fills the picture).
       */
      constructor(from, to, options = {}) {
        this.#from = from;
        this.#to = Math.max(to, from + 1);
        this.#cap = options.cap ?? 240;
        this.#fit = options.fit ?? false;
      }
      /**
       * Folds one event.
       *
       * @param e The event.
       */
      add(e) {
        let at = Date.parse(e.ts);
        if (Number.isNaN(at) || at < this.#from || at > this.#to) return;
        if (this.#fit) {
          if (this.#events === 0) {
            this.#from = Math.max(this.#from, at - Math.max(2e3, (this.#to - at) * 0.03));
          }
          at = Math.max(at, this.#from);
        }
        this.#events++;
        const reservation = e.event === "reserve" || e.event === "unreserve" || e.event === "reserve-break" || e.event === "reserve-deny";
        const state = this.#row(e.name, reservation ? "reservation" : "lock");
        const detail2 = e.detail ?? {};
        switch (e.event) {
          case "acquire":
          case "reserve":
            this.#end(state.waits, e.owner, state, at);
            if (e.lock_id) this.#hold(state, e.lock_id, at, e.owner, detail2, reservation);
            return;
          case "wait":
            this.#end(state.waits, e.owner, state, at);
            this.#open(state, state.waits, e.owner, {
              start: at,
              owner: e.owner,
              slot: null
            });
            return;
          case "timeout":
            this.#end(state.waits, e.owner, state, at);
            return;
          case "release":
          case "unreserve":
            if (e.lock_id) this.#end(state.holds, e.lock_id, state, at, e.owner);
            return;
          case "lost":
            if (e.lock_id) this.#end(state.holds, e.lock_id, state, at, e.owner);
            this.#mark(state, at, "lost", `${e.owner} lost it`);
            return;
          case "freeze":
            this.#mark(state, at, "freeze", `frozen by ${e.owner}${e.reason ? ` (${e.reason})` : ""}`);
            return;
          case "deny":
          case "freeze-deny":
          case "reserve-deny":
            this.#mark(state, at, "deny", `${e.owner} was refused`);
            return;
        }
        if (BREAKS.has(e.event)) {
          const previous2 = e.lock_id ?? detail2.previous_lock_id;
          const owner = detail2.previous_owner ?? "a corrupt record";
          if (previous2) this.#end(state.holds, previous2, state, at, owner);
          this.#mark(state, at, "break", `${e.event} by ${e.owner} of ${owner}`);
        }
      }
      /**
       * The timeline: holds and waits still open end at the window's end.
       *
       * @returns The timeline.
       */
      finish() {
        const states = [
          ...this.#rows.values()
        ];
        for (const state of states) {
          for (const key of [
            ...state.holds.keys()
          ]) this.#end(state.holds, key, state, this.#to);
          for (const key of [
            ...state.waits.keys()
          ]) this.#end(state.waits, key, state, this.#to);
          state.row.bars = this.#barsOf(state);
          state.row.marks = [
            ...state.marks.values()
          ].sort((a, b) => a.at - b.at);
        }
        const rows = states.map((s) => s.row).sort((a, b) => Number(a.name === OTHER_NAMES) - Number(b.name === OTHER_NAMES) || a.name.localeCompare(b.name));
        const owners = [
          ...this.#held.entries()
        ].sort((a, b) => b[1] - a[1]).map(([o]) => o);
        return {
          from: this.#from,
          to: this.#to,
          rows,
          owners,
          events: this.#events
        };
      }
      #row(name, kind) {
        const key = `${kind}:${name}`;
        let state = this.#rows.get(key);
        if (state) return state;
        if (this.#rows.size >= MAX_ROWS - 1 && name !== OTHER_NAMES) {
          return this.#row(OTHER_NAMES, "lock");
        }
        state = {
          row: {
            name,
            kind,
            bars: [],
            marks: []
          },
          holds: /* @__PURE__ */ new Map(),
          waits: /* @__PURE__ */ new Map(),
          marks: /* @__PURE__ */ new Map(),
          buckets: null
        };
        this.#rows.set(key, state);
        return state;
      }
      /**
       * A hold begins. A renewed reservation (the same id) goes on; a new hold of
       * an exclusive name ends whatever hold the trail still shows open there (it
       * cannot still have been held), a semaphore slot the hold of that slot.
       */
      #hold(state, id, at, owner, detail2, reservation) {
        if (state.holds.has(id)) return;
        const mode = detail2.mode ?? "exclusive";
        for (const [key, open2] of state.holds) {
          if (!reservation && mode === "exclusive" || mode === "slots" && open2.slot === detail2.slot) {
            this.#end(state.holds, key, state, at);
          }
        }
        this.#open(state, state.holds, id, {
          start: at,
          owner,
          slot: detail2.slot ?? null
        });
      }
      #open(state, open2, key, bar) {
        if (open2.size >= MAX_OPEN) {
          const oldest = open2.keys().next().value;
          this.#end(open2, oldest, state, bar.start);
        }
        open2.set(key, bar);
      }
      /** Ends an open bar; a hold ended that began before the window starts at the window. */
      #end(open2, key, state, at, owner) {
        const bar = open2.get(key);
        const kind = open2 === state.holds ? "hold" : "wait";
        if (!bar) {
          if (owner && kind === "hold") {
            this.#push(state, {
              start: this.#from,
              end: at,
              owner,
              kind,
              count: 1
            });
          }
          return;
        }
        open2.delete(key);
        this.#push(state, {
          start: bar.start,
          end: at,
          owner: bar.owner,
          kind,
          count: 1
        });
      }
      #push(state, bar) {
        if (bar.kind === "hold") {
          this.#held.set(bar.owner, (this.#held.get(bar.owner) ?? 0) + (bar.end - bar.start));
        }
        if (state.buckets) return this.#merge(state.buckets, bar);
        state.row.bars.push(bar);
        if (state.row.bars.length > this.#cap * 4) this.#bucket(state);
      }
      /** A mark, drawn with the others of its kind in the same time bucket. */
      #mark(state, at, kind, label) {
        const bucket = Math.floor((at - this.#from) / (this.#to - this.#from) * MARK_BUCKETS);
        const key = `${kind}:${bucket}`;
        const mark = state.marks.get(key);
        if (mark) mark.count++;
        else state.marks.set(key, {
          at,
          kind,
          label,
          count: 1
        });
      }
      /** Moves a row's bars into buckets: at most `cap / 2` per kind over the window. */
      #bucket(state) {
        state.buckets ??= /* @__PURE__ */ new Map();
        for (const bar of state.row.bars) this.#merge(state.buckets, bar);
        state.row.bars = [];
      }
      #merge(buckets, bar) {
        const width = (this.#to - this.#from) / Math.max(1, Math.floor(this.#cap / 2));
        const key = Math.floor((bar.start - this.#from) / width) * 2 + (bar.kind === "wait" ? 1 : 0);
        const time = (bar.end - bar.start) * bar.count;
        const bucket = buckets.get(key);
        if (!bucket) {
          buckets.set(key, {
            bar: {
              ...bar
            },
            time: /* @__PURE__ */ new Map([
              [
                bar.owner,
                time
              ]
            ])
          });
          return;
        }
        bucket.bar.start = Math.min(bucket.bar.start, bar.start);
        bucket.bar.end = Math.max(bucket.bar.end, bar.end);
        bucket.bar.count += bar.count;
        bucket.time.set(bar.owner, (bucket.time.get(bar.owner) ?? 0) + time);
      }
      /** A row's bars by start, each bucket shown as one bar by the owner who held (or waited) longest in it. */
      #barsOf(state) {
        if (!state.buckets && state.row.bars.length > this.#cap) this.#bucket(state);
        const bars = state.buckets ? [
          ...state.buckets.values()
        ].map(({ bar, time }) => {
          let most = -1;
          for (const [owner, ms] of time) if (ms > most) [most, bar.owner] = [
            ms,
            owner
          ];
          return bar;
        }) : state.row.bars;
        return bars.sort((a, b) => a.start - b.start);
      }
    };
  }
});

// lib/cli/timeline_svg.ts
function* timelineSvgLines(t, title) {
  const plot = WIDTH - LABEL_WIDTH - 20;
  const x = (ms) => LABEL_WIDTH + (ms - t.from) / (t.to - t.from) * plot;
  const colour = new Map(t.owners.map((o, i) => [
    o,
    OWNER_COLOURS[i % OWNER_COLOURS.length]
  ]));
  const legendOwners = t.owners.slice(0, 24);
  const legendRows = Math.ceil((legendOwners.length + 4) / 4);
  const height = TOP + Math.max(1, t.rows.length) * ROW + 30 + legendRows * 20 + 10;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12" role="img" aria-labelledby="lokt-title">`, `<title id="lokt-title">${esc(title)}</title>`, `<style>rect.hold,rect.wait{stroke:#333333;stroke-width:0.5}</style>`, `<defs><pattern id="wait" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#555555" stroke-width="2"/></pattern></defs>`, `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`, `<text x="10" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`);
  out.push(...axis(t, x, height - legendRows * 20 - 40));
  if (t.rows.length === 0) {
    out.push(`<text x="${LABEL_WIDTH}" y="${TOP + 15}">no events in this window</text>`);
  }
  yield* out;
  for (const [i, row2] of t.rows.entries()) {
    const y = TOP + i * ROW;
    const label = row2.kind === "reservation" ? `${row2.name} (reserved)` : row2.name;
    yield `<g class="row" data-name="${esc(row2.name)}" data-kind="${row2.kind}">`;
    if (i % 2 === 1) {
      yield `<rect x="0" y="${y}" width="${WIDTH}" height="${ROW}" fill="#f4f4f4"/>`;
    }
    yield `<text x="10" y="${y + 15}">${esc(clip(label, 30))}<title>${esc(label)}</title></text>`;
    for (const bar of row2.bars) yield barSvg(bar, x, y, colour);
    for (const mark of row2.marks) yield markSvg(mark, x(mark.at), y);
    yield `</g>`;
  }
  yield* legend(legendOwners, colour, height - legendRows * 20 - 10);
  yield `</svg>`;
}
function barSvg(bar, x, y, colour) {
  const left = x(bar.start);
  const width = Math.max(1.5, x(bar.end) - left);
  const what = bar.kind === "wait" ? "waited" : "held";
  const many = bar.count > 1 ? ` (${bar.count} ${bar.kind === "wait" ? "waits" : "holds"}, mostly ${bar.owner})` : "";
  const tip = `${bar.owner} ${what} ${formatDuration(bar.end - bar.start)} from ${iso(bar.start)}${many}`;
  const fill = bar.kind === "wait" ? "url(#wait)" : colour.get(bar.owner) ?? "#666666";
  const inset = bar.kind === "wait" ? 7 : 3;
  return `<rect class="${bar.kind}" data-owner="${esc(bar.owner)}" data-count="${bar.count}" x="${left.toFixed(1)}" y="${y + inset}" width="${width.toFixed(1)}" height="${ROW - 2 * inset}" fill="${fill}"><title>${esc(tip)}</title></rect>`;
}
function markSvg(mark, cx, y) {
  const c = y + ROW / 2;
  const text2 = mark.count > 1 ? `${mark.count} ${MARK_WORDS[mark.kind]} from ${iso(mark.at)}, the first: ${mark.label}` : `${mark.label} at ${iso(mark.at)}`;
  const tip = `<title>${esc(text2)}</title>`;
  const at = cx.toFixed(1);
  switch (mark.kind) {
    case "break":
      return `<path class="mark break" data-count="${mark.count}" d="M${cx - 5} ${c - 5}L${cx + 5} ${c + 5}M${cx + 5} ${c - 5}L${cx - 5} ${c + 5}" stroke="#C00000" stroke-width="2.5">${tip}</path>`;
    case "lost":
      return `<path class="mark lost" data-count="${mark.count}" d="M${at} ${c - 6}L${cx + 6} ${c + 5}L${cx - 6} ${c + 5}Z" fill="#D55E00" stroke="#000000" stroke-width="0.5">${tip}</path>`;
    case "freeze":
      return `<path class="mark freeze" data-count="${mark.count}" d="M${at} ${c - 6}L${cx + 6} ${c}L${at} ${c + 6}L${cx - 6} ${c}Z" fill="#56B4E9" stroke="#000000" stroke-width="0.5">${tip}</path>`;
    default:
      return `<line class="mark deny" data-count="${mark.count}" x1="${at}" y1="${c - 7}" x2="${at}" y2="${c + 7}" stroke="#555555" stroke-width="1.5">${tip}</line>`;
  }
}
function axis(t, x, bottom) {
  const steps = [
    1e3,
    5e3,
    1e4,
    15e3,
    3e4,
    6e4,
    3e5,
    9e5,
    18e5,
    36e5,
    108e5,
    216e5,
    432e5,
    864e5,
    6048e5
  ];
  const span = t.to - t.from;
  const step = steps.find((s) => span / s <= 10) ?? steps[steps.length - 1];
  const out = [
    `<line x1="${LABEL_WIDTH}" y1="${TOP - 6}" x2="${WIDTH - 20}" y2="${TOP - 6}" stroke="#333333"/>`
  ];
  const multiDay = span > 864e5 || new Date(t.from).getUTCDate() !== new Date(t.to).getUTCDate();
  for (let tick = Math.ceil(t.from / step) * step; tick <= t.to; tick += step) {
    const at = x(tick).toFixed(1);
    const d = new Date(tick).toISOString();
    const time = d.slice(11, step < 6e4 ? 19 : 16);
    const label = multiDay ? `${d.slice(5, 10)} ${time}` : time;
    out.push(`<line x1="${at}" y1="${TOP - 10}" x2="${at}" y2="${bottom}" stroke="#dddddd"/>`, `<text class="tick" x="${at}" y="${TOP - 14}" text-anchor="middle">${label}</text>`);
  }
  out.push(`<text x="${WIDTH - 20}" y="18" text-anchor="end" fill="#555555">UTC, ${formatDuration(span)} shown</text>`);
  return out;
}
function legend(owners, colour, top) {
  const items = [
    ...owners.map((o) => [
      o,
      `<rect width="14" height="10" fill="${colour.get(o)}" stroke="#333333" stroke-width="0.5"/>`
    ]),
    [
      "waiting",
      `<rect width="14" height="10" fill="url(#wait)" stroke="#333333" stroke-width="0.5"/>`
    ],
    [
      "\u2715 broken",
      ""
    ],
    [
      "\u25B2 lost",
      ""
    ],
    [
      "\u25C6 frozen, | refused",
      ""
    ]
  ];
  return [
    `<g class="legend">`,
    ...items.map(([label, swatch], i) => {
      const lx = 10 + i % 4 * 290;
      const ly = top + Math.floor(i / 4) * 20;
      return `<g transform="translate(${lx} ${ly})">${swatch}<text x="${swatch ? 20 : 0}" y="10">${esc(clip(label, 40))}</text></g>`;
    }),
    `</g>`
  ];
}
function clip(text2, n) {
  return text2.length > n ? `${text2.slice(0, n - 1)}\u2026` : text2;
}
function iso(ms) {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}
function esc(text2) {
  return text2.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
var OWNER_COLOURS, LABEL_WIDTH, WIDTH, ROW, TOP, MARK_WORDS;
var init_timeline_svg = __esm({
  "lib/cli/timeline_svg.ts"() {
    init_duration_format();
    OWNER_COLOURS = [
      "#0072B2",
      "#E69F00",
      "#009E73",
      "#CC79A7",
      "#56B4E9",
      "#D55E00",
      "#F0E442",
      "#000000",
      "#999999",
      "#882255",
      "#44AA99",
      "#117733"
    ];
    LABEL_WIDTH = 200;
    WIDTH = 1200;
    ROW = 22;
    TOP = 54;
    MARK_WORDS = {
      break: "breaks",
      lost: "losses",
      freeze: "freezes",
      deny: "refusals"
    };
  }
});

// lib/cli/commands/audit.ts
var audit_exports = {};
__export(audit_exports, {
  run: () => run7,
  spec: () => spec7
});
async function run7(args, io) {
  if (args.flags.timeline === true) return await timeline(args, io);
  const query = parseQuery(args);
  const follow = args.flags.follow === true;
  if (follow && query.limit === null) query.limit = 10;
  const ctx = openContext();
  const redis = await redisStoreOf(ctx);
  if (redis) return await redisAudit(redis, query, follow, io);
  const path = auditPath(ctx.rootInfo.root);
  const out = bufferedWriter(io);
  const print = (event) => out.write(io.json ? JSON.stringify(event) : row(io, event));
  if (!io.json) out.write(paint(io, "bold", header()));
  const stats = {
    lines: 0,
    malformed: 0
  };
  let count = 0;
  const start = follow ? await followStart(path) : null;
  const ends = start ? {
    [path]: start.offset
  } : {};
  for await (const event of readAuditFiles([
    auditPath(ctx.rootInfo.root, true),
    path
  ], query, stats, ends)) {
    print(event);
    count++;
  }
  out.flush();
  if (stats.malformed > 0) {
    io.err(`warning: skipped ${stats.malformed} malformed line(s) in the audit trail`);
  }
  if (follow) {
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    for (const s of [
      "SIGINT",
      "SIGTERM"
    ]) Deno.addSignalListener(s, onSignal);
    try {
      for await (const event of followAudit(path, query, stop.signal, {
        start,
        pollMs: 100
      })) {
        print(event);
        out.flush();
      }
    } finally {
      for (const s of [
        "SIGINT",
        "SIGTERM"
      ]) Deno.removeSignalListener(s, onSignal);
    }
  }
  return {
    exitCode: 0,
    json: null,
    text: count === 0 && !follow ? "(no matching events)" : ""
  };
}
async function timeline(args, io) {
  if (args.flags.follow === true || stringFlag(args, "limit") !== void 0) {
    throw new UsageError("--timeline takes --since, --until and --name only", "audit");
  }
  const now = Date.now();
  const query = parseQuery(args);
  const fit2 = query.sinceMs == null;
  query.sinceMs ??= now - 36e5;
  const to = query.untilMs ?? now;
  const builder = new TimelineBuilder(query.sinceMs, to, {
    fit: fit2
  });
  const ctx = openContext();
  for await (const event of auditEventsOf(ctx, {
    ...query,
    owner: null,
    events: TIMELINE_EVENTS
  })) {
    builder.add(event);
  }
  const folded = builder.finish();
  const title = `lokt \u2014 ${query.name ?? "every name"}, ${isoTime(folded.from).slice(0, 19)}Z to ${isoTime(folded.to).slice(0, 19)}Z (${folded.events} events)`;
  const out = bufferedWriter(io);
  for (const line of timelineSvgLines(folded, title)) out.write(line);
  out.flush();
  return {
    exitCode: 0,
    json: null,
    text: ""
  };
}
async function redisAudit(redis, query, follow, io) {
  const out = bufferedWriter(io);
  const print = (event) => out.write(io.json ? JSON.stringify(event) : row(io, event));
  if (!io.json) out.write(paint(io, "bold", header()));
  const { events: events2, lastId } = await readAuditStream(await redis.client(), redis.auditKey, query);
  events2.forEach(print);
  out.flush();
  if (follow) {
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    for (const s of [
      "SIGINT",
      "SIGTERM"
    ]) Deno.addSignalListener(s, onSignal);
    const reader = await redis.connectAnother();
    try {
      for await (const event of followAuditStream(reader, redis.auditKey, query, lastId, stop.signal)) {
        print(event);
        out.flush();
      }
    } finally {
      reader.close();
      for (const s of [
        "SIGINT",
        "SIGTERM"
      ]) Deno.removeSignalListener(s, onSignal);
    }
  }
  return {
    exitCode: 0,
    json: null,
    text: events2.length === 0 && !follow ? "(no matching events)" : ""
  };
}
function parseQuery(args) {
  const now = Date.now();
  const since = stringFlag(args, "since");
  const until = stringFlag(args, "until");
  const owner = stringFlag(args, "owner");
  const event = stringFlag(args, "event");
  const limit = stringFlag(args, "limit");
  if (owner !== void 0) {
    const problem = identityValueProblem(owner, "--owner");
    if (problem) throw new UsageError(problem, "audit");
  }
  if (limit !== void 0 && !/^\d{1,9}$/.test(limit)) {
    throw new UsageError(`Invalid --limit ${JSON.stringify(limit)}: a whole number`, "audit");
  }
  const name = stringFlag(args, "name");
  return {
    sinceMs: since === void 0 ? null : parseTimeBound(since, now, "--since"),
    untilMs: until === void 0 ? null : parseTimeBound(until, now, "--until"),
    name: name === void 0 ? null : nameArg({
      ...args,
      positionals: [
        name
      ]
    }, "audit"),
    owner: owner ?? null,
    events: event === void 0 ? null : parseEventList(event),
    limit: limit === void 0 ? null : Number(limit)
  };
}
function header() {
  return [
    "TIME",
    "EVENT",
    "NAME",
    "OWNER"
  ].map((h, i) => h.padEnd(WIDTHS[i])).join("  ") + "  DETAIL";
}
function row(io, e) {
  const cells = [
    e.ts,
    e.event,
    e.name,
    e.owner
  ].map((c, i) => fit(c, WIDTHS[i]));
  const kind = e.event;
  if (kind === "deny" || kind === "lost" || kind.endsWith("break") || kind === "timeout") {
    cells[1] = paint(io, kind === "lost" || kind === "force-break" ? "red" : "yellow", cells[1]);
  }
  return `${cells.join("  ")}  ${detail(e)}`;
}
function fit(text2, width) {
  return text2.length > width ? `${text2.slice(0, width - 1)}\u2026` : text2.padEnd(width);
}
function detail(e) {
  const parts = [];
  if (e.fence !== null) parts.push(`fence=${e.fence}`);
  if (e.ttl_ms !== null) parts.push(`ttl=${e.ttl_ms}ms`);
  if (e.reason) parts.push(`reason=${JSON.stringify(e.reason)}`);
  const d = e.detail ?? {};
  const holder = d.previous_owner ?? d.holder_owner;
  if (holder) parts.push(`${d.previous_owner ? "previous" : "holder"}=${holder}`);
  for (const key of [
    "queued",
    "waited_ms",
    "corrupt",
    "extended",
    "frozen_by",
    "took_over"
  ]) {
    if (d[key] !== void 0 && d[key] !== null) parts.push(`${key}=${JSON.stringify(d[key])}`);
  }
  return parts.join(" ");
}
function bufferedWriter(io) {
  let lines2 = [];
  let size = 0;
  const flush = () => {
    if (lines2.length) io.out(lines2.join("\n"));
    lines2 = [];
    size = 0;
  };
  return {
    write(line) {
      lines2.push(line);
      size += line.length;
      if (size > 1 << 16) flush();
    },
    flush
  };
}
var spec7, WIDTHS;
var init_audit = __esm({
  "lib/cli/commands/audit.ts"() {
    init_audit_query();
    init_audit_follow();
    init_audit_reader();
    init_context();
    init_layout();
    init_audit_source();
    init_timeline();
    init_iso_time();
    init_timeline_svg();
    init_redis_audit();
    init_errors();
    init_identity_value();
    init_output();
    init_flags();
    spec7 = {
      name: "audit",
      summary: "query or follow the audit trail (oldest first; --json gives JSON Lines)",
      usage: [
        "audit [--since D|TS] [--until TS] [--name N] [--owner O] [--event E[,E\u2026]] [--limit N] [--follow] [--json]",
        "audit --timeline [--since D|TS] [--until D|TS] [--name N] > timeline.svg"
      ],
      flags: [
        {
          name: "since",
          type: "string",
          value: "D|TS",
          help: "events newer than a duration ago (1h) or a timestamp"
        },
        {
          name: "until",
          type: "string",
          value: "D|TS",
          help: "events older than a duration ago or a timestamp"
        },
        {
          name: "name",
          type: "string",
          value: "N",
          help: "only this lock"
        },
        {
          name: "owner",
          type: "string",
          value: "O",
          help: "only this actor"
        },
        {
          name: "event",
          type: "string",
          value: "E",
          help: "only these kinds (comma-separated), e.g. deny,lost"
        },
        {
          name: "limit",
          type: "string",
          value: "N",
          help: "only the newest N events (printed oldest first)"
        },
        {
          name: "follow",
          type: "boolean",
          help: "keep printing new events until Ctrl-C (history: --limit, default 10)"
        },
        {
          name: "timeline",
          type: "boolean",
          help: "print an SVG timeline: holds per name by owner, waits, breaks (default --since 1h)"
        }
      ],
      positionals: [],
      examples: [
        "lokt audit --since 12h",
        "lokt audit --name build --event deny,lost,force-break",
        "lokt audit --follow --json"
      ]
    };
    WIDTHS = [
      24,
      14,
      20,
      24
    ];
  }
});

// lib/core/status_report.ts
async function collectStatus(ctx, name) {
  let locks;
  let freezes;
  if (name === null) {
    locks = await listLocks(ctx);
    freezes = await listFreezes(ctx);
  } else {
    const state = await inspectLock(ctx, name);
    const freeze = await inspectFreeze(ctx, name);
    locks = state.status === "free" ? [] : [
      state
    ];
    freezes = freeze ? [
      freeze
    ] : [];
  }
  const waiters = {};
  for (const lock of locks) waiters[lock.name] = await liveWaiters(ctx, lock.name);
  const reserved = name === null ? await inspectReservations(ctx) : null;
  return {
    root: ctx.store.location,
    locks,
    freezes,
    waiters,
    reservations: reserved?.reservations ?? [],
    reservationsCorruption: reserved?.corruption ?? null
  };
}
var init_status_report = __esm({
  "lib/core/status_report.ts"() {
    init_engine();
    init_freeze_ops();
    init_waiters();
    init_reservations();
  }
});

// lib/cli/state_view.ts
function stateJson(state) {
  const r = state.record;
  return {
    name: state.name,
    status: state.status,
    mine: state.mine,
    owner: r?.owner ?? null,
    agent_id: r?.agent_id ?? null,
    host: r?.host ?? null,
    pid: r?.pid ?? null,
    fence: r?.fence ?? null,
    lock_id: r?.lock_id ?? null,
    liveness: state.liveness,
    age_ms: state.ageMs,
    ttl_ms: r?.ttl_ms ?? null,
    expires_in_ms: state.expiresInMs,
    reason: r?.reason ?? null,
    command: r?.command ?? null,
    corruption: state.corruption,
    clock_skew: state.clockSkew,
    record: r,
    mode: state.mode,
    slots: state.slots,
    holders: state.holds.map(holderJson)
  };
}
function holderJson(hold) {
  return {
    ...hold.record,
    judged: {
      status: hold.status,
      liveness: hold.liveness,
      mine: hold.mine,
      age_ms: hold.ageMs,
      expires_in_ms: hold.expiresInMs,
      clock_skew: hold.clockSkew
    }
  };
}
var init_state_view = __esm({
  "lib/cli/state_view.ts"() {
  }
});

// lib/cli/commands/status.ts
var status_exports = {};
__export(status_exports, {
  run: () => run8,
  spec: () => spec8
});
async function run8(args, io) {
  const name = args.positionals.length ? nameArg(args, "status") : null;
  const ctx = openContext();
  if (args.flags.watch !== true) return await snapshot(ctx, name, io);
  return await watch(ctx, name, io);
}
async function snapshot(ctx, name, io) {
  const report = await collectStatus(ctx, name);
  const { locks, freezes, waiters } = report;
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "status",
      root: ctx.rootInfo.root,
      store: ctx.store.location,
      name,
      locks: locks.map((state) => ({
        ...stateJson(state),
        waiters: waiters[state.name] ?? []
      })),
      freezes: freezes.map(freezeJson),
      reservations: report.reservations.map(reservationJson),
      reservations_corruption: report.reservationsCorruption,
      generated_at: isoTime(ctx.now())
    },
    text: [
      render(io, name, locks, freezes, waiters, ctx.now()),
      ...reservationLines2(io, report.reservations, report.reservationsCorruption)
    ].join("\n")
  };
}
async function watch(ctx, name, io) {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  try {
    let last = "";
    while (!stop.signal.aborted) {
      const result = await snapshot(ctx, name, io);
      const shown = io.json ? JSON.stringify({
        ...result.json,
        generated_at: null
      }) : result.text;
      if (shown !== last) {
        if (!io.json && Deno.stdout.isTerminal()) {
          io.out("\x1B[H\x1B[2Jlokt status --watch (Ctrl-C to stop)\n");
        }
        printResult(io, result);
        last = shown;
      }
      await new Promise((resolve2) => {
        const timer = setTimeout(resolve2, 1e3);
        stop.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve2(null);
        }, {
          once: true
        });
      });
    }
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
  return {
    exitCode: 0,
    json: null,
    text: ""
  };
}
function reservationJson(j) {
  return {
    ...j.reservation,
    mine: j.mine,
    status: j.status,
    expires_in_ms: j.expiresInMs
  };
}
function reservationLines2(io, reservations, corruption) {
  const lines2 = reservations.map((j) => {
    const r = j.reservation;
    const left = j.status === "live" ? `expires in ${formatDuration(j.expiresInMs)}` : `${j.status}, removed by the next reservation`;
    return `${paint(io, "dim", "RESERVED")} ${r.patterns[0]} by ${r.owner}${j.mine ? " (you)" : ""} [${r.mode}]${r.reason ? ` \u2014 ${r.reason}` : ""} \u2014 ${left}`;
  });
  if (corruption) {
    lines2.push(`${paint(io, "yellow", "RESERVATIONS")} corrupt index (${corruption}): ignored`);
  }
  return lines2;
}
function freezeJson(state) {
  const r = state.record;
  return {
    name: state.name,
    active: state.active,
    owner: r?.owner ?? null,
    reason: r?.reason ?? null,
    expires_in_ms: state.expiresInMs,
    corruption: state.corruption,
    record: r
  };
}
function render(io, name, locks, freezes, waiters, now) {
  const lines2 = [];
  if (locks.length === 0) lines2.push(name ? `${name}: free` : "no locks held");
  else {
    const rows = locks.flatMap(rowsOf);
    const header2 = [
      "NAME",
      "STATUS",
      "OWNER",
      "AGENT",
      "AGE",
      "TTL LEFT",
      "FENCE",
      "LIVENESS",
      "REASON",
      "COMMAND"
    ];
    const widths = header2.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length))));
    const fmt = (cells) => cells.map((c, i) => i === cells.length - 1 ? c : c.slice(0, 40).padEnd(widths[i] ?? 0)).join("  ").trimEnd();
    lines2.push(paint(io, "bold", fmt(header2)));
    for (const r of rows) lines2.push(fmt(r));
  }
  for (const lock of locks) {
    for (const w of waiters[lock.name] ?? []) {
      const since = w.since ? ` for ${formatDuration(now - Date.parse(w.since))}` : "";
      const mode = w.mode === "shared" || w.mode === "slots" ? ` [${w.mode}]` : "";
      lines2.push(`${paint(io, "dim", "WAITING")} ${lock.name}${mode}: ${w.owner ?? "unreadable ticket"}${w.pid === null ? "" : ` (pid ${w.pid})`}${since}`);
    }
  }
  for (const f of freezes) {
    if (f.corruption) {
      lines2.push(`${paint(io, "yellow", "FREEZE")} ${f.name}: corrupt freeze file (${f.corruption})`);
    } else if (f.active && f.record) {
      lines2.push(`${paint(io, "yellow", "FROZEN")} ${f.name} by ${f.record.owner}, ${formatDuration(f.expiresInMs ?? 0)} left${f.record.reason ? ` \u2014 ${f.record.reason}` : ""}`);
    }
  }
  return lines2.join("\n");
}
function rowsOf(s) {
  if (s.holds.length === 0) {
    return [
      [
        s.name,
        "corrupt",
        "-",
        "-",
        "-",
        "-",
        "-",
        "-",
        s.corruption ?? "",
        ""
      ]
    ];
  }
  return s.holds.map((hold) => holdRow(s, hold));
}
function holdRow(s, hold) {
  const r = hold.record;
  const ttl = hold.expiresInMs === null ? "none" : hold.expiresInMs >= 0 ? formatDuration(hold.expiresInMs) : `-${formatDuration(-hold.expiresInMs)}`;
  const name = s.mode === "slots" ? `${s.name} [slot ${r.slot}/${s.slots}]` : s.mode === "shared" ? `${s.name} [shared]` : s.name;
  return [
    name,
    hold.mine ? `${hold.status} (you)` : hold.status,
    r.owner,
    r.agent_id,
    formatDuration(hold.ageMs),
    ttl,
    String(r.fence),
    hold.liveness,
    r.reason ?? "",
    r.command ? r.command.join(" ") : ""
  ];
}
var spec8;
var init_status = __esm({
  "lib/cli/commands/status.ts"() {
    init_context();
    init_duration_format();
    init_output();
    init_status_report();
    init_flags();
    init_state_view();
    init_iso_time();
    spec8 = {
      name: "status",
      summary: "show held locks and freezes: owner, agent, age, TTL left, fence, liveness",
      usage: [
        "status [name] [--watch] [--json]"
      ],
      flags: [
        {
          name: "watch",
          type: "boolean",
          help: "redraw every second until Ctrl-C"
        }
      ],
      positionals: [
        "name?"
      ],
      examples: [
        "lokt status",
        "lokt status build --json",
        "lokt status --watch"
      ]
    };
  }
});

// lib/core/why_group.ts
function groupReasons(state, inherited) {
  const name = state.name;
  const live = state.holds.filter((h) => h.status === "held");
  const reasons = [];
  const passed = live.find((h) => h.record.lock_id === inherited);
  const own = live.find((h) => h.mine && h.record.hold === "owner");
  const ask = state.mode === "slots" ? `--slots ${state.slots}` : "--shared";
  if (passed) {
    reasons.push({
      code: "inherited",
      blocking: false,
      message: `the guard this runs under holds ${place(passed)} (pid ${passed.record.pid}, fence ${passed.record.fence}); lokt calls here run nested`,
      fix: []
    });
  } else if (own) {
    reasons.push({
      code: "mine",
      blocking: false,
      message: `you hold ${place(own)} (fence ${own.record.fence}); acquiring again renews it`,
      fix: [
        `lokt unlock ${name}`
      ]
    });
  }
  for (const hold of state.holds) {
    if (hold.status === "held" && hold.liveness !== "orphaned") continue;
    reasons.push(staleReason(name, hold));
  }
  if (passed || own) return reasons;
  const owners = live.map((h) => `${h.record.owner}${slotOf(h)}`).join(", ");
  if (state.mode === "shared") {
    reasons.push({
      code: "shared",
      blocking: false,
      message: `held shared by ${live.length} reader(s) (${owners}); a --shared acquirer joins them now, an exclusive one waits until every reader is gone`,
      fix: [
        `lokt lock ${name} --shared`,
        `lokt lock ${name} --wait   # exclusive: waits for the readers`
      ]
    });
    return reasons;
  }
  const slots = state.slots;
  const full = live.length >= slots;
  const next = state.expiresInMs === null ? "they hold them while their processes live" : `the first expires in ${formatDuration(state.expiresInMs)}`;
  reasons.push({
    code: full ? "full" : "slots",
    blocking: full,
    message: full ? `all ${slots} slots are held (${owners}); ${next}` : `${live.length} of ${slots} slots are held (${owners}); a ${ask} acquirer gets a free slot now`,
    fix: full ? [
      `lokt lock ${name} ${ask} --wait`
    ] : [
      `lokt lock ${name} ${ask}`
    ]
  });
  return reasons;
}
function staleReason(name, hold) {
  const r = hold.record;
  if (hold.liveness === "orphaned") {
    return {
      code: "orphaned",
      blocking: false,
      message: `${place(hold)} is held by ${r.owner}'s guard (pid ${r.pid}), which died while its command still runs in process group ${r.pgid}; it frees itself when that group's last process exits`,
      fix: [
        `kill -TERM -${r.pgid}   # stops the orphaned command`
      ]
    };
  }
  const why = hold.status === "dead" ? `its process (pid ${r.pid}) is gone` : `it expired ${formatDuration(-(hold.expiresInMs ?? 0))} ago`;
  return {
    code: hold.status,
    blocking: false,
    message: `${place(hold)} of ${r.owner} is stale (${why}); the next acquirer reclaims it (${hold.status === "dead" ? "dead-break" : "expire-break"}), the other holds stay`,
    fix: [
      `lokt unlock ${name} --break-stale`
    ]
  };
}
function place(hold) {
  return hold.record.slot === null ? "a shared hold" : `slot ${hold.record.slot}`;
}
function slotOf(hold) {
  return hold.record.slot === null ? "" : ` slot ${hold.record.slot}`;
}
var init_why_group = __esm({
  "lib/core/why_group.ts"() {
    init_duration_format();
  }
});

// lib/core/why_report.ts
async function explain(ctx, name) {
  const state = await inspectLock(ctx, name);
  const freeze = await inspectFreeze(ctx, name);
  const reasons = [];
  const r = state.record;
  if (freeze?.active && freeze.record) {
    const f = freeze.record;
    const mine = f.owner === ctx.identity.owner;
    reasons.push({
      code: "frozen",
      blocking: true,
      message: `frozen by ${f.owner}${mine ? " (you)" : ""}${f.reason ? ` (${f.reason})` : ""} for ${formatDuration(freeze.expiresInMs ?? 0)} more`,
      // Safest first: waiting; lifting it is the freezer's, breaking it a person's break-glass.
      fix: mine ? [
        `lokt unfreeze ${name}`,
        `lokt lock ${name} --wait`
      ] : [
        `lokt lock ${name} --wait`,
        `lokt unfreeze ${name} --force   # break-glass: tell ${f.owner}`
      ]
    });
  } else if (freeze?.corruption) {
    reasons.push({
      code: "corrupt-freeze",
      blocking: false,
      message: `the freeze file is corrupt (${freeze.corruption}) and is ignored`,
      fix: [
        `lokt unfreeze ${name} --force`
      ]
    });
  }
  if (state.mode !== "exclusive") {
    reasons.push(...groupReasons(state, inheritedHolds().get(name) ?? null));
  } else if (state.status === "corrupt") {
    const young = state.graceLeftMs !== 0;
    const breakGlass = `lokt unlock ${name} --force   # break-glass`;
    reasons.push({
      code: "corrupt",
      blocking: young,
      message: `the lock record is corrupt (${state.corruption})${state.graceLeftMs === null ? "; it is never replaced automatically" : young ? `; it may be mid-write, so it is replaced only after ${formatDuration(state.graceLeftMs)}` : "; acquiring will replace it (corrupt-break)"}`,
      fix: state.graceLeftMs === null ? [
        breakGlass
      ] : [
        `lokt lock ${name} --wait`,
        `lokt unlock ${name} --break-stale`,
        breakGlass
      ]
    });
  } else if (r && state.status === "held" && inheritedHolds().get(name) === r.lock_id) {
    reasons.push({
      code: "inherited",
      blocking: false,
      message: `the guard this runs under holds it (pid ${r.pid}, fence ${r.fence}); lokt calls here run nested`,
      fix: []
    });
  } else if (r && state.status === "held" && state.mine && r.hold === "instance") {
    reasons.push({
      code: "own-instance",
      blocking: true,
      message: `held by your own guard or process (pid ${r.pid}, fence ${r.fence}), which releases it when its command ends`,
      fix: [
        `lokt lock ${name} --wait`
      ]
    });
  } else if (r && state.status === "held" && state.mine) {
    reasons.push({
      code: "mine",
      blocking: false,
      message: `you hold it (fence ${r.fence}); acquiring again renews it`,
      fix: [
        `lokt unlock ${name}`
      ]
    });
  } else if (r && state.status === "held" && state.liveness === "orphaned") {
    reasons.push({
      code: "orphaned",
      blocking: true,
      message: `held by ${r.owner}'s guard (pid ${r.pid}), which died while its command still runs in process group ${r.pgid}${r.command ? ` (${r.command.join(" ")})` : ""}; the lock frees itself when that group's last process exits`,
      fix: [
        `lokt lock ${name} --wait`,
        `kill -TERM -${r.pgid}   # stops the orphaned command`
      ]
    });
  } else if (r && state.status === "held") {
    const left = state.expiresInMs === null ? `no expiry while pid ${r.pid} lives (${state.liveness})` : `expires in ${formatDuration(state.expiresInMs)} (${state.liveness})`;
    reasons.push({
      code: "held",
      blocking: true,
      message: `held by ${r.owner} (agent ${r.agent_id}, host ${r.host}, pid ${r.pid}) for ${formatDuration(state.ageMs ?? 0)}; ${left}${r.reason ? `; reason: ${r.reason}` : ""}${r.command ? `; running: ${r.command.join(" ")}` : ""}`,
      fix: [
        `lokt lock ${name} --wait`,
        `lokt unlock ${name} --force   # break-glass: tell ${r.owner}`
      ]
    });
  } else if (r && state.status === "expired") {
    reasons.push({
      code: "expired",
      blocking: false,
      message: `held by ${r.owner} but expired ${formatDuration(-(state.expiresInMs ?? 0))} ago and not yet broken; acquiring will take it over (expire-break)`,
      fix: [
        `lokt unlock ${name} --break-stale`
      ]
    });
  } else if (r && state.status === "dead") {
    reasons.push({
      code: "dead",
      blocking: false,
      message: `held by ${r.owner} but its process (pid ${r.pid}) is gone; acquiring will take it over (dead-break)`,
      fix: [
        `lokt unlock ${name} --break-stale`
      ]
    });
  }
  if (state.clockSkew) {
    reasons.push({
      code: "clock-skew",
      blocking: false,
      message: state.clockSkew,
      fix: []
    });
  }
  const queued = (await liveWaiters(ctx, name)).length;
  const renews = state.holds.some((h) => h.mine && h.status === "held" && h.record.hold === "owner");
  if (queued > 0 && !renews) {
    reasons.push({
      code: "queued",
      blocking: true,
      message: `${queued} waiter(s) are queued and will be served first`,
      fix: [
        `lokt lock ${name} --wait`
      ]
    });
  }
  const canAcquire = !reasons.some((x) => x.blocking);
  return {
    name,
    canAcquire,
    reasons,
    state,
    freeze: freeze?.active ? freeze.record : null,
    queued
  };
}
var init_why_report = __esm({
  "lib/core/why_report.ts"() {
    init_duration_format();
    init_engine();
    init_freeze_ops();
    init_waiters();
    init_held_env();
    init_why_group();
  }
});

// lib/cli/commands/why.ts
var why_exports = {};
__export(why_exports, {
  run: () => run9,
  spec: () => spec9
});
async function run9(args, _io) {
  const name = nameArg(args, "why");
  const report = await explain(openContext(), name);
  const { canAcquire, reasons, state } = report;
  const head = canAcquire ? state.status === "free" && reasons.length === 0 ? `"${name}" is free: acquiring would succeed now` : `"${name}" can be acquired now` : `"${name}" cannot be acquired now`;
  const lines2 = [
    head
  ];
  for (const reason of reasons) {
    lines2.push(`- ${reason.code}: ${reason.message}`);
    for (const fix of reason.fix) lines2.push(`    ${fix}`);
  }
  return {
    exitCode: canAcquire ? ExitCode.Ok : ExitCode.Held,
    json: {
      ok: true,
      command: "why",
      name,
      can_acquire: canAcquire,
      reasons,
      lock: stateJson(state),
      freeze: report.freeze,
      queued: report.queued
    },
    text: lines2.join("\n")
  };
}
var spec9;
var init_why = __esm({
  "lib/cli/commands/why.ts"() {
    init_context();
    init_errors();
    init_why_report();
    init_flags();
    init_state_view();
    spec9 = {
      name: "why",
      summary: "explain whether a lock can be acquired now, and how to clear each obstacle",
      usage: [
        "why <name> [--json]"
      ],
      flags: [],
      positionals: [
        "name"
      ],
      examples: [
        "lokt why build",
        "lokt why build --json"
      ]
    };
  }
});

// lib/cli/dashboard_page.ts
function dashboardPage() {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lokt dashboard</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #111; background: #fff; }
  header { padding: 0.6rem 1rem; background: #0b3d66; color: #fff; display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; }
  header h1 { font-size: 1.2rem; margin: 0; }
  main { padding: 0 1rem 2rem; display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 36rem), 1fr)); }
  section { min-width: 0; }
  h2 { font-size: 1rem; border-bottom: 2px solid #0b3d66; padding-bottom: 0.2rem; }
  table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
  th, td { text-align: left; padding: 0.25rem 0.4rem; border-bottom: 1px solid #ddd; vertical-align: top; overflow-wrap: anywhere; }
  tr.stale td { color: #7a4b00; }
  button.link { background: none; border: none; color: #0b5394; text-decoration: underline; cursor: pointer; font: inherit; padding: 0; }
  .muted { color: #555; }
  #timeline, #locks-section { grid-column: 1 / -1; }
  th { overflow-wrap: normal; }
  #timeline-svg svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
  .table-wrap { overflow-x: auto; }
  #timeline-svg { overflow-x: auto; }
  header .muted { color: #c8d8e8; }
  /* A narrow window: each table row becomes a small card of labelled values, and the
     timeline keeps its size and scrolls sideways inside its own box. */
  @media (max-width: 40rem) {
    table, tbody, tr, td { display: block; }
    thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
    tr { border-bottom: 1px solid #ccc; padding: 0.3rem 0; }
    td { border: none; padding: 0.1rem 0.2rem; }
    td[data-label]::before { content: attr(data-label) ": "; font-weight: bold; }
    td[data-label]:empty { display: none; }
    #timeline-svg svg { max-width: none; width: 60rem; }
  }
  pre { white-space: pre-wrap; font-size: 0.8rem; background: #f4f4f4; padding: 0.5rem; }
</style>
</head>
<body>
<header><h1>lokt</h1><span id="store" class="muted"></span><span id="live" role="status">connecting\u2026</span></header>
<main>
<section id="locks-section" aria-labelledby="h-locks"><h2 id="h-locks">Locks</h2>
<div class="table-wrap"><table><thead><tr><th scope="col">Name</th><th scope="col">Holder</th><th scope="col">Held for</th><th scope="col">TTL left</th><th scope="col">Fence</th><th scope="col">Liveness</th><th scope="col">Waiting</th></tr></thead><tbody id="locks"></tbody></table></div>
<div id="detail" aria-live="polite"></div></section>
<section aria-labelledby="h-res"><h2 id="h-res">Reservations</h2>
<div class="table-wrap"><table><thead><tr><th scope="col">Pattern</th><th scope="col">Owner</th><th scope="col">Mode</th><th scope="col">Reason</th><th scope="col">Expires in</th></tr></thead><tbody id="reservations"></tbody></table></div>
<h2 id="h-freezes">Freezes</h2><ul id="freezes"></ul></section>
<section aria-labelledby="h-events"><h2 id="h-events">Latest events</h2>
<div class="table-wrap"><table><thead><tr><th scope="col">Time (UTC)</th><th scope="col">Event</th><th scope="col">Name</th><th scope="col">By</th></tr></thead><tbody id="events"></tbody></table></div></section>
<section id="timeline" aria-labelledby="h-timeline"><h2 id="h-timeline">Timeline</h2>
<p><button class="link" data-since="" aria-pressed="true">recent</button> \xB7 <button class="link" data-since="10m" aria-pressed="false">last 10 minutes</button> \xB7 <button class="link" data-since="1h" aria-pressed="false">last hour</button> \xB7 <button class="link" data-since="24h" aria-pressed="false">last day</button></p>
<p class="muted">Holds per lock name over time, coloured by owner; waits hatched; breaks \u2715, losses \u25B2, freezes \u25C6, refusals |. Hover a shape for its details.</p>
<div id="timeline-svg"></div></section>
</main>
<script>
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const dur = (ms) => ms == null ? "none" : ms < 0 ? "expired" : ms < 60e3 ? Math.round(ms / 1e3) + "s" : ms < 3600e3 ? Math.round(ms / 60e3) + "m" : (ms / 3600e3).toFixed(1) + "h";
// "" is recent: the last hour from its first event.
let since = "";
// A row of cells, each labelled with its column's heading (shown beside the value on a narrow window).
const heads = (id) => [...$(id).closest("table").tHead.rows[0].cells].map((th) => th.textContent);
const row = (id, values, cls) => "<tr" + (cls ? " class=\\"" + cls + "\\"" : "") + ">" + values.map((v, k) => "<td data-label=\\"" + esc(heads(id)[k]) + "\\">" + v + "</td>").join("") + "</tr>";
const none = (id, text) => "<tr><td colspan=\\"" + heads(id).length + "\\" class=\\"muted\\">" + text + "</td></tr>";
// Ages and times left count on in the page between status documents (which
// come only when something changed): a local clock, not a request.
let receivedAt = Date.now();
const ageCell = (ms) => ms == null ? "none" : "<span class=\\"age\\" data-ms=\\"" + ms + "\\">" + dur(ms) + "</span>";
const leftCell = (ms) => ms == null ? "none" : "<span class=\\"left\\" data-ms=\\"" + ms + "\\">" + dur(ms) + "</span>";
setInterval(() => {
  const gone = Date.now() - receivedAt;
  for (const el of document.querySelectorAll("span.age")) el.textContent = dur(Number(el.dataset.ms) + gone);
  for (const el of document.querySelectorAll("span.left")) el.textContent = dur(Number(el.dataset.ms) - gone);
}, 1000);
function render(doc) {
  receivedAt = Date.now();
  $("store").textContent = doc.store || "";
  const rows = [];
  for (const lock of doc.locks) {
    const holders = lock.holders.length ? lock.holders : [{ owner: "(corrupt)", judged: {} }];
    holders.forEach((h, i) => {
      const j = h.judged || {};
      const stale = j.status && j.status !== "held";
      const name = i ? "" : "<button class=\\"link\\" data-name=\\"" + esc(lock.name) + "\\">" + esc(lock.name) + "</button>" + (lock.mode !== "exclusive" ? " <span class=\\"muted\\">[" + esc(lock.mode) + (lock.slots ? " " + lock.slots : "") + "]</span>" : "");
      rows.push(row("locks", [name, esc(h.owner) + (h.slot != null ? " (slot " + h.slot + ")" : ""), ageCell(j.age_ms), leftCell(j.expires_in_ms), esc(h.fence), esc(j.liveness) + (stale ? " \u2014 " + esc(j.status) : ""), i ? "" : (lock.waiters || []).map((w) => esc(w.owner)).join(", ")], stale ? "stale" : ""));
    });
  }
  $("locks").innerHTML = rows.join("") || none("locks", "no locks held");
  $("reservations").innerHTML = (doc.reservations || []).map((r) => row("reservations", [esc(r.patterns[0]), esc(r.owner), esc(r.mode), esc(r.reason), leftCell(r.expires_in_ms)])).join("") || none("reservations", "nothing reserved");
  $("freezes").innerHTML = doc.freezes.filter((f) => f.active).map((f) => "<li>" + esc(f.name) + " frozen by " + esc(f.owner) + (f.reason ? " (" + esc(f.reason) + ")" : "") + ", " + leftCell(f.expires_in_ms) + " left</li>").join("") || "<li class=\\"muted\\">none</li>";
}
async function latest() {
  const events = await (await fetch("api/audit?since=" + (since || "1h") + "&limit=30")).json();
  $("events").innerHTML = events.reverse().map((e) => row("events", [esc(e.ts.slice(11, 19)), esc(e.event), esc(e.name), esc(e.owner)])).join("") || none("events", "no events");
  // Inline, so that every shape's title is a tooltip and readable by assistive technology.
  $("timeline-svg").innerHTML = await (await fetch("timeline.svg" + (since ? "?since=" + since : ""))).text();
}
document.addEventListener("click", async (ev) => {
  const t = ev.target;
  if (t.dataset && t.dataset.since !== undefined) {
    since = t.dataset.since;
    for (const b of document.querySelectorAll("[data-since]")) b.setAttribute("aria-pressed", String(b === t));
    latest();
  }
  if (t.dataset && t.dataset.name) { selected = t.dataset.name; detail(); }
});
// The lock whose detail is open: shown again after every change, so it never goes stale.
let selected = null;
async function detail() {
  if (selected === null) return;
  const why = await (await fetch("api/why?name=" + encodeURIComponent(selected))).json();
  $("detail").innerHTML = "<h3>" + esc(selected) + "</h3><ul>" + why.reasons.map((r) => "<li><strong>" + esc(r.code) + "</strong>: " + esc(r.message) + "</li>").join("") + "</ul><pre>" + esc(JSON.stringify(why.lock.holders, null, 2)) + "</pre>";
}
const source = new EventSource("events");
// The latest events and the timeline read the audit trail, which can be large:
// after a change, at most once every 5 s (the last change always shown).
let latestTimer = null;
let latestAt = 0;
function latestSoon() {
  if (latestTimer !== null) return;
  latestTimer = setTimeout(() => { latestTimer = null; latestAt = Date.now(); latest(); }, Math.max(0, latestAt + 5000 - Date.now()));
}
source.addEventListener("status", (ev) => { render(JSON.parse(ev.data)); $("live").textContent = "live"; latestSoon(); detail(); });
source.onerror = () => { $("live").textContent = "reconnecting\u2026"; };
<\/script>
</body>
</html>
`;
}
var init_dashboard_page = __esm({
  "lib/cli/dashboard_page.ts"() {
  }
});

// lib/cli/dashboard_server.ts
async function capture(argv) {
  const mod = SHOWN[argv[0]];
  return await captureCommand(() => mod, argv[0], argv.slice(1));
}
function dashboardHandler(options) {
  const hosts = servedHosts(options.hostname, options.port);
  return async (req) => {
    const url = new URL(req.url);
    if (!hosts.has((req.headers.get("host") ?? url.host).toLowerCase())) {
      return text(421, "this dashboard does not serve that host name");
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      return text(405, "read-only: GET only");
    }
    const cookie = /(?:^|;\s*)lokt_token=([^;]+)/.exec(req.headers.get("cookie") ?? "")?.[1];
    const given = url.searchParams.get("token") ?? req.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? cookie ?? null;
    if (options.token !== null && given !== options.token) {
      return text(401, "a token is required: ?token=\u2026 or Authorization: Bearer \u2026");
    }
    const setCookie = options.token !== null && url.searchParams.has("token") ? {
      "set-cookie": `lokt_token=${options.token}; HttpOnly; SameSite=Strict; Path=/`
    } : {};
    switch (url.pathname) {
      case "/":
        return new Response(dashboardPage(), {
          headers: {
            "content-type": "text/html; charset=utf-8",
            ...noStore,
            ...setCookie
          }
        });
      case "/api/status":
        return json((await capture([
          "status",
          "--json"
        ])).lines[0] ?? "null");
      case "/api/why": {
        const name = url.searchParams.get("name") ?? "";
        return json((await capture([
          "why",
          name,
          "--json"
        ])).lines[0] ?? "null");
      }
      case "/api/audit": {
        const since = url.searchParams.get("since") ?? "1h";
        const limit = url.searchParams.get("limit") ?? "200";
        const { lines: lines2 } = await capture([
          "audit",
          "--json",
          "--since",
          since,
          "--limit",
          limit
        ]);
        return json(`[${lines2.filter((l) => l.startsWith('{"ts"')).join(",")}]`);
      }
      case "/timeline.svg": {
        const since = url.searchParams.get("since");
        const { lines: lines2 } = await capture([
          "audit",
          "--timeline",
          ...since ? [
            "--since",
            since
          ] : []
        ]);
        return new Response(lines2.join("\n"), {
          headers: {
            "content-type": "image/svg+xml; charset=utf-8",
            ...noStore
          }
        });
      }
      case "/events":
        return events(options.pollMs ?? 1e3, req.signal);
      default:
        return text(404, "not found");
    }
  };
}
function servedHosts(hostname, port) {
  const names = [
    hostname,
    "localhost",
    "127.0.0.1",
    "[::1]"
  ];
  if (hostname === "0.0.0.0" || hostname === "[::]") {
    try {
      names.push(Deno.hostname().toLowerCase());
      for (const i of Deno.networkInterfaces()) {
        names.push(i.family === "IPv6" ? `[${i.address}]` : i.address);
      }
    } catch {
    }
  }
  return new Set(names.map((h) => `${h}:${port}`));
}
function text(status, body) {
  return new Response(`${body}
`, {
    status,
    headers: {
      "content-type": "text/plain",
      ...noStore
    }
  });
}
function json(body) {
  return new Response(body, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      ...noStore
    }
  });
}
function events(pollMs, signal) {
  const encoder3 = new TextEncoder();
  let last = "";
  let timer;
  let beat = 0;
  const body = new ReadableStream({
    start(controller) {
      const tick = async () => {
        if (signal.aborted) return;
        try {
          const doc = (await capture([
            "status",
            "--json"
          ])).lines[0] ?? "null";
          const stable = doc.replace(/"generated_at":"[^"]*"/, "").replace(/"(age_ms|expires_in_ms)":-?\d+/g, "");
          if (stable !== last) {
            last = stable;
            controller.enqueue(encoder3.encode(`event: status
data: ${doc}

`));
          } else if (++beat % Math.max(1, Math.round(15e3 / pollMs)) === 0) {
            controller.enqueue(encoder3.encode(`: still here

`));
          }
        } catch {
          return;
        }
        timer = setTimeout(tick, pollMs);
      };
      void tick();
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        try {
          controller.close();
        } catch {
        }
      });
    },
    cancel() {
      clearTimeout(timer);
    }
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream",
      ...noStore,
      connection: "keep-alive"
    }
  });
}
var SHOWN, noStore;
var init_dashboard_server = __esm({
  "lib/cli/dashboard_server.ts"() {
    init_audit();
    init_status();
    init_why();
    init_run_command();
    init_dashboard_page();
    SHOWN = {
      audit: audit_exports,
      status: status_exports,
      why: why_exports
    };
    noStore = {
      "cache-control": "no-store"
    };
  }
});

// lib/cli/commands/dashboard.ts
var dashboard_exports = {};
__export(dashboard_exports, {
  DEFAULT_PORT: () => DEFAULT_PORT,
  run: () => run10,
  spec: () => spec10
});
async function run10(args, io) {
  const portText = stringFlag(args, "port") ?? String(DEFAULT_PORT);
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new UsageError(`Invalid --port ${JSON.stringify(portText)}: 0 to 65535`, "dashboard");
  }
  const hostname = stringFlag(args, "host") ?? "127.0.0.1";
  const token = stringFlag(args, "token") ?? null;
  const loopback = [
    "127.0.0.1",
    "localhost",
    "::1"
  ].includes(hostname);
  if (!loopback && token === null) {
    throw new UsageError(`--host ${hostname} is reachable by others: it needs --token`, "dashboard");
  }
  if (token !== null && !/^[\x21-\x7e]{8,200}$/.test(token)) {
    throw new UsageError("--token: 8 to 200 printable characters", "dashboard");
  }
  const stop = new AbortController();
  let port = Number(portText);
  let handler = () => Promise.resolve(new Response(null, {
    status: 503
  }));
  const server = Deno.serve({
    hostname,
    port,
    signal: stop.signal,
    onListen: (addr) => {
      port = addr.port;
      handler = dashboardHandler({
        hostname: hostname.includes(":") ? `[${hostname}]` : hostname,
        port,
        token
      });
      const shown = hostname === "0.0.0.0" || hostname === "::" ? Deno.hostname().toLowerCase() : hostname.includes(":") ? `[${hostname}]` : hostname;
      io.out(`http://${shown}:${port}/${token === null ? "" : `?token=${token}`}`);
    }
  }, (req) => handler(req));
  for (const signal of [
    "SIGINT",
    "SIGTERM"
  ]) {
    Deno.addSignalListener(signal, () => stop.abort());
  }
  await server.finished;
  return {
    exitCode: 0,
    json: null,
    text: ""
  };
}
var DEFAULT_PORT, spec10;
var init_dashboard = __esm({
  "lib/cli/commands/dashboard.ts"() {
    init_errors();
    init_dashboard_server();
    init_flags();
    DEFAULT_PORT = 7337;
    spec10 = {
      name: "dashboard",
      summary: "serve a read-only, live web page of locks, reservations, freezes and the timeline",
      usage: [
        "dashboard [--port N] [--host H] [--token T]"
      ],
      flags: [
        {
          name: "port",
          type: "string",
          value: "N",
          help: "the port (0: a free one)",
          default: "7337"
        },
        {
          name: "host",
          type: "string",
          value: "H",
          help: "the address to listen on",
          default: "127.0.0.1"
        },
        {
          name: "token",
          type: "string",
          value: "T",
          help: "required of every request; needed for any non-loopback host"
        }
      ],
      positionals: [],
      examples: [
        "lokt dashboard",
        "lokt dashboard --port 0",
        'lokt dashboard --host 0.0.0.0 --token "$(openssl rand -hex 16)"'
      ]
    };
  }
});

// lib/cli/commands/mcp.ts
var mcp_exports = {};
__export(mcp_exports, {
  run: () => run11,
  spec: () => spec11
});
async function run11(_args, _io) {
  const server = new URL("./lib/cli/mcp_server.ts", Deno.mainModule).href;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      server
    ],
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit"
  }).spawn();
  const forward = (signal) => () => {
    try {
      child.kill(signal);
    } catch {
    }
  };
  const listeners = [
    "SIGTERM",
    "SIGINT"
  ].map((s) => [
    s,
    forward(s)
  ]);
  for (const [s, fn] of listeners) Deno.addSignalListener(s, fn);
  const status = await child.status;
  for (const [s, fn] of listeners) Deno.removeSignalListener(s, fn);
  return {
    exitCode: status.code,
    json: null,
    text: ""
  };
}
var spec11;
var init_mcp = __esm({
  "lib/cli/commands/mcp.ts"() {
    spec11 = {
      name: "mcp",
      summary: "serve lokt's tools to an agent harness over MCP (stdio)",
      usage: [
        "mcp"
      ],
      flags: [],
      positionals: [],
      examples: [
        "claude mcp add lokt -- lokt mcp"
      ]
    };
  }
});

// lib/agents/apply_patch.ts
function patchPaths(patch) {
  const paths = [];
  for (const line of patch.split(/\r?\n/)) {
    const path = HEADER.exec(line)?.[1]?.trim();
    if (path && !paths.includes(path)) paths.push(path);
  }
  return paths;
}
function patchOf(input) {
  const command = input.command;
  if (typeof command === "string") return command.includes("*** Begin Patch") ? command : null;
  if (Array.isArray(command) && command[0] === "apply_patch" && typeof command[1] === "string") {
    return command[1];
  }
  if (typeof input.patch === "string") return input.patch;
  return null;
}
var HEADER;
var init_apply_patch = __esm({
  "lib/agents/apply_patch.ts"() {
    HEADER = /^\*\*\* (?:Add File|Update File|Delete File|Move to): (.+)$/;
  }
});

// lib/agents/hook_event.ts
function parseHookEvent(text2) {
  const value = parseObject(text2);
  const name = value?.hook_event_name;
  if (!value || typeof name !== "string") {
    throw new UsageError("stdin is not a hook event (one JSON object with hook_event_name)");
  }
  const text_ = (v) => typeof v === "string" ? v : "";
  const input = value.tool_input;
  return {
    sessionId: text_(value.session_id),
    cwd: text_(value.cwd),
    name,
    toolName: typeof value.tool_name === "string" ? value.tool_name : null,
    toolInput: input && typeof input === "object" && !Array.isArray(input) ? input : {}
  };
}
function targetPaths(event) {
  const key = event.toolName ? FILE_TOOLS[event.toolName] : void 0;
  if (key) {
    const path = event.toolInput[key];
    return typeof path === "string" && path !== "" ? [
      path
    ] : [];
  }
  const patch = patchOf(event.toolInput);
  return patch === null ? [] : patchPaths(patch);
}
var FILE_TOOLS, FILE_TOOL_MATCHER;
var init_hook_event = __esm({
  "lib/agents/hook_event.ts"() {
    init_errors();
    init_lock_record();
    init_apply_patch();
    FILE_TOOLS = {
      Write: "file_path",
      Edit: "file_path",
      MultiEdit: "file_path",
      NotebookEdit: "notebook_path"
    };
    FILE_TOOL_MATCHER = "Write|Edit|MultiEdit|NotebookEdit|apply_patch";
  }
});

// lib/agents/primer.ts
async function buildPrimer(ctx) {
  const report = await collectStatus(ctx, null);
  return {
    owner: ctx.identity.owner,
    owner_source: ctx.identity.ownerSource,
    locks: report.locks.filter((l) => l.status === "held").map((l) => ({
      name: l.name,
      mode: l.mode,
      owners: l.holds.filter((h) => h.status === "held").map((h) => h.record.owner),
      expires_in_ms: l.expiresInMs
    })),
    waiters: Object.fromEntries(Object.entries(report.waiters).filter(([, w]) => w.length > 0).map(([n, w]) => [
      n,
      w.length
    ])),
    reservations: report.reservations.filter((j) => j.status === "live").map((j) => ({
      pattern: j.reservation.patterns[0],
      mode: j.reservation.mode,
      owner: j.reservation.owner,
      reason: j.reservation.reason,
      expires_in_ms: j.expiresInMs,
      mine: j.mine
    })),
    freezes: report.freezes.filter((f) => f.active && f.record).map((f) => ({
      name: f.name,
      owner: f.record.owner,
      reason: f.record.reason,
      expires_in_ms: f.expiresInMs
    })),
    conventions: CONVENTIONS
  };
}
function primerText(primer) {
  const left = (ms) => ms === null ? "no expiry" : `${formatDuration(ms)} left`;
  const lines2 = [
    `lokt: you act as ${primer.owner} (locks and reservations of this session are yours; others are denied your reserved files and you theirs).`
  ];
  const held = primer.locks.map((l) => `${l.name}${l.mode === "exclusive" ? "" : ` [${l.mode}]`} by ${l.owners.join(", ")} (${left(l.expires_in_ms)}${primer.waiters[l.name] ? `, ${primer.waiters[l.name]} waiting` : ""})`);
  lines2.push(held.length ? `Locks held: ${held.join("; ")}.` : "No locks held.");
  const reserved = primer.reservations.map((r) => `${r.pattern} by ${r.mine ? "you" : r.owner}${r.mode === "shared" ? " [shared]" : ""}${r.reason ? ` (${r.reason})` : ""}, ${left(r.expires_in_ms)}`);
  lines2.push(reserved.length ? `Reserved: ${reserved.join("; ")}.` : "Nothing reserved.");
  if (primer.freezes.length) {
    lines2.push(`Frozen (wait, do not unfreeze): ${primer.freezes.map((f) => `${f.name} by ${f.owner}${f.reason ? ` (${f.reason})` : ""}`).join("; ")}.`);
  }
  lines2.push(...primer.conventions.map((c) => `- ${c}`));
  return lines2.join("\n");
}
var CONVENTIONS;
var init_primer = __esm({
  "lib/agents/primer.ts"() {
    init_status_report();
    init_duration_format();
    CONVENTIONS = [
      "Run shared commands under a lock: `lokt guard <name> --wait -- <command>` (builds, git push, migrations).",
      'Before editing files another agent may touch, reserve them: `lokt reserve <path or pattern>\u2026 --reason "\u2026"`; `lokt release --all` when done.',
      "`lokt check <path>` says whether you may write a path now; edits of paths others reserved are denied.",
      "Exit 2 means held, reserved, frozen or timed out: run `lokt why <name>`, wait (`--wait`) or work elsewhere.",
      "Never use `--force` and never delete files under the lokt root: that is a person's break-glass."
    ];
  }
});

// lib/agents/init.ts
function loktCommand(path = Deno.env.get("PATH") ?? "") {
  for (const dir of path.split(":").filter(Boolean)) {
    try {
      if (Deno.statSync(`${dir}/lokt`).isFile) return {
        command: "lokt",
        portable: true
      };
    } catch {
    }
  }
  const exec = Deno.execPath();
  const main = new URL(Deno.mainModule).pathname;
  const quote = (s) => /^[\w./@:+-]+$/.test(s) ? s : `'${s.replaceAll("'", `'"'"'`)}'`;
  const command = exec.endsWith("/deno") ? `${quote(exec)} run -A ${quote(main)}` : quote(exec);
  return {
    command,
    portable: false
  };
}
function planInit(top, hooksDir, options, lokt) {
  const changes = [];
  const add = (change) => change && changes.push(change);
  if (options.claude) {
    const file = `${top}/.claude/${lokt.portable ? "settings.json" : "settings.local.json"}`;
    add(settingsChange(file, `${lokt.command} hook claude`, CLAUDE_EVENTS, options.remove));
  }
  if (options.codex) {
    add(settingsChange(`${top}/.codex/hooks.json`, `${lokt.command} hook codex`, CODEX_EVENTS, options.remove));
  }
  if (options.git) {
    if (hooksDir === null) throw new LoktError("--git: not a git repository");
    changes.push(...gitHookChanges(hooksDir, `${lokt.command} hook git pre-commit`, options.remove));
  }
  for (const name of [
    "AGENTS.md",
    "CLAUDE.md"
  ]) {
    const path = `${top}/${name}`;
    if (name === "CLAUDE.md" && read(path) === null) continue;
    add(primerChange(path, options.remove));
  }
  return changes;
}
function settingsChange(path, command, events2, remove) {
  const text2 = read(path);
  const settings = text2 === null ? {} : parseObject(text2) ?? invalid(path);
  const before = JSON.stringify(settings);
  const hooks = settings.hooks ?? {};
  if (typeof hooks !== "object" || Array.isArray(hooks)) invalid(path);
  for (const [event, matcher] of Object.entries(events2)) {
    const groups = Array.isArray(hooks[event]) ? hooks[event] : [];
    const others = [];
    for (const group of groups) {
      const list = Array.isArray(group.hooks) ? group.hooks : null;
      const rest = list?.filter((h) => !isOurs(h)) ?? null;
      if (list === null || rest?.length === list.length) others.push(group);
      else if (rest && rest.length > 0) others.push({
        ...group,
        hooks: rest
      });
    }
    const mine = {
      ...matcher ? {
        matcher
      } : {},
      hooks: [
        {
          type: "command",
          command
        }
      ]
    };
    const next = remove ? others : [
      ...others,
      mine
    ];
    if (next.length > 0) hooks[event] = next;
    else delete hooks[event];
  }
  if (Object.keys(hooks).length > 0) settings.hooks = hooks;
  else delete settings.hooks;
  if (JSON.stringify(settings) === before) return null;
  const empty = Object.keys(settings).length === 0;
  return {
    path,
    content: empty && remove ? null : `${JSON.stringify(settings, null, 2)}
`,
    summary: remove ? "remove lokt's hooks" : `add lokt's hooks (${Object.keys(events2).join(", ")})`
  };
}
function isOurs(hook) {
  return typeof hook.command === "string" && / hook (claude|codex)$/.test(hook.command) && /lokt|cli\.ts|mod\.ts/.test(hook.command);
}
function gitHookChanges(dir, command, remove) {
  const path = `${dir}/pre-commit`;
  const current = read(path);
  const ours = current?.includes(HOOK_MARKER) ?? false;
  const chained = read(`${dir}/${CHAINED}`);
  if (remove) {
    if (!ours) return [];
    const restore = chained === null ? [] : [
      {
        path: `${dir}/${CHAINED}`,
        content: null,
        summary: "unchain the earlier hook"
      }
    ];
    return [
      {
        path,
        content: chained,
        executable: true,
        summary: chained === null ? "remove lokt's pre-commit hook" : "restore the earlier pre-commit hook"
      },
      ...restore
    ];
  }
  const script = `#!/bin/sh
${HOOK_MARKER}: refuse commits of paths other agents reserved (lokt init --remove undoes this)
${command} || exit $?
if [ -x "$(dirname "$0")/${CHAINED}" ]; then exec "$(dirname "$0")/${CHAINED}" "$@"; fi
`;
  if (current === script) return [];
  const changes = [];
  if (current !== null && !ours) {
    changes.push({
      path: `${dir}/${CHAINED}`,
      content: current,
      executable: true,
      summary: "keep the existing pre-commit hook, chained"
    });
  }
  changes.push({
    path,
    content: script,
    executable: true,
    summary: "add lokt's pre-commit hook"
  });
  return changes;
}
function primerChange(path, remove) {
  const text2 = read(path);
  const block = `${PRIMER_BEGIN}
## Shared resources: lokt

${CONVENTIONS.map((c) => `- ${c}`).join("\n")}
- Edits of files another agent reserved are denied by the hooks; \`lokt prime\` shows what is held and reserved now.
${PRIMER_END}
`;
  const start = text2?.indexOf(PRIMER_BEGIN) ?? -1;
  const end = text2?.indexOf(PRIMER_END) ?? -1;
  const has = text2 !== null && start >= 0 && end > start;
  const after = has ? text2.slice(end + PRIMER_END.length).replace(/^\n/, "") : "";
  const without = has ? after === "" ? text2.slice(0, start).replace(/\n+$/, "\n") : text2.slice(0, start) + after : text2;
  if (remove) {
    if (!has) return null;
    const rest = (without ?? "").trim() === "" ? null : without;
    return {
      path,
      content: rest,
      summary: "remove the lokt primer block"
    };
  }
  const next = has ? text2.slice(0, start) + block + text2.slice(end + PRIMER_END.length).replace(/^\n/, "") : text2 === null ? block : `${text2.replace(/\n*$/, "\n\n")}${block}`;
  if (next === text2) return null;
  return {
    path,
    content: next,
    summary: has ? "update the lokt primer block" : "add the lokt primer block"
  };
}
function applyChanges(changes) {
  for (const change of changes) {
    if (change.content === null) {
      try {
        Deno.removeSync(change.path);
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
      continue;
    }
    Deno.mkdirSync(change.path.slice(0, change.path.lastIndexOf("/")), {
      recursive: true
    });
    Deno.writeTextFileSync(change.path, change.content);
    if (change.executable) Deno.chmodSync(change.path, 493);
  }
}
function read(path) {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}
function invalid(path) {
  throw new LoktError(`${path} is not a JSON object: fix it first, lokt changes nothing`);
}
var PRIMER_BEGIN, PRIMER_END, HOOK_MARKER, CHAINED, CLAUDE_EVENTS, CODEX_EVENTS;
var init_init = __esm({
  "lib/agents/init.ts"() {
    init_errors();
    init_lock_record();
    init_hook_event();
    init_primer();
    PRIMER_BEGIN = "<!-- lokt:begin -->";
    PRIMER_END = "<!-- lokt:end -->";
    HOOK_MARKER = "# lokt:pre-commit";
    CHAINED = "pre-commit.lokt-chained";
    CLAUDE_EVENTS = {
      SessionStart: null,
      PreToolUse: FILE_TOOL_MATCHER,
      SessionEnd: null
    };
    CODEX_EVENTS = {
      SessionStart: "startup|resume|clear",
      PreToolUse: FILE_TOOL_MATCHER
    };
  }
});

// lib/cli/commands/init.ts
var init_exports = {};
__export(init_exports, {
  run: () => run12,
  spec: () => spec12
});
async function run12(args, _io) {
  const any = [
    "claude",
    "codex",
    "git"
  ].some((f) => args.flags[f] === true);
  const options = {
    claude: any ? args.flags.claude === true : true,
    codex: args.flags.codex === true,
    git: any ? args.flags.git === true : true,
    remove: args.flags.remove === true
  };
  const ctx = openContext();
  const top = patternBase(ctx.rootInfo);
  const hooksDir = options.git ? await gitHooksDir(top) : null;
  const lokt = loktCommand();
  const changes = planInit(top, hooksDir, options, lokt);
  const dryRun = args.flags["dry-run"] === true;
  if (!dryRun) applyChanges(changes);
  const lines2 = changes.map((c) => `${dryRun ? "would " : ""}${c.summary}: ${c.path}`);
  if (changes.length === 0) lines2.push("nothing to change: lokt is already set up as asked");
  if (options.claude && !lokt.portable && !options.remove) {
    lines2.push("note: lokt is not on PATH, so its hooks went to .claude/settings.local.json (not committed) with this installation's absolute command; put lokt on PATH and run lokt init again to share them");
  }
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "init",
      dry_run: dryRun,
      changes: changes.map((c) => ({
        path: c.path,
        action: c.content === null ? "delete" : "write",
        summary: c.summary
      })),
      portable: lokt.portable
    },
    text: lines2.join("\n")
  };
}
async function gitHooksDir(top) {
  const out = await new Deno.Command("git", {
    args: [
      "rev-parse",
      "--path-format=absolute",
      "--git-path",
      "hooks"
    ],
    cwd: top,
    stdout: "piped",
    stderr: "piped"
  }).output();
  if (!out.success) throw new LoktError(`--git: ${top} is not in a git repository`);
  return new TextDecoder().decode(out.stdout).trim();
}
var spec12;
var init_init2 = __esm({
  "lib/cli/commands/init.ts"() {
    init_init();
    init_context();
    init_errors();
    init_root();
    spec12 = {
      name: "init",
      summary: "set up hooks for Claude Code, Codex and git, and the primer in AGENTS.md",
      usage: [
        "init [--claude] [--codex] [--git] [--dry-run] [--remove] [--json]"
      ],
      flags: [
        {
          name: "claude",
          type: "boolean",
          help: "Claude Code hooks in .claude/settings.json"
        },
        {
          name: "codex",
          type: "boolean",
          help: "Codex hooks in .codex/hooks.json"
        },
        {
          name: "git",
          type: "boolean",
          help: "a git pre-commit hook (chained, honours core.hooksPath)"
        },
        {
          name: "dry-run",
          type: "boolean",
          help: "print the changes, write nothing"
        },
        {
          name: "remove",
          type: "boolean",
          help: "take out exactly what lokt added"
        }
      ],
      positionals: [],
      examples: [
        "lokt init",
        "lokt init --codex --dry-run",
        "lokt init --remove"
      ]
    };
  }
});

// lib/agents/git_hook.ts
async function stagedConflicts(ctx) {
  const out = await new Deno.Command("git", {
    args: [
      "diff",
      "--cached",
      "--name-only",
      "-z",
      "--no-renames"
    ],
    cwd: ctx.cwd,
    stdout: "piped",
    stderr: "piped"
  }).output();
  if (!out.success) {
    throw new LoktError(`git diff --cached failed: ${new TextDecoder().decode(out.stderr).trim().split("\n")[0]}`);
  }
  const base = patternBase(ctx.rootInfo);
  const top = ctx.rootInfo.repo ?? base;
  const paths = new TextDecoder().decode(out.stdout).split("\0").filter((p) => p !== "").flatMap((p) => {
    try {
      return [
        normalizePattern(`${top}/${p}`, base, "path")
      ];
    } catch {
      return [];
    }
  });
  if (paths.length === 0) return [];
  const { conflicts } = await checkLiteralPaths(ctx, paths, false, (p) => isFile(`${base}/${p}`));
  return conflicts;
}
var init_git_hook = __esm({
  "lib/agents/git_hook.ts"() {
    init_reservations();
    init_errors();
    init_path_glob();
    init_path();
    init_root();
  }
});

// lib/agents/hooks.ts
async function answerHook(harness, input, env) {
  try {
    const event = parseHookEvent(input);
    const session = sessionOf(harness, event, env);
    if (![
      "SessionStart",
      "PreToolUse",
      "SessionEnd"
    ].includes(event.name)) return quiet();
    const ctx = openContext({
      cwd: event.cwd || Deno.cwd(),
      owner: session.owner,
      write: true
    });
    ctx.identity = {
      ...ctx.identity,
      agentId: session.agentId,
      ownerSource: session.source
    };
    const harnessPid = harnessProcess();
    if (event.name === "SessionEnd") return await endSession(ctx, event, harnessPid);
    if (harnessPid && event.sessionId) {
      registerSession(ctx.rootInfo.root, {
        harness,
        session_id: event.sessionId,
        owner: session.owner,
        agent_id: session.agentId,
        pid: harnessPid.pid,
        pid_start: harnessPid.startTime,
        registered_at: isoTime(ctx.now())
      });
    }
    if (event.name === "SessionStart") return await startSession(ctx, session, env);
    return await beforeTool(ctx, event, harness);
  } catch (err) {
    const message = toLoktError(err).message.split("\n")[0];
    return {
      stdout: "",
      stderr: `lokt: ${message} (the tool call was not blocked)
`,
      exitCode: 1
    };
  }
}
function sessionOf(harness, event, env) {
  const explicit = env("LOKT_OWNER");
  const id = event.sessionId.replace(/[^A-Za-z0-9]/g, "").slice(0, 12);
  if (!explicit && !id) {
    throw new LoktError("the event has no session_id and LOKT_OWNER is not set");
  }
  const owner = explicit || `${harness}-${id}`;
  return {
    owner,
    agentId: env("LOKT_AGENT_ID") || derivedAgentId(owner),
    source: explicit ? "LOKT_OWNER" : `${harness} session ${event.sessionId}`,
    explicit: Boolean(explicit)
  };
}
function harnessProcess() {
  return ancestors().find((a) => !SHELLS.has(a.comm)) ?? null;
}
async function startSession(ctx, session, env) {
  const file = env("CLAUDE_ENV_FILE");
  if (file && !session.explicit) {
    const lines2 = `export LOKT_OWNER=${shellQuote(session.owner)}
export LOKT_AGENT_ID=${shellQuote(session.agentId)}
`;
    await Deno.writeTextFile(file, lines2, {
      append: true
    });
  }
  const context = primerText(await buildPrimer(ctx));
  return answer({
    hookSpecificOutput: {
      hookEventName: "SessionStart",
      additionalContext: context
    }
  });
}
async function beforeTool(ctx, event, harness) {
  const base = patternBase(ctx.rootInfo);
  const cwd = event.cwd || ctx.cwd;
  const paths = targetPaths(event).flatMap((p) => {
    try {
      return [
        normalizePattern(resolve(cwd, p), base, "path")
      ];
    } catch {
      return [];
    }
  });
  if (paths.length === 0) return quiet();
  const ttlMs = loadConfig(ctx.rootInfo, ctx.cwd).reserveOnEditMs;
  if (ttlMs === null) {
    const { conflicts } = await checkLiteralPaths(ctx, paths, false, (p) => isFile(`${base}/${p}`));
    return conflicts.length ? deny2(conflicts) : quiet();
  }
  try {
    await reservePatterns(ctx, paths, {
      mode: "exclusive",
      ttlMs,
      reason: `editing (${harness} ${event.toolName ?? "tool"})`,
      liveness: "ttl",
      exact: true
    });
    return quiet();
  } catch (err) {
    if (err instanceof ReservationConflictError) return deny2(err.conflicts);
    throw err;
  }
}
async function endSession(ctx, event, harness) {
  try {
    await releaseReservations(ctx, "all");
  } catch (err) {
    if (!(err instanceof Error && err.name === "NotFoundError")) throw err;
  }
  await releaseAllOf(ctx, ctx.identity.owner);
  if (harness) unregisterSession(ctx.rootInfo.root, harness.pid, event.sessionId);
  return quiet();
}
function denialReason(conflicts) {
  const first2 = conflicts[0];
  const more = conflicts.length > 1 ? ` (and ${conflicts.length - 1} more)` : "";
  return `lokt: ${first2.pattern} is reserved by another agent: ${describeConflict(first2)}${more}. Do not edit it now: work on something else and retry after it expires or is released, or ask ${first2.reservation.owner}; 'lokt status' lists reservations, 'lokt check ${first2.pattern}' tells when it is free.`;
}
function deny2(conflicts) {
  return answer({
    hookSpecificOutput: {
      hookEventName: "PreToolUse",
      permissionDecision: "deny",
      permissionDecisionReason: denialReason(conflicts)
    }
  });
}
function answer(document) {
  return {
    stdout: `${JSON.stringify(document)}
`,
    stderr: "",
    exitCode: 0
  };
}
function quiet() {
  return {
    stdout: "",
    stderr: "",
    exitCode: 0
  };
}
function shellQuote(value) {
  return /^[A-Za-z0-9._@:+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'"'"'`)}'`;
}
var SHELLS;
var init_hooks = __esm({
  "lib/agents/hooks.ts"() {
    init_context();
    init_release_all();
    init_reservations();
    init_reservation_writes();
    init_errors();
    init_iso_time();
    init_path_glob();
    init_reservation_errors();
    init_session_registry();
    init_config();
    init_identity();
    init_path();
    init_procfs();
    init_root();
    init_hook_event();
    init_primer();
    SHELLS = /* @__PURE__ */ new Set([
      "sh",
      "bash",
      "dash",
      "zsh",
      "fish",
      "ksh",
      "busybox"
    ]);
  }
});

// lib/cli/commands/hook.ts
var hook_exports = {};
__export(hook_exports, {
  run: () => run13,
  spec: () => spec13
});
async function run13(args, io) {
  const [kind, event] = args.positionals;
  if (kind === "git") {
    if (event !== "pre-commit") throw new UsageError("git hooks: pre-commit", "hook");
    return await preCommit(io);
  }
  if (kind !== "claude" && kind !== "codex") {
    throw new UsageError(`unknown harness ${JSON.stringify(kind)}: claude, codex or git`, "hook");
  }
  if (event !== void 0) throw new UsageError("the event comes on stdin", "hook");
  const input = readStdin();
  const answer2 = await answerHook(kind, input, (key) => Deno.env.get(key));
  if (answer2.stdout) Deno.stdout.writeSync(new TextEncoder().encode(answer2.stdout));
  if (answer2.stderr) Deno.stderr.writeSync(new TextEncoder().encode(answer2.stderr));
  return {
    exitCode: answer2.exitCode,
    json: null,
    text: ""
  };
}
async function preCommit(io) {
  const conflicts = await stagedConflicts(openContext());
  if (conflicts.length === 0) return {
    exitCode: 0,
    json: null,
    text: ""
  };
  for (const c of conflicts) io.err(`lokt: ${c.pattern} is reserved: ${describeConflict(c)}`);
  io.err("lokt: commit refused: another agent reserved these paths; unstage them (git restore --staged <path>), or wait until the reservations end");
  return {
    exitCode: 1,
    json: null,
    text: ""
  };
}
function readStdin() {
  const chunks = [];
  const buffer = new Uint8Array(64 * 1024);
  for (; ; ) {
    const n = Deno.stdin.readSync(buffer);
    if (n === null || n === 0) break;
    chunks.push(buffer.slice(0, n));
  }
  const all = new Uint8Array(chunks.reduce((sum, c) => sum + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(all);
}
var spec13;
var init_hook = __esm({
  "lib/cli/commands/hook.ts"() {
    init_git_hook();
    init_hooks();
    init_context();
    init_errors();
    init_reservation_errors();
    spec13 = {
      name: "hook",
      summary: "answer an agent harness's hook event (stdin), or guard a git commit",
      usage: [
        "hook claude",
        "hook codex",
        "hook git pre-commit"
      ],
      flags: [],
      positionals: [
        "kind",
        "event?"
      ],
      examples: [
        `echo '{"hook_event_name":"SessionStart",\u2026}' | lokt hook claude`,
        "lokt hook git pre-commit   # from .git/hooks/pre-commit (lokt init --git)"
      ]
    };
  }
});

// lib/cli/commands/prime.ts
var prime_exports = {};
__export(prime_exports, {
  run: () => run14,
  spec: () => spec14
});
async function run14(_args, _io) {
  const primer = await buildPrimer(openContext());
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "prime",
      ...primer
    },
    text: primerText(primer)
  };
}
var spec14;
var init_prime = __esm({
  "lib/cli/commands/prime.ts"() {
    init_primer();
    init_context();
    spec14 = {
      name: "prime",
      summary: "what an agent needs to know now: identity, locks, reservations, conventions",
      usage: [
        "prime [--json]"
      ],
      flags: [],
      positionals: [],
      examples: [
        "lokt prime",
        "lokt prime --json"
      ]
    };
  }
});

// lib/cli/commands/exists.ts
var exists_exports = {};
__export(exists_exports, {
  run: () => run15,
  spec: () => spec15
});
async function run15(args, _io) {
  const name = nameArg(args, "exists");
  const state = await inspectLock(openContext(), name);
  const held = isHeld(state);
  return {
    exitCode: held ? ExitCode.Ok : ExitCode.NotFound,
    json: {
      ok: true,
      command: "exists",
      name,
      exists: held,
      lock: stateJson(state)
    },
    text: ""
  };
}
var spec15;
var init_exists = __esm({
  "lib/cli/commands/exists.ts"() {
    init_context();
    init_engine();
    init_decisions();
    init_errors();
    init_flags();
    init_state_view();
    spec15 = {
      name: "exists",
      summary: "exit 0 if a lock is held (and not stale), 3 if not; prints nothing",
      usage: [
        "exists <name> [--json]"
      ],
      flags: [],
      positionals: [
        "name"
      ],
      examples: [
        "lokt exists build && echo 'someone is building'"
      ]
    };
  }
});

// lib/cli/commands/freeze.ts
var freeze_exports = {};
__export(freeze_exports, {
  run: () => run16,
  spec: () => spec16
});
async function run16(args, _io) {
  const name = nameArg(args, "freeze");
  const ttlText = stringFlag(args, "ttl");
  if (ttlText === void 0) throw new UsageError("freeze needs --ttl (e.g. --ttl 30m)", "freeze");
  const ttlMs = parseTtl(ttlText);
  const reason = stringFlag(args, "reason") ?? null;
  if (reason !== null && !isValidReason(reason)) {
    throw new UsageError("--reason must be one line of at most 1000 characters", "freeze");
  }
  const { record, extended } = await setFreeze(openContext({
    write: true
  }), name, ttlMs, reason);
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "freeze",
      extended,
      freeze: record
    },
    text: `${extended ? "extended freeze of" : "froze"} "${name}" for ${formatDuration(ttlMs)}${record.reason ? ` (${record.reason})` : ""}: new acquisitions are refused until ${record.expires_at}`
  };
}
var spec16;
var init_freeze = __esm({
  "lib/cli/commands/freeze.ts"() {
    init_duration();
    init_duration_format();
    init_errors();
    init_freeze_ops();
    init_flags();
    init_context();
    init_lock_record();
    spec16 = {
      name: "freeze",
      summary: "block every new acquisition of a name (lock, guard and waiters) for a while",
      usage: [
        "freeze <name> --ttl D [--reason TEXT] [--json]"
      ],
      flags: [
        {
          name: "ttl",
          type: "string",
          value: "D",
          help: "how long the freeze lasts (required, at least 1s)"
        },
        {
          name: "reason",
          type: "string",
          value: "TEXT",
          help: "why (shown to everyone denied)"
        }
      ],
      positionals: [
        "name"
      ],
      examples: [
        "lokt freeze deploy --ttl 1h --reason 'incident 42'"
      ]
    };
  }
});

// lib/cli/commands/unfreeze.ts
var unfreeze_exports = {};
__export(unfreeze_exports, {
  run: () => run17,
  spec: () => spec17
});
async function run17(args, _io) {
  const name = nameArg(args, "unfreeze");
  const { record, event } = await liftFreeze(openContext({
    write: true
  }), name, args.flags.force === true);
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "unfreeze",
      event,
      freeze: record
    },
    text: `${event === "force-unfreeze" ? "force-lifted" : "lifted"} the freeze of "${name}"${record && event === "force-unfreeze" ? ` (set by ${record.owner})` : ""}`
  };
}
var spec17;
var init_unfreeze = __esm({
  "lib/cli/commands/unfreeze.ts"() {
    init_freeze_ops();
    init_flags();
    init_context();
    spec17 = {
      name: "unfreeze",
      summary: "lift a freeze (yours, or anyone's with --force)",
      usage: [
        "unfreeze <name> [--force] [--json]"
      ],
      flags: [
        {
          name: "force",
          type: "boolean",
          help: "lift another owner's freeze (audited)"
        }
      ],
      positionals: [
        "name"
      ],
      examples: [
        "lokt unfreeze deploy",
        "lokt unfreeze deploy --force"
      ]
    };
  }
});

// lib/core/doctor_state.ts
async function checkClock(ctx, usable, add) {
  const now = ctx.now();
  const problems = [];
  if (now < Date.parse("2024-01-01T00:00:00Z")) {
    problems.push(`the clock says ${isoTime(now)}, which is in the past`);
  }
  let newest = null;
  for await (const event of readAuditFiles([
    auditPath(ctx.rootInfo.root)
  ], {
    limit: 1
  })) {
    newest = event.ts;
  }
  if (newest && Date.parse(newest) > now + FUTURE_TOLERANCE_MS) {
    problems.push(`the clock is behind the newest audit event (${newest}): it was set back, or another writer's clock is ahead`);
  }
  if (usable) {
    const probe = join(ctx.rootInfo.root, `.doctor-clock-${Deno.pid}.tmp`);
    try {
      Deno.writeTextFileSync(probe, "");
      const mtime = Deno.statSync(probe).mtime?.getTime();
      if (mtime !== void 0 && Math.abs(mtime - now) > FUTURE_TOLERANCE_MS) {
        problems.push(`the filesystem clock differs from this process's by ${Math.round((mtime - now) / 1e3)}s`);
      }
    } catch {
    } finally {
      try {
        Deno.removeSync(probe);
      } catch {
      }
    }
  }
  if (problems.length) {
    add("clock", "WARN", problems.join("; "), "fix the system clock (NTP); expiry judgements rely on it");
  } else add("clock", "OK", `the clock looks sane (${isoTime(now)})`);
}
async function checkState(ctx, add) {
  const locks = await listLocks(ctx);
  const corrupt = locks.filter((l) => l.status === "corrupt");
  const stale = locks.filter((l) => l.status === "expired" || l.status === "dead" || l.holds.some((h) => h.status !== "held"));
  if (corrupt.length) {
    add("records", "WARN", `corrupt lock records: ${corrupt.map((l) => `${l.name} (${l.corruption})`).join(", ")}`, `lokt unlock ${corrupt[0]?.name} --force`);
  } else if (stale.length) {
    add("records", "WARN", `stale locks not yet broken: ${stale.map((l) => `${l.name} (${l.status === "held" ? "stale holds" : l.status})`).join(", ")}`, `lokt unlock ${stale[0]?.name} --break-stale`);
  } else {
    add("records", "OK", `${locks.length} lock(s) held, none corrupt or stale`);
  }
  const reserved = await inspectReservations(ctx);
  if (reserved.corruption !== null) {
    add("reservations", "WARN", `the reservations index is corrupt (${reserved.corruption}): check ignores it, and the next reserve replaces it (audited as reserve-break)`, "lokt status   # see what is reserved once it is replaced");
  } else if (reserved.reservations.length > 0) {
    const stale2 = reserved.reservations.filter((j) => j.status !== "live").length;
    add("reservations", "OK", `${reserved.reservations.length - stale2} reservation(s) live${stale2 ? `, ${stale2} stale (removed by the next reservation)` : ""}`);
  }
  const corruptFreezes = (await listFreezes(ctx)).filter((f) => f.corruption);
  if (corruptFreezes.length) {
    add("freezes", "WARN", `corrupt freeze files: ${corruptFreezes.map((f) => f.name).join(", ")}`, `lokt unfreeze ${corruptFreezes[0]?.name} --force`);
  }
  const orphans = [];
  for (const dir of [
    ENTRY_DIRS.lock,
    ENTRY_DIRS.freeze,
    ENTRY_DIRS.reservations,
    INCOMING_DIR
  ]) {
    try {
      for (const entry of Deno.readDirSync(join(ctx.rootInfo.root, dir))) {
        if (!entry.name.endsWith(".tmp")) continue;
        const path = join(ctx.rootInfo.root, dir, entry.name);
        const age = ctx.now() - (Deno.lstatSync(path).mtime?.getTime() ?? 0);
        if (age > 6e4) orphans.push(`${dir}/${entry.name}`);
      }
    } catch {
    }
  }
  if (orphans.length) {
    add("orphans", "WARN", `${orphans.length} temporary file(s) left by crashed writers: ${orphans.slice(0, 3).join(", ")}`, `remove them: rm ${join(ctx.rootInfo.root, orphans[0])}`);
  } else {
    add("orphans", "OK", "no leftover temporary files");
  }
}
async function checkAudit(ctx, add) {
  const path = auditPath(ctx.rootInfo.root);
  let info;
  try {
    info = Deno.lstatSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) add("audit", "OK", "no audit trail yet");
    else {
      add("audit", "FAIL", `cannot read ${path}: ${toLoktError(err).message}`, "fix its permissions");
    }
    return;
  }
  if (!info.isFile) {
    add("audit", "FAIL", `${path} is not a regular file`, `remove ${path}; lokt recreates it`);
    return;
  }
  const stats = {
    lines: 0,
    malformed: 0
  };
  try {
    for await (const _ of readAuditFiles([
      path
    ], {}, stats)) {
    }
  } catch (err) {
    add("audit", "FAIL", `cannot read ${path}: ${toLoktError(err).message}`, "fix its permissions");
    return;
  }
  const size = `${(info.size / 1024 / 1024).toFixed(1)} MiB`;
  if (stats.malformed > 0) {
    add("audit", "WARN", `${stats.malformed} of ${stats.lines} lines are malformed (${size}); readers skip them`, "nothing to do unless the number grows; check for foreign writers");
  } else {
    add("audit", "OK", `${stats.lines} events, ${size}`);
  }
}
var FUTURE_TOLERANCE_MS;
var init_doctor_state = __esm({
  "lib/core/doctor_state.ts"() {
    init_defaults();
    init_audit_reader();
    init_layout();
    init_path();
    init_errors();
    init_engine();
    init_reservations();
    init_freeze_ops();
    init_iso_time();
    FUTURE_TOLERANCE_MS = SKEW_MS * 5;
  }
});

// lib/core/doctor_redis.ts
async function checkRedis(ctx, add) {
  const redis = await redisStoreOf(ctx);
  if (!redis) return;
  let client;
  try {
    client = await redis.client();
  } catch (err) {
    add("redis", "FAIL", toLoktError(err).message, "start the server, or fix LOKT_BACKEND");
    return;
  }
  const started = performance.now();
  await client.command("PING");
  const rtt = performance.now() - started;
  const [server, persistence, replication, policy] = await client.pipeline([
    [
      "INFO",
      "server"
    ],
    [
      "INFO",
      "persistence"
    ],
    [
      "INFO",
      "replication"
    ],
    [
      "CONFIG",
      "GET",
      "maxmemory-policy"
    ]
  ]);
  const field = (info, key) => typeof info === "string" ? new RegExp(`^${key}:(.*)$`, "m").exec(info)?.[1]?.trim() ?? null : null;
  const version = field(server, "redis_version");
  const major = Number(version?.split(".")[0] ?? 0);
  add("redis", major >= 7 ? "OK" : "WARN", `${ctx.store.location}: Redis ${version ?? "of unknown version"}, round trip ${rtt.toFixed(1)} ms`, "use Redis 7 or later");
  const aof = field(persistence, "aof_enabled") === "1";
  const saveConfig = await client.command("CONFIG", "GET", "save").catch(() => null);
  const snapshots = Array.isArray(saveConfig) && typeof saveConfig[1] === "string" && saveConfig[1].trim() !== "";
  add("redis-persistence", aof || snapshots ? "OK" : "WARN", aof ? "append-only file on: locks survive a restart" : snapshots ? "snapshots on: a restart loses the locks taken since the last snapshot" : "no persistence: a server restart forgets every lock, reservation and freeze", "turn on appendonly (CONFIG SET appendonly yes) for locks that survive a restart");
  const evict = Array.isArray(policy) ? String(policy[1]) : "unknown";
  add("redis-eviction", evict === "noeviction" ? "OK" : "FAIL", `maxmemory-policy is ${evict}${evict === "noeviction" ? "" : ": the server may silently evict locks"}`, "CONFIG SET maxmemory-policy noeviction");
  const role = field(replication, "role") ?? "unknown";
  const replicas = Number(field(replication, "connected_slaves") ?? 0);
  add("redis-replication", role === "master" && replicas === 0 ? "OK" : "WARN", role === "master" && replicas === 0 ? "a single server: no failover to lose a lock" : `role ${role} with ${replicas} replica(s): replication is asynchronous, so a failover can lose a lock`, "accept the risk, or keep lokt on one primary");
}
var init_doctor_redis = __esm({
  "lib/core/doctor_redis.ts"() {
    init_errors();
    init_audit_source();
  }
});

// lib/core/doctor_checks.ts
async function runDoctor(ctx) {
  const checks = [];
  const add = (id, status, message, fix = null) => checks.push({
    id,
    status,
    message,
    fix: status === "OK" ? null : fix
  });
  const root = ctx.rootInfo.root;
  const sourceText = {
    env: "LOKT_ROOT",
    git: `the git repository ${ctx.rootInfo.repo}`,
    dotlokt: "the nearest .lokt directory (not inside a git repository)",
    cwd: "the current directory (not inside a git repository; no .lokt above)"
  }[ctx.rootInfo.source];
  add("root", "OK", `${root} (found from ${sourceText})`);
  let info = null;
  try {
    info = Deno.statSync(root);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) {
      add("root-type", "FAIL", `cannot inspect ${root}: ${toLoktError(err).message}`, "check the path and its permissions");
    }
  }
  const usable = info?.isDirectory === true;
  if (info && !info.isDirectory) {
    add("root-type", "FAIL", `${root} exists but is not a directory`, `remove it, or set LOKT_ROOT to a directory`);
  } else if (!info) {
    add("root-type", "OK", "the root does not exist yet; it is created on the first lock");
  } else {
    add("root-type", "OK", "the root is a directory");
  }
  if (usable) {
    checkWritableAndAtomic(root, add);
  } else if (!info) {
    const parent = existingAncestor(root);
    const mode = parent ? Deno.statSync(parent).mode : null;
    if (parent && mode !== null && (mode & 146) === 0) {
      add("writable", "FAIL", `${parent} is read-only; the root cannot be created`, "make it writable or set LOKT_ROOT");
    } else {
      add("writable", "OK", `the root will be created under ${parent ?? "/"}`);
    }
  }
  const fs = filesystemOf(usable ? root : existingAncestor(root) ?? "/");
  if (fs && NETWORK_FS.test(fs.type)) {
    add("filesystem", "WARN", `${fs.mount} is a network filesystem (${fs.type}): flock and rename may not be atomic across machines`, "set LOKT_ROOT to a local directory shared by the agents of one machine");
  } else {
    add("filesystem", "OK", fs ? `${fs.type} mounted at ${fs.mount}` : "filesystem type unknown (no /proc/mounts)");
  }
  await checkRedis(ctx, add);
  await checkClock(ctx, usable, add);
  if (usable) {
    await checkState(ctx, add);
    await checkAudit(ctx, add);
  }
  try {
    const config = loadConfig(ctx.rootInfo, ctx.cwd);
    add("config", "OK", config.path ? `${config.path} is valid` : "no lokt.jsonc (defaults in use)");
  } catch (err) {
    add("config", "FAIL", toLoktError(err).message, "fix the file at the line and key named");
  }
  const missing2 = [];
  for (const name of [
    "read",
    "write",
    "env",
    "sys",
    "run"
  ]) {
    if (!granted({
      name
    })) missing2.push(name);
  }
  if (missing2.length === 0) add("permissions", "OK", "read, write, env, sys and run are granted");
  else {
    add("permissions", missing2.includes("read") || missing2.includes("write") ? "FAIL" : "WARN", `not granted: ${missing2.map((m) => `--allow-${m}`).join(" ")}`, "run lokt with the permissions listed in the README");
  }
  return checks;
}
function checkWritableAndAtomic(root, add) {
  const probe = join(root, `.doctor-${Deno.pid}.tmp`);
  const target = join(root, `.doctor-${Deno.pid}.link`);
  try {
    Deno.writeTextFileSync(probe, "probe\n", {
      createNew: true
    });
  } catch (err) {
    add("writable", "FAIL", `cannot create a file in ${root}: ${toLoktError(err).message}`, "fix the permissions of the root");
    return;
  }
  add("writable", "OK", "files can be created in the root");
  try {
    Deno.linkSync(probe, target);
    let refused = false;
    try {
      Deno.linkSync(probe, target);
    } catch (err) {
      refused = err instanceof Deno.errors.AlreadyExists;
    }
    Deno.renameSync(probe, target);
    if (!refused) throw new Error("a second exclusive create was not refused");
    add("atomic-create", "OK", "exclusive create and atomic rename work");
  } catch (err) {
    add("atomic-create", "FAIL", `exclusive create or rename failed: ${toLoktError(err).message}`, "use a local filesystem for the root");
  } finally {
    for (const p of [
      probe,
      target
    ]) {
      try {
        Deno.removeSync(p);
      } catch {
      }
    }
  }
}
function existingAncestor(path) {
  let dir = path;
  for (; ; ) {
    try {
      if (Deno.statSync(dir).isDirectory) return dir;
    } catch {
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
function filesystemOf(path) {
  let text2;
  try {
    text2 = Deno.readTextFileSync("/proc/mounts");
  } catch {
    return null;
  }
  let best = null;
  for (const line of text2.split("\n")) {
    const [, mount, type] = line.split(" ");
    if (!mount || !type) continue;
    const decoded = mount.replace(/\\040/g, " ");
    const inside = decoded === "/" || path === decoded || path.startsWith(`${decoded}/`);
    if (inside && (!best || decoded.length >= best.mount.length)) best = {
      mount: decoded,
      type
    };
  }
  return best;
}
var NETWORK_FS;
var init_doctor_checks = __esm({
  "lib/core/doctor_checks.ts"() {
    init_config();
    init_errors();
    init_doctor_state();
    init_doctor_redis();
    init_path();
    init_permissions();
    NETWORK_FS = /^(nfs4?|cifs|smb[23]?|smbfs|9p|ceph|glusterfs|lustre|afs|fuse\.(sshfs|s3fs|gcsfuse|rclone|glusterfs)|gpfs|beegfs)$/;
  }
});

// lib/cli/commands/doctor.ts
var doctor_exports = {};
__export(doctor_exports, {
  run: () => run18,
  spec: () => spec18
});
async function run18(_args, io) {
  const checks = await runDoctor(openContext({
    lenientConfig: true
  }));
  const count = (s) => checks.filter((c) => c.status === s).length;
  const failed = count("FAIL") > 0;
  const lines2 = checks.map((c) => {
    const tag = paint(io, c.status === "OK" ? "green" : c.status === "WARN" ? "yellow" : "red", c.status.padEnd(4));
    return `${tag}  ${c.id.padEnd(13)} ${c.message}${c.fix ? `
      ${"".padEnd(13)} fix: ${c.fix}` : ""}`;
  });
  lines2.push("", `${count("OK")} ok, ${count("WARN")} warning(s), ${count("FAIL")} failure(s)`);
  return {
    exitCode: failed ? 1 : 0,
    json: {
      ok: !failed,
      command: "doctor",
      checks,
      summary: {
        ok: count("OK"),
        warn: count("WARN"),
        fail: count("FAIL")
      }
    },
    text: lines2.join("\n")
  };
}
var spec18;
var init_doctor = __esm({
  "lib/cli/commands/doctor.ts"() {
    init_context();
    init_doctor_checks();
    init_output();
    spec18 = {
      name: "doctor",
      summary: "check root, permissions, filesystem, clock, records, audit trail and config",
      usage: [
        "doctor [--json]"
      ],
      flags: [],
      positionals: [],
      examples: [
        "lokt doctor",
        "lokt doctor --json"
      ]
    };
  }
});

// lib/cli/commands/whoami.ts
var whoami_exports = {};
__export(whoami_exports, {
  run: () => run19,
  spec: () => spec19
});
function run19(_args, _io) {
  const ctx = openContext();
  const id = ctx.identity;
  const info = ctx.rootInfo;
  const rows = [
    [
      "owner",
      `${id.owner}  (from ${id.ownerSource})`
    ],
    [
      "agent",
      `${id.agentId}  (${id.agentSource})`
    ],
    [
      "user",
      id.user
    ],
    [
      "host",
      id.host
    ],
    [
      "machine",
      id.machineId
    ],
    [
      "pid",
      String(id.pid)
    ],
    [
      "root",
      `${info.root}  (from ${rootSourceText(info.source)})`
    ]
  ];
  return Promise.resolve({
    exitCode: 0,
    json: {
      ok: true,
      command: "whoami",
      owner: id.owner,
      owner_source: id.ownerSource,
      agent_id: id.agentId,
      agent_source: id.agentSource,
      user: id.user,
      host: id.host,
      machine_id: id.machineId,
      pid: id.pid,
      root: info.root,
      root_source: info.source,
      repository: info.repo
    },
    text: rows.map(([k, v]) => `${k.padEnd(8)} ${v}`).join("\n")
  });
}
function rootSourceText(source) {
  if (source === "env") return "LOKT_ROOT";
  if (source === "git") return "the git repository";
  if (source === "dotlokt") return "the nearest .lokt directory (not in a git repository)";
  return "the current directory (not in a git repository)";
}
var spec19;
var init_whoami = __esm({
  "lib/cli/commands/whoami.ts"() {
    init_context();
    spec19 = {
      name: "whoami",
      summary: "show the owner, agent id, host and root lokt uses, and where each came from",
      usage: [
        "whoami [--json]"
      ],
      flags: [],
      positionals: [],
      examples: [
        "lokt whoami",
        "LOKT_OWNER=agent-1 lokt whoami --json"
      ]
    };
  }
});

// lib/cli/commands/version.ts
var version_exports = {};
__export(version_exports, {
  run: () => run20,
  spec: () => spec20
});
function run20(_args, _io) {
  return Promise.resolve({
    exitCode: 0,
    json: {
      ok: true,
      command: "version",
      version: VERSION,
      deno: Deno.version.deno
    },
    text: `lokt ${VERSION} (deno ${Deno.version.deno})`
  });
}
var spec20;
var init_version = __esm({
  "lib/cli/commands/version.ts"() {
    init_package_version();
    spec20 = {
      name: "version",
      summary: "print the version of lokt (and of Deno)",
      usage: [
        "version [--json]",
        "--version"
      ],
      flags: [],
      positionals: [],
      examples: [
        "lokt --version"
      ]
    };
  }
});

// lib/cli/dispatcher.ts
init_errors();
init_package_version();
init_args();
init_output();
init_run_command();
var COMMANDS = {
  guard: {
    summary: "run a command while holding a lock, release on every exit",
    load: () => Promise.resolve().then(() => (init_guard(), guard_exports))
  },
  lock: {
    summary: "acquire a lock and exit, leaving it held",
    load: () => Promise.resolve().then(() => (init_lock(), lock_exports))
  },
  unlock: {
    summary: "release your lock, break a stale one, or force-break",
    load: () => Promise.resolve().then(() => (init_unlock(), unlock_exports))
  },
  reserve: {
    summary: "claim paths you are about to edit, all patterns or none",
    load: () => Promise.resolve().then(() => (init_reserve(), reserve_exports))
  },
  release: {
    summary: "drop your path reservations",
    load: () => Promise.resolve().then(() => (init_release(), release_exports))
  },
  check: {
    summary: "exit 0 if you may write these paths now, 2 if another owner reserved one",
    load: () => Promise.resolve().then(() => (init_check(), check_exports))
  },
  dashboard: {
    summary: "serve a read-only, live web page of locks, reservations, freezes and the timeline",
    load: () => Promise.resolve().then(() => (init_dashboard(), dashboard_exports))
  },
  mcp: {
    summary: "serve lokt's tools to an agent harness over MCP (stdio)",
    load: () => Promise.resolve().then(() => (init_mcp(), mcp_exports))
  },
  init: {
    summary: "set up hooks for Claude Code, Codex and git, and the primer in AGENTS.md",
    load: () => Promise.resolve().then(() => (init_init2(), init_exports))
  },
  hook: {
    summary: "answer an agent harness's hook event, or guard a git commit",
    load: () => Promise.resolve().then(() => (init_hook(), hook_exports))
  },
  prime: {
    summary: "what an agent needs to know now: identity, locks, reservations, conventions",
    load: () => Promise.resolve().then(() => (init_prime(), prime_exports))
  },
  status: {
    summary: "show held locks, reservations and freezes",
    load: () => Promise.resolve().then(() => (init_status(), status_exports))
  },
  why: {
    summary: "explain whether a lock can be acquired now, and how to clear it",
    load: () => Promise.resolve().then(() => (init_why(), why_exports))
  },
  exists: {
    summary: "exit 0 if a lock is held, 3 if not",
    load: () => Promise.resolve().then(() => (init_exists(), exists_exports))
  },
  freeze: {
    summary: "block every new acquisition of a name for a while",
    load: () => Promise.resolve().then(() => (init_freeze(), freeze_exports))
  },
  unfreeze: {
    summary: "lift a freeze",
    load: () => Promise.resolve().then(() => (init_unfreeze(), unfreeze_exports))
  },
  audit: {
    summary: "query or follow the audit trail",
    load: () => Promise.resolve().then(() => (init_audit(), audit_exports))
  },
  doctor: {
    summary: "check that the setup is sound",
    load: () => Promise.resolve().then(() => (init_doctor(), doctor_exports))
  },
  whoami: {
    summary: "show the identity lokt acts as",
    load: () => Promise.resolve().then(() => (init_whoami(), whoami_exports))
  },
  version: {
    summary: "print the version",
    load: () => Promise.resolve().then(() => (init_version(), version_exports))
  }
};
async function run21(argv) {
  const io = processIo(jsonRequested(argv));
  const first2 = argv[0];
  if (first2 === "--help" || first2 === "-h") {
    io.out(topHelp());
    return ExitCode.Ok;
  }
  if (first2 === "help") return await help(io, argv[1]);
  if (first2 === void 0) {
    io.err(topHelp());
    return reportError(io, null, new UsageError("missing command"));
  }
  const version = first2 === "--version" || first2 === "-V";
  const name = version ? "version" : first2;
  const entry = COMMANDS[name];
  if (!entry) {
    return reportError(io, null, new UsageError(`unknown command ${JSON.stringify(name)}${suggest(name)}`));
  }
  return await runCommand(entry.load, name, version ? [] : argv.slice(1), io);
}
async function help(io, name) {
  if (name === void 0) {
    io.out(topHelp());
    return ExitCode.Ok;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    printError(io, null, new UsageError(`unknown command ${JSON.stringify(name)}${suggest(name)}`));
    return ExitCode.Usage;
  }
  io.out(helpText((await entry.load()).spec));
  return ExitCode.Ok;
}
function suggest(name) {
  const close = Object.keys(COMMANDS).find((c) => c.startsWith(name.slice(0, 2)) && name.length > 1);
  return close ? ` (did you mean '${close}'?)` : "";
}
function topHelp() {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    `lokt ${VERSION} \u2014 file-based locks for agents and people sharing one repository`,
    "",
    "Usage: lokt <command> [flags]     (flags may come before or after the lock name)",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "Exit codes: 0 ok \xB7 1 error \xB7 2 held/frozen/timed out \xB7 3 not found \xB7 4 not owner \xB7 64 usage",
    "",
    "Examples:",
    "  lokt guard build --ttl 5m -- make build",
    "  lokt lock deploy --ttl 30m --reason 'release 1.2'",
    "  lokt why build",
    "",
    "Run 'lokt <command> --help' for a command's flags."
  ].join("\n");
}
export {
  COMMANDS,
  run21 as run,
  topHelp
};

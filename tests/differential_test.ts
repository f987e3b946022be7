// One rule set: every edge case of the reliability suite runs through cli.ts
// (fast path first, the engine when it declines) and through the engine alone
// (tests/fixtures/engine_cli.ts), each on its own copy of the same state. Exit
// code, output, the record left behind and the audit events must be identical.
// The fast-path probe also reports which cases the fast path itself handled,
// so the comparison covers both of its answers.
import { assert, assertEquals } from "./_assert.ts";
import { FIXTURES, freshRoot, lokt, spawnScript } from "./_helpers.ts";

const ENGINE = `${FIXTURES}engine_cli.ts`;
const PROBE = `${FIXTURES}fast_path_probe.ts`;
const OWNER = "me";
const HOUR = 3_600_000;

/** The identity fields of records written by this test's setups. */
async function machineId(): Promise<string> {
  const out = await lokt(["whoami", "--json"], { owner: OWNER });
  return JSON.parse(out.stdout).machine_id;
}

function record(fields: Record<string, unknown>): string {
  const now = Date.now();
  return `${
    JSON.stringify(
      {
        version: 1,
        name: "x",
        lock_id: "0123456789abcdef0123456789abcdef",
        fence: 41,
        owner: "them",
        agent_id: "agent-them",
        host: "h",
        machine_id: "elsewhere",
        pid: 1,
        pid_start: null,
        liveness: "ttl",
        acquired_at: new Date(now).toISOString(),
        renewed_at: new Date(now).toISOString(),
        ttl_ms: HOUR,
        expires_at: new Date(now + HOUR).toISOString(),
        reason: null,
        command: null,
        ...fields,
      },
      null,
      2,
    )
  }\n`;
}

/** A shared or semaphore document of "x" holding these holds (record fields each). */
function group(mode: "shared" | "slots", holds: Record<string, unknown>[]): string {
  const holders = holds.map((fields, i) =>
    JSON.parse(
      record({
        version: 2,
        hold: "owner",
        pgid: null,
        mode,
        slot: mode === "slots" ? i : null,
        lock_id: `${i}`.repeat(32),
        fence: 41 + i,
        ...fields,
      }),
    )
  );
  const slots = mode === "slots" ? 3 : null;
  return JSON.stringify({ version: 3, name: "x", mode, slots, fence: 40 + holds.length, holders });
}

/** A freeze of "x" by "ops" that expired `agoMs` ago (negative: expires in the future). */
function freeze(agoMs: number, reason: string | null): string {
  return JSON.stringify({
    version: 1,
    name: "x",
    owner: "ops",
    agent_id: "a",
    host: "h",
    pid: 1,
    frozen_at: past(agoMs + HOUR),
    ttl_ms: HOUR,
    expires_at: past(agoMs),
    reason,
  });
}

type Setup = (root: string, dir: string, machine: string) => Promise<void>;

async function write(path: string, content: string, ageMs = 0) {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, content);
  if (ageMs > 0) {
    const past = new Date(Date.now() - ageMs);
    await Deno.utime(path, past, past);
  }
}

const past = (ms: number) => new Date(Date.now() - ms).toISOString();

/** Every edge case, as a setup of a prepared root (locks/ and mutex/ exist). */
const SETUPS: Record<string, Setup> = {
  "free": async () => {},
  "root not set up": async (root) => await Deno.remove(root, { recursive: true }),
  "held by another owner": async (root) => await write(`${root}/locks/x.json`, record({})),
  "held by me": async (root) => await write(`${root}/locks/x.json`, record({ owner: OWNER })),
  "expired": async (root) =>
    await write(
      `${root}/locks/x.json`,
      record({ acquired_at: past(2 * HOUR), renewed_at: past(2 * HOUR), expires_at: past(HOUR) }),
      2 * HOUR,
    ),
  "dead holder": async (root, _dir, machine) =>
    await write(
      `${root}/locks/x.json`,
      record({
        liveness: "process",
        machine_id: machine,
        pid: 999_999_999,
        ttl_ms: null,
        expires_at: null,
      }),
    ),
  "mine, expired": async (root) =>
    await write(
      `${root}/locks/x.json`,
      record({
        owner: OWNER,
        acquired_at: past(2 * HOUR),
        renewed_at: past(2 * HOUR),
        expires_at: past(HOUR),
      }),
      2 * HOUR,
    ),
  "corrupt, being written": async (root) => await write(`${root}/locks/x.json`, "{ not json"),
  "corrupt, old": async (root) => await write(`${root}/locks/x.json`, "{ not json", HOUR),
  "empty record": async (root) => await write(`${root}/locks/x.json`, "", HOUR),
  "foreign name, my owner": async (root) =>
    await write(`${root}/locks/x.json`, record({ name: "other", owner: OWNER }), HOUR),
  "foreign name, fresh": async (root) =>
    await write(`${root}/locks/x.json`, record({ name: "other", owner: OWNER })),
  "newer lokt's record": async (root) =>
    await write(`${root}/locks/x.json`, record({ version: 4, owner: OWNER }), HOUR),
  "too large": async (root) =>
    await write(`${root}/locks/x.json`, record({ reason: "r".repeat(1 << 20) }), HOUR),
  "a directory": async (root) => {
    await Deno.mkdir(`${root}/locks/x.json`);
    const p = new Date(Date.now() - HOUR);
    await Deno.utime(`${root}/locks/x.json`, p, p);
  },
  "record is a symlink": async (root, dir) => {
    await write(`${dir}/outside.json`, record({ owner: OWNER }));
    await Deno.symlink(`${dir}/outside.json`, `${root}/locks/x.json`);
  },
  "locks/ is a symlink": async (root, dir) => {
    await Deno.mkdir(`${dir}/elsewhere`);
    await write(`${dir}/elsewhere/x.json`, record({ owner: OWNER }));
    await Deno.remove(`${root}/locks`, { recursive: true });
    await Deno.symlink(`${dir}/elsewhere`, `${root}/locks`);
  },
  "dated in the future": async (root) =>
    await write(
      `${root}/locks/x.json`,
      record({
        owner: OWNER,
        acquired_at: new Date(Date.now() + HOUR).toISOString(),
        renewed_at: new Date(Date.now() + HOUR).toISOString(),
        expires_at: new Date(Date.now() + 2 * HOUR).toISOString(),
      }),
    ),
  "a semaphore with my slot": async (root) =>
    await write(`${root}/locks/x.json`, group("slots", [{}, { owner: OWNER }])),
  "a full semaphore": async (root) =>
    await write(`${root}/locks/x.json`, group("slots", [{}, { owner: "b" }, { owner: "c" }])),
  "a semaphore with a stale slot": async (root) =>
    await write(
      `${root}/locks/x.json`,
      group("slots", [{ expires_at: past(HOUR), renewed_at: past(2 * HOUR) }, { owner: OWNER }]),
      2 * HOUR,
    ),
  "readers, me among them": async (root) =>
    await write(`${root}/locks/x.json`, group("shared", [{}, { owner: OWNER }])),
  "config with a slots policy": async (_root, dir) =>
    await write(`${dir}/lokt.jsonc`, '{ "locks": { "x": { "slots": 3 } } }'),
  "frozen": async (root) => await write(`${root}/freezes/x.json`, freeze(-HOUR, "incident")),
  "expired freeze": async (root) => await write(`${root}/freezes/x.json`, freeze(HOUR, null)),
  "a waiter queued": async (root, _dir, machine) =>
    await write(
      `${root}/queue/x/00000000000000000001.json`,
      JSON.stringify({
        owner: "w",
        pid: Deno.pid,
        pid_start: null,
        machine_id: machine,
        since: past(0),
      }),
    ),
  "config with a TTL policy": async (_root, dir) =>
    await write(`${dir}/lokt.jsonc`, '{\n  // policies\n  "locks": { "x": { "ttl": "2m" } },\n}\n'),
  "config with a waiting policy": async (_root, dir) =>
    await write(`${dir}/lokt.jsonc`, '{ "locks": { "x": { "wait": true, "timeout": "1s" } } }'),
  "invalid config": async (_root, dir) =>
    await write(`${dir}/lokt.jsonc`, '{ "locks": { "x": { "ttl": "soon" } } }'),
  "audit trail is a symlink": async (root, dir) => {
    await write(`${dir}/trail`, "");
    await Deno.remove(`${root}/audit.jsonl`);
    await Deno.symlink(`${dir}/trail`, `${root}/audit.jsonl`);
  },
};

const COMMANDS: string[][] = [
  ["lock", "x"],
  ["lock", "x", "--ttl", "5m", "--reason", "same"],
  ["lock", "x", "--json"],
  ["unlock", "x"],
  ["unlock", "x", "--json"],
];

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  record: unknown;
  audit: unknown[];
}

const VOLATILE = new Set([
  "ts",
  "lock_id",
  "acquired_at",
  "renewed_at",
  "expires_at",
  "pid",
  "pid_start",
  "age_ms",
  "expires_in_ms",
  "expired_ms_ago",
  "generated_at",
]);

/** Replaces what differs between two runs of the same thing (ids, times, pids, temp paths). */
function normalize(value: unknown, dir: string): unknown {
  if (typeof value === "string") {
    return value.replaceAll(dir, "<dir>")
      .replace(/[0-9a-f]{32}/g, "<id>")
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "<ts>")
      .replace(/pid \d+/g, "pid <n>")
      .replace(/(\d+(ms|s|m|h|d))+/g, "<dur>");
  }
  if (Array.isArray(value)) return value.map((v) => normalize(v, dir));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, VOLATILE.has(k) ? "<x>" : normalize(v, dir)]),
    );
  }
  return value;
}

async function outcome(
  script: string | null,
  args: string[],
  root: string,
  dir: string,
): Promise<Outcome> {
  const before = await auditLines(root);
  const run = script === null
    ? await lokt(args, { root, owner: OWNER, cwd: dir })
    : await (async () => {
      const out = await spawnScript(script, args, { root, owner: OWNER, cwd: dir }).output();
      const td = new TextDecoder();
      return { code: out.code, stdout: td.decode(out.stdout), stderr: td.decode(out.stderr) };
    })();
  let recorded: unknown = null;
  try {
    const text = await Deno.readTextFile(`${root}/locks/x.json`);
    try {
      recorded = JSON.parse(text);
    } catch {
      recorded = text.slice(0, 100);
    }
  } catch (err) {
    recorded = err instanceof Error ? err.name : String(err);
  }
  const after = await auditLines(root);
  const audit = after.slice(before.length).map((l) => JSON.parse(l));
  return normalize(
    {
      code: run.code,
      stdout: jsonLines(run.stdout),
      stderr: run.stderr,
      record: recorded,
      audit,
    },
    dir,
  ) as Outcome;
}

/** Output lines, each parsed when it is a JSON document (so its fields are normalised). */
function jsonLines(text: string): unknown[] {
  return text.split("\n").filter((l) => l).map((line) => {
    try {
      return JSON.parse(line);
    } catch {
      return line;
    }
  });
}

async function auditLines(root: string): Promise<string[]> {
  try {
    return (await Deno.readTextFile(`${root}/audit.jsonl`)).split("\n").filter((l) => l);
  } catch {
    return [];
  }
}

/** A root as the CLI sets it up (locks/, mutex/, audit trail), then the scenario's setup. */
async function scene(setup: Setup, machine: string) {
  const { dir, root } = await freshRoot();
  for (const sub of ["locks", "mutex"]) await Deno.mkdir(`${root}/${sub}`, { recursive: true });
  await Deno.writeTextFile(`${root}/audit.jsonl`, "");
  await setup(root, dir, machine);
  return { dir, root };
}

Deno.test("cli.ts (fast path, then engine) and the engine alone agree on every edge case", async () => {
  const machine = await machineId();
  const handled: string[] = [];
  const cases = Object.entries(SETUPS).flatMap(([name, setup]) =>
    COMMANDS.map((args) => ({ name, setup, args }))
  );
  const check = async ({ name, setup, args }: (typeof cases)[number]) => {
    const what = `${name}: lokt ${args.join(" ")}`;
    const a = await scene(setup, machine);
    const b = await scene(setup, machine);
    const p = await scene(setup, machine);
    try {
      const viaCli = await outcome(null, args, a.root, a.dir);
      const viaEngine = await outcome(ENGINE, args, b.root, b.dir);
      assertEquals(viaCli, viaEngine, what);
      const probe = await spawnScript(PROBE, args, { root: p.root, owner: OWNER, cwd: p.dir })
        .output();
      assert(probe.code === 0 || probe.code === 100, `${what}: probe exited ${probe.code}`);
      if (probe.code === 0) handled.push(what);
    } finally {
      for (const s of [a, b, p]) await Deno.remove(s.dir, { recursive: true });
    }
  };
  for (let i = 0; i < cases.length; i += 6) await Promise.all(cases.slice(i, i + 6).map(check));
  // Both answers of the fast path were compared: it handled exactly the plain cases.
  assertEquals(handled.sort(), [
    "config with a TTL policy: lokt lock x",
    "config with a TTL policy: lokt lock x --json",
    "config with a TTL policy: lokt lock x --ttl 5m --reason same",
    "dated in the future: lokt unlock x",
    "dated in the future: lokt unlock x --json",
    "free: lokt lock x",
    "free: lokt lock x --json",
    "free: lokt lock x --ttl 5m --reason same",
    "held by me: lokt unlock x",
    "held by me: lokt unlock x --json",
    "mine, expired: lokt unlock x",
    "mine, expired: lokt unlock x --json",
  ]);
});

Deno.test("a record naming another lock is corrupt on every path: unlock exits 1 and removes nothing", async () => {
  const { dir, root } = await freshRoot();
  await write(`${root}/locks/x.json`, record({ name: "other", owner: OWNER }));
  await Deno.mkdir(`${root}/mutex`, { recursive: true });
  const engine = async () => {
    const out = await spawnScript(ENGINE, ["unlock", "x"], { root, owner: OWNER }).output();
    return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
  };
  for (const run of [() => lokt(["unlock", "x"], { root, owner: OWNER }), engine]) {
    const result = await run();
    assertEquals(result.code, 1, result.stderr);
    assert(result.stderr.includes('corrupt record (names another lock ("other"))'), result.stderr);
  }
  // The fast path alone declines it (exit 100 from the probe), leaving it to the engine.
  const probe = await spawnScript(PROBE, ["unlock", "x"], { root, owner: OWNER }).output();
  assertEquals(probe.code, 100);
  assertEquals(JSON.parse(await Deno.readTextFile(`${root}/locks/x.json`)).name, "other");
  assertEquals(await auditLines(root), []);
  await Deno.remove(dir, { recursive: true });
});

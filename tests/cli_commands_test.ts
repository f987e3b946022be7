// Every command of docs/contract.md §6/§9 through the real CLI: exit codes, both flag orders, JSON documents.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { auditEvents, freshRoot, listTree, lokt, spawnLokt, waitFor } from "./_helpers.ts";

const fresh = freshRoot;

function json(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split("\n");
  assertEquals(lines.length, 1, `one JSON document expected, got ${stdout}`);
  return JSON.parse(lines[0] as string);
}

const RECORD_KEYS = [
  "version",
  "name",
  "lock_id",
  "fence",
  "owner",
  "agent_id",
  "host",
  "machine_id",
  "pid",
  "pid_start",
  "liveness",
  "acquired_at",
  "renewed_at",
  "ttl_ms",
  "expires_at",
  "reason",
  "command",
  "hold",
  "pgid",
  "mode",
  "slot",
].sort();

Deno.test("lock: flags before or after the name, = or space; the record has every field", async () => {
  const { dir, root } = await fresh();
  const forms = [
    ["lock", "a1", "--ttl", "5m", "--reason", "r"],
    ["lock", "--ttl", "5m", "a2", "--reason", "r"],
    ["lock", "--ttl=5m", "--reason=r", "a3"],
    ["lock", "--json", "a4", "--ttl", "5m", "--reason", "r"],
  ];
  for (const args of forms) {
    const result = await lokt([...args, "--json"], { root, owner: "alice" });
    assertEquals(result.code, 0, result.stderr);
    const doc = json(result.stdout);
    const lock = doc.lock as Record<string, unknown>;
    assertEquals(Object.keys(lock).sort(), RECORD_KEYS);
    assertEquals(lock.ttl_ms, 300_000);
    assertEquals(lock.reason, "r");
    assertEquals(lock.liveness, "ttl");
    assertEquals(doc.outcome, "acquired");
  }
  const text = await lokt(["lock", "a1", "--ttl", "5m"], { root, owner: "alice" });
  assertEquals(text.code, 0);
  assertMatch(text.stdout, /^renewed "a1" \(fence \d+, expires in 5m\)/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a plain lock survives its process: another owner is kept out until unlock [W1]", async () => {
  const { dir, root } = await fresh();
  assertEquals((await lokt(["lock", "build"], { root, owner: "agent-1" })).code, 0);
  const denied = await lokt(["lock", "build"], { root, owner: "agent-2" });
  assertEquals(denied.code, 2);
  assertEquals(denied.stdout, "");
  const line = denied.stderr.trim();
  assertEquals(line.split("\n").length, 1);
  assertMatch(
    line,
    /^error: lock "build" held by agent-1 \(agent agent-[0-9a-f]{8}, host \S+, pid \d+\) for \d+m?s — expires in (29m\d+s|30m); run 'lokt why build'$/,
  );
  assertEquals((await lokt(["unlock", "build"], { root, owner: "agent-2" })).code, 4);
  assertEquals((await lokt(["unlock", "build"], { root, owner: "agent-1" })).code, 0);
  assertEquals((await lokt(["lock", "build"], { root, owner: "agent-2" })).code, 0);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a plain lock keeps others out until its TTL expires, then it is taken over", async () => {
  const { dir, root } = await fresh();
  assertEquals((await lokt(["lock", "short", "--ttl", "1s"], { root, owner: "agent-1" })).code, 0);
  assertEquals((await lokt(["lock", "short"], { root, owner: "agent-2" })).code, 2);
  // Poll `why` until the lock is judged expired (TTL + skew tolerance).
  await waitFor(
    async () => (await lokt(["why", "short"], { root, owner: "agent-2" })).code === 0,
    "expiry",
    10_000,
    200,
  );
  const taken = await lokt(["lock", "short", "--json"], { root, owner: "agent-2" });
  assertEquals(taken.code, 0, taken.stderr);
  assertEquals((json(taken.stdout).broke as Record<string, unknown>).event, "expire-break");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("unlock: own 0, not held 3, not owner 4, --break-stale on a live lock 1, --force 0, --mine, --owner", async () => {
  const { dir, root } = await fresh();
  assertEquals((await lokt(["unlock", "none"], { root, owner: "a" })).code, 3);
  assertEquals((await lokt(["lock", "x", "--ttl", "1h"], { root, owner: "a" })).code, 0);
  assertEquals((await lokt(["unlock", "x"], { root, owner: "b" })).code, 4);
  const notStale = await lokt(["unlock", "--break-stale", "x"], { root, owner: "b" });
  assertEquals(notStale.code, 1);
  assertMatch(notStale.stderr, /not stale/);
  const forced = await lokt(["unlock", "x", "--force", "--json"], { root, owner: "b" });
  assertEquals(forced.code, 0);
  const doc = json(forced.stdout);
  assertEquals(doc.action, "force-break");
  assertEquals(
    ((doc.broken as Record<string, unknown>[])[0]?.previous as Record<string, unknown>).owner,
    "a",
  );
  for (const name of ["m1", "m2"]) await lokt(["lock", name], { root, owner: "a" });
  await lokt(["lock", "m3"], { root, owner: "c" });
  const mine = await lokt(["unlock", "--mine", "--json"], { root, owner: "a" });
  assertEquals(mine.code, 0);
  assertEquals((json(mine.stdout).released as unknown[]).length, 2);
  // Another owner's locks are a break-glass force-break, never a plain "release".
  const refused = await lokt(["unlock", "--owner", "c"], { root, owner: "a" });
  assertEquals(refused.code, 64, refused.stderr);
  assertMatch(refused.stderr, /needs --force/);
  assertEquals((await lokt(["exists", "m3"], { root, owner: "a" })).code, 0);
  const theirs = await lokt(["unlock", "--owner", "c", "--force"], { root, owner: "a" });
  assertEquals(theirs.code, 0, theirs.stderr);
  assertMatch(theirs.stdout, /^force-broke 1 lock\(s\) of c: m3 — audited as force-break/);
  const ownByName = await lokt(["unlock", "--owner", "a", "--json"], { root, owner: "a" });
  assertEquals([ownByName.code, json(ownByName.stdout).action], [0, "release"]);
  assertEquals(
    (await lokt(["unlock", "--mine"], { root, owner: "a" })).stdout.trim(),
    "a holds no locks",
  );
  const kinds = (await auditEvents(root)).map((e) => e.event);
  assertEquals(kinds.filter((k) => k === "force-break").length, 2);
  assertEquals(kinds.filter((k) => k === "release").length, 2);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("exists exits 0 when held and 3 when not, printing nothing", async () => {
  const { dir, root } = await fresh();
  const free = await lokt(["exists", "e"], { root, owner: "a" });
  assertEquals([free.code, free.stdout, free.stderr], [3, "", ""]);
  await lokt(["lock", "e"], { root, owner: "a" });
  const held = await lokt(["exists", "e"], { root, owner: "b" });
  assertEquals([held.code, held.stdout, held.stderr], [0, "", ""]);
  const doc = json((await lokt(["exists", "e", "--json"], { root, owner: "b" })).stdout);
  assertEquals(doc.exists, true);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("why: free 0, own lock 0 'you hold it', held 2 with the clearing commands, frozen 2", async () => {
  const { dir, root } = await fresh();
  const free = await lokt(["why", "w", "--json"], { root, owner: "a" });
  assertEquals(free.code, 0);
  assertEquals(json(free.stdout).can_acquire, true);
  await lokt(["lock", "w", "--reason", "deploying"], { root, owner: "a" });
  const own = await lokt(["why", "w"], { root, owner: "a" });
  assertEquals(own.code, 0);
  assertMatch(own.stdout, /you hold it/);
  const held = await lokt(["why", "w"], { root, owner: "b" });
  assertEquals(held.code, 2);
  assertMatch(held.stdout, /held by a .*reason: deploying/);
  assertMatch(held.stdout, /lokt lock w --wait/);
  assertMatch(held.stdout, /lokt unlock w --force/);
  await lokt(["freeze", "w", "--ttl", "1m", "--reason", "incident"], { root, owner: "ops" });
  const frozen = json((await lokt(["why", "w", "--json"], { root, owner: "a" })).stdout);
  assertEquals(frozen.can_acquire, false);
  const codes = (frozen.reasons as { code: string; fix: string[] }[]).map((r) => r.code);
  assert(codes.includes("frozen") && codes.includes("mine"), codes.join());
  await Deno.remove(dir, { recursive: true });
});

Deno.test("status lists locks and freezes with liveness; corrupt records are shown as corrupt", async () => {
  const { dir, root } = await fresh();
  const empty = await lokt(["status"], { root, owner: "a" });
  assertEquals([empty.code, empty.stdout.trim()], [0, "no locks held"]);
  await lokt(["lock", "s1", "--reason", "tests"], { root, owner: "a" });
  await lokt(["freeze", "s2", "--ttl", "10m"], { root, owner: "ops" });
  await Deno.writeTextFile(`${root}/locks/bad.json`, "");
  const text = await lokt(["status"], { root, owner: "b" });
  assertEquals(text.code, 0);
  assertMatch(text.stdout, /NAME\s+STATUS\s+OWNER\s+AGENT\s+AGE\s+TTL LEFT\s+FENCE\s+LIVENESS/);
  assertMatch(text.stdout, /s1\s+held\s+a\s+agent-\w+\s+\S+\s+\S+\s+\d+\s+ttl-only\s+tests/);
  assertMatch(text.stdout, /bad\s+corrupt/);
  assertMatch(text.stdout, /FROZEN s2 by ops/);
  assert(!text.stdout.includes("@"), "a corrupt record must not show a holder");
  const doc = json((await lokt(["status", "--json"], { root, owner: "b" })).stdout);
  const locks = doc.locks as Record<string, unknown>[];
  assertEquals(locks.map((l) => [l.name, l.status]), [["bad", "corrupt"], ["s1", "held"]]);
  assertEquals(Object.keys(locks[1]?.record as object).sort(), RECORD_KEYS);
  assertEquals(locks[0]?.owner, null);
  assertEquals((doc.freezes as Record<string, unknown>[])[0]?.owner, "ops");
  const one = await lokt(["status", "s1", "--json"], { root, owner: "b" });
  assertEquals((json(one.stdout).locks as unknown[]).length, 1);
  const why = await lokt(["why", "bad"], { root, owner: "b" });
  assertMatch(why.stdout, /corrupt/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("freeze and unfreeze: owner extends, others exit 2/4, --force lifts, expiry 3", async () => {
  const { dir, root } = await fresh();
  const first = await lokt(["freeze", "f", "--ttl", "1m", "--reason", "inc", "--json"], {
    root,
    owner: "ops",
  });
  assertEquals(first.code, 0);
  assertEquals(json(first.stdout).extended, false);
  const denied = await lokt(["lock", "f"], { root, owner: "ops" });
  assertEquals(denied.code, 2);
  assertMatch(denied.stderr, /frozen by ops \(inc\)/);
  const extended = await lokt(["freeze", "f", "--ttl", "2m", "--json"], { root, owner: "ops" });
  assertEquals(json(extended.stdout).extended, true);
  assertEquals((await lokt(["freeze", "f", "--ttl", "1m"], { root, owner: "other" })).code, 2);
  assertEquals((await lokt(["unfreeze", "f"], { root, owner: "other" })).code, 4);
  assertEquals((await lokt(["unfreeze", "f", "--force"], { root, owner: "other" })).code, 0);
  assertEquals((await lokt(["unfreeze", "f"], { root, owner: "ops" })).code, 3);
  assertEquals((await lokt(["lock", "f"], { root, owner: "ops" })).code, 0);
  const kinds = (await auditEvents(root)).map((e) => e.event);
  for (const k of ["freeze", "freeze-deny", "force-unfreeze", "acquire"]) {
    assert(kinds.includes(k), k);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("whoami and version print text and JSON; LOKT_OWNER and LOKT_AGENT_ID are honoured", async () => {
  const who = await lokt(["whoami", "--json"], {
    owner: "agent-7",
    env: { LOKT_AGENT_ID: "a7" },
    root: "/tmp/x-lokt",
  });
  assertEquals(who.code, 0);
  const doc = json(who.stdout);
  assertEquals([doc.owner, doc.owner_source, doc.agent_id, doc.root, doc.root_source], [
    "agent-7",
    "LOKT_OWNER",
    "a7",
    "/tmp/x-lokt",
    "env",
  ]);
  const text = await lokt(["whoami"], { owner: "agent-7" });
  assertMatch(text.stdout, /owner\s+agent-7\s+\(from LOKT_OWNER\)/);
  const version = json((await lokt(["version", "--json"], {})).stdout);
  assertMatch(String(version.version), /^\d+\.\d+\.\d+$/);
});

Deno.test("the default owner differs between two terminal sessions of one user [W2]", async () => {
  const run = (args: string[]) =>
    new Deno.Command("setsid", {
      args: [
        Deno.execPath(),
        "run",
        "-A",
        "--quiet",
        new URL("../cli.ts", import.meta.url).pathname,
        ...args,
      ],
      env: { NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "" },
      clearEnv: true,
      stdout: "piped",
    }).output();
  const a = JSON.parse(new TextDecoder().decode((await run(["whoami", "--json"])).stdout));
  const b = JSON.parse(new TextDecoder().decode((await run(["whoami", "--json"])).stdout));
  assert(a.owner !== b.owner, `${a.owner} vs ${b.owner}`);
  assertMatch(a.owner_source, /session/);
});

Deno.test("read-only commands never create the root or any file", async () => {
  const { dir, root } = await fresh();
  for (
    const args of [
      ["status"],
      ["status", "x"],
      ["why", "x"],
      ["exists", "x"],
      ["whoami"],
      ["version"],
      ["--help"],
      ["status", "--json"],
    ]
  ) {
    await lokt(args, { root, owner: "a" });
  }
  assertEquals(await listTree(dir), []);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("every command answers --json with one parseable document, in success and failure", async () => {
  const { dir, root } = await fresh();
  const cases: [string[], number][] = [
    [["lock", "j"], 0],
    [["lock", "j"], 2],
    [["status"], 0],
    [["status", "j"], 0],
    [["why", "j"], 2],
    [["exists", "j"], 0],
    [["exists", "nope"], 3],
    [["freeze", "k", "--ttl", "1m", "--reason", "by-a"], 0],
    [["unfreeze", "k"], 4],
    [["unfreeze", "nope"], 3],
    [["unlock", "j"], 4],
    [["unlock", "nope"], 3],
    [["whoami"], 0],
    [["version"], 0],
  ];
  for (const [index, [args, code]] of cases.entries()) {
    const owner = index === 0 || args.includes("by-a") ? "a" : "b";
    const result = await lokt([...args, "--json"], { root, owner });
    assertEquals(result.code, code, `${args}: ${result.stderr}`);
    const doc = json(result.stdout);
    assertEquals(
      doc.ok,
      code === 0 || (args[0] === "exists" && code === 3) || (args[0] === "why"),
      `${args}`,
    );
    if (doc.ok === false) {
      assertEquals(doc.exit_code, code);
      assert(typeof (doc.error as Record<string, unknown>).message === "string");
      assert("lock" in doc && "freeze" in doc);
    }
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("lock --pid ties the lock to a process: --ttl 0 never expires, the process's death frees it", async () => {
  const { dir, root } = await fresh();
  const sleeper = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    const held = await lokt(["lock", "pid", "--pid", String(sleeper.pid), "--ttl", "0", "--json"], {
      root,
      owner: "a",
    });
    assertEquals(held.code, 0, held.stderr);
    const lock = json(held.stdout).lock as Record<string, unknown>;
    assertEquals([lock.liveness, lock.pid, lock.ttl_ms, lock.expires_at], [
      "process",
      sleeper.pid,
      null,
      null,
    ]);
    assertEquals((await lokt(["lock", "pid"], { root, owner: "b" })).code, 2);
    sleeper.kill("SIGKILL");
    await sleeper.status;
    const taken = await lokt(["lock", "pid", "--json"], { root, owner: "b" });
    assertEquals(taken.code, 0, taken.stderr);
    assertEquals((json(taken.stdout).broke as Record<string, unknown>).event, "dead-break");
    // A PID that does not exist is refused.
    const gone = await lokt(["lock", "pid2", "--pid", String(sleeper.pid)], { root, owner: "a" });
    assertEquals(gone.code, 1);
    assertMatch(gone.stderr, /No process with pid/);
  } finally {
    try {
      sleeper.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a reader that goes away (closed stdout, as with | head) fails no command and prints no trace", async () => {
  const { dir, root } = await fresh();
  assertEquals((await lokt(["lock", "warm-up"], { root, owner: "o" })).code, 0);
  // The fast path (plain lock/unlock), the engine (--wait) and a read command.
  for (const args of [["lock", "p1"], ["lock", "p2", "--wait"], ["status"], ["unlock", "p1"]]) {
    const child = spawnLokt(args, { root, owner: "o" });
    await child.stdout.cancel();
    const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
    assertEquals([status.code, stderr], [0, ""], args.join(" "));
  }
  assertEquals((await lokt(["exists", "p1"], { root, owner: "o" })).code, 3);
  assertEquals((await lokt(["exists", "p2"], { root, owner: "o" })).code, 0);
  await Deno.remove(dir, { recursive: true });
});

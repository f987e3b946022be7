// The CLI's fast path (lib/cli/entry/fast_path.ts): which calls it handles, that it
// writes exactly what the engine writes, that it declines everything else
// without writing, and that it interleaves safely with the full path.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import {
  auditEvents,
  baseEnv,
  CLI,
  FIXTURES,
  freshRoot,
  listTree,
  lokt,
  reap,
  spawnLokt,
  spawnScript,
} from "./_helpers.ts";
import { checkRecovered } from "./reliability/_scenarios.ts";

const PROBE = `${FIXTURES}fast_path_probe.ts`;
const HANDLED = 0;
const DECLINED = 100;

/** Runs only the fast path; exit 0 when it handled the call, 100 when it declined. */
async function probe(args: string[], root: string, owner: string, cwd?: string) {
  const out = await spawnScript(PROBE, args, { root, owner, cwd }).output();
  const td = new TextDecoder();
  return { code: out.code, stdout: td.decode(out.stdout), stderr: td.decode(out.stderr) };
}

/** A root the full CLI has already set up (the fast path never creates directories). */
async function preparedRoot() {
  const { dir, root } = await freshRoot();
  assertEquals((await lokt(["lock", "warm-up"], { root, owner: "setup" })).code, 0);
  assertEquals((await lokt(["unlock", "warm-up"], { root, owner: "setup" })).code, 0);
  return { dir, root };
}

async function record(root: string, name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await Deno.readTextFile(`${root}/locks/${name}.json`));
}

function shape(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, v === null ? "null" : typeof v]),
  );
}

Deno.test("the fast path handles a plain lock and unlock and writes what the engine writes", async () => {
  const { dir, root } = await preparedRoot();
  const fast = await probe(["lock", "fast", "--ttl", "5m", "--reason", "same reason"], root, "o");
  assertEquals(fast.code, HANDLED, fast.stderr);
  assertMatch(fast.stdout, /^acquired "fast" \(fence 1, expires in 5m\)\n$/);
  // --wait sends the same acquisition through the engine.
  const full = await lokt(["lock", "full", "--ttl", "5m", "--reason", "same reason", "--wait"], {
    root,
    owner: "o",
  });
  assertEquals(full.code, 0, full.stderr);
  assertMatch(full.stdout, /^acquired "full" \(fence 1, expires in 5m\)\n$/);

  const a = await record(root, "fast");
  const b = await record(root, "full");
  assertEquals(shape(a), shape(b));
  assertEquals(Object.keys(a), Object.keys(b));
  for (const key of ["owner", "agent_id", "host", "machine_id", "liveness", "ttl_ms", "reason"]) {
    assertEquals(a[key], b[key], key);
  }
  assertEquals(a.fence, 1);
  assertEquals(a.expires_at, new Date(Date.parse(a.acquired_at as string) + 300_000).toISOString());

  // Unlock: the fast path for one, --force (own lock: a release) through the engine for the other.
  const fastUnlock = await probe(["unlock", "fast"], root, "o");
  assertEquals(fastUnlock.code, HANDLED, fastUnlock.stderr);
  assertEquals(fastUnlock.stdout, 'released "fast" (fence 1)\n');
  const fullUnlock = await lokt(["unlock", "full", "--force"], { root, owner: "o" });
  assertEquals(fullUnlock.code, 0, fullUnlock.stderr);
  assertEquals(fullUnlock.stdout, 'released "full" (fence 1)\n');

  const events = (await auditEvents(root)).filter((e) => e.name === "fast" || e.name === "full");
  const byKind = (name: string, kind: string) =>
    events.find((e) => e.name === name && e.event === kind) as Record<string, unknown>;
  for (const kind of ["acquire", "release"]) {
    const x = byKind("fast", kind);
    const y = byKind("full", kind);
    assertEquals(Object.keys(x), Object.keys(y), kind);
    assertEquals(shape(x), shape(y), kind);
    assertEquals([x.owner, x.ttl_ms, x.reason], [y.owner, y.ttl_ms, y.reason], kind);
  }
  assertEquals(byKind("fast", "acquire").lock_id, a.lock_id);
  assertEquals(await listTree(`${root}/locks`), []);

  // --json: the same document from both paths.
  const fastJson = await probe(["lock", "fj", "--json", "--ttl", "1m"], root, "o");
  assertEquals(fastJson.code, HANDLED, fastJson.stderr);
  const fullJson = await lokt(["lock", "gj", "--json", "--ttl", "1m", "--wait"], {
    root,
    owner: "o",
  });
  const [fj, gj] = [JSON.parse(fastJson.stdout), JSON.parse(fullJson.stdout)];
  assertEquals(Object.keys(fj), [
    "ok",
    "command",
    "outcome",
    "mode",
    "slots",
    "slot",
    "lock",
    "broke",
  ]);
  assertEquals(Object.keys(fj), Object.keys(gj));
  assertEquals([fj.ok, fj.command, fj.outcome, fj.broke], [
    gj.ok,
    gj.command,
    gj.outcome,
    gj.broke,
  ]);
  assertEquals(Object.keys(fj.lock), Object.keys(gj.lock));
  const fastRelease = await probe(["unlock", "fj", "--json"], root, "o");
  assertEquals(fastRelease.code, HANDLED, fastRelease.stderr);
  const fullRelease = await lokt(["unlock", "gj", "--json", "--force"], { root, owner: "o" });
  const [fr, gr] = [JSON.parse(fastRelease.stdout), JSON.parse(fullRelease.stdout)];
  assertEquals(Object.keys(fr), Object.keys(gr));
  assertEquals(
    [fr.ok, fr.command, fr.action, fr.released[0].lock_id, fr.broken],
    [gr.ok, gr.command, gr.action, fj.lock.lock_id, gr.broken],
  );
  assertEquals(gr.released[0].lock_id, gj.lock.lock_id);

  // The fence counter is shared: the next acquisition of "fast" gets fence 2 either way.
  assertEquals((await probe(["lock", "fast"], root, "o")).code, HANDLED);
  assertEquals((await record(root, "fast")).fence, 2);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the fast path declines, writing no record or audit line, whenever there is anything to judge", async () => {
  const { dir, root } = await preparedRoot();
  assertEquals((await lokt(["lock", "theirs", "--ttl", "5m"], { root, owner: "them" })).code, 0);
  assertEquals((await lokt(["lock", "mine", "--ttl", "5m"], { root, owner: "me" })).code, 0);
  assertEquals((await lokt(["freeze", "frozen", "--ttl", "5m"], { root, owner: "ops" })).code, 0);
  await Deno.mkdir(`${root}/queue/queued`, { recursive: true });
  await Deno.writeTextFile(`${root}/queue/queued/00000000000000000001.json`, "{}");
  await Deno.writeTextFile(`${root}/locks/corrupt.json`, "{ not json");
  const cases: [string, string[]][] = [
    ["held by another owner", ["lock", "theirs"]],
    ["held by me (a renewal)", ["lock", "mine"]],
    ["frozen", ["lock", "frozen"]],
    ["waiters queued", ["lock", "queued"]],
    ["a corrupt record", ["lock", "corrupt"]],
    ["--json twice", ["lock", "free", "--json", "--json"]],
    ["--wait", ["lock", "free", "--wait"]],
    ["--pid", ["lock", "free", "--pid", String(Deno.pid)]],
    ["an unknown flag", ["lock", "free", "--bogus"]],
    ["a flag given twice", ["lock", "free", "--ttl", "1m", "--ttl", "2m"]],
    ["a missing value", ["lock", "free", "--ttl"]],
    ["--ttl 0", ["lock", "free", "--ttl", "0"]],
    ["an invalid name", ["lock", "../escape"]],
    ["two names", ["lock", "free", "other"]],
    ["a multi-line reason", ["lock", "free", "--reason", "a\nb"]],
    ["--", ["lock", "--", "free"]],
    ["unlock of another owner's lock", ["unlock", "theirs"]],
    ["unlock of a free lock", ["unlock", "free"]],
    ["unlock of a corrupt record", ["unlock", "corrupt"]],
    ["unlock --force", ["unlock", "mine", "--force"]],
    ["another command", ["status"]],
    ["no arguments", []],
  ];
  const before = await Deno.readTextFile(`${root}/audit.jsonl`);
  const locks = await listTree(`${root}/locks`);
  for (const [why, args] of cases) {
    const result = await probe(args, root, "me");
    assertEquals(result.code, DECLINED, `${why}: ${result.stderr}`);
    assertEquals(result.stdout, "", why);
  }
  assertEquals(await Deno.readTextFile(`${root}/audit.jsonl`), before);
  assertEquals(await listTree(`${root}/locks`), locks);

  // A lokt.jsonc next to the repository (here: the cwd) applies to the fast path
  // as to the engine; a policy that waits, or an invalid file, is declined.
  await Deno.writeTextFile(
    `${dir}/lokt.jsonc`,
    `{ // policies\n "locks": { "free": { "ttl": "2m" }, "queue-me": { "wait": true }, }, }`,
  );
  assertEquals((await probe(["lock", "free"], root, "me", dir)).code, HANDLED);
  assertEquals((await record(root, "free")).ttl_ms, 120_000);
  assertEquals((await probe(["unlock", "free"], root, "me", dir)).code, HANDLED);
  assertEquals((await probe(["lock", "queue-me"], root, "me", dir)).code, DECLINED);
  const configured = await lokt(["lock", "queue-me"], { root, owner: "me", cwd: dir });
  assertEquals(configured.code, 0, configured.stderr);
  await Deno.writeTextFile(`${dir}/lokt.jsonc`, `{ "locks": { "free": { "ttl": "soon" } } }`);
  assertEquals((await probe(["lock", "free"], root, "me", dir)).code, DECLINED);
  await Deno.remove(`${dir}/lokt.jsonc`);

  // A root not set up yet, and a locks directory that is a symlink.
  const { dir: other, root: bare } = await freshRoot();
  assertEquals((await probe(["lock", "x"], bare, "me")).code, DECLINED);
  assertEquals(await listTree(other), []);
  await Deno.mkdir(`${bare}/mutex`, { recursive: true });
  await Deno.mkdir(`${other}/elsewhere`);
  await Deno.symlink(`${other}/elsewhere`, `${bare}/locks`);
  assertEquals((await probe(["lock", "x"], bare, "me")).code, DECLINED);
  assertEquals(await listTree(`${other}/elsewhere`), []);
  await Deno.remove(other, { recursive: true });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("fast-path and engine acquisitions of one lock interleave: one holder at a time, fences increasing", async () => {
  const { dir, root } = await preparedRoot();
  await Deno.writeTextFile(`${dir}/counter`, "0");
  const rounds = 10;
  // Even agents take the fast path (plain lock/unlock), odd ones the engine (--json).
  const agents = Array.from({ length: 6 }, (_, id) => {
    const json = id % 2 === 1 ? " --json" : "";
    const cli = `"${Deno.execPath()}" run -A --quiet ${CLI}`;
    const script = `ok=0; i=0; while [ $i -lt ${rounds} ]; do ` +
      `if ${cli} lock shared${json} >/dev/null 2>&1; then ` +
      `n=$(cat counter); echo $((n+1)) > counter; ok=$((ok+1)); ` +
      `${cli} unlock shared${json} >/dev/null 2>&1 || exit 9; fi; i=$((i+1)); done; echo $ok`;
    return new Deno.Command("sh", {
      args: ["-c", script],
      cwd: dir,
      env: baseEnv({ root, owner: `agent-${id}` }),
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
  });
  const results = await Promise.all(agents);
  let acquired = 0;
  for (const result of results) {
    assertEquals(result.code, 0, new TextDecoder().decode(result.stderr));
    acquired += Number(new TextDecoder().decode(result.stdout).trim());
  }
  assert(acquired > 0, "nobody acquired");
  assertEquals(Number((await Deno.readTextFile(`${dir}/counter`)).trim()), acquired);

  // The trail, written under the lock's mutex, alternates acquire/release.
  const trail = (await auditEvents(root)).filter((e) =>
    e.name === "shared" && (e.event === "acquire" || e.event === "release")
  );
  assertEquals(trail.length, acquired * 2);
  let lastFence = 0;
  for (let i = 0; i < trail.length; i += 2) {
    const [taken, freed] = [trail[i]!, trail[i + 1]!];
    assertEquals([taken.event, freed.event], ["acquire", "release"], `event ${i}`);
    assertEquals(freed.lock_id, taken.lock_id);
    assert((taken.fence as number) > lastFence, `fence ${taken.fence} after ${lastFence}`);
    lastFence = taken.fence as number;
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("SIGKILLs at random moments of fast-path calls leave no corrupt record and no wedged lock", async () => {
  const { dir, root } = await preparedRoot();
  for (let i = 0; i < 60; i++) {
    const child = spawnLokt(i % 2 === 0 ? ["lock", "k", "--ttl", "1s"] : ["unlock", "k"], {
      root,
      owner: "victim",
    });
    // The kill lands anywhere from start-up to exit, the critical section included.
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 40));
    await reap(child);
  }
  assertEquals(await checkRecovered(root, ["k"]), []);
  await Deno.remove(dir, { recursive: true });
});

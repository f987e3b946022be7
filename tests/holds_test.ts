// Holds and re-entry (docs/contract.md §4a): re-locking restates a hold, one owner's guards
// never run together, nested guards, the library's own re-acquisition, and an orphaned
// command keeping its guard's hold.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { acquire, LockHeldError } from "../mod.ts";
import {
  auditEvents,
  CLI,
  freshRoot,
  lineReader,
  lokt,
  reap,
  spawnLokt,
  waitFor,
} from "./_helpers.ts";

Deno.test("re-locking restates the hold: --pid makes it a process hold of that pid, --ttl 0 no expiry; a plain re-lock makes it a TTL hold again", async () => {
  const { dir, root } = await freshRoot();
  const a = { root, owner: "a" };
  assertEquals((await lokt(["lock", "d", "--ttl", "2d"], a)).code, 0);
  const sleeper = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    const tied = await lokt(["lock", "d", "--pid", String(sleeper.pid), "--ttl", "0", "--json"], a);
    assertEquals(tied.code, 0, tied.stderr);
    const doc = JSON.parse(tied.stdout);
    assertEquals(doc.outcome, "renewed");
    assertEquals(
      [doc.lock.liveness, doc.lock.pid, doc.lock.ttl_ms, doc.lock.expires_at],
      ["process", sleeper.pid, null, null],
    );
    assertMatch(
      (await lokt(["lock", "d", "--pid", String(sleeper.pid), "--ttl", "0"], a)).stdout,
      new RegExp(`held while pid ${sleeper.pid} lives`),
    );
    // Its process gone, the lock is stale for everyone: no lock that never goes away.
    sleeper.kill("SIGKILL");
    await sleeper.status;
    const broken = await lokt(["unlock", "d", "--break-stale", "--json"], { root, owner: "b" });
    assertEquals(broken.code, 0, broken.stderr);
    assertEquals(JSON.parse(broken.stdout).action, "dead-break");
  } finally {
    try {
      sleeper.kill("SIGKILL");
    } catch {
      // Already gone.
    }
    await sleeper.status;
  }
  assertEquals((await lokt(["lock", "e", "--pid", String(Deno.pid), "--ttl", "1h"], a)).code, 0);
  const plain = JSON.parse((await lokt(["lock", "e", "--json"], a)).stdout).lock;
  assertEquals([plain.liveness, plain.ttl_ms], ["ttl", 1_800_000]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("two guards of one owner never run together: the second waits for the first, and nobody is told its lock was lost", async () => {
  const { dir, root } = await freshRoot();
  const marker = `${dir}/inside`;
  const trail = `${dir}/trail`;
  const body = `( set -C; echo $$ > ${marker} ) 2>/dev/null || echo overlap >> ${trail}; ` +
    `echo start >> ${trail}; sleep 1; rm -f ${marker}; echo end >> ${trail}`;
  const first = spawnLokt(["guard", "build", "--wait", "--", "sh", "-c", body], {
    root,
    owner: "agent-1",
  });
  await waitFor(async () => {
    try {
      return (await Deno.readTextFile(trail)).includes("start");
    } catch {
      return false;
    }
  }, "the first command");
  const second = spawnLokt(["guard", "build", "--wait", "--", "sh", "-c", body], {
    root,
    owner: "agent-1",
  });
  try {
    const [a, b] = [await first.output(), await second.output()];
    assertEquals([a.code, b.code], [0, 0], new TextDecoder().decode(b.stderr));
    assert(!new TextDecoder().decode(b.stderr).includes("lost"));
    assertEquals((await Deno.readTextFile(trail)).trim().split("\n"), [
      "start",
      "end",
      "start",
      "end",
    ]);
  } finally {
    await reap(first);
    await reap(second);
  }
  const events = (await auditEvents(root)).map((e) => e.event);
  assertEquals(events.filter((e) => e === "renew" || e === "lost"), []);
  assertEquals(events.filter((e) => e === "acquire").length, 2);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("guard inside its owner's own lock runs nested and leaves the lock held; unlock of a running guard's hold is refused", async () => {
  const { dir, root } = await freshRoot();
  const me = { root, owner: "agent-1" };
  const taken = JSON.parse((await lokt(["lock", "multi", "--ttl", "5m", "--json"], me)).stdout);
  const inside = await lokt(["guard", "multi", "--", "sh", "-c", 'echo "$LOKT_LOCK_ID"'], me);
  assertEquals(inside.code, 0, inside.stderr);
  assertEquals(inside.stdout.trim(), taken.lock.lock_id);
  assertMatch(inside.stderr, /running nested/);
  // Still the owner's: another agent is refused, the owner's own unlock works.
  assertEquals((await lokt(["lock", "multi"], { root, owner: "agent-2" })).code, 2);
  assertEquals((await lokt(["unlock", "multi"], me)).code, 0);
  // A running guard's hold is its own: its owner's unlock from another process is refused.
  const guard = spawnLokt(["guard", "g", "--", "sh", "-c", "echo ready; sleep 30"], me);
  try {
    assertEquals(await lineReader(guard.stdout).next(), "ready");
    const refused = await lokt(["unlock", "g"], me);
    assertEquals(refused.code, 4, refused.stderr);
    assertMatch(refused.stderr, /your own guard or process \(pid \d+\)/);
    const again = await lokt(["lock", "g"], me);
    assertEquals(again.code, 2, again.stderr);
    assertMatch(again.stderr, /your own guard or process/);
    assertEquals((await lokt(["unlock", "--mine"], me)).code, 0);
    assertEquals((await lokt(["exists", "g"], me)).code, 0);
  } finally {
    await reap(guard);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("lokt guard x -- lokt guard x -- cmd runs cmd nested: no deadlock, one acquire, one release", async () => {
  const { dir, root } = await freshRoot();
  const deno = Deno.execPath();
  const inner = [
    deno,
    "run",
    "-A",
    "--quiet",
    CLI,
    "guard",
    "x",
    "--",
    "sh",
    "-c",
    'echo "inner $LOKT_FENCE"',
  ];
  const out = await lokt(["guard", "x", "--", ...inner], { root, owner: "agent-1" });
  assertEquals(out.code, 0, out.stderr);
  assertEquals(out.stdout.trim(), "inner 1");
  const events = (await auditEvents(root)).map((e) => e.event);
  assertEquals(events, ["acquire", "release"]);
  // The inherited hold is not the child's to release.
  const unlock = [deno, "run", "-A", "--quiet", CLI, "unlock", "x"];
  const child = await lokt(["guard", "x", "--", ...unlock], { root, owner: "agent-1" });
  assertEquals(child.code, 4, child.stderr);
  assertMatch(child.stderr, /the guard you run under/);
  // Nor is an owner hold a guard runs nested under (the fast path declines it too).
  assertEquals((await lokt(["lock", "y", "--ttl", "5m"], { root, owner: "agent-1" })).code, 0);
  const underOwner = await lokt(
    ["guard", "y", "--", deno, "run", "-A", "--quiet", CLI, "unlock", "y"],
    { root, owner: "agent-1" },
  );
  assertEquals(underOwner.code, 4, underOwner.stderr);
  assertEquals((await lokt(["exists", "y"], { root, owner: "agent-1" })).code, 0);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a second acquire() of a name this process holds throws at once, even when waiting", async () => {
  const { dir, root } = await freshRoot();
  const lock = await acquire("twice", { root, owner: "lib" });
  const started = Date.now();
  const err = await acquire("twice", { root, owner: "lib", wait: true, timeout: "5s" }).catch((
    e,
  ) => e);
  assert(err instanceof LockHeldError, String(err));
  assert(Date.now() - started < 2000, "it waited");
  await lock.release();
  const next = await acquire("twice", { root, owner: "lib" });
  await next.release();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a SIGKILLed guard's command keeps the lock: orphaned, not stale, until its process group ends", async () => {
  const { dir, root } = await freshRoot();
  const guard = spawnLokt(["guard", "o", "--ttl", "1s", "--", "sh", "-c", "echo ready; sleep 60"], {
    root,
    owner: "a",
  });
  let pgid = 0;
  try {
    assertEquals(await lineReader(guard.stdout).next(), "ready");
    const recorded = await waitFor(async () => {
      const doc = JSON.parse((await lokt(["status", "o", "--json"], { root, owner: "b" })).stdout);
      return doc.locks[0]?.record?.pgid ?? null;
    }, "the command's group in the record");
    pgid = recorded as number;
    guard.kill("SIGKILL");
    await guard.status;
    // Past the guard's death and past its TTL: the command still runs, the lock is held.
    await new Promise((r) => setTimeout(r, 2_500));
    const status = JSON.parse((await lokt(["status", "o", "--json"], { root, owner: "b" })).stdout);
    assertEquals([status.locks[0].status, status.locks[0].liveness], ["held", "orphaned"]);
    assertEquals((await lokt(["lock", "o"], { root, owner: "b" })).code, 2);
    assertEquals((await lokt(["unlock", "o", "--break-stale"], { root, owner: "b" })).code, 1);
    const why = JSON.parse((await lokt(["why", "o", "--json"], { root, owner: "b" })).stdout);
    assertEquals(why.reasons[0].code, "orphaned");
    assert(why.reasons[0].fix.includes(`kill -TERM -${pgid}   # stops the orphaned command`));
    // The group gone, the lock is free to take over.
    Deno.kill(-pgid, "SIGKILL");
    const taken = await waitFor(async () => {
      const out = await lokt(["lock", "o", "--json"], { root, owner: "b" });
      return out.code === 0 ? JSON.parse(out.stdout) : null;
    }, "the takeover");
    assertEquals(taken.broke.event, "dead-break");
  } finally {
    await reap(guard);
    if (pgid) {
      try {
        Deno.kill(-pgid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
  await Deno.remove(dir, { recursive: true });
});

// Flows agent harnesses produce (issue "holds, identity and safe hints"):
// a fresh shell per call, refusals that must point to safe remedies, guard's
// exit code for a refusal, identity overrides for containers, the library's limits.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { acquire, LockHeldError, UsageError } from "../mod.ts";
import {
  auditEvents,
  baseEnv,
  CLI,
  freshRoot,
  lineReader,
  listTree,
  lokt,
  reap,
  spawnLokt,
  waitFor,
} from "./_helpers.ts";

/** Runs the CLI in a new session, as a harness that starts a fresh shell per call does. */
async function inNewSession(args: string[], root: string) {
  const env = baseEnv({ root });
  // No owner setting, no agent-session or terminal variable: the owner must be guessed.
  for (const key of Object.keys(env)) {
    if (/SESSION_ID$|^TMUX|^STY$|^WINDOWID$|^WT_SESSION$|^KITTY_|^SSH_TTY$|^ITERM/.test(key)) {
      delete env[key];
    }
  }
  const out = await new Deno.Command("setsid", {
    args: [Deno.execPath(), "run", "-A", "--quiet", CLI, ...args],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const td = new TextDecoder();
  return { code: out.code, stdout: td.decode(out.stdout), stderr: td.decode(out.stderr) };
}

Deno.test("a fresh session per call: lock warns that the owner was guessed; unlock says another session holds it, never --force", async () => {
  const { dir, root } = await freshRoot();
  const locked = await inNewSession(["lock", "work"], root);
  assertEquals(locked.code, 0, locked.stderr);
  assertMatch(locked.stderr, /^warning: the owner \S+@\S+:sid\d+ was guessed .*LOKT_OWNER/m);
  const unlocked = await inNewSession(["unlock", "work"], root);
  assertEquals(unlocked.code, 4, unlocked.stderr);
  assertMatch(unlocked.stderr, /another session of this user \(it may be another agent\)/);
  assertMatch(unlocked.stderr, /LOKT_OWNER/);
  assert(!unlocked.stderr.includes("--force"), unlocked.stderr);
  // With one owner for the agent, the lock is its own across shells.
  const same = { root, env: { LOKT_OWNER: "agent-1" } };
  assertEquals((await lokt(["lock", "kept"], same)).stderr, "");
  assertEquals((await lokt(["unlock", "kept"], same)).code, 0);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ordinary refusals point to safe remedies and never to --force; why lists --force last, as break-glass", async () => {
  const { dir, root } = await freshRoot();
  const a = { root, owner: "agent-a" };
  const b = { root, owner: "agent-b" };
  assertEquals((await lokt(["lock", "x", "--ttl", "5m"], a)).code, 0);
  assertEquals((await lokt(["freeze", "f", "--ttl", "5m"], a)).code, 0);
  const refusals = [
    [await lokt(["lock", "x"], b), 2],
    [await lokt(["guard", "x", "--", "true"], b), 2],
    [await lokt(["unlock", "x"], b), 4],
    [await lokt(["unlock", "x", "--break-stale"], b), 1],
    [await lokt(["unfreeze", "f"], b), 4],
    [await lokt(["freeze", "f", "--ttl", "1m"], b), 2],
    [await lokt(["lock", "f"], b), 2],
  ] as const;
  for (const [result, code] of refusals) {
    assertEquals(result.code, code, result.stderr);
    assert(!result.stderr.includes("--force"), result.stderr);
    assertMatch(result.stderr, /^error: .*(lokt why|--wait|ask)/);
  }
  const frozen = JSON.parse((await lokt(["why", "f", "--json"], b)).stdout);
  const fixes = frozen.reasons.find((r: { code: string }) => r.code === "frozen").fix;
  assertEquals(fixes[0], "lokt lock f --wait");
  assertMatch(fixes[fixes.length - 1], /--force +# break-glass/);
  await Deno.writeTextFile(`${root}/locks/bad.json`, "{ torn");
  const past = new Date(Date.now() - 60_000);
  await Deno.utime(`${root}/locks/bad.json`, past, past);
  const corrupt = JSON.parse((await lokt(["why", "bad", "--json"], b)).stdout);
  const repair = corrupt.reasons.find((r: { code: string }) => r.code === "corrupt").fix;
  assert(repair.indexOf("lokt unlock bad --break-stale") >= 0, repair.join(" | "));
  assert(repair.indexOf("lokt unlock bad --break-stale") < repair.length - 1);
  assertMatch(repair[repair.length - 1], /--force +# break-glass/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("guard --conflict-exit N replaces the 2 of a refusal, so a command's own 2 stays unambiguous", async () => {
  const { dir, root } = await freshRoot();
  assertEquals((await lokt(["lock", "build"], { root, owner: "a" })).code, 0);
  const refused = await lokt(
    ["guard", "build", "--conflict-exit", "75", "--json", "--", "true"],
    { root, owner: "b" },
  );
  assertEquals(refused.code, 75, refused.stderr);
  assertMatch(refused.stderr, /held by a/);
  const doc = JSON.parse(refused.stdout);
  assertEquals([doc.ok, doc.exit_code, doc.error.type], [false, 75, "LockHeldError"]);
  const timedOut = await lokt(
    ["guard", "build", "--conflict-exit=9", "--timeout", "300ms", "--", "true"],
    { root, owner: "b" },
  );
  assertEquals(timedOut.code, 9, timedOut.stderr);
  const own = await lokt(["guard", "free", "--conflict-exit", "75", "--", "sh", "-c", "exit 2"], {
    root,
    owner: "b",
  });
  assertEquals(own.code, 2);
  for (const bad of ["256", "-1", "x", ""]) {
    const usage = await lokt(["guard", "g", `--conflict-exit=${bad}`, "--", "true"], {
      root,
      owner: "b",
    });
    assertEquals(usage.code, 64, `${bad}: ${usage.stderr}`);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("LOKT_HOST and LOKT_MACHINE_ID replace the detected host and machine id", async () => {
  const { dir, root } = await freshRoot();
  const here = { LOKT_HOST: "box-1", LOKT_MACHINE_ID: "machine-1" };
  const sleeper = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    const held = await lokt(["lock", "x", "--pid", String(sleeper.pid), "--ttl", "0", "--json"], {
      root,
      owner: "a",
      env: here,
    });
    assertEquals(held.code, 0, held.stderr);
    const record = JSON.parse(held.stdout).lock;
    assertEquals([record.host, record.machine_id], ["box-1", "machine-1"]);
    sleeper.kill("SIGKILL");
    await sleeper.status;
    // Another machine cannot judge that pid: the holder is unknown-host, not dead.
    const elsewhere = await lokt(["status", "x", "--json"], {
      root,
      owner: "b",
      env: { LOKT_HOST: "box-2", LOKT_MACHINE_ID: "machine-2" },
    });
    assertEquals(JSON.parse(elsewhere.stdout).locks[0].liveness, "unknown-host");
    // The same machine sees the holder dead.
    const same = await lokt(["status", "x", "--json"], { root, owner: "b", env: here });
    assertEquals(JSON.parse(same.stdout).locks[0].status, "dead");
    const whoami = JSON.parse((await lokt(["whoami", "--json"], { root, env: here })).stdout);
    assertEquals([whoami.host, whoami.machine_id], ["box-1", "machine-1"]);
    const bad = await lokt(["status"], { root, env: { LOKT_HOST: "two\nlines" } });
    assertEquals(bad.code, 64);
  } finally {
    try {
      sleeper.kill("SIGKILL");
    } catch {
      // Already gone.
    }
    await sleeper.status;
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the library enforces the CLI's limits: a reason over 1,000 characters is a UsageError and writes nothing", async () => {
  const { dir, root } = await freshRoot();
  const err = await acquire("huge", { root, owner: "lib", reason: "r".repeat(1_100_000) })
    .catch((e) => e);
  assert(err instanceof UsageError, String(err));
  assertEquals(err.exitCode, 64);
  const twoLines = await acquire("huge", { root, owner: "lib", reason: "a\nb" }).catch((e) => e);
  assert(twoLines instanceof UsageError);
  assertEquals(await listTree(dir), []);
  assertEquals(await auditEvents(root), []);
  await Deno.remove(dir, { recursive: true });
});

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

Deno.test("status shows queued waiters; the acquire after waiting records waited_ms; guard's release records how the command ended", async () => {
  const { dir, root } = await freshRoot();
  const holder = spawnLokt(["guard", "busy", "--", "sh", "-c", "echo ready; sleep 30"], {
    root,
    owner: "holder",
  });
  let waiter: Deno.ChildProcess | null = null;
  try {
    assertEquals(await lineReader(holder.stdout).next(), "ready");
    waiter = spawnLokt(["guard", "busy", "--wait", "--", "sh", "-c", "exit 3"], {
      root,
      owner: "waiter",
    });
    const listed = await waitFor(async () => {
      const doc = JSON.parse((await lokt(["status", "--json"], { root, owner: "x" })).stdout);
      const lock = doc.locks.find((l: { name: string }) => l.name === "busy");
      return lock?.waiters?.length === 1 ? lock.waiters[0] : null;
    }, "the waiter in status");
    assertEquals([listed.owner, typeof listed.agent_id, typeof listed.pid], [
      "waiter",
      "string",
      "number",
    ]);
    assert(Date.parse(listed.since) <= Date.now());
    assertMatch(
      (await lokt(["status"], { root, owner: "x" })).stdout,
      /WAITING busy: waiter \(pid \d+\)/,
    );
    await new Promise((r) => setTimeout(r, 300));
    holder.kill("SIGTERM");
    assertEquals((await holder.status).code, 143);
    assertEquals((await waiter.status).code, 3);
  } finally {
    await reap(holder);
    if (waiter) await reap(waiter);
  }
  const events = (await auditEvents(root)).filter((e) => e.name === "busy");
  const acquired = events.filter((e) => e.event === "acquire");
  const waited = (acquired[1]?.detail as Record<string, number>).waited_ms;
  assert((waited ?? 0) >= 300, `waited_ms ${waited}`);
  const releases = events.filter((e) => e.event === "release").map((e) => e.detail);
  assertEquals(releases, [{ signal: "SIGTERM" }, { exit_code: 3 }]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("why counts a dead waiter out without removing its ticket (read-only)", async () => {
  const { dir, root } = await freshRoot();
  assertEquals((await lokt(["lock", "q"], { root, owner: "a" })).code, 0);
  const whoami = JSON.parse((await lokt(["whoami", "--json"], { root, owner: "a" })).stdout);
  const ticket = `${root}/queue/q/00000000000000000001.json`;
  await Deno.mkdir(`${root}/queue/q`, { recursive: true });
  await Deno.writeTextFile(
    ticket,
    JSON.stringify({
      owner: "gone",
      pid: 999_999_999,
      pid_start: null,
      machine_id: whoami.machine_id,
      since: new Date().toISOString(),
    }),
  );
  const why = JSON.parse((await lokt(["why", "q", "--json"], { root, owner: "b" })).stdout);
  assertEquals(why.queued, 0);
  assertEquals((await Deno.stat(ticket)).isFile, true);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("names are case-insensitive: Build and build are one lock; an earlier lokt's mixed-case record is honoured, never joined by a second", async () => {
  const { dir, root } = await freshRoot();
  const upper = await lokt(["lock", "Build", "--json"], { root, owner: "a" });
  assertEquals(upper.code, 0, upper.stderr);
  assertEquals(JSON.parse(upper.stdout).lock.name, "build");
  assertEquals(await listTree(`${root}/locks`), ["build.json"]);
  const lower = await lokt(["lock", "build"], { root, owner: "b" });
  assertEquals(lower.code, 2, lower.stderr);
  assertEquals((await lokt(["unlock", "BUILD"], { root, owner: "a" })).code, 0);
  // A record an earlier lokt wrote under its mixed-case file name.
  const now = Date.now();
  await Deno.writeTextFile(
    `${root}/locks/Deploy.json`,
    JSON.stringify({
      version: 1,
      name: "Deploy",
      lock_id: "0123456789abcdef0123456789abcdef",
      fence: 7,
      owner: "old-lokt",
      agent_id: "agent-old",
      host: "h",
      machine_id: "elsewhere",
      pid: 1,
      pid_start: null,
      liveness: "ttl",
      acquired_at: new Date(now).toISOString(),
      renewed_at: new Date(now).toISOString(),
      ttl_ms: 3_600_000,
      expires_at: new Date(now + 3_600_000).toISOString(),
      reason: null,
      command: null,
    }),
  );
  for (const name of ["deploy", "Deploy", "DEPLOY"]) {
    const denied = await lokt(["lock", name], { root, owner: "b" });
    assertEquals(denied.code, 2, `${name}: ${denied.stderr}`);
    assertMatch(denied.stderr, /held by old-lokt/);
  }
  const status = JSON.parse((await lokt(["status", "--json"], { root, owner: "b" })).stdout);
  assertEquals(status.locks.map((l: { name: string; status: string }) => [l.name, l.status]), [
    ["deploy", "held"],
  ]);
  assertEquals(await listTree(`${root}/locks`), ["Deploy.json"]);
  // Its owner (through this lokt) releases it; the name is then free under any case.
  assertEquals((await lokt(["unlock", "deploy"], { root, owner: "old-lokt" })).code, 0);
  assertEquals(await listTree(`${root}/locks`), []);
  assertEquals((await lokt(["lock", "DePloy"], { root, owner: "b" })).code, 0);
  assertEquals(await listTree(`${root}/locks`), ["deploy.json"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("records are version 2 and say whose hold they are; a version-4 record (newer than any this lokt knows) is held, never free", async () => {
  const { dir, root } = await freshRoot();
  const locked =
    JSON.parse((await lokt(["lock", "a", "--json"], { root, owner: "o" })).stdout).lock;
  assertEquals(
    [locked.version, locked.hold, locked.pgid, locked.mode, locked.slot],
    [2, "owner", null, "exclusive", null],
  );
  const tied = JSON.parse(
    (await lokt(["lock", "p", "--pid", String(Deno.pid), "--ttl", "0", "--json"], {
      root,
      owner: "o",
    })).stdout,
  ).lock;
  assertEquals([tied.liveness, tied.hold], ["process", "owner"]);
  const guard = spawnLokt(["guard", "g", "--", "sh", "-c", "echo ready; sleep 30"], {
    root,
    owner: "o",
  });
  try {
    assertEquals(await lineReader(guard.stdout).next(), "ready");
    const held = JSON.parse((await lokt(["status", "g", "--json"], { root, owner: "o" })).stdout);
    assertEquals([held.locks[0].record.version, held.locks[0].record.hold], [2, "instance"]);
  } finally {
    await reap(guard);
  }
  // A newer lokt's record: held for every command, replaced by nothing automatic.
  await Deno.writeTextFile(
    `${root}/locks/n.json`,
    JSON.stringify({ ...locked, name: "n", version: 4, owner: "future", something_new: true }),
  );
  const past = new Date(Date.now() - 600_000);
  await Deno.utime(`${root}/locks/n.json`, past, past);
  assertEquals((await lokt(["exists", "n"], { root, owner: "o" })).code, 0);
  assertEquals((await lokt(["lock", "n"], { root, owner: "o" })).code, 2);
  assertEquals((await lokt(["lock", "n", "--timeout", "300ms"], { root, owner: "o" })).code, 2);
  assertEquals((await lokt(["unlock", "n", "--break-stale"], { root, owner: "o" })).code, 1);
  const why = JSON.parse((await lokt(["why", "n", "--json"], { root, owner: "o" })).stdout);
  assertEquals(why.can_acquire, false);
  assertMatch(why.lock.corruption, /newer lokt \(record version 4\)/);
  assertEquals(JSON.parse(await Deno.readTextFile(`${root}/locks/n.json`)).version, 4);
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

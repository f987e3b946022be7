// guard through the real CLI: exit codes, signals, heartbeat, loss, environment, FIFO waiting.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import {
  auditEvents,
  endGroup,
  freshRoot,
  lineReader,
  lokt,
  queueLength,
  reap,
  spawnLokt,
  waitFor,
} from "./_helpers.ts";

const fresh = freshRoot;

Deno.test("guard propagates the command's exit code: 0, 1, 42", async () => {
  const { dir, root } = await fresh();
  for (const code of [0, 1, 42]) {
    const result = await lokt(["guard", "g", "--", "sh", "-c", `exit ${code}`], {
      root,
      owner: "a",
    });
    assertEquals(result.code, code);
  }
  // Released every time: another owner can take it now.
  assertEquals((await lokt(["lock", "g"], { root, owner: "b" })).code, 0);
  const kinds = (await auditEvents(root)).map((e) => e.event);
  assertEquals(kinds.filter((k) => k === "acquire").length, 4);
  assertEquals(kinds.filter((k) => k === "release").length, 3);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("guard exits 128+N when the command dies of signal N", async () => {
  const { dir, root } = await fresh();
  const term = await lokt(["guard", "s", "--", "sh", "-c", "kill -TERM $$"], { root, owner: "a" });
  assertEquals(term.code, 143);
  const kill = await lokt(["guard", "s", "--", "sh", "-c", "kill -KILL $$"], { root, owner: "a" });
  assertEquals(kill.code, 137);
  assertEquals((await lokt(["exists", "s"], { root, owner: "b" })).code, 3);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("guard exits 127 for a missing command and 126 for a file without execute bit, taking no lock", async () => {
  const { dir, root } = await fresh();
  const missing = await lokt(["guard", "c", "--", "no-such-command-lokt"], { root, owner: "a" });
  assertEquals(missing.code, 127);
  assertMatch(missing.stderr, /command not found/);
  const file = `${dir}/script.sh`;
  await Deno.writeTextFile(file, "#!/bin/sh\necho hi\n");
  await Deno.chmod(file, 0o644);
  const denied = await lokt(["guard", "c", "--", file], { root, owner: "a" });
  assertEquals(denied.code, 126);
  assertMatch(denied.stderr, /permission denied/);
  assertEquals((await auditEvents(root)).length, 0);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the command sees LOKT_LOCK, LOKT_LOCK_ID, LOKT_FENCE and LOKT_OWNER", async () => {
  const { dir, root } = await fresh();
  const result = await lokt(
    [
      "guard",
      "envy",
      "--json",
      "--",
      "sh",
      "-c",
      'echo "$LOKT_LOCK|$LOKT_LOCK_ID|$LOKT_FENCE|$LOKT_OWNER"',
    ],
    { root, owner: "agent-9" },
  );
  assertEquals(result.code, 0, result.stderr);
  const [line, doc] = result.stdout.trim().split("\n");
  const summary = JSON.parse(doc as string);
  const [lock, id, fence, owner] = (line as string).split("|");
  assertEquals(lock, "envy");
  assertEquals(id, summary.lock.lock_id);
  assertEquals(Number(fence), summary.lock.fence);
  assertEquals(owner, "agent-9");
  assertEquals(summary.exit_code, 0);
  assertEquals(summary.lock.command, [
    "sh",
    "-c",
    'echo "$LOKT_LOCK|$LOKT_LOCK_ID|$LOKT_FENCE|$LOKT_OWNER"',
  ]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("SIGTERM to guard reaches the command, the lock is released, guard exits 143", async () => {
  const { dir, root } = await fresh();
  const marker = `${dir}/got-term`;
  const guard = spawnLokt([
    "guard",
    "t",
    "--",
    "sh",
    "-c",
    `trap 'echo term > ${marker}; exit 143' TERM; echo ready; while :; do sleep 0.05; done`,
  ], { root, owner: "a" });
  try {
    const lines = lineReader(guard.stdout);
    assertEquals(await lines.next(), "ready");
    assertEquals((await lokt(["lock", "t"], { root, owner: "b" })).code, 2);
    guard.kill("SIGTERM");
    assertEquals((await guard.status).code, 143);
    assertEquals((await Deno.readTextFile(marker)).trim(), "term");
    assertEquals((await lokt(["exists", "t"], { root, owner: "b" })).code, 3);
    assert((await auditEvents(root)).some((e) => e.event === "release"));
  } finally {
    await reap(guard);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a second SIGINT force-kills a command that ignores the first", async () => {
  const { dir, root } = await fresh();
  const guard = spawnLokt([
    "guard",
    "i",
    "--",
    "sh",
    "-c",
    "trap 'echo ignored' INT; echo ready; while :; do sleep 0.05; done",
  ], { root, owner: "a" });
  try {
    const lines = lineReader(guard.stdout);
    assertEquals(await lines.next(), "ready");
    guard.kill("SIGINT");
    assertEquals(await lines.next(), "ignored");
    guard.kill("SIGINT");
    assertEquals((await guard.status).code, 137);
    assertEquals((await lokt(["exists", "i"], { root, owner: "b" })).code, 3);
  } finally {
    await reap(guard);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("SIGHUP to guard is forwarded: the command ends and the lock is released", async () => {
  const { dir, root } = await fresh();
  const guard = spawnLokt([
    "guard",
    "h",
    "--",
    "sh",
    "-c",
    "echo ready; while :; do sleep 0.05; done",
  ], {
    root,
    owner: "a",
  });
  try {
    const lines = lineReader(guard.stdout);
    assertEquals(await lines.next(), "ready");
    guard.kill("SIGHUP");
    assertEquals((await guard.status).code, 129);
    assertEquals((await lokt(["exists", "h"], { root, owner: "b" })).code, 3);
  } finally {
    await reap(guard);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("SIGKILL to guard and its command: another owner takes the lock over at once (dead holder)", async () => {
  const { dir, root } = await fresh();
  const pidFile = `${dir}/child.pid`;
  const guard = spawnLokt([
    "guard",
    "k",
    "--",
    "sh",
    "-c",
    `echo $$ > ${pidFile}; echo ready; sleep 20`,
  ], {
    root,
    owner: "a",
  });
  try {
    const lines = lineReader(guard.stdout);
    assertEquals(await lines.next(), "ready");
    guard.kill("SIGKILL");
    await guard.status;
    // While the command runs the lock is orphaned, not stale (agent_flows_test); once it is gone too:
    await endGroup(Number(await Deno.readTextFile(pidFile)));
    const taken = await lokt(["lock", "k", "--json"], { root, owner: "b" });
    assertEquals(taken.code, 0, taken.stderr);
    assertEquals(JSON.parse(taken.stdout).broke.event, "dead-break");
  } finally {
    await reap(guard);
    const pid = Number(await Deno.readTextFile(pidFile).catch(() => "0"));
    if (pid > 0) {
      try {
        Deno.kill(-pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the heartbeat keeps a --ttl 2s lock held through a 6-second command", async () => {
  const { dir, root } = await fresh();
  const guard = spawnLokt(["guard", "hb", "--ttl", "2s", "--", "sh", "-c", "echo ready; sleep 6"], {
    root,
    owner: "a",
  });
  try {
    const lines = lineReader(guard.stdout);
    assertEquals(await lines.next(), "ready");
    const started = Date.now();
    let denials = 0;
    let lastDenied = 0;
    while (Date.now() - started < 5000) {
      const attempt = await lokt(["lock", "hb"], { root, owner: "b" });
      assertEquals(attempt.code, 2, `acquired after ${Date.now() - started} ms: ${attempt.stderr}`);
      denials++;
      lastDenied = Date.now() - started;
      await new Promise((r) => setTimeout(r, 300));
    }
    // Still held twice its TTL after the command started: renewed, not merely unexpired.
    assert(denials >= 3 && lastDenied >= 4000, `${denials} attempts, the last at ${lastDenied} ms`);
    assertEquals((await guard.status).code, 0);
    assertEquals((await lokt(["lock", "hb"], { root, owner: "b" })).code, 0);
  } finally {
    await reap(guard);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a lock broken during the run stops the command and records a lost event", async () => {
  const { dir, root } = await fresh();
  const guard = spawnLokt([
    "guard",
    "lb",
    "--ttl",
    "2s",
    "--",
    "sh",
    "-c",
    "trap 'exit 143' TERM; echo ready; while :; do sleep 0.05; done",
  ], { root, owner: "a" });
  try {
    const lines = lineReader(guard.stdout);
    assertEquals(await lines.next(), "ready");
    assertEquals((await lokt(["unlock", "lb", "--force"], { root, owner: "b" })).code, 0);
    assertEquals((await lokt(["lock", "lb"], { root, owner: "b" })).code, 0);
    assertEquals((await guard.status).code, 143);
    const stderr = await new Response(guard.stderr).text();
    assertMatch(stderr, /was lost.*stopping the command/);
    const events = await auditEvents(root);
    assert(events.some((e) => e.event === "lost" && e.owner === "a"));
    // The lost holder did not delete the new holder's record.
    assertEquals(JSON.parse(await Deno.readTextFile(`${root}/locks/lb.json`)).owner, "b");
  } finally {
    await reap(guard);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("--on-lost=warn keeps the command running after the lock is lost", async () => {
  const { dir, root } = await fresh();
  const guard = spawnLokt([
    "guard",
    "w",
    "--ttl",
    "1s",
    "--on-lost=warn",
    "--",
    "sh",
    "-c",
    "echo ready; sleep 2.5; exit 7",
  ], {
    root,
    owner: "a",
  });
  try {
    const lines = lineReader(guard.stdout);
    assertEquals(await lines.next(), "ready");
    await lokt(["unlock", "w", "--force"], { root, owner: "b" });
    assertEquals((await guard.status).code, 7);
    assertMatch(await new Response(guard.stderr).text(), /keeps running/);
  } finally {
    await reap(guard);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("five waiters that queued in a known order acquire in that order (FIFO), one wait event each", async () => {
  const { dir, root } = await fresh();
  const order = `${dir}/order`;
  assertEquals((await lokt(["lock", "fifo"], { root, owner: "holder" })).code, 0);
  const waiters: Deno.ChildProcess[] = [];
  try {
    for (let i = 1; i <= 5; i++) {
      waiters.push(
        spawnLokt([
          "guard",
          "fifo",
          "--wait",
          "--timeout",
          "60s",
          "--",
          "sh",
          "-c",
          `echo ${i} >> ${order}`,
        ], {
          root,
          owner: `waiter-${i}`,
        }),
      );
      // The next waiter starts only once this one is queued.
      await waitFor(async () => (await queueLength(root, "fifo")) === i, `waiter ${i} queued`);
    }
    assertEquals((await lokt(["unlock", "fifo"], { root, owner: "holder" })).code, 0);
    const codes = await Promise.all(waiters.map(async (w) => (await w.status).code));
    assertEquals(codes, [0, 0, 0, 0, 0]);
    assertEquals((await Deno.readTextFile(order)).trim().split("\n"), ["1", "2", "3", "4", "5"]);
    const events = await auditEvents(root);
    assertEquals(events.filter((e) => e.event === "wait").length, 5);
    assertEquals(events.filter((e) => e.event === "deny").length, 0);
  } finally {
    await Promise.all(waiters.map((w) => reap(w)));
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a waiter that dies leaves the queue; the next one is served", async () => {
  const { dir, root } = await fresh();
  await lokt(["lock", "dq"], { root, owner: "holder" });
  const doomed = spawnLokt(["guard", "dq", "--wait", "--", "true"], { root, owner: "doomed" });
  const ticketsIn = () => queueLength(root, "dq");
  await waitFor(async () => (await ticketsIn()) === 1, "first waiter queued");
  const survivor = spawnLokt(["guard", "dq", "--wait", "--timeout", "30s", "--", "true"], {
    root,
    owner: "next",
  });
  try {
    await waitFor(async () => (await ticketsIn()) === 2, "second waiter queued");
    doomed.kill("SIGKILL");
    await doomed.status;
    await lokt(["unlock", "dq"], { root, owner: "holder" });
    assertEquals((await survivor.status).code, 0);
    assertEquals(await ticketsIn(), 0);
  } finally {
    await reap(doomed);
    await reap(survivor);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("--timeout gives up with exit 2 and one timeout event; a frozen name refuses guard", async () => {
  const { dir, root } = await fresh();
  await lokt(["lock", "to"], { root, owner: "holder" });
  const result = await lokt(["guard", "to", "--timeout", "1s", "--", "true"], { root, owner: "w" });
  assertEquals(result.code, 2);
  assertMatch(result.stderr, /timed out after/);
  const events = await auditEvents(root);
  assertEquals(events.filter((e) => e.event === "wait").length, 1);
  assertEquals(events.filter((e) => e.event === "timeout").length, 1);
  await lokt(["freeze", "fz", "--ttl", "1m"], { root, owner: "ops" });
  const frozen = await lokt(["guard", "fz", "--", "true"], { root, owner: "w" });
  assertEquals(frozen.code, 2);
  assertMatch(frozen.stderr, /frozen by ops/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a waiter keeps waiting while frozen and acquires when the freeze is lifted", async () => {
  const { dir, root } = await fresh();
  await lokt(["freeze", "fw", "--ttl", "1m"], { root, owner: "ops" });
  const waiter = spawnLokt(["guard", "fw", "--wait", "--timeout", "30s", "--", "true"], {
    root,
    owner: "w",
  });
  try {
    await waitFor(async () => (await auditEvents(root)).some((e) => e.event === "wait"), "waiting");
    assertEquals((await lokt(["unfreeze", "fw"], { root, owner: "ops" })).code, 0);
    assertEquals((await waiter.status).code, 0);
  } finally {
    await reap(waiter);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("debris in the queue (an empty ticket of a waiter killed mid-write) stops blocking after the grace period", async () => {
  const { dir, root } = await fresh();
  await Deno.mkdir(`${root}/queue/debris`, { recursive: true });
  await Deno.writeTextFile(`${root}/queue/debris/00000000000000000001.json`, "");
  // Fresh debris blocks a plain lock (it may be a ticket being written) …
  const denied = await lokt(["lock", "debris"], { root, owner: "a" });
  assertEquals(denied.code, 2);
  assertMatch(denied.stderr, /waiter\(s\) are queued first/);
  // … but not once it is older than the grace period.
  const past = new Date(Date.now() - 60_000);
  await Deno.utime(`${root}/queue/debris/00000000000000000001.json`, past, past);
  const taken = await lokt(["lock", "debris", "--wait", "--timeout", "3s"], { root, owner: "a" });
  assertEquals(taken.code, 0, taken.stderr);
  assertEquals(await queueLength(root, "debris"), 0);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the command leads its own session and process group (pid = pgid = sid)", async () => {
  const { dir, root } = await fresh();
  const out = await lokt(
    ["guard", "pg", "--", "sh", "-c", "ps -o pid= -o pgid= -o sid= -p $$"],
    { root, owner: "a" },
  );
  assertEquals(out.code, 0, out.stderr);
  const [pid, pgid, sid] = out.stdout.trim().split(/\s+/);
  assertEquals([pgid, sid], [pid, pid]);
  await Deno.remove(dir, { recursive: true });
});

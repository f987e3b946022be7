// Waiters: shown by status, counted out by why when dead (without writing), and the
// waited time and the command's end in the audit trail.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { auditEvents, freshRoot, lineReader, lokt, reap, spawnLokt, waitFor } from "./_helpers.ts";

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

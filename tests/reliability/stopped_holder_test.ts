// Reliability: a process stopped (SIGSTOP) while it holds a name's mutex.
// Nothing may be decided without the mutex, so the next caller waits — but
// not silently: after 5 s it says which process holds it and how to resume
// it, keeps waiting, and finishes once the holder lets go.
import { assertEquals, assertMatch } from "../_assert.ts";
import { freshRoot, lineReader, lokt, reap, spawnLokt, waitFor } from "../_helpers.ts";
import { flockHolders } from "../../lib/sys/procfs.ts";

Deno.test("a stopped holder of a name's mutex: the waiter names it after 5 s, keeps waiting, then proceeds", async () => {
  const { dir, root } = await freshRoot();
  // Make the root and the name's mutex file, as any first call does.
  await lokt(["lock", "build"], { root, owner: "setup" });
  await lokt(["unlock", "build"], { root, owner: "setup" });
  const mutex = `${root}/mutex/build.lock`;
  // flock(1) takes the same kind of lock lokt takes (-o: only flock itself holds it).
  const holder = new Deno.Command("flock", {
    args: ["-o", mutex, "sleep", "120"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const inode = Deno.statSync(mutex).ino!;
  await waitFor(() => flockHolders(inode).includes(holder.pid), "flock to hold the mutex");
  Deno.kill(holder.pid, "SIGSTOP");
  const waiter = spawnLokt(["lock", "build", "--reason", "after the stop"], {
    root,
    owner: "agent-1",
  });
  try {
    const err = lineReader(waiter.stderr);
    // Bounded: a waiter that never says anything fails here rather than hanging.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const said = await Promise.race([
      err.next(),
      new Promise((resolve) => timer = setTimeout(() => resolve("(nothing within 30 s)"), 30_000)),
    ]);
    clearTimeout(timer);
    assertMatch(
      String(said),
      new RegExp(
        `^warning: the mutex of "build" \\(.*build\\.lock\\) has been held by process ${holder.pid} for over 5s — stopped or hung\\? Still waiting; resume it \\(kill -CONT ${holder.pid}\\) or end it\\.$`,
      ),
    );
    // Still waiting: nothing was decided or written without the mutex.
    const status = await lokt(["status", "--json"], { root, owner: "viewer" });
    assertEquals(JSON.parse(status.stdout).locks.length, 0, status.stdout);
    Deno.kill(holder.pid, "SIGCONT");
    Deno.kill(holder.pid, "SIGKILL");
    assertEquals((await waiter.status).code, 0);
    const held = JSON.parse((await lokt(["status", "--json"], { root, owner: "viewer" })).stdout);
    assertEquals(held.locks.map((l: { owner: string }) => l.owner), ["agent-1"]);
  } finally {
    try {
      Deno.kill(holder.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
    await holder.status;
    await reap(waiter);
    await Deno.remove(dir, { recursive: true });
  }
});

// A crashed harness strands nothing (docs/contract.md §4, §16): holds and
// reservations a registered session takes from its shell — and those the
// hook takes with reserve_on_edit — live with the harness process as well as
// by their TTL, so when the harness dies (SIGKILL, no SessionEnd) the next
// owner takes them over at once, and status shows whose process they wait on.
import { assertEquals, assertMatch } from "./_assert.ts";
import { Harness, payload } from "./_stand_in_harness.ts";
import { auditEvents, git, lokt, tempDir, waitFor } from "./_helpers.ts";

Deno.test("a SIGKILLed harness: its session's lock and reservations taken from its shell are taken over at once, not held for their 30-minute TTL", async () => {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  await Deno.mkdir(`${dir}/src`);
  await Deno.writeTextFile(`${dir}/src/a.ts`, "x\n");
  await Deno.writeTextFile(`${dir}/lokt.jsonc`, '{ "agents": { "reserve_on_edit": "30m" } }');
  const harness = new Harness(dir);
  let alive = true;
  try {
    const start = await harness.hook(
      "claude",
      payload("claude_session_start.json", { SESSION: "crash-0001-aaaa", CWD: dir }),
    );
    assertEquals(start.code, 0, start.stderr);
    for (const command of ["lokt lock tag --ttl 30m", "lokt reserve docs --ttl 30m"]) {
      const out = await harness.shell(command);
      assertEquals(out.code, 0, `${command}: ${out.stderr}`);
    }
    const edit = await harness.hook(
      "claude",
      payload("claude_pre_edit.json", { SESSION: "crash-0001-aaaa", CWD: dir, FILE: "src/a.ts" }),
    );
    assertEquals([edit.code, edit.stdout], [0, ""]);
    const status = JSON.parse(
      (await lokt(["status", "--json"], { cwd: dir, owner: "watcher" })).stdout,
    );
    const tag = status.locks.find((l: { name: string }) => l.name === "tag");
    assertEquals([tag.owner, tag.pid, tag.liveness], [
      "claude-crash0001aaa",
      harness.pid,
      "alive",
    ]);
    assertEquals(status.reservations.map((r: { pid: number }) => r.pid), [
      harness.pid,
      harness.pid,
    ]);
    // While the harness lives, its holds are held.
    assertEquals((await lokt(["lock", "tag"], { cwd: dir, owner: "next" })).code, 2);
    Deno.kill(harness.pid, "SIGKILL");
    alive = false;
    await waitFor(() => {
      try {
        Deno.kill(harness.pid, 0);
        return false;
      } catch {
        return true;
      }
    }, "the harness to die");
    const why = await lokt(["why", "tag"], { cwd: dir, owner: "next" });
    assertMatch(why.stdout, /gone|dead/);
    const taken = await lokt(["lock", "tag"], { cwd: dir, owner: "next" });
    assertEquals(taken.code, 0, taken.stderr);
    assertEquals(
      (await lokt(["reserve", "docs", "src/a.ts"], { cwd: dir, owner: "next" })).code,
      0,
    );
    const events = (await auditEvents(`${dir}/.git/lokt`)).map((e) => e.event);
    assertEquals(events.includes("dead-break"), true);
  } finally {
    if (alive) await harness.close();
    else await harness.close().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});

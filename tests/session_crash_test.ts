// A crashed harness strands nothing (docs/contract.md §4, §16): holds and
// reservations a registered session takes from its shell — and those the
// hook takes with reserve_on_edit — live with the harness process as well as
// by their TTL, so when the harness dies (SIGKILL, no SessionEnd) the next
// owner takes them over at once, and status shows whose process they wait on.
import { assertEquals, assertMatch } from "./_assert.ts";
import { Harness, payload } from "./_stand_in_harness.ts";
import { auditEvents, git, lokt, pidNamespacesPermitted, tempDir } from "./_helpers.ts";

Deno.test("a SIGKILLed harness: its session's lock and reservations taken from its shell are taken over at once, not held for their 30-minute TTL", async () => {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  await Deno.mkdir(`${dir}/src`);
  await Deno.writeTextFile(`${dir}/src/a.ts`, "x\n");
  await Deno.writeTextFile(`${dir}/lokt.jsonc`, '{ "agents": { "reserve_on_edit": "30m" } }');
  const harness = new Harness(dir);
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
    await harness.crash();
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
    await harness.close().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});

/** Codex's sandbox has a PID namespace of its own. */
const namespaces = await pidNamespacesPermitted();
if (!namespaces) {
  console.log("session_crash_test: PID namespaces are not permitted here (unshare -p); skipped");
}

Deno.test({
  name:
    "a SIGKILLed Codex: the lock and reservation its sandboxed shell took (own PID namespace, known by CODEX_SESSION_ID) are tied to the Codex process and taken over at once",
  ignore: !namespaces,
  fn: async () => {
    const dir = await tempDir();
    await git(dir, "init", "-q");
    const session = "019aa1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    const owner = "codex-0c1d2e3f4a5b";
    const harness = new Harness(dir);
    // Like Codex's sandbox: the agent's command in a PID namespace of its own, with its session variable.
    const sandboxed = (command: string, env: Record<string, string> = {}) =>
      harness.shell(`unshare -p -f --kill-child --mount-proc ${command}`, {
        CODEX_SESSION_ID: session,
        ...env,
      });
    try {
      const start = await harness.hook(
        "codex",
        payload("codex_session_start.json", { SESSION: session, CWD: dir }),
      );
      assertEquals(start.code, 0, start.stderr);
      for (const command of ["lokt lock tag --ttl 30m", "lokt reserve docs --ttl 30m"]) {
        const out = await sandboxed(command);
        assertEquals(out.code, 0, `${command}: ${out.stderr}`);
      }
      const status = JSON.parse(
        (await lokt(["status", "--json"], { cwd: dir, owner: "watcher" })).stdout,
      );
      const tag = status.locks.find((l: { name: string }) => l.name === "tag");
      assertEquals([tag.owner, tag.pid, tag.liveness], [owner, harness.pid, "alive"]);
      assertEquals(
        status.reservations.map((r: { owner: string; pid: number }) => [r.owner, r.pid]),
        [[owner, harness.pid]],
      );
      // While Codex lives, its holds are held, from outside and from another sandbox.
      assertEquals((await lokt(["lock", "tag"], { cwd: dir, owner: "next" })).code, 2);
      const inside = await sandboxed("lokt lock tag", { LOKT_OWNER: "next" });
      assertEquals(inside.code, 2, inside.stderr);
      await harness.crash();
      const taken = await lokt(["lock", "tag"], { cwd: dir, owner: "next" });
      assertEquals(taken.code, 0, taken.stderr);
      assertEquals((await lokt(["reserve", "docs"], { cwd: dir, owner: "next" })).code, 0);
      const events = (await auditEvents(`${dir}/.git/lokt`)).map((e) => e.event);
      assertEquals(events.includes("dead-break"), true);
    } finally {
      await harness.close().catch(() => {});
      await Deno.remove(dir, { recursive: true });
    }
  },
});

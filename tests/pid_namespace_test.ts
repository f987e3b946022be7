// Holders in another PID namespace of this machine (docs/contract.md §5): Codex
// runs an agent's commands in a sandbox with its own PID namespace, so a guard
// there records the PID it has inside. From outside it is judged in its
// namespace (alive while it runs, dead once the namespace is gone); from
// inside, a holder outside is never judged dead. Needs `unshare` (root).
import { assert, assertEquals } from "./_assert.ts";
import {
  baseEnv,
  CLI,
  freshRoot,
  lokt,
  pidNamespacesPermitted,
  reap,
  waitFor,
} from "./_helpers.ts";

const permitted = await pidNamespacesPermitted();
if (!permitted) {
  console.log("pid_namespace_test: PID namespaces are not permitted here (unshare -p); skipped");
}

/** Runs lokt inside a new PID namespace (with its own /proc), like Codex's sandbox. */
function inNamespace(args: string[], root: string, owner: string): Deno.ChildProcess {
  return new Deno.Command("unshare", {
    args: [
      "-p",
      "-f",
      "--kill-child",
      "--mount-proc",
      Deno.execPath(),
      "run",
      "-A",
      "--quiet",
      CLI,
      ...args,
    ],
    env: baseEnv({ root, owner }),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function statusOf(root: string, name: string): Promise<Record<string, unknown> | null> {
  const out = await lokt(["status", name, "--json"], { root, owner: "watcher" });
  const doc = JSON.parse(out.stdout);
  return (doc.locks ?? []).find((l: { name: string }) => l.name === name) ?? null;
}

Deno.test({
  name:
    "a guard inside another PID namespace is alive from outside while it runs, and dead once its namespace is gone",
  ignore: !permitted,
  fn: async () => {
    const { root } = await freshRoot();
    const guard = inNamespace(["guard", "build", "--", "sleep", "60"], root, "sandboxed");
    try {
      const held = await waitFor(async () => {
        const lock = await statusOf(root, "build");
        return lock && lock.liveness !== undefined ? lock : null;
      }, "the sandboxed guard's hold");
      // Inside its namespace it is a low PID; outside, a process with that PID
      // may not exist at all: it must be found in its namespace.
      assert(Number(held.pid) < 10, `pid inside the namespace: ${held.pid}`);
      assertEquals(held.liveness, "alive");
      const refused = await lokt(["lock", "build"], { root, owner: "other" });
      assertEquals(refused.code, 2, refused.stderr);
    } finally {
      await reap(guard);
    }
    // unshare died (SIGKILL); --kill-child kills the namespace's init, the guard, and with it the namespace.
    await waitFor(async () => (await statusOf(root, "build"))?.liveness === "dead", "dead");
    const taken = await lokt(["lock", "build", "--json"], { root, owner: "other" });
    assertEquals(taken.code, 0, taken.stderr);
    assertEquals(JSON.parse(taken.stdout).broke.event, "dead-break");
  },
});

Deno.test({
  name: "from inside a PID namespace, a holder outside it is never judged dead",
  ignore: !permitted,
  fn: async () => {
    const { root } = await freshRoot();
    const outside = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", CLI, "guard", "deploy", "--", "sleep", "60"],
      env: baseEnv({ root, owner: "outer" }),
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    try {
      await waitFor(async () => (await statusOf(root, "deploy"))?.liveness === "alive", "held");
      const inside = inNamespace(["lock", "deploy"], root, "sandboxed");
      const out = await inside.output();
      assertEquals(out.code, 2, new TextDecoder().decode(out.stderr));
      assertEquals((await statusOf(root, "deploy"))?.owner, "outer");
    } finally {
      await reap(outside);
    }
  },
});

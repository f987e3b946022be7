// Who acts when nothing says so: a fresh Unix session per call (as some harnesses run
// commands) is a guessed owner, and the identity overrides for containers.
import { assert, assertEquals, assertMatch, assertThrows } from "./_assert.ts";
import { CLI, freshRoot, git, lokt, ownerlessEnv, reap } from "./_helpers.ts";
import { actingIdentity } from "../lib/core/identity.ts";
import { resolveIdentity } from "../lib/sys/identity.ts";

/** Runs the CLI in a new session, as a harness that starts a fresh shell per call does. */
async function inNewSession(args: string[], root: string) {
  // No owner setting, no agent-session or terminal variable: the owner must be guessed.
  const env = ownerlessEnv({ root });
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
    await reap(sleeper);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a Codex shell in its own PID namespace (CODEX_SESSION_ID, no ancestry to the harness) acts as its hooks' owner; its reservation never denies its own patch", async () => {
  const { dir } = await freshRoot();
  await git(dir, "init", "-q");
  const session = "01a24ceb-b697-7621-9985-72c7ae15be8f";
  const shell = { cwd: dir, env: { ...ownerlessEnv(), CODEX_SESSION_ID: session } };
  const who = JSON.parse((await lokt(["whoami", "--json"], shell)).stdout);
  assertEquals([who.owner, who.owner_kind], ["codex-72c7ae15be8f", "harness-variable"]);
  await Deno.mkdir(`${dir}/src`);
  const reserved = await lokt(["reserve", "src/a.ts", "--ttl", "5m"], shell);
  assertEquals(reserved.code, 0, reserved.stderr);
  const event = {
    session_id: session,
    cwd: dir,
    hook_event_name: "PreToolUse",
    tool_name: "apply_patch",
    tool_input: { command: "*** Begin Patch\n*** Add File: src/a.ts\n+x\n*** End Patch\n" },
  };
  const own = await lokt(["hook", "codex"], { stdin: JSON.stringify(event), cwd: dir });
  assertEquals([own.code, own.stdout], [0, ""], own.stderr);
  const other = await lokt(["hook", "codex"], {
    cwd: dir,
    stdin: JSON.stringify({ ...event, session_id: "ffff0000-1111" }),
  });
  assertMatch(other.stdout, /"permissionDecision":"deny"/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a hook acting as its harness session reads nothing from the system until a record needs it; then the same values as the process's", () => {
  const root = Deno.makeTempDirSync();
  const none = () => undefined;
  const hook = actingIdentity({
    root,
    env: none,
    hookSession: { harness: "claude", sessionId: "ab-12" },
  });
  // Still accessors: a copy that had read them (a spread) would hold plain values.
  for (const field of ["host", "machineId", "user", "pidStart"]) {
    assert(Object.getOwnPropertyDescriptor(hook, field)?.get, `${field} was read up front`);
  }
  assertEquals([hook.owner, hook.ownerKind, hook.sessionProcess], [
    "claude-ab12",
    "hook-session",
    null,
  ]);
  const own = resolveIdentity(none);
  assertEquals(
    [hook.host, hook.machineId, hook.user, hook.pidStart, hook.pid],
    [own.host, own.machineId, own.user, own.pidStart, Deno.pid],
  );
  // A malformed variable is refused when the identity is made, not when a field is read.
  assertThrows(() => resolveIdentity((key) => (key === "LOKT_MACHINE_ID" ? "a\nb" : undefined)));
  Deno.removeSync(root, { recursive: true });
});

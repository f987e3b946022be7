// Running lokt with scoped Deno permissions instead of -A.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { baseEnv, CLI, endGroup, listTree, tempDir } from "./_helpers.ts";

const SCOPED = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  "--allow-sys=hostname,uid",
];

async function run(flags: string[], args: string[], root: string, owner = "scoped-agent") {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-prompt", ...flags, CLI, ...args],
    env: baseEnv({ root, owner }),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const td = new TextDecoder();
  return { code: out.code, stdout: td.decode(out.stdout), stderr: td.decode(out.stderr) };
}

Deno.test("the documented scoped permissions carry a lock, guard, wait and audit cycle", async () => {
  const dir = await tempDir();
  const root = `${dir}/root`;
  assertEquals((await run(SCOPED, ["lock", "p", "--ttl", "1m"], root)).code, 0);
  assertEquals((await run(SCOPED, ["lock", "p"], root, "other")).code, 2);
  assertEquals((await run(SCOPED, ["lock", "p", "--timeout", "1s"], root, "other")).code, 2);
  assertEquals((await run(SCOPED, ["unlock", "p"], root)).code, 0);
  const guarded = await run(SCOPED, [
    "guard",
    "p",
    "--ttl",
    "2s",
    "--",
    "sh",
    "-c",
    "echo inside $LOKT_LOCK",
  ], root);
  assertEquals(guarded.code, 0, guarded.stderr);
  assertEquals(guarded.stdout.trim(), "inside p");
  for (
    const args of [["status"], ["why", "p"], ["exists", "p"], ["whoami"], ["doctor"], [
      "freeze",
      "p",
      "--ttl",
      "1m",
    ], ["unfreeze", "p"]]
  ) {
    const result = await run(SCOPED, args, root);
    assert([0, 3].includes(result.code), `${args}: ${result.code} ${result.stderr}`);
    assert(!result.stderr.includes("NotCapable"), result.stderr);
  }
  const audit = await run(SCOPED, ["audit", "--json"], root);
  const kinds = audit.stdout.trim().split("\n").map((l) => JSON.parse(l).event);
  assertEquals(kinds, [
    "acquire",
    "deny",
    "wait",
    "timeout",
    "release",
    "acquire",
    "release",
    "freeze",
    "unfreeze",
  ]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a holder that died is detected with scoped permissions too (signal 0 instead of /proc)", async () => {
  const dir = await tempDir();
  const root = `${dir}/root`;
  const pidFile = `${dir}/child.pid`;
  const holder = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      ...SCOPED,
      CLI,
      "guard",
      "d",
      "--",
      "sh",
      "-c",
      `echo $$ > ${pidFile}; echo ready; sleep 20`,
    ],
    env: baseEnv({ root, owner: "holder" }),
    clearEnv: true,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = holder.stdout.pipeThrough(new TextDecoderStream()).getReader();
  assertEquals((await reader.read()).value?.trim(), "ready");
  holder.kill("SIGKILL");
  await holder.status;
  // Its command too: while the command's group runs, the lock is orphaned, not dead (§5).
  await endGroup(Number(await Deno.readTextFile(pidFile)));
  const taken = await run(SCOPED, ["lock", "d", "--json"], root, "taker");
  assertEquals(taken.code, 0, taken.stderr);
  assertEquals(JSON.parse(taken.stdout).broke.event, "dead-break");
  await reader.cancel();
  const record = JSON.parse(await Deno.readTextFile(`${root}/locks/d.json`));
  assert(record.owner === "taker");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a missing --allow-write gives one clear error, exit 1, no prompt and no file", async () => {
  const dir = await tempDir();
  const root = `${dir}/root`;
  const flags = SCOPED.filter((f) => f !== "--allow-write");
  for (
    const args of [["lock", "w"], ["guard", "w", "--", "true"], ["unlock", "w"], [
      "freeze",
      "w",
      "--ttl",
      "1m",
    ]]
  ) {
    const result = await run(flags, args, root);
    assertEquals(result.code, 1, `${args}`);
    const lines = result.stderr.trim().split("\n");
    assertEquals(lines.length, 1, result.stderr);
    assertMatch(
      lines[0] as string,
      /^error: Missing Deno permission --allow-write .*to write lock files under /,
    );
    assert(!result.stderr.includes("┏"), "a permission prompt was shown");
  }
  // Read-only commands still work without write access.
  assertEquals((await run(flags, ["status"], root)).code, 0);
  assertEquals(await listTree(dir), []);
  // Without --allow-run, guard says so before taking the lock.
  const noRun = await run(
    SCOPED.filter((f) => f !== "--allow-run"),
    ["guard", "w", "--", "true"],
    root,
  );
  assertEquals(noRun.code, 1);
  assertMatch(noRun.stderr, /Missing Deno permission --allow-run/);
  assertEquals(await listTree(dir), []);
  // Without --allow-env nothing can be decided.
  const noEnv = await run(["--allow-read", "--allow-write"], ["status"], root);
  assertEquals(noEnv.code, 1);
  assertMatch(noEnv.stderr, /Missing Deno permission --allow-env/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a hook that must write without --allow-write says so in one line, exit 1 (never a block), writing nothing", async () => {
  const dir = await tempDir();
  const repo = `${dir}/repo`;
  await Deno.mkdir(`${repo}/.git`, { recursive: true });
  await Deno.mkdir(`${repo}/src`);
  // The edit reserves its file: the hook has to write.
  await Deno.writeTextFile(`${repo}/lokt.jsonc`, `{ "agents": { "reserve_on_edit": "10m" } }`);
  const event = JSON.stringify({
    session_id: "perm-session-1",
    cwd: repo,
    hook_event_name: "PreToolUse",
    tool_name: "Edit",
    tool_input: { file_path: `${repo}/src/a.ts`, old_string: "x", new_string: "y" },
  });
  const hook = async (flags: string[]) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--no-prompt", ...flags, CLI, "hook", "claude"],
      cwd: repo,
      env: baseEnv(),
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(event));
    await writer.close();
    const out = await child.output();
    const td = new TextDecoder();
    return { code: out.code, stdout: td.decode(out.stdout), stderr: td.decode(out.stderr) };
  };
  const denied = await hook(SCOPED.filter((f) => f !== "--allow-write"));
  assertEquals(denied.code, 1, denied.stderr);
  const lines = denied.stderr.trim().split("\n");
  assertEquals(lines.length, 1, denied.stderr);
  assertMatch(lines[0] as string, /^lokt: Missing Deno permission.*--allow-write.*not blocked/);
  assertEquals(denied.stdout, "");
  assertEquals(await listTree(`${repo}/.git`), []);
  // With it, the same edit reserves its file.
  const allowed = await hook(SCOPED);
  assertEquals(allowed.code, 0, allowed.stderr);
  const index = await Deno.readTextFile(`${repo}/.git/lokt/reservations/_index.json`);
  assert(index.includes("src/a.ts"), index);
  await Deno.remove(dir, { recursive: true });
});

// lokt doctor reports the agent integration (docs/agents.md): whether lokt's hooks
// are installed for each harness, and what Codex needs besides — its sandbox
// able to write lokt's state, its hook trust, the approval of lokt's MCP tools.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { git, lokt, tempDir } from "./_helpers.ts";

async function doctor(
  cwd: string,
  home: string,
): Promise<Record<string, { status: string; message: string; fix: string | null }>> {
  const out = await lokt(["doctor", "--json"], {
    cwd,
    owner: "me",
    env: { HOME: home, CODEX_HOME: `${home}/.codex` },
  });
  const checks = JSON.parse(out.stdout).checks as {
    id: string;
    status: string;
    message: string;
    fix: string | null;
  }[];
  return Object.fromEntries(checks.map((c) => [c.id, c]));
}

Deno.test("doctor: reports that no hooks are installed; Codex's hooks, sandbox setting, hook trust and MCP approval are each reported with the fix", async () => {
  const dir = await tempDir();
  const home = await tempDir("lokt-home-");
  await git(dir, "init", "-q");
  const none = (await doctor(dir, home)).hooks;
  assertEquals(none?.status, "OK");
  assertMatch(none?.message ?? "", /^no lokt hooks .* `lokt init`/);
  assertEquals((await lokt(["init", "--codex"], { cwd: dir, owner: "me" })).code, 0);
  let checks = await doctor(dir, home);
  assertEquals(checks["hooks-codex"]?.status, "OK");
  assertMatch(checks["hooks-codex"]?.message ?? "", /SessionStart, PreToolUse, SessionEnd/);
  assertEquals(checks["codex-tools"]?.status, "OK");
  assertEquals(checks["codex-sandbox"]?.status, "OK");
  assertEquals(checks["codex-trust"]?.status, "WARN");
  assertMatch(checks["codex-trust"]?.fix ?? "", /\/hooks/);
  assertEquals(checks["codex-mcp"]?.status, "OK");
  // lokt's MCP server configured for Codex without approval: its calls would be refused.
  await Deno.mkdir(`${home}/.codex`);
  await Deno.writeTextFile(
    `${home}/.codex/config.toml`,
    '[mcp_servers.lokt]\ncommand = "lokt"\nargs = ["mcp"]\n',
  );
  checks = await doctor(dir, home);
  assertEquals(checks["codex-mcp"]?.status, "WARN");
  assertMatch(checks["codex-mcp"]?.fix ?? "", /default_tools_approval_mode = "approve"/);
  await Deno.writeTextFile(
    `${home}/.codex/config.toml`,
    '[mcp_servers.lokt]\ncommand = "lokt"\ndefault_tools_approval_mode = "approve"\n',
  );
  assertEquals((await doctor(dir, home))["codex-mcp"]?.status, "OK");
  // Without the sandbox setting, Codex's shell cannot write lokt's state.
  await Deno.remove(`${dir}/.codex/config.toml`);
  checks = await doctor(dir, home);
  assertEquals(checks["codex-sandbox"]?.status, "WARN");
  assertMatch(checks["codex-sandbox"]?.fix ?? "", /lokt init --codex/);
  // An install from before lokt judged Codex's shell: a patch given to the shell goes unjudged.
  const hooksFile = `${dir}/.codex/hooks.json`;
  const hooks = await Deno.readTextFile(hooksFile);
  // (the matcher lokt init wrote before it judged Codex's shell and MCP servers' file tools).
  const old = JSON.parse(hooks);
  old.hooks.PreToolUse[0].matcher = "Write|Edit|MultiEdit|NotebookEdit|apply_patch";
  await Deno.writeTextFile(hooksFile, JSON.stringify(old));
  checks = await doctor(dir, home);
  assertEquals(checks["codex-tools"]?.status, "WARN");
  assertMatch(checks["codex-tools"]?.message ?? "", /does not run for its shell \(Bash\)/);
  assertMatch(checks["codex-tools"]?.message ?? "", /mcp__…__write_file/);
  assertMatch(checks["codex-tools"]?.fix ?? "", /lokt init --codex/);
  assertEquals((await lokt(["init", "--codex"], { cwd: dir, owner: "me" })).code, 0);
  assertEquals((await doctor(dir, home))["codex-tools"]?.status, "OK");
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(home, { recursive: true });
});

Deno.test("doctor: Claude Code settings from an older lokt, whose hook leaves out its shell or MCP servers' file tools, are a WARN that lokt init fixes", async () => {
  const dir = await tempDir();
  const home = await tempDir("lokt-home-");
  await git(dir, "init", "-q");
  assertEquals((await lokt(["init", "--claude"], { cwd: dir, owner: "me" })).code, 0);
  assertEquals((await doctor(dir, home))["claude-tools"]?.status, "OK");
  const file = `${dir}/.claude/settings.local.json`;
  const settings = JSON.parse(await Deno.readTextFile(file));
  settings.hooks.PreToolUse[0].matcher = "Write|Edit|MultiEdit|NotebookEdit|apply_patch";
  await Deno.writeTextFile(file, JSON.stringify(settings));
  const warned = (await doctor(dir, home))["claude-tools"];
  assertEquals(warned?.status, "WARN");
  assertMatch(warned?.message ?? "", /does not run for its shell \(Bash\)/);
  assertMatch(warned?.message ?? "", /MCP servers' file tools/);
  // The matcher before lokt judged shell writes: its shell only.
  settings.hooks.PreToolUse[0].matcher =
    "^(?:Write|Edit|MultiEdit|NotebookEdit|apply_patch|mcp__.+__(?:write_file|edit_file|move_file|edit_block))$";
  await Deno.writeTextFile(file, JSON.stringify(settings));
  const shellOnly = (await doctor(dir, home))["claude-tools"];
  assertEquals(shellOnly?.status, "WARN");
  assertMatch(
    shellOnly?.message ?? "",
    /does not run for its shell \(Bash\), whose commands write/,
  );
  assert(!/MCP/.test(shellOnly?.message ?? ""));
  assertEquals((await lokt(["init", "--claude"], { cwd: dir, owner: "me" })).code, 0);
  assertEquals((await doctor(dir, home))["claude-tools"]?.status, "OK");
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(home, { recursive: true });
});

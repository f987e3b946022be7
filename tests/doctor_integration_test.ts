// lokt doctor reports the agent integration (docs/agents.md): whether lokt's hooks
// are installed for each harness, and what Codex needs besides — its sandbox
// able to write lokt's state, its hook trust, the approval of lokt's MCP tools.
import { assertEquals, assertMatch } from "./_assert.ts";
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
  assertEquals(checks["codex-shell"]?.status, "OK");
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
  await Deno.writeTextFile(hooksFile, hooks.replace("|apply_patch|Bash", "|apply_patch"));
  checks = await doctor(dir, home);
  assertEquals(checks["codex-shell"]?.status, "WARN");
  assertMatch(checks["codex-shell"]?.message ?? "", /does not run for its shell \(Bash\)/);
  assertMatch(checks["codex-shell"]?.fix ?? "", /lokt init --codex/);
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(home, { recursive: true });
});

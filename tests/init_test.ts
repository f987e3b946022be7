// lokt init (docs/contract.md §16): idempotent merges into settings with existing content,
// the local settings when lokt is not on PATH, the primer block, --dry-run,
// --remove restoring exactly; and the chained git pre-commit hook (through
// core.hooksPath) really refusing a commit in a real repository.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { CLI, git, lokt, tempDir } from "./_helpers.ts";

/** A directory holding a `lokt` on PATH that runs this checkout. */
async function loktOnPath(): Promise<string> {
  const bin = await tempDir("lokt-bin-");
  await Deno.writeTextFile(
    `${bin}/lokt`,
    `#!/bin/sh\nexec ${Deno.execPath()} run -A --quiet ${CLI} "$@"\n`,
  );
  await Deno.chmod(`${bin}/lokt`, 0o755);
  return bin;
}

const EXISTING = {
  permissions: { allow: ["Bash(npm test)"] },
  hooks: {
    PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "./audit-bash.sh" }] }],
    SessionStart: [{ hooks: [{ type: "command", command: "echo hello" }] }],
  },
  model: "opus",
};

Deno.test("init merges into existing settings, is idempotent (no duplicates), and --remove restores them exactly", async () => {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  await Deno.mkdir(`${dir}/.claude`);
  const original = JSON.stringify(EXISTING, null, 4);
  await Deno.writeTextFile(`${dir}/.claude/settings.json`, original);
  await Deno.writeTextFile(`${dir}/CLAUDE.md`, "# Project\n\nBe nice.\n");
  const bin = await loktOnPath();
  const env = { PATH: `${bin}:${Deno.env.get("PATH")}` };
  const run = (...args: string[]) => lokt(["init", ...args], { cwd: dir, owner: "me", env });
  const dry = await run("--dry-run");
  assertMatch(dry.stdout, /would add lokt's hooks/);
  assertEquals(await Deno.readTextFile(`${dir}/.claude/settings.json`), original);
  assertEquals((await run()).code, 0);
  const merged = JSON.parse(await Deno.readTextFile(`${dir}/.claude/settings.json`));
  assertEquals([merged.permissions, merged.model], [EXISTING.permissions, "opus"]);
  assertEquals(merged.hooks.PreToolUse[0], EXISTING.hooks.PreToolUse[0]);
  assertEquals(merged.hooks.PreToolUse[1], {
    matcher:
      "^(?:Write|Edit|MultiEdit|NotebookEdit|apply_patch|Bash|mcp__.+__(?:write_file|edit_file|move_file|edit_block))$",
    hooks: [{ type: "command", command: "lokt hook claude" }],
  });
  assertEquals(merged.hooks.SessionStart.length, 2);
  assertEquals(merged.hooks.SessionEnd, [{
    hooks: [{ type: "command", command: "lokt hook claude" }],
  }]);
  const files = async () =>
    await Promise.all(
      [".claude/settings.json", "AGENTS.md", "CLAUDE.md", ".git/hooks/pre-commit"].map((f) =>
        Deno.readTextFile(`${dir}/${f}`)
      ),
    );
  const first = await files();
  assertMatch(first[1] as string, /<!-- lokt:begin -->[\s\S]*lokt reserve[\s\S]*<!-- lokt:end -->/);
  assertMatch(first[2] as string, /^# Project\n\nBe nice.\n\n<!-- lokt:begin -->/);
  const again = await run();
  assertMatch(again.stdout, /nothing to change/);
  assertEquals(await files(), first);
  assertEquals((await run("--remove")).code, 0);
  assertEquals(JSON.parse(await Deno.readTextFile(`${dir}/.claude/settings.json`)), EXISTING);
  assertEquals(await Deno.readTextFile(`${dir}/CLAUDE.md`), "# Project\n\nBe nice.\n");
  for (const gone of ["AGENTS.md", ".git/hooks/pre-commit"]) {
    let exists = true;
    try {
      await Deno.stat(`${dir}/${gone}`);
    } catch {
      exists = false;
    }
    assertEquals(exists, false, gone);
  }
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(bin, { recursive: true });
});

Deno.test("without lokt on PATH, init writes the absolute command to the uncommitted local settings and says so; --codex writes .codex/hooks.json", async () => {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  const out = await lokt(["init", "--claude", "--codex"], {
    cwd: dir,
    owner: "me",
    env: { PATH: "/usr/bin:/bin" },
  });
  assertEquals(out.code, 0, out.stderr);
  assertMatch(out.stdout, /not on PATH.*settings\.local\.json/);
  const local = JSON.parse(await Deno.readTextFile(`${dir}/.claude/settings.local.json`));
  const command = local.hooks.PreToolUse[0].hooks[0].command as string;
  assert(command.startsWith(Deno.execPath()) && command.endsWith(`${CLI} hook claude`), command);
  const codex = JSON.parse(await Deno.readTextFile(`${dir}/.codex/hooks.json`));
  assertEquals(Object.keys(codex.hooks), ["SessionStart", "PreToolUse", "SessionEnd"]);
  // Shell calls are judged too (files written by name; Codex applies apply_patch there itself).
  // The matchers are whole-name regular expressions, as the harnesses read them.
  const claudeMatcher = new RegExp(local.hooks.PreToolUse[0].matcher);
  const codexMatcher = new RegExp(codex.hooks.PreToolUse[0].matcher);
  for (
    const tool of ["Write", "Edit", "NotebookEdit", "mcp__fs__write_file", "mcp__a__b__move_file"]
  ) {
    assert(claudeMatcher.test(tool) && codexMatcher.test(tool), tool);
  }
  for (const tool of ["TodoWrite", "Read", "mcp__fs__read_file", "mcp__lokt__lokt_lock", "BashX"]) {
    assert(!claudeMatcher.test(tool) && !codexMatcher.test(tool), tool);
  }
  // Both shells: their commands write files by name, and Codex applies a patch given to its shell.
  assert(
    claudeMatcher.test("Bash") && codexMatcher.test("Bash") && codexMatcher.test("apply_patch"),
  );
  // Codex's sandbox may write lokt's state (a path relative to .codex/, as Codex reads it).
  assertMatch(
    await Deno.readTextFile(`${dir}/.codex/config.toml`),
    /^\[sandbox_workspace_write\]\nwritable_roots = \["\.\.\/\.git\/lokt"\]$/m,
  );
  assert((await Deno.stat(`${dir}/.git/lokt`)).isDirectory, "the writable root exists");
  // The command works from any directory: run it as the harness would, elsewhere.
  const event = JSON.stringify({ session_id: "x1", cwd: dir, hook_event_name: "Notification" });
  const reply = await new Deno.Command("sh", {
    args: ["-c", `${command}`],
    cwd: "/",
    stdin: "piped",
    stdout: "piped",
  })
    .spawn();
  const w = reply.stdin.getWriter();
  await w.write(new TextEncoder().encode(event));
  await w.close();
  const result = await reply.output();
  assertEquals([result.code, new TextDecoder().decode(result.stdout)], [0, ""]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the chained pre-commit hook (core.hooksPath) refuses a commit staging a path another owner reserved, and runs the earlier hook otherwise", async () => {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  await git(dir, "config", "core.hooksPath", ".githooks");
  await Deno.mkdir(`${dir}/.githooks`);
  await Deno.writeTextFile(
    `${dir}/.githooks/pre-commit`,
    `#!/bin/sh\necho ran >> ${dir}/earlier-hook-ran\n`,
  );
  await Deno.chmod(`${dir}/.githooks/pre-commit`, 0o755);
  const bin = await loktOnPath();
  const env = { PATH: `${bin}:${Deno.env.get("PATH")}` };
  assertEquals((await lokt(["init", "--git"], { cwd: dir, owner: "me", env })).code, 0);
  assertMatch(await Deno.readTextFile(`${dir}/.githooks/pre-commit`), /lokt hook git pre-commit/);
  await Deno.writeTextFile(`${dir}/reserved.ts`, "x\n");
  await Deno.writeTextFile(`${dir}/mine.ts`, "y\n");
  assertEquals(
    (await lokt(["reserve", "reserved.ts", "--reason", "mid-refactor"], {
      cwd: dir,
      owner: "other",
    })).code,
    0,
  );
  const commit = async (file: string) => {
    await git(dir, "add", file);
    return await new Deno.Command("git", {
      args: ["-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", file],
      cwd: dir,
      env: { ...env, LOKT_OWNER: "me" },
      stdout: "piped",
      stderr: "piped",
    }).output();
  };
  const refused = await commit("reserved.ts");
  assertEquals(refused.code, 1);
  assertMatch(
    new TextDecoder().decode(refused.stderr),
    /reserved\.ts is reserved: "reserved\.ts" \(exclusive\) by other — mid-refactor/,
  );
  await git(dir, "rm", "-q", "--cached", "reserved.ts");
  const allowed = await commit("mine.ts");
  assertEquals(allowed.code, 0, new TextDecoder().decode(allowed.stderr));
  assertEquals(await Deno.readTextFile(`${dir}/earlier-hook-ran`), "ran\n");
  assertEquals((await lokt(["init", "--git", "--remove"], { cwd: dir, owner: "me", env })).code, 0);
  assertEquals(
    await Deno.readTextFile(`${dir}/.githooks/pre-commit`),
    `#!/bin/sh\necho ran >> ${dir}/earlier-hook-ran\n`,
  );
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(bin, { recursive: true });
});

Deno.test("the pre-commit hook judges what git will commit: 'git commit -a' and 'git commit <path>' of a reserved file are refused, another path's commit passes", async () => {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  await Deno.writeTextFile(`${dir}/reserved.ts`, "x\n");
  await Deno.writeTextFile(`${dir}/mine.ts`, "y\n");
  await git(dir, "add", ".");
  await git(dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "init");
  const bin = await loktOnPath();
  const env = { PATH: `${bin}:${Deno.env.get("PATH")}` };
  assertEquals((await lokt(["init", "--git"], { cwd: dir, owner: "me", env })).code, 0);
  assertEquals((await lokt(["reserve", "reserved.ts"], { cwd: dir, owner: "other" })).code, 0);
  // Nothing staged: `-a` and `<path>` stage for the commit, in an index git gives the hook.
  await Deno.writeTextFile(`${dir}/reserved.ts`, "x2\n");
  await Deno.writeTextFile(`${dir}/mine.ts`, "y2\n");
  const commit = (...args: string[]) =>
    new Deno.Command("git", {
      args: ["-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", ...args],
      cwd: dir,
      env: { ...env, LOKT_OWNER: "me" },
      stdout: "piped",
      stderr: "piped",
    }).output();
  for (const args of [["-am", "all"], ["-m", "only", "reserved.ts"]]) {
    const refused = await commit(...args);
    assertEquals(refused.code, 1, args.join(" "));
    const said = new TextDecoder().decode(refused.stderr);
    assertMatch(said, /reserved\.ts is reserved/);
    assertMatch(
      said,
      /leave them out of this commit \(git restore --staged <path>, or name the other paths instead of -a\)/,
    );
  }
  const allowed = await commit("-m", "mine", "mine.ts");
  assertEquals(allowed.code, 0, new TextDecoder().decode(allowed.stderr));
  assertEquals((await git(dir, "log", "--format=%s")).trim().split("\n"), ["mine", "init"]);
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(bin, { recursive: true });
});

Deno.test("the pre-commit hook lets a commit through, saying so, when git runs it without lokt on PATH (an IDE's git); it still refuses when lokt is found", async () => {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  const bin = await loktOnPath();
  const withLokt = { PATH: `${bin}:${Deno.env.get("PATH")}` };
  assertEquals((await lokt(["init", "--git"], { cwd: dir, owner: "me", env: withLokt })).code, 0);
  await Deno.writeTextFile(`${dir}/reserved.ts`, "x\n");
  assertEquals((await lokt(["reserve", "reserved.ts"], { cwd: dir, owner: "other" })).code, 0);
  await git(dir, "add", "reserved.ts");
  const commit = (path: string) =>
    new Deno.Command("git", {
      args: ["-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "x"],
      cwd: dir,
      env: { PATH: path, LOKT_OWNER: "me", HOME: dir },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
  const gitDir = new TextDecoder().decode(
    (await new Deno.Command("sh", { args: ["-c", "dirname $(command -v git)"], stdout: "piped" })
      .output()).stdout,
  ).trim();
  // With lokt on PATH: refused.
  assertEquals((await commit(`${bin}:${gitDir}:/usr/bin:/bin`)).code, 1);
  // Without: let through, saying why it was not checked.
  const unchecked = await commit(`${gitDir}:/usr/bin:/bin`);
  const stderr = new TextDecoder().decode(unchecked.stderr);
  assertEquals(unchecked.code, 0, stderr);
  assertMatch(stderr, /lokt: not found from this git .*not checked/);
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(bin, { recursive: true });
});

Deno.test("init --codex adds lokt's root to the Codex sandbox's writable roots in .codex/config.toml, keeps the rest, and --remove restores it byte for byte; a table of the person's own is left alone with a note", async () => {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  await Deno.mkdir(`${dir}/.codex`);
  const own = 'model = "gpt-5.5"\n\n[features]\nweb_search = false\n';
  await Deno.writeTextFile(`${dir}/.codex/config.toml`, own);
  const init = (...flags: string[]) =>
    lokt(["init", "--codex", ...flags], { cwd: dir, owner: "me" });
  const first = await init("--json");
  assertEquals(first.code, 0);
  // Codex runs the hooks only once trusted: the person is told where it matters.
  assertMatch(
    JSON.parse(first.stdout).notes.join("\n"),
    /trust them: review them with \/hooks in Codex/,
  );
  const added = await Deno.readTextFile(`${dir}/.codex/config.toml`);
  assert(added.startsWith(own), added);
  assertMatch(
    added,
    /\[sandbox_workspace_write\]\nwritable_roots = \["\.\.\/\.git\/lokt"\]\n# lokt:end\n$/,
  );
  assertEquals((await init()).stdout.trim(), "nothing to change: lokt is already set up as asked");
  assertEquals((await init("--remove")).code, 0);
  assertEquals(await Deno.readTextFile(`${dir}/.codex/config.toml`), own);
  // The person's own sandbox table cannot be declared twice: lokt says what to add.
  const theirs = `${own}[sandbox_workspace_write]\nnetwork_access = true\n`;
  await Deno.writeTextFile(`${dir}/.codex/config.toml`, theirs);
  const noted = await init("--json");
  assertEquals(noted.code, 0, noted.stderr);
  const notes = JSON.parse(noted.stdout).notes as string[];
  assert(
    notes.some((n) => /add "\.\.\/\.git\/lokt" to its writable_roots/.test(n)),
    notes.join("\n"),
  );
  assert(
    notes.some((n) => /trust them: review them with \/hooks in Codex/.test(n)),
    notes.join("\n"),
  );
  assertEquals(await Deno.readTextFile(`${dir}/.codex/config.toml`), theirs);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("init --claude --codex --git, then --remove alone: every file lokt touched is back byte for byte (compared, not parsed), every file it made is gone", async () => {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  await Deno.mkdir(`${dir}/.claude`);
  await Deno.mkdir(`${dir}/.codex`);
  // A team's own layout: inline arrays, odd spacing, no final newline.
  const files: Record<string, string> = {
    ".claude/settings.json":
      '{\n  "permissions": { "allow": ["Bash(npm test)", "Bash(git diff:*)"] },\n  "hooks": {\n    "PreToolUse": [{ "matcher": "Bash", "hooks": [{ "type": "command", "command": "./audit.sh" }] }]\n  },\n  "model": "opus"\n}',
    ".codex/hooks.json":
      '{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "true"}]}]}}\n',
    ".codex/config.toml": 'model = "gpt-5.5"\n',
    "CLAUDE.md": "# Project\n\nBe nice.\n",
    "AGENTS.md": "# Agents\n\nRun the tests.",
  };
  for (const [path, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${path}`, text);
  }
  const bin = await loktOnPath();
  const env = { PATH: `${bin}:${Deno.env.get("PATH")}` };
  const run = (...args: string[]) => lokt(["init", ...args], { cwd: dir, owner: "me", env });
  assertEquals((await run("--claude", "--codex", "--git")).code, 0);
  for (const [path, text] of Object.entries(files)) {
    assert((await Deno.readTextFile(`${dir}/${path}`)) !== text, `${path} was set up`);
  }
  const removed = await run("--remove");
  assertEquals(removed.code, 0, removed.stderr);
  for (const [path, text] of Object.entries(files)) {
    assertEquals(await Deno.readTextFile(`${dir}/${path}`), text, path);
  }
  let hook = true;
  try {
    await Deno.stat(`${dir}/.git/hooks/pre-commit`);
  } catch {
    hook = false;
  }
  assertEquals(hook, false, "the git hook lokt made is gone");
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(bin, { recursive: true });
});

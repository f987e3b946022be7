// lokt's installation — its hooks in the harness's settings and its git
// pre-commit hook, as `lokt init` writes them — is not an agent's to change
// (docs/agents.md): a shell command, a patch or a file tool that would remove
// or alter lokt's entries is denied; a file tool's other change to the
// settings passes, and so does every file that does not install lokt.
import { assertEquals, assertMatch } from "./_assert.ts";
import { git, hookDecision as decide, lokt, tempDir } from "./_helpers.ts";

/** A repository where `lokt init` installed everything. */
async function installed() {
  const tmp = await Deno.realPath(await tempDir());
  const dir = `${tmp}/repo`;
  await Deno.mkdir(`${dir}/src`, { recursive: true });
  await git(dir, "init", "-q");
  const out = await lokt(["init", "--claude", "--codex", "--git"], { cwd: dir });
  assertEquals(out.code, 0, out.stderr);
  // settings.json, or settings.local.json for a lokt run by an absolute path (docs/agents.md).
  const [settings] = ["settings.json", "settings.local.json"].map((f) => `${dir}/.claude/${f}`)
    .filter((f) => {
      try {
        return Deno.statSync(f).isFile;
      } catch {
        return false;
      }
    });
  if (settings === undefined) throw new Error("lokt init wrote no Claude settings");
  const text = await Deno.readTextFile(settings);
  return { dir, settings, text, gitHook: `${dir}/.git/hooks/pre-commit` };
}

Deno.test("hook claude and codex deny a change of lokt's installation: its hooks' settings and its git hook, by shell, patch or file tool", async () => {
  const { dir, settings, text, gitHook } = await installed();
  const hookText = await Deno.readTextFile(gitHook);
  const dropped = text.replace(/hook claude/g, "hook clause");
  const cases: [string, string, Record<string, unknown>][] = [
    ["claude", "Write", { file_path: settings, content: "{}" }],
    ["claude", "Write", { file_path: settings, content: dropped }],
    ["claude", "Edit", {
      file_path: settings,
      old_string: '"PreToolUse"',
      new_string: '"Nothing"',
    }],
    ["claude", "MultiEdit", {
      file_path: settings.slice(dir.length + 1),
      edits: [{ old_string: "hook claude", new_string: "hook clause", replace_all: true }],
    }],
    ["claude", "Write", { file_path: gitHook, content: "#!/bin/sh\nexit 0\n" }],
    ["claude", "Edit", { file_path: gitHook, old_string: "lokt", new_string: "true" }],
    ["claude", "Bash", { command: `echo '{}' > ${settings}` }],
    ["claude", "Bash", { command: "rm -rf .claude" }],
    ["codex", "Bash", { command: "rm .git/hooks/pre-commit" }],
    ["codex", "Bash", { command: "cd .git && rm -r hooks" }],
    ["codex", "Bash", { command: "sed -i s/lokt/true/ .codex/hooks.json" }],
    ["codex", "Bash", { command: "mv .codex /tmp/elsewhere" }],
    ["codex", "apply_patch", {
      command: [
        "apply_patch",
        `*** Begin Patch\n*** Delete File: ${settings}\n*** End Patch\n`,
      ],
    }],
    ["claude", "mcp__fs__write_file", { path: settings, content: text }],
    ["claude", "Bash", { command: "lokt init --remove" }],
    ["codex", "Bash", { command: "cd src && deno run -A ../cli.ts init --claude --remove" }],
  ];
  for (const [harness, tool, input] of cases) {
    const { decision, reason } = await decide(harness as "claude" | "codex", dir, tool, input);
    assertEquals(decision, "deny", `${harness} ${tool} ${JSON.stringify(input)}`);
    assertMatch(reason, /lokt's (hooks|git pre-commit hook)/);
    assertMatch(reason, /a person/i);
    assertEquals(reason.includes("--force"), false, reason);
  }
  assertEquals(await Deno.readTextFile(settings), text);
  assertEquals(await Deno.readTextFile(gitHook), hookText);
});

Deno.test("hook claude lets a file tool change the settings when lokt's entries stay as they are, and leaves files that install nothing alone", async () => {
  const { dir, settings, text } = await installed();
  const withPermission = JSON.stringify(
    { ...JSON.parse(text), permissions: { allow: ["Bash(ls:*)"] } },
    null,
    2,
  );
  const passing: [string, Record<string, unknown>][] = [
    ["Write", { file_path: settings, content: withPermission }],
    ["Edit", { file_path: settings, old_string: '"hooks"', new_string: '"env": {},\n  "hooks"' }],
    ["Edit", { file_path: settings, old_string: "not in the file", new_string: "x" }],
    ["Write", { file_path: `${dir}/src/settings.json`, content: "{}" }],
    ["Write", { file_path: `${dir}/src/pre-commit`, content: "#!/bin/sh\n" }],
    ["Bash", { command: "rm -f .git/hooks/pre-push.sample && echo x > src/hooks.json" }],
    ["Bash", { command: "lokt init --claude --dry-run && lokt status" }],
    ["Bash", { command: "echo 'lokt init --remove' >> NOTES.md" }],
  ];
  for (const [tool, input] of passing) {
    const { decision, reason } = await decide("claude", dir, tool, input);
    assertEquals(decision, "none", `${tool} ${JSON.stringify(input)}: ${reason}`);
  }
  // Settings beside lokt's that leave the hooks on are the project's, through a file tool.
  const other = settings.endsWith(".local.json") ? "settings.json" : "settings.local.json";
  await Deno.writeTextFile(`${dir}/.claude/${other}`, '{"hooks":{}}');
  const local = await decide("claude", dir, "Write", {
    file_path: `${dir}/.claude/${other}`,
    content: '{"env": {}}',
  });
  assertEquals(local.decision, "none", local.reason);
});

Deno.test("hook claude and codex deny a write lokt cannot see into Claude Code's settings beside lokt's, and into the user's settings once lokt's hooks are installed", async () => {
  const { dir, settings } = await installed();
  const other = settings.endsWith(".local.json") ? "settings.json" : "settings.local.json";
  const sibling = `${dir}/.claude/${other}`;
  await Deno.writeTextFile(sibling, '{"permissions": {}}');
  const home = await Deno.realPath(await tempDir());
  await Deno.mkdir(`${home}/.claude`);
  const user = `${home}/.claude/settings.json`;
  await Deno.writeTextFile(user, "{}");
  const env = { HOME: home };
  const off = '{"disableAllHooks": true}';
  const cases: [string, string, Record<string, unknown>][] = [
    ["claude", "Bash", { command: `echo '${off}' > .claude/${other}` }],
    ["codex", "Bash", { command: `printf '%s' '${off}' > ${sibling}` }],
    ["claude", "Bash", { command: `cd src && cp /tmp/settings.json ../.claude/${other}` }],
    ["claude", "Bash", { command: `rm .claude/${other}` }],
    ["codex", "apply_patch", {
      command: [
        "apply_patch",
        `*** Begin Patch\n*** Update File: .claude/${other}\n@@\n-{"permissions": {}}\n+${off}\n*** End Patch\n`,
      ],
    }],
    ["claude", "mcp__fs__write_file", { path: sibling, content: off }],
    ["claude", "Bash", { command: `echo '${off}' > ~/.claude/settings.json` }],
    ["codex", "Bash", { command: `jq '.disableAllHooks = true' ${user} | sponge ${user}` }],
  ];
  for (const [harness, tool, input] of cases) {
    const answer = await decide(harness as "claude" | "codex", dir, tool, input, env);
    assertEquals(answer.decision, "deny", `${harness} ${tool} ${JSON.stringify(input)}`);
    assertMatch(answer.reason, /settings file.*disableAllHooks/);
    assertMatch(answer.reason, /Edit or Write tool/);
    assertMatch(answer.reason, /a person/i);
  }
  assertEquals(await Deno.readTextFile(sibling), '{"permissions": {}}');
  assertEquals(await Deno.readTextFile(user), "{}");
  // The file tools' changes are seen: they pass while the hooks stay on.
  const seen = await decide(
    "claude",
    dir,
    "Write",
    { file_path: user, content: '{"env": {}}' },
    env,
  );
  assertEquals(seen.decision, "none", seen.reason);
  const seenOff = await decide("claude", dir, "Write", { file_path: user, content: off }, env);
  assertEquals(seenOff.decision, "deny", seenOff.reason);
  // Files of the same name elsewhere, and the user's settings seen from a worktree without
  // lokt's Claude hooks, are not lokt's.
  for (const command of [`echo '${off}' > src/settings.json`, `echo x > .claude-notes.json`]) {
    const answer = await decide("claude", dir, "Bash", { command }, env);
    assertEquals(answer.decision, "none", `${command}: ${answer.reason}`);
  }
  const plain = `${await Deno.realPath(await tempDir())}/plain`;
  await Deno.mkdir(plain);
  await git(plain, "init", "-q");
  const elsewhere = await decide("claude", plain, "Bash", {
    command: `echo '${off}' > ~/.claude/settings.json`,
  }, env);
  assertEquals(elsewhere.decision, "none", elsewhere.reason);
});

Deno.test("hook claude denies a file tool's change that turns every hook off (disableAllHooks), in lokt's settings or beside them", async () => {
  const { dir, settings, text } = await installed();
  const other = settings.endsWith(".local.json") ? "settings.json" : "settings.local.json";
  const sibling = `${dir}/.claude/${other}`;
  await Deno.writeTextFile(sibling, '{"permissions": {}}');
  const off = JSON.stringify({ ...JSON.parse(text), disableAllHooks: true });
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["Write", { file_path: settings, content: off }, /disableAllHooks/],
    ["Write", { file_path: sibling, content: '{"disableAllHooks": true}' }, /disableAllHooks/],
    ["Edit", {
      file_path: sibling,
      old_string: '"permissions": {}',
      new_string: '"permissions": {}, "disableAllHooks": true',
    }, /disableAllHooks/],
  ];
  for (const [tool, input, reason] of cases) {
    const answer = await decide("claude", dir, tool, input);
    assertEquals(answer.decision, "deny", `${tool} ${JSON.stringify(input)}`);
    assertMatch(answer.reason, reason);
    assertMatch(answer.reason, /a person/i);
  }
  // Settings beside lokt's that leave the hooks on are the project's.
  const kept = await decide("claude", dir, "Write", {
    file_path: sibling,
    content: '{"permissions": {"allow": ["Bash(ls:*)"]}, "disableAllHooks": false}',
  });
  assertEquals(kept.decision, "none", kept.reason);
});

Deno.test("hook claude and codex deny a write lokt cannot see into Codex's config.toml beside lokt's Codex hooks and in Codex's home, and a file tool's change that turns Codex's hooks off", async () => {
  const { dir } = await installed();
  const config = `${dir}/.codex/config.toml`;
  const text = await Deno.readTextFile(config);
  const codexHome = await Deno.realPath(await tempDir());
  const home = await Deno.realPath(await tempDir());
  await Deno.mkdir(`${home}/.codex`);
  const env = { HOME: home, CODEX_HOME: codexHome };
  const off = "[features]\ncodex_hooks = false\n";
  const cases: [string, string, Record<string, unknown>][] = [
    ["codex", "Bash", { command: `printf '${off}' >> .codex/config.toml` }],
    ["claude", "Bash", { command: "sed -i '/lokt:begin/,/lokt:end/d' .codex/config.toml" }],
    ["codex", "apply_patch", {
      command: [
        "apply_patch",
        `*** Begin Patch\n*** Add File: ${dir}/.codex/config.toml\n+${off}*** End Patch\n`,
      ],
    }],
    ["claude", "Write", { file_path: config, content: `${text}\n${off}` }],
    ["codex", "Bash", { command: `echo 'codex_hooks = false' >> ${codexHome}/config.toml` }],
  ];
  for (const [harness, tool, input] of cases) {
    const answer = await decide(harness as "claude" | "codex", dir, tool, input, env);
    assertEquals(answer.decision, "deny", `${harness} ${tool} ${JSON.stringify(input)}`);
    assertMatch(answer.reason, /codex_hooks/);
    assertMatch(answer.reason, /a person/i);
  }
  assertEquals(await Deno.readTextFile(config), text);
  // A file tool's change that leaves the hooks on is the project's; so is ~/.codex when
  // CODEX_HOME points elsewhere, and a config.toml outside a .codex directory.
  const passing: [string, Record<string, unknown>][] = [
    ["Write", { file_path: config, content: `${text}\nmodel = "o4"\n` }],
    ["Bash", { command: `echo 'codex_hooks = false' >> ~/.codex/config.toml` }],
    ["Bash", { command: `echo '${off}' > src/config.toml` }],
  ];
  for (const [tool, input] of passing) {
    const answer = await decide("claude", dir, tool, input, env);
    assertEquals(answer.decision, "none", `${tool} ${JSON.stringify(input)}: ${answer.reason}`);
  }
});

// A shell command that writes a file another owner reserved (docs/agents.md):
// a redirection, rm, mv, cp's destination, tee, sed -i, git checkout/stash of
// the whole tree, through a cd, a glob, braces, a link or another cwd — is
// denied by lokt's hook, for Codex's shell and a Bash routed to Claude
// Code's hook; reading the reserved files, writing others and a heredoc's
// text that only mentions them pass.
import { assertEquals, assertMatch } from "./_assert.ts";
import { git, hookDecision as decide, lokt, tempDir } from "./_helpers.ts";

/** A repository where another owner reserved `src/auth/**`. */
async function reservedRepo() {
  const tmp = await Deno.realPath(await tempDir());
  const dir = `${tmp}/repo`;
  await Deno.mkdir(`${dir}/src/auth`, { recursive: true });
  await Deno.mkdir(`${dir}/docs`);
  await git(dir, "init", "-q");
  await Deno.writeTextFile(`${dir}/src/auth/login.ts`, "login\n");
  await Deno.writeTextFile(`${dir}/src/auth/token.ts`, "token\n");
  await Deno.writeTextFile(`${dir}/src/free.ts`, "free\n");
  await Deno.symlink("src/auth", `${dir}/authlink`);
  const out = await lokt(["reserve", "src/auth/**", "--ttl", "1h"], { cwd: dir, owner: "other" });
  assertEquals(out.code, 0, out.stderr);
  return { tmp, dir };
}

Deno.test("hook codex denies a shell command that writes a reserved file by name, in every form it is read in", async () => {
  const { tmp, dir } = await reservedRepo();
  const cases: [string, string][] = [
    [dir, "echo x > src/auth/login.ts"],
    [dir, "echo x >> src/auth/login.ts"],
    [dir, "printf x 2>err.log 1>src/auth/login.ts"],
    [dir, "cat > src/auth/new.ts <<'EOF'\nexport const x = 1;\nEOF"],
    [dir, "cat x | tee src/auth/login.ts >/dev/null"],
    [dir, "sed -i 's/login/x/' src/auth/login.ts"],
    [dir, "perl -pi -e 's/a/b/' src/auth/token.ts"],
    [dir, "rm -f src/auth/login.ts"],
    [dir, "rm -rf src"],
    [dir, "mv src/free.ts src/auth/"],
    [dir, "cp /etc/hostname src/auth/login.ts"],
    [dir, "touch src/auth/login.ts"],
    [dir, "rm src/*/*.ts"],
    [dir, "rm src/auth/{login,other}.ts"],
    [dir, "git checkout -- src/auth/login.ts"],
    [dir, "git checkout ."],
    [dir, "git stash"],
    [dir, "git reset --hard HEAD"],
    [dir, "cd src && echo x > auth/login.ts"],
    [dir, "cd src/auth; sed -i s/a/b/ login.ts"],
    [`${dir}/src`, "rm -rf .."],
    [`${dir}/src`, "echo x > auth/login.ts"],
    [dir, "echo x > authlink/login.ts"],
    [tmp, `echo x > ${dir}/src/auth/login.ts`],
    [dir, "bash -c 'echo x > src/auth/login.ts'"],
    [dir, "make && echo done > src/auth/status.txt"],
    // git from elsewhere, and what writes files it does not name one by one.
    [dir, "git -C src checkout -- auth/login.ts"],
    [`${dir}/docs`, "git stash"],
    [`${dir}/docs`, "git checkout -- :/src/auth/login.ts"],
    [`${dir}/docs`, 'rm -f "$(git rev-parse --show-toplevel)"/src/auth/login.ts'],
    [dir, "git pull --rebase"],
    [dir, "git apply fix.diff"],
    [dir, "npx prettier --write src"],
    [`${dir}/docs`, "deno fmt"],
    [dir, "find src -name '*.ts' -delete"],
    [dir, "find . -iname 'LOGIN.*' -exec rm {} +"],
    [dir, "find src -exec sh -c 'rm \"$1\"' _ {} \\;"],
    [dir, "grep -rl login src | xargs sed -i s/login/x/"],
    [dir, "tar -xzf /tmp/a.tgz -C src/auth"],
    [dir, "patch -p1 < fix.diff"],
    // A script given to an interpreter that writes the file.
    [dir, `python3 -c "open('src/auth/login.ts', 'w').write('x')"`],
    [dir, "python3 - <<'PY'\nfrom pathlib import Path\nPath('src/auth/login.ts').unlink()\nPY"],
    [`${dir}/src`, `node -e "require('fs').writeFileSync('auth/login.ts', '')"`],
    // A name that is no path is a branch to switch to: the whole tree.
    [dir, "git checkout main"],
    [`${dir}/docs`, "git checkout -"],
  ];
  for (const [cwd, command] of cases) {
    for (const input of [{ command }, { command: ["bash", "-lc", command] }]) {
      const { decision, reason } = await decide("codex", cwd, "Bash", input);
      assertEquals(decision, "deny", `${command} (from ${cwd})`);
      assertMatch(reason, /is reserved by another agent: "src\/auth\/\*\*" \(exclusive\) by other/);
    }
  }
  // What writes a directory or the whole tree is told to name its own files instead.
  for (const command of ["git stash", "deno fmt", "find src -delete", "rm -rf src"]) {
    const { reason } = await decide("codex", dir, "Bash", { command });
    assertMatch(reason, /This command may write any file in src.*name only your own files/);
  }
  const named = await decide("codex", dir, "Bash", { command: "rm src/auth/login.ts" });
  assertMatch(named.reason, /Do not edit it now/);
  // A file named `:` is a file: no mark of lokt's reading (which a NUL would be: refused).
  await Deno.mkdir(`${dir}/src/:`);
  for (const command of ["echo x > src/:/../auth/login.ts", "echo x > docs/a\u0000:/docs"]) {
    const { decision } = await decide("codex", dir, "Bash", { command });
    assertEquals(decision, "deny", command);
  }
  // A person's settings that send Claude Code's Bash to lokt's hook get the same judgement.
  const claude = await decide("claude", dir, "Bash", { command: "rm src/auth/login.ts" });
  assertEquals(claude.decision, "deny");
  assertEquals(await Deno.readTextFile(`${dir}/src/auth/login.ts`), "login\n");
});

Deno.test("hook codex lets through a shell command that only reads the reserved files or writes others", async () => {
  const { dir } = await reservedRepo();
  const commands = [
    "cat src/auth/login.ts > /tmp/lokt-test-copy.txt",
    "cp src/auth/login.ts docs/login-copy.ts",
    "grep -rn login src/auth > docs/hits.txt 2>&1",
    "echo x > src/free.ts && rm -f docs/old.md",
    "sed 's/a/b/' src/auth/login.ts",
    "make test 2>&1 | tee build.log",
    "ls src/auth > /dev/null",
    "cat > docs/notes.md <<'EOF'\nrm -rf src/auth\necho x > src/auth/login.ts\nEOF",
    "git checkout -b feature",
    "git stash list",
    "rm docs/*.md",
    "cd docs && rm -rf *",
    'echo x > "$OUT"',
    // Writers confined to where nothing is reserved, and the forms that only check or read.
    "git -C docs checkout -- x.md",
    "npx prettier --write docs",
    "deno fmt docs && deno fmt --check",
    "find docs -name '*.bak' -delete",
    // By name alone, only what it finds is judged: no reserved file is a .pyc.
    "find . -name '*.pyc' -delete",
    "find . -name node_modules -type d -prune -exec rm -rf {} +",
    "cd docs && ls | xargs rm -f",
    "tar -xzf /tmp/a.tgz -C docs",
    "git apply --check fix.diff",
    "git switch -c other",
    "find src -name '*.ts' | xargs grep -n login",
    // A script that only reads the reserved file, or writes another.
    `python3 -c "print(open('src/auth/login.ts').read())"`,
    `python3 -c "d = open('src/auth/login.ts').read(); open('docs/o.md', 'w').write(d)"`,
    "node -e \"console.log(require('fs').readFileSync('src/auth/login.ts', 'utf8'))\"",
    // A name that is a path is that path.
    "git checkout src/free.ts",
  ];
  for (const command of commands) {
    const { decision, reason } = await decide("codex", dir, "Bash", { command });
    assertEquals(decision, "none", `${command}: ${reason}`);
  }
});

Deno.test("with reserve_on_edit a shell write reserves the files it names for the session; a directory or the whole tree is checked, never reserved", async () => {
  const { dir } = await reservedRepo();
  await Deno.writeTextFile(`${dir}/lokt.jsonc`, '{ "agents": { "reserve_on_edit": "30m" } }\n');
  const env = { LOKT_OWNER: "" };
  for (const command of ["echo x > src/free.ts", "rm -rf docs", "git stash list && git stash"]) {
    const { decision, reason } = await decide("codex", dir, "Bash", { command }, env);
    // The stash touches the whole tree, where another owner reserved src/auth/**.
    assertEquals(decision, command.includes("stash") ? "deny" : "none", `${command}: ${reason}`);
  }
  const status = JSON.parse((await lokt(["status", "--json"], { cwd: dir, owner: "x" })).stdout);
  const reserved = status.reservations.map((r: { patterns: string[] }) => r.patterns[0]).sort();
  assertEquals(reserved, ["src/auth/**", "src/free.ts"]);
});

Deno.test("hook codex never lets a hard-to-read shell write through: 20,000 brace groups (which overflowed the stack: lokt failed open) or a 300 KB command writing a reserved file are denied", async () => {
  const { dir } = await reservedRepo();
  const commands = [
    // Past 64 brace groups: judged by the word's literal part (src/auth), which is reserved.
    `echo x > src/auth/${"{a,b}".repeat(20_000)}`,
    `rm ${"docs/x.md ".repeat(30_000)}src/auth/login.ts`,
  ];
  for (const command of commands) {
    const { decision, reason } = await decide("codex", dir, "Bash", { command });
    assertEquals(decision, "deny", command.slice(0, 60));
    assertMatch(reason, /src\/auth/);
  }
});

Deno.test("the shell reading and the session handlers are bundles of their own: a call that needs none never loads them; without the reading a writing command is refused, without the handlers a session's start fails without blocking", async () => {
  const { tmp, dir } = await reservedRepo();
  // A copy of the CLI whose shell bundle is missing.
  const copy = `${tmp}/cli`;
  await Deno.mkdir(`${copy}/gen`, { recursive: true });
  const root = new URL("..", import.meta.url).pathname;
  await Deno.copyFile(`${root}cli.ts`, `${copy}/cli.ts`);
  for (const entry of Deno.readDirSync(`${root}gen`)) {
    if (entry.name !== "shell.generated.js" && entry.name !== "sessions.generated.js") {
      await Deno.copyFile(`${root}gen/${entry.name}`, `${copy}/gen/${entry.name}`);
    }
  }
  const ask = async (command: string) => {
    const event = { session_id: "s", cwd: dir, hook_event_name: "PreToolUse", tool_name: "Bash" };
    const out = await lokt(["hook", "codex"], {
      stdin: JSON.stringify({ ...event, tool_input: { command } }),
      cwd: "/",
      cli: `${copy}/cli.ts`,
    });
    assertEquals(out.code, 0, out.stderr);
    return out.stdout === "" ? "none" : JSON.parse(out.stdout).hookSpecificOutput;
  };
  assertEquals(await ask("git status --short && npm test 2>&1 | tail"), "none");
  for (const command of ["echo x > docs/free.md", "rm src/auth/login.ts"]) {
    const answer = await ask(command);
    assertEquals(answer.permissionDecision, "deny", command);
    assertMatch(answer.permissionDecisionReason, /cannot tell whether/);
  }
  // A file tool's call needs neither: the reserved file is denied by reservation.
  const edit = await lokt(["hook", "claude"], {
    stdin: JSON.stringify({
      session_id: "s",
      cwd: dir,
      hook_event_name: "PreToolUse",
      tool_name: "Write",
      tool_input: { file_path: `${dir}/src/auth/login.ts`, content: "x" },
    }),
    cwd: "/",
    cli: `${copy}/cli.ts`,
  });
  assertMatch(JSON.parse(edit.stdout).hookSpecificOutput.permissionDecisionReason, /reserved by/);
  // A session's start without its handlers: lokt's own failure, one line, exit 1 (not blocking).
  const start = await lokt(["hook", "claude"], {
    stdin: JSON.stringify({ session_id: "s", cwd: dir, hook_event_name: "SessionStart" }),
    cwd: "/",
    cli: `${copy}/cli.ts`,
  });
  assertEquals([start.code, start.stdout], [1, ""]);
  assertEquals(start.stderr.trim().split("\n").length, 1, start.stderr);
});

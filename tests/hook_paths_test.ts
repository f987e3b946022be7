// A reserved file is never edited through another spelling of its path
// (docs/contract.md §15, §19): hooks decide on the real path — links, linked
// directories, '..', another spelling of the repository, /proc/self/cwd —
// find the repository from the target itself whatever the event's cwd, deny
// a path they cannot judge, and read every Codex patch header Codex applies.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { git, hookDecision as decide, listTree, lokt, tempDir } from "./_helpers.ts";

async function linkedRepo() {
  const tmp = await Deno.realPath(await tempDir());
  const dir = `${tmp}/repo`;
  await Deno.mkdir(`${dir}/src/auth`, { recursive: true });
  await git(dir, "init", "-q");
  await Deno.writeTextFile(`${dir}/src/auth/login.ts`, "x\n");
  await Deno.writeTextFile(`${dir}/src/free.ts`, "x\n");
  await Deno.symlink("auth/login.ts", `${dir}/src/link.ts`);
  await Deno.symlink("src/auth", `${dir}/authlink`);
  await Deno.symlink(dir, `${tmp}/repolink`);
  const reserved = await lokt(["reserve", "src/auth", "--reason", "refactor"], {
    cwd: dir,
    owner: "other",
  });
  assertEquals(reserved.code, 0, reserved.stderr);
  return { tmp, dir };
}

Deno.test("hook claude denies a Write of a reserved file through a link, a linked directory, '..', another spelling of the repository, /proc/self/cwd, or from a cwd outside it", async () => {
  const { tmp, dir } = await linkedRepo();
  const write = (cwd: string, file_path: string) =>
    decide("claude", cwd, "Write", { file_path, content: "y" });
  const cases: [string, string][] = [
    [dir, `${dir}/src/link.ts`],
    [dir, `${dir}/authlink/login.ts`],
    [dir, `${dir}/authlink/new-file.ts`],
    [dir, `${dir}/src/../src/auth/login.ts`],
    [dir, `${dir}/authlink/../auth/login.ts`],
    [dir, "src/link.ts"],
    [dir, "authlink/login.ts"],
    [`${tmp}/repolink`, `${dir}/src/auth/login.ts`],
    [dir, `${tmp}/repolink/src/auth/login.ts`],
    [`${tmp}/repolink/src`, "auth/login.ts"],
    [dir, "/proc/self/cwd/src/auth/login.ts"],
    [tmp, `${dir}/src/auth/login.ts`],
    ["/", `${dir}/src/auth/login.ts`],
    ["/", `${tmp}/repolink/authlink/login.ts`],
  ];
  for (const [cwd, path] of cases) {
    const { decision, reason } = await write(cwd, path);
    assertEquals(decision, "deny", `cwd ${cwd}, ${path}`);
    assertMatch(reason, /src\/auth/);
  }
  for (
    const [cwd, path] of [[dir, `${dir}/src/free.ts`], [dir, "docs/new.md"], [
      "/",
      `${tmp}/not-a-repo/x.ts`,
    ]]
  ) {
    assertEquals((await write(cwd as string, path as string)).decision, "none", path);
  }
  // Judging a path outside any repository created nothing there.
  assertEquals(await listTree(tmp).then((t) => t.filter((p) => p.includes(".lokt"))), []);
});

Deno.test("hook claude denies, with a reason, a path it cannot judge: control characters, overlong, another process's file descriptor", async () => {
  const { dir } = await linkedRepo();
  const long = `${dir}/src/${"d/".repeat(300)}x.ts`;
  for (const path of [`${dir}/src/a\u0007.ts`, `${dir}/src/a\u202e.ts`, long, "/proc/self/fd/3"]) {
    const { decision, reason } = await decide("claude", dir, "Edit", {
      file_path: path,
      old_string: "a",
      new_string: "b",
    });
    assertEquals(decision, "deny", path.slice(0, 80));
    assertMatch(reason, /cannot tell whether/);
  }
});

Deno.test("a file tool whose input names no path lokt can read is denied, never let through; a tool that writes no file passes", async () => {
  const { dir } = await linkedRepo();
  const unreadable: [string, "claude" | "codex", Record<string, unknown>][] = [
    ["Write", "claude", { file_path: ["src/auth/login.ts"], content: "y" }],
    ["Edit", "claude", { file_path: 7, old_string: "a", new_string: "b" }],
    ["MultiEdit", "claude", { edits: [] }],
    ["NotebookEdit", "claude", { file_path: "src/auth/login.ts", new_source: "y" }],
    ["apply_patch", "codex", { text: "*** Begin Patch\n*** Update File: src/auth/login.ts\n" }],
  ];
  for (const [tool, harness, input] of unreadable) {
    const { decision, reason } = await decide(harness, dir, tool, input);
    assertEquals(decision, "deny", tool);
    assertMatch(reason, new RegExp(`cannot tell whether the file of this ${tool} call`));
  }
  for (const tool of ["Read", "Bash", "Grep"]) {
    assertEquals((await decide("claude", dir, tool, { file_path: 7 })).decision, "none", tool);
  }
});

Deno.test("the git pre-commit hook refuses, naming it safely, a staged path it cannot judge; a plain staged path passes", async () => {
  const { dir } = await linkedRepo();
  await Deno.writeTextFile(`${dir}/src/free.ts`, "y\n");
  await git(dir, "add", "src/free.ts");
  const plain = await lokt(["hook", "git", "pre-commit"], { cwd: dir, owner: "me" });
  assertEquals(plain.code, 0, plain.stderr);
  await Deno.writeTextFile(`${dir}/src/bell\u0007\u001b[31m.ts`, "z\n");
  await git(dir, "add", "--", "src/bell\u0007\u001b[31m.ts");
  const refused = await lokt(["hook", "git", "pre-commit"], { cwd: dir, owner: "me" });
  assertEquals(refused.code, 1, refused.stderr);
  assertMatch(
    refused.stderr,
    /cannot judge the staged path src\/bell.*: it contains a control character/,
  );
  assertMatch(refused.stderr, /commit refused: lokt cannot tell whether these paths are reserved/);
  assert(
    !refused.stderr.includes("\u0007") && !refused.stderr.includes("\u001b"),
    "no control character reaches the terminal",
  );
});

Deno.test("hook codex reads every patch header Codex applies (and more): spacing (U+0085 and U+2028 too), case, CR line ends, a CR inside the path, the input key, the argv and heredoc forms", async () => {
  const { dir } = await linkedRepo();
  const body = "@@\n-x\n+y";
  const patches = [
    `*** Begin Patch\n*** Update File: src/auth/login.ts\n${body}\n*** End Patch`,
    `*** Begin Patch\n   *** Update File: src/auth/login.ts   \n${body}\n*** End Patch`,
    `*** Begin Patch\r\n*** Update File: src/auth/login.ts\r\n@@\r\n-x\r\n+y\r\n*** End Patch`,
    `*** Begin Patch\r***  Update File:src/auth/login.ts\r@@\r-x\r+y\r*** End Patch`,
    `*** Begin Patch\n*** update file: src/auth/login.ts\n${body}\n*** End Patch`,
    `*** Begin Patch\n*** Update File: src/free.ts\n*** Move to: authlink/moved.ts\n${body}\n*** End Patch`,
    `*** Begin Patch\n*** Delete File: src/link.ts\n*** End Patch`,
    `*** Begin Patch\n*** Add File: ${dir}/authlink/new.ts\n+x\n*** End Patch`,
    // Codex trims U+0085 and U+2028 as spaces, and keeps a lone `\r` inside a path.
    `*** Begin Patch\n\u0085*** Update File: src/auth/login.ts\n${body}\n*** End Patch`,
    `*** Begin Patch\n*** Update File: src/auth/login.ts\u2028\n${body}\n*** End Patch`,
    `*** Begin Patch\n*** Update File: \rsrc/auth/login.ts\n${body}\n*** End Patch`,
    `*** Begin Patch\n*** Add File: src/x\r/../auth/new.ts\n+x\n*** End Patch`,
  ];
  for (const patch of patches) {
    for (
      const input of [{ command: patch }, { input: patch }, { command: ["apply_patch", patch] }, {
        command: ["bash", "-lc", `apply_patch <<'EOF'\n${patch}\nEOF\n`],
      }]
    ) {
      const { decision } = await decide("codex", dir, "apply_patch", input);
      assertEquals(decision, "deny", `${JSON.stringify(input).slice(0, 140)}`);
    }
  }
  const free = `*** Begin Patch\n*** Update File: src/free.ts\n${body}\n*** End Patch`;
  assertEquals((await decide("codex", dir, "apply_patch", { input: free })).decision, "none");
});

Deno.test("check and reserve resolve links too, and take paths relative to the cwd: a link to a reserved file is reserved", async () => {
  const { dir } = await linkedRepo();
  for (
    const [cwd, path] of [
      [dir, "src/link.ts"],
      [dir, "authlink/login.ts"],
      [`${dir}/src`, "link.ts"],
      [`${dir}/src`, "auth/login.ts"],
      [`${dir}/src`, ":/authlink"],
    ]
  ) {
    const out = await lokt(["check", path as string], { cwd: cwd as string, owner: "me" });
    assertEquals(out.code, 2, `${cwd} ${path}: ${out.stdout}`);
  }
  assertEquals((await lokt(["check", "free.ts"], { cwd: `${dir}/src`, owner: "me" })).code, 0);
  const mine = await lokt(["reserve", "authlink/**", "--json"], { cwd: dir, owner: "me" });
  assertEquals(mine.code, 2, mine.stdout);
  const other = JSON.parse(
    (await lokt(["reserve", "authlink/*.md", "--json"], { cwd: dir, owner: "other" })).stdout,
  );
  assertEquals(other.reservations[0].patterns, ["src/auth/*.md"]);
  assert(true);
});

Deno.test("hook codex judges an apply_patch run by Codex's shell (Bash) like its patch tool: denies a reserved file, lokt's records and a patch it cannot see; other commands pass", async () => {
  const { dir } = await linkedRepo();
  const patch = (path: string) =>
    `*** Begin Patch\n*** Update File: ${path}\n@@\n-x\n+y\n*** End Patch`;
  const heredoc = (path: string, prefix = "") =>
    `${prefix}apply_patch <<'EOF'\n${patch(path)}\nEOF`;
  const shell = (command: unknown) => decide("codex", dir, "Bash", { command });
  const reserved: unknown[] = [
    heredoc("src/auth/login.ts"),
    heredoc("auth/login.ts", "cd src && "),
    heredoc("login.ts", "cd 'src/auth' && "),
    heredoc("src/link.ts"),
    heredoc("authlink/login.ts"),
    `applypatch <<EOF\n${patch("src/auth/login.ts")}\nEOF\n`,
    // A shell joins a `\`-newline in an unquoted heredoc: the header it splits is read joined.
    `true && apply_patch <<EOF\n${patch("src/au\\\nth/login.ts")}\nEOF\n`,
    `printf '%s' '${patch("src/auth/login.ts")}' | apply_patch`,
    `bash -lc "${heredoc("src/auth/login.ts")}"`,
    ["bash", "-lc", heredoc("auth/login.ts", "cd src && ")],
    ["apply_patch", patch("src/auth/login.ts")],
  ];
  for (const command of reserved) {
    const { decision, reason } = await shell(command);
    assertEquals(decision, "deny", JSON.stringify(command));
    assertMatch(reason, /src\/auth\/login\.ts is reserved by another agent/);
    assert(!reason.includes("--force"), reason);
  }
  const records = await shell(heredoc(".git/lokt/reservations/_index.json"));
  assertEquals(records.decision, "deny");
  assertMatch(records.reason, /in lokt's own records/);
  for (
    const command of [
      "apply_patch < change.patch",
      "cat change.patch | apply_patch",
      heredoc("login.ts", "cd src/auth; "),
      heredoc("login.ts", 'cd "$AUTH" && '),
    ]
  ) {
    const { decision, reason } = await shell(command);
    assertEquals(decision, "deny", command);
    assertMatch(reason, /runs apply_patch, but lokt cannot tell which files it writes/);
    assertMatch(reason, /apply_patch <<'EOF'/);
  }
  for (
    const command of [
      "ls -la src",
      "grep -rn apply_patch src",
      "git status",
      heredoc("src/free.ts"),
      heredoc("free.ts", "cd src && "),
    ]
  ) {
    assertEquals((await shell(command)).decision, "none", command);
  }
  // Claude Code's Bash, if a person's settings send it to lokt, is judged the same way.
  assertEquals((await decide("claude", dir, "Bash", { command: reserved[0] })).decision, "deny");
  assertEquals(await Deno.readTextFile(`${dir}/src/auth/login.ts`), "x\n");
});

Deno.test("hook claude judges MCP servers' file tools (write_file, edit_file, move_file, edit_block) like its own: a reserved target is denied, a free one passes, a read passes", async () => {
  const { dir } = await linkedRepo();
  const mcp = (tool: string, input: Record<string, unknown>) =>
    decide("claude", dir, `mcp__filesystem__${tool}`, input);
  const denied: [string, Record<string, unknown>][] = [
    ["write_file", { path: `${dir}/src/auth/login.ts`, content: "y" }],
    ["write_file", { path: "src/link.ts", content: "y" }],
    ["edit_file", { path: "authlink/login.ts", edits: [] }],
    ["move_file", { source: "src/free.ts", destination: "src/auth/new.ts" }],
    ["move_file", { source: "src/auth/login.ts", destination: "src/moved.ts" }],
    ["edit_block", { file_path: "src/auth/login.ts", old_string: "x", new_string: "y" }],
  ];
  for (const [tool, input] of denied) {
    const { decision, reason } = await mcp(tool, input);
    assertEquals(decision, "deny", `${tool} ${JSON.stringify(input)}`);
    assertMatch(reason, /src\/auth/);
  }
  const unreadable = await mcp("write_file", { path: 7, content: "y" });
  assertEquals(unreadable.decision, "deny");
  assertMatch(
    unreadable.reason,
    /cannot tell whether the file of this mcp__filesystem__write_file/,
  );
  for (
    const [tool, input] of [
      ["write_file", { path: "src/free.ts", content: "y" }],
      ["move_file", { source: "src/free.ts", destination: "docs/free.ts" }],
      ["read_file", { path: "src/auth/login.ts" }],
      ["list_directory", { path: "src/auth" }],
    ] as [string, Record<string, unknown>][]
  ) {
    assertEquals((await mcp(tool, input)).decision, "none", `${tool} ${JSON.stringify(input)}`);
  }
  const lokts = await decide("claude", dir, "mcp__lokt__lokt_status", { name: "x" });
  assertEquals(lokts.decision, "none");
  assertEquals(await Deno.readTextFile(`${dir}/src/auth/login.ts`), "x\n");
});

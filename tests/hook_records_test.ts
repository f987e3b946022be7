// lokt's own records are changed only through lokt (docs/agents.md): a file
// tool's edit of anything in a lokt root — a lock or reservation record, the
// audit trail, a forged new record, the root itself — is denied, whatever
// spelling reaches it (a link, '..', a linked root, another cwd), in both
// harnesses; lokt.jsonc and the rest of .git stay the project's.
import { assertEquals, assertMatch } from "./_assert.ts";
import { git, hookDecision as decide, lokt, tempDir } from "./_helpers.ts";

/** A repository with another owner's lock, reservation and audit trail. */
async function heldRepo() {
  const tmp = await Deno.realPath(await tempDir());
  const dir = `${tmp}/repo`;
  await Deno.mkdir(`${dir}/src`, { recursive: true });
  await git(dir, "init", "-q");
  await Deno.writeTextFile(`${dir}/src/free.ts`, "x\n");
  await Deno.writeTextFile(`${dir}/lokt.jsonc`, "{}\n");
  for (const args of [["lock", "build", "--ttl", "1h"], ["reserve", "docs", "--ttl", "1h"]]) {
    const out = await lokt(args, { cwd: dir, owner: "other" });
    assertEquals(out.code, 0, out.stderr);
  }
  await Deno.symlink(".git/lokt", `${dir}/statelink`);
  return { tmp, dir, root: `${dir}/.git/lokt` };
}

/** The bytes of the records an agent would tamper with. */
async function records(root: string) {
  const read = (p: string) => Deno.readTextFile(`${root}/${p}`);
  return [await read("locks/build.json"), await read("reservations/_index.json")];
}

Deno.test("hook claude denies a file tool's edit of lokt's own records, by any spelling, and changes none of them", async () => {
  const { tmp, dir, root } = await heldRepo();
  const before = await records(root);
  const cases: [string, string, string][] = [
    [dir, "Write", `${root}/locks/build.json`],
    [dir, "Edit", `${root}/reservations/_index.json`],
    [dir, "MultiEdit", `${root}/audit.jsonl`],
    [dir, "Write", `${root}/locks/forged.json`],
    [dir, "Write", root],
    [dir, "Write", ".git/lokt/locks/build.json"],
    [`${dir}/src`, "Write", "../.git/lokt/locks/build.json"],
    [dir, "Write", "statelink/locks/build.json"],
    [dir, "Write", `${dir}/src/../.git/lokt/audit.jsonl`],
    ["/", "Write", `${root}/locks/build.json`],
    [tmp, "NotebookEdit", `${root}/locks/notes.ipynb`],
  ];
  for (const [cwd, tool, path] of cases) {
    const input = tool === "NotebookEdit"
      ? { notebook_path: path, new_source: "y" }
      : { file_path: path, content: "{}", old_string: "a", new_string: "b", edits: [] };
    const { decision, reason } = await decide("claude", cwd, tool, input);
    assertEquals(decision, "deny", `${tool} ${path} from ${cwd}`);
    assertMatch(reason, /is in lokt's own records \(.*\.git\/lokt\), which only lokt's commands/);
    assertMatch(reason, /'lokt unlock NAME' or 'lokt release PATTERN', or ask a person\.$/);
  }
  // The project's own files, .git included, stay the agent's to edit.
  for (const path of [`${dir}/lokt.jsonc`, `${dir}/.git/config`, `${dir}/src/free.ts`]) {
    assertEquals((await decide("claude", dir, "Write", { file_path: path })).decision, "none");
  }
  assertEquals(await records(root), before);
});

Deno.test("hook codex denies a patch that adds, updates or deletes a file in lokt's records", async () => {
  const { dir } = await heldRepo();
  const patches = [
    "*** Begin Patch\n*** Delete File: .git/lokt/locks/build.json\n*** End Patch\n",
    "*** Begin Patch\n*** Add File: .git/lokt/locks/forged.json\n+{}\n*** End Patch\n",
    "*** Begin Patch\n*** Update File: src/free.ts\n@@\n-x\n+y\n*** Move to: statelink/locks/x.json\n*** End Patch\n",
  ];
  for (const patch of patches) {
    const { decision, reason } = await decide("codex", dir, "apply_patch", { input: patch });
    assertEquals(decision, "deny", patch);
    assertMatch(reason, /lokt's own records/);
  }
  const free = "*** Begin Patch\n*** Update File: src/free.ts\n@@\n-x\n+y\n*** End Patch\n";
  assertEquals((await decide("codex", dir, "apply_patch", { input: free })).decision, "none");
});

Deno.test("lokt's records are protected where the root is a link out of the repository, a submodule's, a .lokt directory or LOKT_ROOT; files beside them in a shared LOKT_ROOT are not", async () => {
  const tmp = await Deno.realPath(await tempDir());
  // .git/lokt -> elsewhere: the records really live outside the repository.
  const linked = `${tmp}/linked`;
  await Deno.mkdir(`${tmp}/elsewhere`);
  await git(tmp, "init", "-q", linked);
  await Deno.symlink(`${tmp}/elsewhere`, `${linked}/.git/lokt`);
  const held = await lokt(["lock", "build"], { cwd: linked, owner: "other" });
  assertEquals(held.code, 0, held.stderr);
  const both = [`${tmp}/elsewhere/locks/build.json`, `${linked}/.git/lokt/locks/build.json`];
  for (const path of both) {
    const { decision, reason } = await decide("claude", linked, "Write", { file_path: path });
    assertEquals(decision, "deny", path);
    assertMatch(reason, new RegExp(`own records \\(${tmp}/elsewhere\\)`));
  }
  // A submodule's root, inside the superproject's .git, where no worktree walk finds it.
  const sub = `${linked}/.git/modules/sub`;
  await git(tmp, "init", "-q", "--bare", sub);
  await Deno.mkdir(`${sub}/lokt/locks`, { recursive: true });
  const inSub = await decide("claude", linked, "Write", { file_path: `${sub}/lokt/locks/x.json` });
  assertEquals(inSub.decision, "deny");
  assertMatch(inSub.reason, /own records \(.*\/modules\/sub\/lokt\)/);
  // A project directory that happens to be called lokt is the project's.
  await Deno.mkdir(`${tmp}/lokt/locks`, { recursive: true });
  assertEquals(
    (await decide("claude", linked, "Write", { file_path: `${tmp}/lokt/locks/x.json` })).decision,
    "none",
  );
  // A .lokt directory outside any repository.
  const plain = `${tmp}/plain`;
  await Deno.mkdir(`${plain}/.lokt`, { recursive: true });
  const dot = await decide("claude", plain, "Write", { file_path: `${plain}/.lokt/locks/x.json` });
  assertEquals(dot.decision, "deny");
  assertMatch(dot.reason, /own records \(.*\/plain\/\.lokt\)/);
  // A root named by LOKT_ROOT, wherever it is.
  const shared = `${tmp}/shared-root`;
  await Deno.mkdir(shared);
  const env = { LOKT_ROOT: shared };
  const named = await decide("claude", plain, "Edit", { file_path: `${shared}/audit.jsonl` }, env);
  assertEquals(named.decision, "deny");
  assertMatch(named.reason, /own records \(.*\/shared-root\)/);
  assertEquals(
    (await decide("claude", plain, "Write", { file_path: `${plain}/notes.md` }, env)).decision,
    "none",
  );
  // A LOKT_ROOT that holds other files too: only lokt's entries in it are its records.
  const wide = { LOKT_ROOT: plain };
  const write = (path: string) => decide("claude", plain, "Write", { file_path: path }, wide);
  for (const entry of ["locks/x.json", "audit.jsonl", "audit.jsonl.2", "sessions/1.json"]) {
    assertEquals((await write(`${plain}/${entry}`)).decision, "deny", entry);
  }
  for (const other of ["notes.md", "lockset/x.json", "audit.jsonl.bak", "src/a.ts"]) {
    assertEquals((await write(`${plain}/${other}`)).decision, "none", other);
  }
});

Deno.test("hook codex denies a shell command that writes lokt's records by name (rm, a redirection, tee, sed -i, rm -rf of the root); reading them and lokt's own commands pass", async () => {
  const { dir, root } = await heldRepo();
  const before = await records(root);
  const shell = (command: string) => decide("codex", dir, "Bash", { command });
  for (
    const command of [
      "rm -f .git/lokt/locks/build.json",
      "rm -rf .git/lokt",
      "rm -rf .git/lokt/*",
      "echo '{}' > .git/lokt/reservations/_index.json",
      `printf x >>${root}/audit.jsonl`,
      "cat /dev/null | tee .git/lokt/locks/build.json",
      "sed -i s/other/me/ '.git/lokt/locks/build.json'",
      "find .git/lokt -name '*.json' -delete",
      "find . -name '*.json' -delete",
      "cd src && find .. -iname 'BUILD.JSON' -exec rm {} +",
      "ls && mv .git/lokt/reservations/_index.json /tmp/x",
    ]
  ) {
    const { decision, reason } = await shell(command);
    assertEquals(decision, "deny", command);
    assertMatch(reason, /is in lokt's own records .* 'lokt status'/);
    assertEquals(reason.includes("--force"), false, reason);
  }
  for (
    const command of [
      "cat .git/lokt/audit.jsonl | tail -3",
      "ls -la .git/lokt/locks",
      "jq .owner .git/lokt/locks/build.json",
      "lokt status --json",
      "lokt unlock build",
      "rm -rf src/lokt",
      "git status",
    ]
  ) {
    assertEquals((await shell(command)).decision, "none", command);
  }
  assertEquals(await records(root), before);
});

Deno.test("hook codex denies a shell command that removes or moves a directory holding lokt's records (.git, the root's parent, through a link, the top or above by rm, find -delete, chmod); whole-tree commands and other directories pass", async () => {
  const { tmp, dir, root } = await heldRepo();
  const before = await records(root);
  await Deno.mkdir(`${dir}/build/out`, { recursive: true });
  await Deno.symlink(`${dir}/.git`, `${dir}/gitlink`);
  // `~` is above the repository here.
  const shell = (command: string) => decide("codex", dir, "Bash", { command }, { HOME: tmp });
  for (
    const command of [
      "rm -rf .git",
      "rm -rf .git/",
      "mv .git /tmp/elsewhere",
      "find .git -delete",
      "rm -rf .git/lokt/..",
      "cd src && rm -rf ../.git",
      "rm -rf gitlink/",
      `rm -rf ${dir}/.git`,
      // The top itself, or above it: these act on .git too (git's whole-tree commands do not).
      'rm -rf "$PWD"',
      "cd src && chmod -R 000 `pwd`/..",
      'cd src && rm -rf "$(git rev-parse --show-toplevel)"',
      `rm -rf ${dir}/`,
      "cd src && rm -rf ~",
      "find . -delete",
      "cd src && find .. -type f -delete",
      "chmod -R 000 .",
    ]
  ) {
    const { decision, reason } = await shell(command);
    assertEquals(decision, "deny", command);
    assertMatch(reason, /holds lokt's own records .*'lokt status'/);
    assertEquals(reason.includes("--force"), false, reason);
  }
  for (
    const command of [
      "rm -rf build",
      "rm -rf build/out",
      "rm -rf .git/hooks/pre-commit.sample",
    ]
  ) {
    assertEquals((await shell(command)).decision, "none", command);
  }
  // The whole tree's commands leave .git be: never denied for holding the records (here
  // they are denied for other reasons: a link into the records, another owner's reservation).
  for (const command of ["git stash", "deno fmt", "git clean -fdx", "prettier --write ."]) {
    const { reason } = await shell(command);
    assertEquals(reason.includes("holds lokt's own records"), false, `${command}: ${reason}`);
  }
  assertEquals(await records(root), before);
});

Deno.test("hook codex and a Bash routed to hook claude deny lokt run with --force (break-glass is a person's); --break-stale, guard's command's own --force and lokt's other commands pass", async () => {
  const { dir, root } = await heldRepo();
  const before = await records(root);
  for (const [harness, tool] of [["codex", "Bash"], ["claude", "Bash"]] as const) {
    const shell = (command: string) => decide(harness, dir, tool, { command });
    for (
      const command of [
        "lokt unlock build --force",
        "lokt release --owner other --force",
        "cd src && lokt unfreeze deploy --force --json",
        "lokt status; LOKT_OWNER=me lokt unlock build '--force'",
      ]
    ) {
      const { decision, reason } = await shell(command);
      assertEquals(decision, "deny", `${harness}: ${command}`);
      assertMatch(reason, /a person's break-glass, never an agent's\. .*'lokt why NAME'/);
      assertEquals(reason.includes("--force"), false, reason);
    }
    for (
      const command of [
        "lokt unlock build --break-stale",
        "lokt guard push --wait -- git push --force",
        "git push --force",
        "echo 'never: lokt unlock build --force'",
      ]
    ) {
      assertEquals((await shell(command)).decision, "none", `${harness}: ${command}`);
    }
  }
  assertEquals(await records(root), before);
});

Deno.test("hook codex and a Bash routed to hook claude deny a shell command that acts as another owner (LOKT_OWNER=…); the session's own owner, and the word only shown, pass", async () => {
  const { dir, root } = await heldRepo();
  const before = await records(root);
  for (const harness of ["codex", "claude"] as const) {
    const shell = (command: string) => decide(harness, dir, "Bash", { command });
    let session = "";
    for (
      const command of [
        "LOKT_OWNER=other lokt release --all",
        "export LOKT_OWNER='other'; lokt unlock build",
        "env LOKT_OWNER=other lokt unlock build",
        "cd src && LOKT_OWNER=agent-1 lokt reserve docs",
      ]
    ) {
      const { decision, reason } = await shell(command);
      assertEquals(decision, "deny", `${harness}: ${command}`);
      const said = /but this session acts as (\S+?):/.exec(reason);
      assertMatch(reason, /sets LOKT_OWNER to (other|agent-1), but this session acts as /);
      assertEquals(reason.includes("--force"), false, reason);
      session = said?.[1] ?? "";
    }
    assertMatch(session, new RegExp(`^${harness}-[0-9a-z]{12}$`));
    for (
      const command of [
        `LOKT_OWNER=${session} lokt status`,
        "LOKT_OWNER=$LOKT_OWNER lokt unlock build",
        "echo LOKT_OWNER=other",
        "lokt status",
      ]
    ) {
      assertEquals((await shell(command)).decision, "none", `${harness}: ${command}`);
    }
  }
  assertEquals(await records(root), before);
});

// A hard link is the same file under another name (docs/contract.md §19):
// an edit through it changes the reserved file, so the hooks, `check` and the
// git pre-commit hook judge a file's other names with it — found where other
// owners' reservations can match, refused when there is too much to search.
import { assertEquals, assertMatch } from "./_assert.ts";
import { git, lokt, tempDir } from "./_helpers.ts";

/** A repository where `src/auth/**` is reserved by `other` and `src/alias.ts` is a hard link of its login.ts. */
async function hardLinkedRepo(config?: string) {
  const dir = `${await Deno.realPath(await tempDir())}/repo`;
  await Deno.mkdir(`${dir}/src/auth`, { recursive: true });
  await Deno.mkdir(`${dir}/vendor`, { recursive: true });
  await git(dir, "init", "-q");
  if (config) await Deno.writeTextFile(`${dir}/lokt.jsonc`, config);
  await Deno.writeTextFile(`${dir}/src/auth/login.ts`, "x\n");
  await Deno.link(`${dir}/src/auth/login.ts`, `${dir}/src/alias.ts`);
  // Linked to each other, outside any reservation: nothing to refuse.
  await Deno.writeTextFile(`${dir}/vendor/a.ts`, "x\n");
  await Deno.link(`${dir}/vendor/a.ts`, `${dir}/vendor/b.ts`);
  const reserved = await lokt(["reserve", "src/auth", "--reason", "refactor"], {
    cwd: dir,
    owner: "other",
  });
  assertEquals(reserved.code, 0, reserved.stderr);
  return dir;
}

async function write(harness: "claude" | "codex", dir: string, file: string) {
  const event = harness === "claude"
    ? {
      session_id: "sess-hardlink-0001",
      cwd: dir,
      hook_event_name: "PreToolUse",
      tool_name: "Write",
      tool_input: { file_path: `${dir}/${file}`, content: "y" },
    }
    : {
      session_id: "sess-hardlink-0001",
      cwd: dir,
      hook_event_name: "PreToolUse",
      tool_name: "apply_patch",
      tool_input: {
        command: `*** Begin Patch\n*** Update File: ${file}\n@@\n-x\n+y\n*** End Patch\n`,
      },
    };
  const out = await lokt(["hook", harness], { stdin: JSON.stringify(event), cwd: "/" });
  assertEquals(out.code, 0, out.stderr);
  if (out.stdout === "") return { decision: "none", reason: "" };
  const answer = JSON.parse(out.stdout).hookSpecificOutput;
  return { decision: answer.permissionDecision as string, reason: answer.permissionDecisionReason };
}

Deno.test("hooks deny an edit of a hard link of a reserved file, naming both names; a hard link outside every reservation passes", async () => {
  const dir = await hardLinkedRepo();
  for (const harness of ["claude", "codex"] as const) {
    const denied = await write(harness, dir, "src/alias.ts");
    assertEquals(denied.decision, "deny", harness);
    assertMatch(
      denied.reason,
      /src\/alias\.ts is the same file \(a hard link\) as src\/auth\/login\.ts/,
    );
    assertMatch(denied.reason, /reserved by another agent: "src\/auth" \(exclusive\) by other/);
    const free = await write(harness, dir, "vendor/b.ts");
    assertEquals(free.decision, "none", `${harness}: ${free.reason}`);
  }
});

Deno.test("with reserve_on_edit, a hard link of a reserved file is refused and nothing is taken; a file reserved by an edit is guarded under its other names too", async () => {
  const dir = await hardLinkedRepo('{ "agents": { "reserve_on_edit": "30m" } }');
  const denied = await write("claude", dir, "src/alias.ts");
  assertEquals(denied.decision, "deny");
  assertMatch(
    denied.reason,
    /src\/alias\.ts is the same file \(a hard link\) as src\/auth\/login\.ts/,
  );
  const status = await lokt(["status", "--json"], { cwd: dir, owner: "me" });
  const patterns = (JSON.parse(status.stdout).reservations as { patterns: string[] }[])
    .flatMap((r) => r.patterns);
  assertEquals(patterns, ["src/auth"]);
  // Claude's edit reserves vendor/b.ts; Codex's edit of vendor/a.ts is the same file.
  assertEquals((await write("claude", dir, "vendor/b.ts")).decision, "none");
  const second = await write("codex", dir, "vendor/a.ts");
  assertEquals(second.decision, "deny");
  assertMatch(second.reason, /vendor\/a\.ts is the same file \(a hard link\) as vendor\/b\.ts/);
});

Deno.test("check names the reserved file a hard link is the same file as; the owner of the reservation is not in its own way", async () => {
  const dir = await hardLinkedRepo();
  const held = await lokt(["check", "src/alias.ts"], { cwd: dir, owner: "me" });
  assertEquals(held.code, 2, held.stderr);
  assertMatch(held.stdout, /the same file as src\/alias\.ts: a hard link/);
  const json = await lokt(["check", "src/alias.ts", "--json"], { cwd: dir, owner: "me" });
  const conflict = JSON.parse(json.stdout).conflicts[0];
  assertEquals(conflict.path, "src/auth/login.ts");
  assertEquals(conflict.same_file_as, "src/alias.ts");
  const own = await lokt(["check", "src/alias.ts"], { cwd: dir, owner: "other" });
  assertEquals(own.code, 0, own.stdout);
});

Deno.test("the git pre-commit hook refuses a staged hard link of a file another owner reserved", async () => {
  const dir = await hardLinkedRepo();
  await git(dir, "add", "src/alias.ts", "vendor/a.ts", "vendor/b.ts");
  const refused = await lokt(["hook", "git", "pre-commit"], { cwd: dir, owner: "me" });
  assertEquals(refused.code, 1, refused.stderr);
  assertMatch(refused.stderr, /src\/auth/);
  await git(dir, "reset", "-q", "src/alias.ts");
  const plain = await lokt(["hook", "git", "pre-commit"], { cwd: dir, owner: "me" });
  assertEquals(plain.code, 0, plain.stderr);
});

Deno.test("a hard-linked file whose other names cannot all be looked for is refused, never let through", async () => {
  const dir = await hardLinkedRepo();
  // Another owner reserves a tree larger than the search may read (20,000 entries).
  await Deno.mkdir(`${dir}/big`);
  for (let i = 0; i <= 20_000; i++) Deno.writeFileSync(`${dir}/big/f${i}`, new Uint8Array());
  const reserved = await lokt(["reserve", "big"], { cwd: dir, owner: "other" });
  assertEquals(reserved.code, 0, reserved.stderr);
  const refused = await write("claude", dir, "vendor/b.ts");
  assertEquals(refused.decision, "deny");
  assertMatch(refused.reason, /cannot tell whether .*vendor\/b\.ts.* other names \(hard links\)/);
  const check = await lokt(["check", "vendor/b.ts"], { cwd: dir, owner: "me" });
  assertEquals(check.code, 1, check.stdout);
  assertMatch(check.stderr, /cannot tell whether another name \(a hard link\)/);
  // A file with one name is judged as always: no search, no refusal.
  await Deno.writeTextFile(`${dir}/vendor/one.ts`, "x\n");
  assertEquals((await write("claude", dir, "vendor/one.ts")).decision, "none");
});

Deno.test("the library's checkPaths judges a hard link's other names and says which file it is", async () => {
  const dir = await hardLinkedRepo();
  const { checkPaths } = await import("../mod.ts");
  const root = `${dir}/.git/lokt`;
  const answer = await checkPaths("src/alias.ts", { root, owner: "me", cwd: dir });
  assertEquals(answer.allowed, false);
  assertEquals(answer.conflicts[0]?.pattern, "src/auth/login.ts");
  assertEquals(answer.conflicts[0]?.sameFileAs, "src/alias.ts");
  assertEquals((await checkPaths("vendor/b.ts", { root, owner: "me", cwd: dir })).allowed, true);
});

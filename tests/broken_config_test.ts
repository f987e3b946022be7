// A broken lokt.jsonc never blocks giving back or looking (docs/contract.md
// §11): unlock, release, status, why, unlock --mine, the hooks and the git
// pre-commit hook go on with the defaults and a warning naming file and line;
// taking (lock, reserve) is refused; a broken file that may name the backend
// is refused even for giving back, unless LOKT_BACKEND says which store.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { git, lokt, tempDir } from "./_helpers.ts";

async function repoWithHolds() {
  const dir = await Deno.realPath(await tempDir());
  await git(dir, "init", "-q");
  await git(dir, "config", "user.email", "t@example.com");
  await git(dir, "config", "user.name", "t");
  for (
    const args of [["lock", "tag", "--ttl", "30m"], ["lock", "db", "--ttl", "30m"], [
      "reserve",
      "src",
      "--ttl",
      "30m",
    ]]
  ) {
    assertEquals((await lokt(args, { cwd: dir, owner: "me" })).code, 0);
  }
  return dir;
}

Deno.test("a broken lokt.jsonc: giving back and looking go on with a warning naming file and line; taking is refused", async () => {
  const dir = await repoWithHolds();
  await Deno.writeTextFile(`${dir}/lokt.jsonc`, "{\n  broken");
  const as = (args: string[]) => lokt(args, { cwd: dir, owner: "me" });
  for (
    const args of [
      ["status"],
      ["why", "tag"],
      ["exists", "tag"],
      ["audit", "--limit", "1"],
      ["unlock", "tag"],
      ["release", "src"],
      ["unlock", "--mine"],
    ]
  ) {
    const out = await as(args);
    assertEquals(out.code, 0, `${args.join(" ")}: ${out.stderr}`);
    assertMatch(
      out.stderr,
      new RegExp(`warning: Invalid config ${dir}/lokt\\.jsonc:\\d+`),
      args.join(" "),
    );
  }
  const status = JSON.parse((await as(["status", "--json"])).stdout);
  assertEquals([status.locks, status.reservations], [[], []]);
  for (const args of [["lock", "x"], ["reserve", "docs"]]) {
    const out = await as(args);
    assertEquals(out.code, 1, args.join(" "));
    assertMatch(out.stderr, /Invalid config/);
  }
});

Deno.test("a broken lokt.jsonc: the hooks and the git pre-commit hook follow the same rule (another owner's reservation still refuses)", async () => {
  const dir = await repoWithHolds();
  await Deno.mkdir(`${dir}/src`);
  await Deno.writeTextFile(`${dir}/src/a.ts`, "x\n");
  await Deno.writeTextFile(`${dir}/lokt.jsonc`, "{ broken");
  const event = JSON.stringify({
    session_id: "sess-other-0001",
    cwd: dir,
    hook_event_name: "PreToolUse",
    tool_name: "Write",
    tool_input: { file_path: `${dir}/src/a.ts`, content: "y" },
  });
  const hook = await lokt(["hook", "claude"], { stdin: event, cwd: dir });
  assertEquals(hook.code, 0, hook.stderr);
  assertEquals(JSON.parse(hook.stdout).hookSpecificOutput.permissionDecision, "deny");
  await git(dir, "add", "src/a.ts");
  const other = await lokt(["hook", "git", "pre-commit"], { cwd: dir, owner: "other" });
  assertEquals(other.code, 1, other.stdout + other.stderr);
  assertMatch(other.stdout + other.stderr, /src\/a\.ts/);
  const mine = await lokt(["hook", "git", "pre-commit"], { cwd: dir, owner: "me" });
  assertEquals(mine.code, 0, mine.stderr);
});

Deno.test("a broken lokt.jsonc that may name the backend refuses even giving back, unless LOKT_BACKEND names the store", async () => {
  const dir = await repoWithHolds();
  await Deno.writeTextFile(`${dir}/lokt.jsonc`, '{ "backend": "redis://127.0.0.1:1" ');
  const refused = await lokt(["unlock", "tag"], { cwd: dir, owner: "me" });
  assertEquals(refused.code, 1);
  assertMatch(refused.stderr, /may name the backend.*LOKT_BACKEND/);
  assertEquals(refused.stderr.trim().split("\n").length, 1);
  const given = await lokt(["unlock", "tag"], {
    cwd: dir,
    owner: "me",
    env: { LOKT_BACKEND: "file" },
  });
  assertEquals(given.code, 0, given.stderr);
  assert(!given.stdout.includes("error"));
});

// Root discovery against real git repositories (SPEC §2, [W18]).
import { assertEquals } from "./_assert.ts";
import { findRoot } from "../lib/sys/root.ts";
import { git, lokt, tempDir } from "./_helpers.ts";

async function repoWithWorktree() {
  const dir = await Deno.realPath(await tempDir());
  const repo = `${dir}/repo`;
  await Deno.mkdir(`${repo}/src/deep`, { recursive: true });
  await git(repo, "init", "-q");
  await Deno.writeTextFile(`${repo}/README`, "x");
  await git(repo, "add", ".");
  await git(repo, "commit", "-q", "-m", "init");
  await git(repo, "worktree", "add", "-q", `${dir}/wt`, "-b", "feature");
  return { dir, repo, worktree: `${dir}/wt` };
}

Deno.test("findRoot() uses <git common dir>/lokt from the repo, a subdirectory and a linked worktree", async () => {
  const { dir, repo, worktree } = await repoWithWorktree();
  const expected = `${repo}/.git/lokt`;
  assertEquals(findRoot({ cwd: repo, envRoot: null }).root, expected);
  assertEquals(findRoot({ cwd: `${repo}/src/deep`, envRoot: null }).root, expected);
  const fromWorktree = findRoot({ cwd: worktree, envRoot: null });
  assertEquals(fromWorktree.root, expected);
  assertEquals(fromWorktree.source, "git");
  assertEquals(fromWorktree.repo, worktree);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("findRoot() falls back to <cwd>/.lokt outside a repository and honours LOKT_ROOT", async () => {
  const dir = await Deno.realPath(await tempDir());
  assertEquals(findRoot({ cwd: dir, envRoot: null }), {
    root: `${dir}/.lokt`,
    source: "cwd",
    repo: null,
    gitCommonDir: null,
  });
  assertEquals(findRoot({ cwd: dir, envRoot: "rel/x" }).root, `${dir}/rel/x`);
  assertEquals(findRoot({ cwd: dir, envRoot: "/abs/y" }).source, "env");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("two owners see each other's locks from the root, a subdirectory and a linked worktree", async () => {
  const { dir, repo, worktree } = await repoWithWorktree();
  const held = await lokt(["lock", "build", "--ttl", "5m"], {
    cwd: `${repo}/src`,
    owner: "shell-1",
  });
  assertEquals(held.code, 0, held.stderr);
  for (const cwd of [repo, `${repo}/src/deep`, worktree]) {
    const denied = await lokt(["lock", "build"], { cwd, owner: "shell-2" });
    assertEquals(denied.code, 2, `${cwd}: ${denied.stderr}`);
    assertEquals(denied.stderr.includes("shell-1"), true);
    const status = JSON.parse((await lokt(["status", "--json"], { cwd, owner: "shell-2" })).stdout);
    assertEquals(status.root, `${repo}/.git/lokt`);
    assertEquals(status.locks[0].owner, "shell-1");
  }
  // Outside any repository the root is <cwd>/.lokt and starts empty.
  const outside = await lokt(["status", "--json"], { cwd: dir, owner: "shell-2" });
  assertEquals(JSON.parse(outside.stdout).locks, []);
  await Deno.remove(dir, { recursive: true });
});

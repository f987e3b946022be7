// Root discovery against real git repositories (docs/contract.md §2, [W18]).
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

Deno.test("outside a repository, the nearest .lokt above is the namespace; creating a new one says so", async () => {
  const dir = await Deno.realPath(await tempDir());
  await Deno.mkdir(`${dir}/nogit/sub/deeper`, { recursive: true });
  const first = await lokt(["lock", "x", "--ttl", "5m"], { cwd: `${dir}/nogit`, owner: "a" });
  assertEquals(first.code, 0, first.stderr);
  assertEquals(
    first.stderr,
    `note: created ${dir}/nogit/.lokt (not in a git repository, no .lokt above): lokt calls from ${dir}/nogit and below share it\n`,
  );
  // From a subdirectory: the same namespace, nothing new created, nothing said.
  const denied = await lokt(["lock", "x"], { cwd: `${dir}/nogit/sub/deeper`, owner: "b" });
  assertEquals(denied.code, 2, denied.stderr);
  assertEquals(denied.stderr.includes("held by a"), true);
  assertEquals(denied.stderr.includes("note:"), false);
  assertEquals(findRoot({ cwd: `${dir}/nogit/sub`, envRoot: null }).source, "dotlokt");
  const whoami = JSON.parse(
    (await lokt(["whoami", "--json"], { cwd: `${dir}/nogit/sub`, owner: "b" })).stdout,
  );
  assertEquals([whoami.root, whoami.root_source], [`${dir}/nogit/.lokt`, "dotlokt"]);
  for (const sub of ["sub", "sub/deeper"]) {
    let exists = true;
    try {
      await Deno.stat(`${dir}/nogit/${sub}/.lokt`);
    } catch {
      exists = false;
    }
    assertEquals(exists, false, sub);
  }
  // lokt.jsonc sits beside the .lokt in use.
  await Deno.writeTextFile(`${dir}/nogit/lokt.jsonc`, '{ "locks": { "y": { "ttl": "2m" } } }');
  const y = await lokt(["lock", "y", "--json"], { cwd: `${dir}/nogit/sub`, owner: "b" });
  assertEquals(JSON.parse(y.stdout).lock.ttl_ms, 120_000);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("LOKT_CEILING_DIRECTORIES stops the walk up: a .lokt or a repository above the ceiling is not used", async () => {
  const dir = await Deno.realPath(await tempDir());
  await Deno.mkdir(`${dir}/.lokt`);
  await Deno.mkdir(`${dir}/.git`);
  await Deno.mkdir(`${dir}/box/work`, { recursive: true });
  const cwd = `${dir}/box/work`;
  // Without a ceiling the repository above is found; with one, neither it nor the .lokt.
  assertEquals(findRoot({ cwd, envRoot: null, ceilings: [] }).root, `${dir}/.git/lokt`);
  assertEquals(findRoot({ cwd, envRoot: null, ceilings: [`${dir}/box`] }).source, "cwd");
  // The start directory itself is always looked at, even when it is a ceiling.
  assertEquals(findRoot({ cwd: dir, envRoot: null, ceilings: [dir] }).source, "git");
  const out = await lokt(["lock", "x", "--ttl", "1m", "--json"], {
    cwd,
    owner: "a",
    env: { LOKT_CEILING_DIRECTORIES: `/nonexistent:relative:${dir}/box/` },
  });
  assertEquals(out.code, 0, out.stderr);
  assertEquals(JSON.parse(out.stdout).root ?? null, null);
  assertEquals((await Deno.stat(`${cwd}/.lokt/locks/x.json`)).isFile, true);
  assertEquals([...Deno.readDirSync(`${dir}/.lokt`)].length, 0);
});

// Which files a shell command writes by name (shell_writes.ts): redirections
// and the operands of the commands that change files, after a literal `cd`
// too; what only reads, a heredoc's body and what the shell computes at run
// time are not written words.
import { assertEquals } from "../../tests/_assert.ts";
import { shellWrites } from "./shell_writes.ts";
import { OR_WHOLE_TREE, WHOLE_TREE as T } from "./shell_git_writers.ts";
import {
  FOUND_NAMED as NAMED,
  FOUND_NAMED_ANY_CASE,
  gitMarked,
  WITH_GIT,
} from "./shell_bulk_writers.ts";

/** What a command writes, without the mark of the commands that reach into `.git` (tested below). */
function written(script: string): string[] {
  const words = shellWrites(script).map((w) => gitMarked(w).word);
  return [...new Set(words)];
}

Deno.test("shellWrites() finds redirections' targets and writing commands' operands", () => {
  const cases: [string, string[]][] = [
    ["echo x > src/a.ts", ["src/a.ts"]],
    ["echo x >> src/a.ts", ["src/a.ts"]],
    ["echo x>src/a.ts", ["src/a.ts"]],
    ["echo x >| src/a.ts", ["src/a.ts"]],
    ["make 2> err.log", ["err.log"]],
    ["make &> all.log", ["all.log"]],
    ["make > out.log 2>&1", ["out.log"]],
    ["printf '%s' x > 'src/a b.ts'", ["src/a", "src/a b.ts"]],
    ["cat > src/a.ts <<'EOF'\nexport const a = 1;\nEOF", ["src/a.ts"]],
    ["cat <<EOF > src/a.ts\nx\nEOF", ["src/a.ts"]],
    ["cat x | tee src/a.ts src/b.ts >/dev/null", ["src/a.ts", "src/b.ts"]],
    ["tee -a log.txt < in.txt", ["log.txt"]],
    ["jq .a conf.json | sponge conf.json", ["conf.json"]],
    ["rm -rf build src/a.ts", ["build", "src/a.ts"]],
    ["rm -- -odd.ts", ["-odd.ts"]],
    ["mv src/a.ts src/b.ts", ["src/a.ts", "src/b.ts"]],
    ["touch src/a.ts; chmod 644 src/a.ts", ["src/a.ts", "644"]],
    ["truncate -s 0 src/a.ts", ["0", "src/a.ts"]],
    ["mkdir -p src/new", ["src/new"]],
    ["cp src/a.ts src/b.ts", ["src/b.ts"]],
    ["cp -r src/a /tmp/x", ["/tmp/x"]],
    ["cp -t dest a b", ["dest"]],
    ["ln -sf ../a.ts src/b.ts", ["src/b.ts"]],
    ["install -m 644 a.ts src/a.ts", ["src/a.ts"]],
    ["sed -i 's/a/b/' src/a.ts", ["src/a.ts"]],
    ["sed -i.bak -e 's/a/b/' src/a.ts src/b.ts", ["src/a.ts", "src/b.ts"]],
    ["sed --in-place=.orig s/a/b/ src/a.ts", ["src/a.ts"]],
    ["perl -pi -e 's/a/b/' src/a.ts", ["src/a.ts"]],
    ["dd if=/dev/zero of=src/a.bin bs=1 count=1", ["src/a.bin"]],
    ["sudo rm src/a.ts", ["src/a.ts"]],
    ["env A=1 B=2 rm src/a.ts", ["src/a.ts"]],
    ["CI=1 rm src/a.ts", ["src/a.ts"]],
    ["command rm src/a.ts", ["src/a.ts"]],
    ["/bin/rm src/a.ts", ["src/a.ts"]],
    ["bash -c 'rm src/a.ts'", ["src/a.ts"]],
    ["git checkout -- src/a.ts", ["src/a.ts"]],
    ["git restore --staged --worktree src/a.ts", ["src/a.ts"]],
    ["git checkout .", ["."]],
    ["git stash", [T]],
    ["git stash push -- src/a.ts", ["src/a.ts"]],
    ["git reset --hard HEAD", [T]],
    ["git clean -fd", ["."]],
    ["git -C sub rm x.ts", ["sub/x.ts"]],
    ["rm src/*.ts src/{a,b}.js", ["src/*.ts", "src/{a,b}.js"]],
    ["rm /repo/src/a.ts", ["/repo/src/a.ts"]],
    ["if true; then rm src/a.ts; fi", ["src/a.ts"]],
    ["for f in x; do rm src/a.ts; done", ["src/a.ts"]],
    ["sudo -u root rm src/a.ts", ["src/a.ts"]],
    ["curl -sSo src/a.ts https://x", ["src/a.ts"]],
    ["curl --output=src/a.ts https://x", ["src/a.ts"]],
    ["wget -O src/a.ts https://x", ["src/a.ts"]],
    ["sort -o src/a.ts docs/x.md", ["src/a.ts"]],
    ["echo x > ~/a", ["~/a"]],
    ["echo x > $HOME/a", ["~/a"]],
    ['echo x > "$PWD/src/a.ts"', ["src/a.ts"]],
    ["cd src && echo x > ${PWD}/a.ts", ["src/a.ts"]],
    ["cd ~/repo && rm a.ts", ["~/repo/a.ts"]],
    // A comment is no operand (read as the shell does; the loose reading over-reads).
    ["cp a src/a.ts # a note", ["note", "src/a.ts"]],
    ["rm src/a.ts#x", ["src/a.ts#x"]],
    ["for i in 1; do A=1 rm src/a.ts; done", ["src/a.ts"]],
    // Variables the command gives literal values, loop lists and ANSI-C quoting.
    ['f=src/a.ts; rm "$f"', ["src/a.ts"]],
    ["export F=src/a.ts && echo x > ${F}", ["src/a.ts"]],
    ['for f in src/a.ts src/b.ts; do rm "$f"; done', ["src/a.ts", "src/b.ts"]],
    ["echo x > $'src/\\x61.ts'", ["src/\\x61.ts", "src/a.ts"]],
    ["$'\\x72m' src/a.ts", ["src/a.ts"]],
    ["D=src; cd $D && rm a.ts", ["src/a.ts"]],
    // A command named by a variable the command assigns.
    ["R=rm; $R src/a.ts", ["src/a.ts"]],
    ['S="sed -i"; $S s/a/b/ src/a.ts', ["src/a.ts"]],
    // An inner script sees the outer one's variables (the outer shell expands them in "…").
    ['T=src/a.ts; eval "rm \\"$T\\""', ["src/a.ts"]],
    ["nice -n 5 timeout 10s rm src/a.ts", ["src/a.ts"]],
    ["eval 'rm src/a.ts'", ["src/a.ts"]],
    [`sh -c "bash -c 'echo x > src/a.ts'"`, ["src/a.ts"]],
    ["{ echo x; } > src/a.ts", ["src/a.ts"]],
    // Quotes inside a command's name are the shell's: it runs `rm`.
    [`r"m" src/a.ts`, ["src/a.ts"]],
    ["r\\m src/a.ts", ["src/a.ts"]],
    ["echo x 2>/dev/null >src/a.ts", ["src/a.ts"]],
    ["echo x 2>&1 >>src/a.ts", ["src/a.ts"]],
  ];
  for (const [script, words] of cases) assertEquals(written(script), words, script);
});

Deno.test("shellWrites() follows a literal cd: after 'cd DIR &&' in DIR, after 'cd DIR;' in both", () => {
  assertEquals(written("cd src && echo x > a.ts"), ["src/a.ts"]);
  assertEquals(written("cd src && cd auth && rm login.ts"), ["src/auth/login.ts"]);
  assertEquals(written("cd src; cd auth; rm login.ts"), [
    "login.ts",
    "src/login.ts",
    "auth/login.ts",
    "src/auth/login.ts",
  ]);
  assertEquals(written("cd /repo/src && rm a.ts"), ["/repo/src/a.ts"]);
  assertEquals(written("cd src && rm /tmp/x"), ["/tmp/x"]);
  // A subshell's cd ends with it.
  assertEquals(written("(cd src && rm a.ts); rm b.ts"), ["src/a.ts", "b.ts"]);
  assertEquals(written("echo $(cd src && rm a.ts) > b.ts"), ["src/a.ts", "b.ts"]);
  // A directory lokt cannot know: the word is judged where the shell started only.
  assertEquals(written('cd "$DIR" && rm a.ts'), ["a.ts"]);
});

Deno.test("shellWrites() names nothing for reads, run-time words and devices", () => {
  const none = [
    "cat src/a.ts",
    "grep -rn x src > /dev/null",
    "ls src 2>/dev/null",
    "cp src/a.ts",
    "sed 's/a/b/' src/a.ts",
    "perl -ne 'print' src/a.ts",
    "echo x > $OUT",
    "echo x > ~other/a",
    "curl -sS https://example.com",
    "sort -u docs/x.md",
    "echo x > `mktemp`",
    "git diff src/a.ts",
    "git stash list",
    "git clean -n",
    "git reset src/a.ts",
    "make test",
    "npm run build 2>&1",
    "wc -l < src/a.ts",
  ];
  for (const script of none) assertEquals(written(script), [], script);
});

Deno.test("shellWrites() skips a heredoc's body only where the shell takes it as one", () => {
  // Text written into a file is not run: its lines are no commands.
  assertEquals(written("cat > notes.md <<'EOF'\nrm -rf src\necho x > src/a.ts\nEOF"), [
    "notes.md",
  ]);
  assertEquals(written("cat > notes.md <<-EOF\n\trm -rf src\n\tEOF\nrm b.ts"), [
    "notes.md",
    "b.ts",
  ]);
  // An unquoted body runs its command substitutions.
  assertEquals(written("cat > n.md <<EOF\n$(rm src/a.ts)\nEOF"), ["n.md", "src/a.ts"]);
  // Not a heredoc, so the next line runs: in quotes, in a comment, in arithmetic.
  assertEquals(written('echo "<<X"\nrm src/a.ts\nX'), ["src/a.ts"]);
  assertEquals(written("true # <<X\nrm src/a.ts\nX"), ["src/a.ts"]);
  assertEquals(written("echo $((1<<2))\nrm src/a.ts\n2"), ["src/a.ts"]);
  // A heredoc that never ends: every line is read.
  assertEquals(written("cat <<'EOF'\nrm src/a.ts"), ["src/a.ts"]);
  // Two heredocs on one line: both bodies are text.
  assertEquals(written("cat <<A > x; cat <<'B' > y\nrm p\nA\nrm q\nB\nrm r"), [
    "x",
    "y",
    "r",
  ]);
});

Deno.test("shellWrites() over-reads quoted text rather than miss a write (the safe side)", () => {
  // A `>` or a separator inside quotes is read as the shell's too: only ever more words.
  assertEquals(written(`git commit -m "a > src/a.ts"`), ["src/a.ts"]);
  assertEquals(written(`echo "x; rm src/a.ts"`), ["src/a.ts"]);
  // A quoted word with a space is judged whole, and in its parts.
  assertEquals(written("echo x > 'src/a b.ts'"), ["src/a", "src/a b.ts"]);
});

Deno.test("shellWrites() reads git's -C, --work-tree and top pathspecs, and the whole tree from anywhere", () => {
  const cases: [string, string[]][] = [
    ["git -C src checkout -- auth/login.ts", ["src/auth/login.ts"]],
    ["git -C src -C auth restore login.ts", ["src/auth/login.ts"]],
    ["git -c core.x=1 checkout -- src/a.ts", ["src/a.ts"]],
    ["git -C src checkout .", ["src"]],
    // Loosely, the parenthesis also splits: more words, never fewer.
    ["git checkout -- :/src/a.ts ':(top)docs'", [`${T}src/a.ts`, ".", "top", "docs", `${T}docs`]],
    ["git checkout -- ':!docs'", ["."]],
    ["git --work-tree=src checkout -- a.ts", ["a.ts", "src/a.ts"]],
    ["cd docs && git stash", [`docs/${T}`]],
    ["git -C sub stash pop", [`sub/${T}`]],
    ["git pull --rebase", [T]],
    ["git merge feature", [T]],
    ["git rebase -i main", [T]],
    ["git cherry-pick abc", [T]],
    ["git revert --no-edit abc", [T]],
    ["git am < x.patch", [T]],
    ["git apply x.diff", [T]],
    ["git switch main", [T]],
    ["git switch -c feature main", [T]],
    ["git checkout -f main", ["main", T]],
    ["git checkout -b feature origin/main", ["feature", "origin/main", T]],
    // One name without `--`: the path if it exists, else a branch switch (the hook decides).
    ["git checkout main", [`main${OR_WHOLE_TREE}`]],
    ["git checkout -", [T]],
    ["git checkout main src/a.ts", ["main", "src/a.ts"]],
  ];
  for (const [script, words] of cases) assertEquals(written(script), words, script);
  for (const none of ["git apply --check x.diff", "git switch -c feature", "git checkout -b x"]) {
    assertEquals(written(none), [], none);
  }
});

Deno.test("shellWrites() reads formatters, package runners and bulk writers as what they may write", () => {
  const cases: [string, string[]][] = [
    ["npx prettier --write src/a.ts", ["src/a.ts"]],
    ["npx -y prettier -w 'src/**/*.ts'", ["src/**/*.ts"]],
    ["pnpm exec eslint --fix src", ["src"]],
    ["yarn eslint --fix", ["."]],
    ["npm exec -- prettier --write docs", ["docs"]],
    ["deno fmt", [T]],
    ["deno fmt src/a.ts", ["src/a.ts"]],
    ["deno lint --fix src", ["src"]],
    ["gofmt -l -w ./pkg", ["./pkg"]],
    ["go fmt ./...", ["./..."]],
    ["python3 -m black src", ["src"]],
    ["uv run ruff format", ["."]],
    ["ruff check --fix src", ["src"]],
    ["cargo fmt", [T]],
    ["clang-format -i src/a.c", ["src/a.c"]],
    // By name alone, the hook lists what it finds; else all under its roots.
    ["find src -name '*.orig' -delete", [`src/${NAMED}*.orig`]],
    ["find . -iname '*.ts' -exec sed -i s/a/b/ {} +", [`./${FOUND_NAMED_ANY_CASE}*.ts`]],
    ["find . -name a -o -name b -delete", ["."]],
    ["find -L src -name a -delete", ["src"]],
    ["find src -type f -delete", ["src"]],
    ["find src -exec sh -c 'rm \"$1\"' _ {} \\;", ["src"]],
    ["ls | xargs sh -c 'rm \"$@\"' _", ["."]],
    ["find src -type f -exec cp {} /tmp/out +", ["/tmp/out"]],
    ["grep -rl x src | xargs sed -i s/x/y/", ["."]],
    ["ls | xargs -I{} mv {} old/", [".", "old/"]],
    ["xargs -0 cp -t dest < list", ["dest"]],
    ["tar -xzf a.tgz -C src", ["src"]],
    ["tar xf a.tar", ["."]],
    ["tar -czf out.tgz src", ["out.tgz"]],
    ["unzip -o a.zip -d vendor", ["vendor"]],
    ["zip -r out.zip src", ["out.zip"]],
    ["patch -p1 < fix.diff", ["."]],
    ["patch -d src -p0 < fix.diff", ["src"]],
    ["patch src/a.ts fix.diff", ["src/a.ts"]],
    ["awk -i inplace '{print}' src/a.ts", ["src/a.ts"]],
    ["mkfifo src/pipe", ["src/pipe"]],
  ];
  for (const [script, words] of cases) assertEquals(written(script), words, script);
  const none = [
    "npx prettier --check src",
    "deno fmt --check",
    "deno lint src",
    "eslint src",
    "black --check src",
    "cargo fmt -- --check",
    "find src -name '*.ts'",
    "find src -exec grep -l x {} +",
    "grep -rl x src | xargs grep y",
    "tar -tzf a.tgz",
    "unzip -l a.zip",
    "patch --dry-run -p1 < fix.diff",
    "npm test",
    "yarn install",
  ];
  for (const script of none) assertEquals(written(script), [], script);
});

Deno.test("shellWrites() marks the words of commands that act on .git too when given the top (rm, mv, chmod, find -delete); git's, formatters' and redirections' words are not", () => {
  const marked = (w: string) => `${w}${WITH_GIT}`;
  const cases: [string, string[]][] = [
    ['rm -rf "$PWD"', [marked(".")]],
    ['rm -rf "$(pwd)" `pwd -P`/src', [marked("."), marked("src")]],
    // The top, by git's own answer: git's mark for it.
    ['rm -rf "$(git rev-parse --show-toplevel)"/build', [marked(`${T}/build`)]],
    ['rm -rf "$(git rev-parse --show-toplevel)/build"', [marked(`${T}build`)]],
    ["cd `git rev-parse --show-toplevel` && touch a", [`${T}a`]],
    ["rm -rf ~ src/a.ts", [marked("~"), marked("src/a.ts")]],
    ["chmod -R 000 .", [marked("000"), marked(".")]],
    ["mv . ../elsewhere", [marked("."), marked("../elsewhere")]],
    // rm refuses `.` and `..` themselves: judged, but not as reaching .git.
    ["rm -rf .. ./ src/..", ["..", "./", "src/.."]],
    ["find . -type f -delete", [marked(".")]],
    ["git checkout .", ["."]],
    ["prettier --write .", ["."]],
    ["echo x > a.ts; touch b.ts", ["a.ts", "b.ts"]],
  ];
  for (const [script, words] of cases) assertEquals(shellWrites(script), words, script);
});

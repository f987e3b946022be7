// The first look at a shell command (shell_first_look.ts): any command that
// may write a file by name is read further; the commands that surely write
// none (most of an agent's) are answered at once.
import { assertEquals } from "../../tests/_assert.ts";
import { mayWrite, shellNeedsReading } from "./shell_first_look.ts";
import { shellTargets } from "./shell_targets.ts";

Deno.test("mayWrite() passes on every command that may write a file by name", () => {
  const writers = [
    "rm a",
    "/bin/rm a",
    "x;rm a",
    "sudo -u x rm a",
    'r"m" a',
    "$'\\x72m' a",
    "echo x > a",
    "echo x >>a 2>&1",
    "git -C src checkout -- a",
    "git cherry-pick x",
    "npx eslint --fix src",
    "clang-format -i a.c",
    "deno fmt",
    "find . -name x -delete",
    "ls | xargs rm",
    "python3 -c \"open('a', 'w')\"",
    "python3.12 -c x",
    "cat <<EOF | node\nx\nEOF",
    "deno eval x",
    "bash -c x",
  ];
  for (const command of writers) assertEquals(mayWrite(command), true, command);
});

Deno.test("mayWrite() answers at once for the commands that surely write no file by name", () => {
  const readers = [
    "git status --short",
    "npm test 2>&1 | tail -20",
    "ls -la src > /dev/null",
    "python3 -m pytest -q",
    "node --version",
    "deno test -A tests/",
    "grep -rn login src",
    "cat src/a.ts",
  ];
  for (const command of readers) assertEquals(mayWrite(command), false, command);
});

Deno.test("shellNeedsReading() is false only where the whole shell reading finds nothing", () => {
  const commands: unknown[] = [
    "git status --short",
    ["bash", "-lc", "npm test 2>&1 | tail"],
    ["bash", "-lc", "rm src/a.ts"],
    ["ls", "-la"],
    ["rm", "src/a.ts"],
    "echo x > src/a.ts",
    "cat .git/lokt/locks/a.json > /dev/null; echo x >.git/lokt/locks/a.json",
    "lokt unlock build --force",
    "deno run -A cli.ts unlock build --force",
    "LOKT_OWNER=other lokt lock x",
    "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: a.ts\n+x\n*** End Patch\nEOF",
    ["apply_patch", "*** Begin Patch\n*** Add File: a.ts\n+x\n*** End Patch"],
    "cat p | applypatch",
    "python3 -c \"open('a.ts', 'w')\"",
    "git stash",
    ["bash", "-lc", 42],
    "echo a\u0000b",
    "grep -rn lokt docs",
    "make test",
  ];
  for (const command of commands) {
    const read = shellTargets(command);
    const nothing = "paths" in read && read.paths.length === 0 && !read.words && !read.owner;
    if (!shellNeedsReading(command)) assertEquals(nothing, true, JSON.stringify(command));
  }
  // And the common commands need no reading at all.
  for (const command of ["git status --short", ["bash", "-lc", "npm test 2>&1 | tail"], "make"]) {
    assertEquals(shellNeedsReading(command), false, JSON.stringify(command));
  }
});

// The first look at a shell command (shell_first_look.ts): any command that
// may write a file by name is read further; the commands that surely write
// none (most of an agent's) are answered at once.
import { assertEquals } from "../../tests/_assert.ts";
import { mayWrite } from "./shell_first_look.ts";

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

// What a script given to an interpreter in the command may write
// (shell_interpreters.ts): the paths its text names when it writes files,
// but those it only reads outright; nothing for a script that writes none.
import { assertEquals } from "../../tests/_assert.ts";
import { scriptWrites } from "./shell_interpreters.ts";

Deno.test("scriptWrites() names the paths of an inline or piped script that writes files", () => {
  const cases: [string, string[], string, string[]][] = [
    ["python3", ["-c", "open('src/a.ts', 'w').write('x')"], "", ["src/a.ts"]],
    ["python", ["-Bc", "import os; os.remove('src/a.ts')"], "", ["src/a.ts"]],
    ["python3.12", ["-c", "import shutil; shutil.rmtree('build/')"], "", ["build/"]],
    ["python3", ["-"], "p = Path('src/a.ts')\np.write_text(p.read_text())", ["src/a.ts"]],
    ["python3", [], "import os\nfor f in os.listdir('.'): os.unlink(f)", ["."]],
    ["node", ["-e", "require('fs').writeFileSync('src/a.ts', 'x')"], "", ["src/a.ts"]],
    ["node", ["--eval", 'fs.rmSync("src", { recursive: true })'], "", ["src"]],
    ["python3", ["-c", "import shutil; shutil.rmtree('build')"], "", ["build"]],
    ["python3", ["-c", "(Path('src') / name).write_text('x')"], "", ["src"]],
    ["nodejs", ["-e", 'fs.rmSync("src/", { recursive: true })'], "", ["src/"]],
    ["deno", ["eval", "Deno.writeTextFileSync('src/a.ts', '')"], "", ["src/a.ts"]],
    ["ruby", ["-e", 'File.write("src/a.rb", "x")'], "", ["src/a.rb"]],
    ["perl", ["-e", 'open(my $f, ">", "src/a.pl")'], "", ["src/a.pl"]],
    ["php", ["-r", "file_put_contents('src/a.php', 'x');"], "", ["src/a.php"]],
    ["awk", ['{ print > "src/a.txt" }', "in.txt"], "", ["src/a.txt"]],
    // What it reads outright is not written; what it writes is.
    [
      "python3",
      ["-c", "d = open('src/a.ts').read(); open('out/b.ts', 'w').write(d)"],
      "",
      ["out/b.ts"],
    ],
  ];
  for (const [name, args, stdin, written] of cases) {
    assertEquals(scriptWrites(name, args, stdin), written, `${name} ${args.join(" ")}`);
  }
});

Deno.test("scriptWrites() names nothing for a script that writes no file, and cannot read one in a file", () => {
  assertEquals(scriptWrites("python3", ["-c", "print(open('src/a.ts').read())"], ""), []);
  assertEquals(scriptWrites("node", ["-e", "console.log(require('./package.json'))"], ""), []);
  assertEquals(scriptWrites("awk", ["{ print $1 }", "src/a.ts"], ""), []);
  // Prose in quotes is no path.
  assertEquals(scriptWrites("python3", ["-c", "open('o.txt','w').write('see src / a')"], ""), [
    "o.txt",
  ]);
  assertEquals(scriptWrites("python3", ["tools/gen.py"], ""), null);
  assertEquals(scriptWrites("deno", ["run", "-A", "x.ts"], ""), null);
  assertEquals(scriptWrites("awk", ["-f", "prog.awk", "src/a.ts"], ""), null);
  assertEquals(scriptWrites("ls", ["-la"], ""), null);
});

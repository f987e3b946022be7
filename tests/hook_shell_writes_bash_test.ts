// Differential: lokt's reading of a shell command against what bash really
// writes. Each command runs under bash in a fresh copy of a repository; every
// path it created, changed or removed is then reserved by another owner in
// another fresh copy, where lokt's Codex hook is asked about the same
// command: it must deny. So a form lokt reads wrongly (a cd, a glob, braces,
// quotes, a heredoc, git's whole-tree commands) shows as a write let through.
import { assert, assertEquals } from "./_assert.ts";
import { git, hookDecision, lokt, tempDir } from "./_helpers.ts";

/** The commands' `PATH`, with the Deno running the tests first (for `deno fmt`). */
const PATH = `${Deno.execPath().replace(/\/[^/]*$/, "")}:${Deno.env.get("PATH") ?? ""}`;

/** A unified diff of `src/a.ts`, as `git diff` writes it. */
const FIX = "--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1 @@\n-a\n+A\n";

/** The commands tried; `@src` runs one from `src` (`@docs` from `docs`). */
const COMMANDS = [
  "echo x > src/a.ts",
  "echo x>>src/a.ts",
  "printf x 1>src/a.ts 2>/dev/null",
  "echo x &> src/a.ts",
  "echo x >| src/a.ts",
  "{ echo x; echo y; } > src/a.ts",
  "cat > src/new.ts <<'EOF'\nexport const x = 1;\nEOF",
  'cat <<"EOF" > src/new.ts\n$HOME\nEOF',
  "cat <<-EOF >src/new.ts\n\tx\n\tEOF",
  "cat > 'src/with space.ts' <<'EOF'\nx\nEOF",
  'echo x > "src/auth/login.ts"',
  "echo x > src/auth/log\\in.ts",
  "cat src/a.ts | tee src/b.ts",
  "echo x | tee -a src/a.ts src/b.ts",
  "sed -i 's/a/b/' src/a.ts",
  "sed -i.bak -e 's/a/b/' src/a.ts",
  "sed -E -i 's/(a)/b/' src/a.ts",
  "perl -pi -e 's/a/b/' src/a.ts",
  "sed -i 's/a/e;f|g(h)/' src/a.ts",
  'sed -E -i "s/(a)|b/c/" src/a.ts',
  "echo 'a > b; c' > src/a.ts",
  "printf '%s\\n' 'x && (y)' >src/a.ts",
  "awk '{ print $1 }' docs/x.md > src/a.ts",
  "echo x | sed 's/x/y/' | tee src/a.ts > /dev/null",
  'echo "quoted; rm" > src/a.ts',
  "rm src/a.ts",
  "rm -f -- src/a.ts src/b.ts",
  "rm -rf src/auth",
  "rm -rf src",
  "rm src/*.ts",
  "rm src/{a,b}.ts",
  "rm src/[ab].ts",
  "rm src/?.ts",
  "rm -r */auth",
  "mv src/a.ts src/c.ts",
  "mv src/a.ts src/auth/",
  "cp docs/x.md src/a.ts",
  "cp docs/x.md src/auth",
  "cp -t src docs/x.md",
  "ln -sf ../docs/x.md src/a.ts",
  "touch src/new.ts",
  "truncate -s 0 src/a.ts",
  "mkdir -p src/auth/new",
  "chmod 600 src/a.ts",
  "dd if=docs/x.md of=src/a.ts status=none",
  "install -m 644 docs/x.md src/a.ts",
  "cd src && echo x > a.ts",
  "cd src && cd auth && rm login.ts",
  "cd src; rm a.ts",
  "(cd src && rm a.ts)",
  "cd ./src/ && rm -f *.ts",
  "true && rm src/a.ts",
  "false || rm src/a.ts",
  "echo ok; rm src/a.ts # and a comment",
  "x=$(rm src/a.ts)",
  "echo `rm src/a.ts`",
  "bash -c 'rm src/a.ts'",
  'sh -c "echo x > src/a.ts"',
  "eval 'rm src/a.ts'",
  "env A=1 rm src/a.ts",
  "CI=1 rm src/a.ts",
  "command rm src/a.ts",
  "nice -n 5 rm src/a.ts",
  "timeout 10 rm src/a.ts",
  "/bin/rm src/a.ts",
  "git checkout -- src/auth/login.ts",
  "git checkout .",
  "git restore src/auth",
  "git stash -q",
  "git reset -q --hard",
  "git clean -fdq",
  "git rm -q src/a.ts",
  "git mv src/a.ts src/moved.ts",
  "if true; then rm src/a.ts; fi",
  "for f in 1; do echo x > src/a.ts; done",
  "while true; do rm src/a.ts; break; done",
  "curl -sSo src/a.ts file:///etc/hostname",
  "curl -s --output src/a.ts file:///etc/hostname",
  "sort -o src/a.ts docs/x.md",
  "echo x > ~/src/a.ts",
  'echo x > "$HOME/src/a.ts"',
  'echo x > "$PWD/src/a.ts"',
  "cd src && echo x > $PWD/b.ts",
  // Found by tests/reliability/shell_writes_fuzz.ts.
  'time cp docs/x.md src/"a.ts" # a comment',
  "for i in 1; do A=1 truncate -s 0 src/a.ts; done",
  "! ln -sf ../docs/x.md ~/src/a.ts # a comment",
  "sh -c 'echo x > src/{a,b}.ts'",
  'f=src/a.ts; echo x > "$f"',
  'for f in docs/x.md src/a.ts; do rm "$f"; done',
  "echo x > $'src/\\x61.ts'",
  "$'\\x72m' src/a.ts",
  "D=src; cd $D && rm a.ts",
  "R=rm; $R src/a.ts",
  'S="sed -i"; $S s/a/b/ src/a.ts',
  'T=src/a.ts; bash -c "echo x >\\"$T\\" 2>&1"',
  'T=src/a.ts; eval "cp -f docs/x.md \\"$T\\""',
  "@src echo x > a.ts",
  "@src rm -rf ../docs",
  "@src rm -rf ../*",
  "@src git checkout -- .",
  // What git writes from -C, from a subdirectory, and across the whole tree.
  "git -C src checkout -- auth/login.ts",
  "git -C src restore auth",
  "@docs git stash -q",
  "@docs git reset -q --hard",
  "@docs git checkout -- :/src/auth/login.ts",
  "@docs git checkout -q -f feature",
  "git checkout -q feature",
  "git merge -q feature",
  "@docs git switch -q feature",
  "git -c user.name=t -c user.email=t@t cherry-pick feature",
  "git apply docs/fix.diff",
  `git apply <<'EOF'\n${FIX}EOF`,
  // Programs that write what they find, are passed or unpack.
  "patch -s -p1 < docs/fix.diff",
  "@src patch -s -p2 < ../docs/fix.diff",
  "find src -name 'a.ts' -delete",
  "find . -iname 'LOGIN.TS' -exec sed -i s/login/x/ {} +",
  "find . -name '*env' -delete",
  "find src -type f -exec sh -c 'rm \"$1\"' _ {} \\;",
  "ls src/*.ts | xargs sh -c 'rm \"$@\"' _",
  "find . -name login.ts -exec sed -i s/login/x/ {} +",
  "grep -rl login src | xargs sed -i s/login/x/",
  "ls src/*.ts | xargs -I{} cp docs/x.md {}",
  "tar -xf docs/a.tar",
  "@docs tar -xf a.tar -C ..",
  "tar -cf src/out.tar docs/x.md",
  "unzip -qo docs/a.zip",
  "zip -q src/out.zip docs/x.md",
  "gawk -i inplace '{ print toupper($0) }' src/a.ts",
  "deno fmt -q .",
  "deno fmt -q src/a.ts",
  // Scripts given to an interpreter in the command.
  `python3 -c "open('src/a.ts', 'w').write('x')"`,
  "python3 - <<'PY'\nfrom pathlib import Path\np = Path('src/auth/login.ts')\np.write_text(p.read_text().upper())\nPY",
  "cat <<'EOF' | python3\nimport os\nos.remove('src/b.ts')\nEOF",
  `python3 -c "import shutil; shutil.rmtree('src')"`,
  `cd src && node -e "require('fs').writeFileSync('a.ts', 'x')"`,
  `node -e "require('fs').rmSync('src/b.ts')"`,
  `perl -e 'open(my $f, ">", "src/a.ts"); print $f "x"'`,
  `awk '{ print > "src/a.ts" }' docs/x.md`,
  `deno eval "Deno.writeTextFileSync('src/a.ts', 'x')"`,
];

/** A repository: committed files, a dirty one (for git's commands), an untracked one. */
async function template(): Promise<string> {
  const dir = `${await Deno.realPath(await tempDir())}/template`;
  await Deno.mkdir(`${dir}/src/auth`, { recursive: true });
  await Deno.mkdir(`${dir}/docs`);
  await git(dir, "init", "-q");
  const files: [string, string][] = [["src/a.ts", "a\n"], ["src/b.ts", "b\n"], [
    "docs/x.md",
    "x\n",
  ]];
  for (const [path, text] of files) {
    await Deno.writeTextFile(`${dir}/${path}`, text);
  }
  await Deno.writeTextFile(`${dir}/src/auth/login.ts`, "login\n");
  await Deno.writeTextFile(`${dir}/src/.env`, "A=1\n");
  // An archive of a changed `src/a.ts` (tar and zip) and a diff of it.
  const packed = `${dir}-packed`;
  await Deno.mkdir(`${packed}/src`, { recursive: true });
  await Deno.writeTextFile(`${packed}/src/a.ts`, "packed\n");
  await run("tar", ["-cf", `${dir}/docs/a.tar`, "src/a.ts"], packed);
  await run("zip", ["-q", `${dir}/docs/a.zip`, "src/a.ts"], packed);
  await Deno.writeTextFile(`${dir}/docs/fix.diff`, FIX);
  const commit = ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm"];
  await git(dir, "add", ".");
  await git(dir, ...commit, "init");
  // A branch whose commit changes `src/b.ts`, for git's merges and switches.
  await git(dir, "checkout", "-qb", "feature");
  await Deno.writeTextFile(`${dir}/src/b.ts`, "b, on feature\n");
  await git(dir, ...commit, "feature", "src/b.ts");
  await git(dir, "checkout", "-q", "-");
  await Deno.writeTextFile(`${dir}/src/auth/login.ts`, "login, edited\n");
  await Deno.writeTextFile(`${dir}/src/untracked.ts`, "u\n");
  return dir;
}

async function run(program: string, args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command(program, { args, cwd, stderr: "piped" }).output();
  assert(out.success, `${program}: ${new TextDecoder().decode(out.stderr)}`);
}

async function copyOf(template: string, name: string): Promise<string> {
  const dir = `${template}-${name}`;
  const cp = await new Deno.Command("cp", { args: ["-a", template, dir] }).output();
  assert(cp.success);
  return dir;
}

/** Every path below `dir` but `.git`, with what it holds. */
function snapshot(dir: string, rel = "", into = new Map<string, string>()): Map<string, string> {
  for (const entry of Deno.readDirSync(dir === "" ? "/" : `${dir}/${rel}`)) {
    const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
    if (path === ".git" || path === ".lokt") continue;
    const full = `${dir}/${path}`;
    const info = Deno.lstatSync(full);
    if (info.isDirectory) {
      into.set(path, `dir ${info.mode}`);
      snapshot(dir, path, into);
    } else if (info.isSymlink) into.set(path, `link ${Deno.readLinkSync(full)}`);
    else into.set(path, `file ${info.mode} ${Deno.readTextFileSync(full)}`);
  }
  return into;
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((p) => before.get(p) !== after.get(p)).sort();
}

Deno.test("every file bash writes for a shell command is one lokt's hook judges: with those files reserved by another owner, the command is denied", async () => {
  const base = await template();
  const before = snapshot(base);
  let wrote = 0;
  for (const [i, entry] of COMMANDS.entries()) {
    const from = /^@(\w+) /.exec(entry);
    const command = from ? entry.slice(from[0].length) : entry;
    const ran = await copyOf(base, `ran${i}`);
    const cwd = (dir: string) => (from ? `${dir}/${from[1]}` : dir);
    await new Deno.Command("bash", {
      args: ["-c", command],
      cwd: cwd(ran),
      stdout: "null",
      stderr: "null",
      env: {
        HOME: ran,
        GIT_CEILING_DIRECTORIES: base.slice(0, base.lastIndexOf("/")),
        PATH,
        // `deno eval` keeps its cache outside the copy.
        DENO_DIR: `${base}-deno`,
      },
    }).output();
    const paths = changed(before, snapshot(ran));
    await Deno.remove(ran, { recursive: true });
    if (paths.length === 0) continue;
    wrote++;
    const judged = await copyOf(base, `judged${i}`);
    // Each written path, as its own exact reservation of another owner.
    const reserve = await lokt(["reserve", "--ttl", "1h", ...paths.map((p) => `:/${p}`)], {
      cwd: judged,
      owner: "other",
    });
    assertEquals(reserve.code, 0, `${command}: ${reserve.stderr}`);
    // The hook runs as the shell's user: `~` is the same home (here, the copy).
    const { decision } = await hookDecision("codex", cwd(judged), "Bash", { command }, {
      HOME: judged,
    });
    assertEquals(decision, "deny", `${JSON.stringify(command)} wrote ${paths.join(", ")}`);
    await Deno.remove(judged, { recursive: true });
  }
  // The test proves something only if bash wrote files for every command.
  assertEquals(wrote, COMMANDS.length, "bash wrote files for every command");
});

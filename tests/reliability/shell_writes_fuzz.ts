// A randomised differential of lokt's reading of shell commands against bash
// (docs/agents.md, "A shell command that writes a file by name"). Each case
// is a writing command in a random spelling, wrapper and context; it runs under
// bash in a fresh copy of a small repository, and every path bash created,
// changed or removed is reserved by another owner in a second copy, where
// lokt's Codex hook is asked about the same command. A case bash applied and
// lokt let through is printed; the exit code is the number of such cases.
// Not a test (random, and slow): the forms it finds become cases of
// tests/hook_shell_writes_bash_test.ts.
//
//   deno run -A tests/reliability/shell_writes_fuzz.ts [cases] [seed]

const cases = Number(Deno.args[0] ?? 200);
let seed = Number(Deno.args[1] ?? Date.now() % 100_000);
console.log(`seed ${seed}`);
const random = () => {
  // mulberry32: the same seed gives the same cases.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;

const cli = new URL("../../cli.ts", import.meta.url).pathname;

/** Spellings of the file `src/a.ts` (the shell names the same file). */
const SPELLINGS = [
  "src/a.ts",
  "./src/a.ts",
  "src//a.ts",
  '"src/a.ts"',
  "'src/a.ts'",
  'src/"a.ts"',
  's"rc"/a.ts',
  "src/a\\.ts",
  "$PWD/src/a.ts",
  '"$PWD/src/a.ts"',
  "~/src/a.ts",
  '"$HOME"/src/a.ts',
  "src/../src/a.ts",
  "src/a.t[s]",
  "src/a.{ts,none}",
  "src/?.ts",
  "src/*.ts",
  "$'src/a.ts'",
  "\"src\"/'a.ts'",
  "./src/./a.ts",
  "{src,src}/a.ts",
  "src/[a].ts",
  '"$T"',
  "${T}",
  "$'src/\\x61.ts'",
];

/** Writing commands of a target. */
const WRITERS: ((t: string) => string)[] = [
  (t) => `echo x > ${t}`,
  (t) => `echo x >> ${t}`,
  (t) => `printf x>${t}`,
  (t) => `: > ${t}`,
  (t) => `> ${t}`,
  (t) => `echo x 1> ${t}`,
  (t) => `echo x >|${t}`,
  (t) => `echo x &>${t}`,
  (t) => `cat docs/x.md > ${t}`,
  (t) => `tee ${t} < docs/x.md > /dev/null`,
  (t) => `echo x | tee -a ${t}`,
  (t) => `rm -f ${t}`,
  (t) => `touch ${t}`,
  (t) => `sed -i s/a/b/ ${t}`,
  (t) => `sed -i -e s/a/b/ ${t}`,
  (t) => `perl -pi -e s/a/b/ ${t}`,
  (t) => `cp docs/x.md ${t}`,
  (t) => `cp -f docs/x.md ${t}`,
  (t) => `mv ${t} src/moved.ts`,
  (t) => `truncate -s 0 ${t}`,
  (t) => `dd if=docs/x.md of=${t} status=none`,
  (t) => `chmod 600 ${t}`,
  (t) => `ln -sf ../docs/x.md ${t}`,
  (t) => `sort -o ${t} docs/x.md`,
  (t) => `git checkout -- ${t}`,
  (t) => `exec 3>${t}`,
  (t) => `exec >${t}`,
  (t) => `> ${t} cat docs/x.md`,
  (t) => `echo x 2>&1 >${t}`,
  (t) => `echo x >${t} 2>&1`,
  (t) => `ls nowhere 2>${t}`,
  (t) => `install -m 644 docs/x.md ${t}`,
  (t) => `unlink ${t}`,
  (t) => `rm -rf ${t}`,
  (t) => `shred -u ${t}`,
  (t) => `cat docs/x.md | sed s/x/y/ > ${t}`,
  // Writers read as the directories they may write in (or git from elsewhere).
  (t) => `git -C src checkout -- ../${t}`,
  (t) => `find src -path ${t} -delete`,
  (t) => `find . -path ./${t} -exec sed -i s/a/b/ {} +`,
  (t) => `ls ${t} | xargs sed -i s/a/b/`,
  (t) => `ls ${t} | xargs -I{} cp docs/x.md {}`,
  (t) => `gawk -i inplace '{ print }' ${t} && echo x >> ${t}`,
  (t) => `echo x > ${t} && git stash -q`,
  (t) => `cd docs && git stash -q && echo ${t}`,
];

/** Words before the command. */
const PREFIXES = ["", "command ", "env ", "A=1 ", "nice ", "time ", "! ", "builtin "];

/** Where the command stands. */
const CONTEXTS: ((x: string) => string)[] = [
  (x) => x,
  (x) => `true && ${x}`,
  (x) => `false || ${x}`,
  (x) => `${x}; true`,
  (x) => `(${x})`,
  (x) => `{ ${x}; }`,
  (x) => `if true; then ${x}; fi`,
  (x) => `for i in 1; do ${x}; done`,
  (x) => `echo $(${x})`,
  (x) => `echo \`${x}\``,
  (x) => `x=1; ${x}`,
  (x) => `${x} | cat`,
  (x) => `bash -c ${JSON.stringify(x)}`,
  (x) => `eval ${JSON.stringify(x)}`,
  (x) => `cat <<EOF\n$(${x})\nEOF`,
  (x) => `cat > /dev/null <<'EOF'\nnothing\nEOF\n${x}`,
  (x) => `${x} # a comment`,
  (x) => `case 1 in 1) ${x};; esac`,
  (x) => `while true; do ${x}; break; done`,
  (x) => `until false; do ${x}; break; done`,
  (x) => `f() { ${x}; }; f`,
  (x) => `${x} & wait`,
  (x) => `time (${x})`,
  (x) => `[ -e nowhere ] || ${x}`,
  (x) => `true\n${x}`,
  (x) => `echo start\n  ${x}\n`,
  (x) => `cd src && cd .. && ${x}`,
  (x) => `(cd src) && ${x}`,
  (x) => `sh -c '${x.replaceAll("'", "'\\''")}'`,
];

async function sh(cwd: string, script: string, env: Record<string, string> = {}) {
  // Bounded: a generated loop may never end.
  const out = await new Deno.Command("timeout", {
    args: ["10", "bash", "-c", script],
    cwd,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
}

const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "lokt-fuzz-" }));
const base = `${tmp}/base`;
await sh(
  tmp,
  `mkdir -p base/src base/docs && cd base && git init -q && echo a > src/a.ts && echo x > docs/x.md && ` +
    `git add . && git -c user.name=t -c user.email=t@t commit -qm init && echo edited > src/a.ts`,
);

function snapshot(dir: string, rel = "", into = new Map<string, string>()): Map<string, string> {
  for (const entry of Deno.readDirSync(rel === "" ? dir : `${dir}/${rel}`)) {
    const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
    if (path === ".git" || path === ".lokt") continue;
    const full = `${dir}/${path}`;
    const info = Deno.lstatSync(full);
    if (info.isDirectory) snapshot(dir, path, into.set(path, `dir ${info.mode}`));
    else if (info.isSymlink) into.set(path, `link ${Deno.readLinkSync(full)}`);
    else into.set(path, `file ${info.mode} ${Deno.readTextFileSync(full)}`);
  }
  return into;
}

const before = snapshot(base);
let applied = 0;
const missed: string[] = [];
for (let i = 0; i < cases; i++) {
  // `T` names the file for the spellings that use it.
  const command = "T=src/a.ts; " +
    pick(CONTEXTS)(pick(PREFIXES) + pick(WRITERS)(pick(SPELLINGS)));
  const ran = `${tmp}/ran`;
  const judged = `${tmp}/judged`;
  await sh(tmp, `rm -rf ran judged && cp -a base ran && cp -a base judged`);
  await sh(ran, command, { HOME: ran, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" });
  const after = snapshot(ran);
  const paths = [...new Set([...before.keys(), ...after.keys()])]
    .filter((p) => before.get(p) !== after.get(p));
  if (paths.length === 0) continue;
  applied++;
  const env = { LOKT_OWNER: "other", HOME: judged, NO_COLOR: "1" };
  const reserve = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, "reserve", "--ttl", "1h", ...paths.map((p) => `:/${p}`)],
    cwd: judged,
    env,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!reserve.success) {
    console.log(`reserve failed for ${JSON.stringify(command)}`);
    continue;
  }
  const event = {
    session_id: "fuzz",
    cwd: judged,
    hook_event_name: "PreToolUse",
    tool_name: "Bash",
    tool_input: { command },
  };
  const hook = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, "hook", "codex"],
    cwd: judged,
    env: { HOME: judged, NO_COLOR: "1", LOKT_OWNER: "agent" },
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = hook.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(event)));
  await writer.close();
  const answer = new TextDecoder().decode((await hook.output()).stdout);
  if (!answer.includes('"deny"')) {
    missed.push(command);
    console.log(`LET THROUGH ${JSON.stringify(command)} (bash wrote ${paths.join(", ")})`);
  }
}
console.log(`${applied} of ${cases} applied by bash; ${missed.length} let through`);
await Deno.remove(tmp, { recursive: true });
Deno.exit(missed.length);

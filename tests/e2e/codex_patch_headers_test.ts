// Codex's own `apply_patch` (the pinned Codex binary) against lokt's reading
// of the same patches: every header form Codex applies to a reserved file —
// other spaces around its words (Unicode ones included), other line ends, a
// `\r` or a line separator inside the path — is denied by lokt's hook, through
// Codex's patch tool and its shell (docs/agents.md). The patches are applied
// offline, in the same private network namespace as the harnesses.
import { assert, assertEquals } from "../_assert.ts";
import { git, hookDecision, lokt, tempDir } from "../_helpers.ts";
import { REFUSED } from "./_checks.ts";
import { harnessBin, runOffline } from "./_offline.ts";

const RUNNER = new URL("./patch_apply_run.ts", import.meta.url).pathname;

/** Spaces as Rust and JavaScript read them, and a few characters neither treats as one. */
const SPACES = [
  " ",
  "\t",
  "\v",
  "\f",
  "\r",
  "\u0085",
  "\u00a0",
  "\u1680",
  "\u2000",
  "\u2028",
  "\u2029",
  "\u3000",
  "\u200b",
  "\ufeff",
];

/** A header line's parts: what comes before `***`, the gaps, the path, what follows. */
interface Header {
  lead: string;
  gap1: string;
  words: [string, string];
  gap2: string;
  beforeColon: string;
  afterColon: string;
  path: string;
  trail: string;
}

function line(h: Header): string {
  return `${h.lead}***${h.gap1}${h.words[0]}${h.gap2}${
    h.words[1]
  }${h.beforeColon}:${h.afterColon}${h.path}${h.trail}`;
}

const header = (words: [string, string], path: string): Header => ({
  lead: "",
  gap1: " ",
  words,
  gap2: " ",
  beforeColon: "",
  afterColon: " ",
  path,
  trail: "",
});

/** Each way of changing a header's spacing with the character `s`. */
const MUTATIONS: ((h: Header, s: string) => Header)[] = [
  (h) => h,
  (h, s) => ({ ...h, lead: s }),
  (h, s) => ({ ...h, gap1: s }),
  (h, s) => ({ ...h, gap1: ` ${s}` }),
  (h, s) => ({ ...h, gap2: s }),
  (h, s) => ({ ...h, beforeColon: s }),
  (h, s) => ({ ...h, afterColon: s }),
  (h, s) => ({ ...h, afterColon: ` ${s}` }),
  (h, s) => ({ ...h, trail: s }),
];

/** The patch's lines around a (mutated) header of each kind, all writing under `src/auth/`. */
const KINDS: ((m: (h: Header) => Header) => string[])[] = [
  (m) => [line(m(header(["Update", "File"], "src/auth/login.ts"))), "@@", "-x", "+y"],
  (m) => [line(m(header(["Add", "File"], "src/auth/new.ts"))), "+y"],
  (m) => [line(m(header(["Delete", "File"], "src/auth/login.ts")))],
  (m) => [
    "*** Update File: src/free.ts",
    line(m(header(["Move", "to"], "src/auth/moved.ts"))),
    "@@",
    "-x",
    "+y",
  ],
];

function patches(): string[] {
  const all = new Set<string>();
  for (const eol of ["\n", "\r\n"]) {
    const wrap = (body: string[]) => ["*** Begin Patch", ...body, "*** End Patch", ""].join(eol);
    for (const kind of KINDS) {
      for (const mutate of MUTATIONS) {
        for (const s of SPACES) all.add(wrap(kind((h) => mutate(h, s))));
      }
      // Codex's lenient form: the patch inside a heredoc's markers.
      all.add(`<<'EOF'\n${wrap(kind((h) => h))}EOF\n`);
    }
    for (const s of SPACES) {
      // A character inside the path: Codex keeps it; `..` after it climbs back.
      all.add(wrap([line(header(["Add", "File"], `src/auth/x${s}y.ts`)), "+y"]));
      all.add(wrap([line(header(["Add", "File"], `src/x${s}/../auth/new.ts`)), "+y"]));
    }
  }
  return [...all];
}

/** Runs `fn` over `items`, `width` at a time. */
async function eachLimited<T>(items: T[], width: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

Deno.test({
  name:
    "Codex's own apply_patch against lokt: every patch Codex applies to a reserved file, whatever its spacing, line ends or characters in the path, is denied through its patch tool and its shell",
  ignore: REFUSED !== null,
  fn: async () => {
    const all = patches();
    const file = `${await tempDir()}/patches.json`;
    await Deno.writeTextFile(file, JSON.stringify(all));
    const run = await runOffline(RUNNER, [await harnessBin(), file]);
    assertEquals(run.code, 0, run.stderr.slice(-3000));
    const touched: string[][] = JSON.parse(run.stdout);
    assertEquals(touched.length, all.length);
    const applied = all.filter((_, i) => touched[i]!.some((p) => p.startsWith("src/auth/")));
    // Not vacuous: Codex applied the plain forms and the ones lokt once missed.
    const plain = (body: string) => `*** Begin Patch\n${body}\n*** End Patch\n`;
    for (
      const must of [
        plain("*** Update File: src/auth/login.ts\n@@\n-x\n+y"),
        plain("*** Delete File: src/auth/login.ts"),
        plain("\u0085*** Update File: src/auth/login.ts\n@@\n-x\n+y"),
        plain("*** Update File: src/auth/login.ts\u2028\n@@\n-x\n+y"),
        plain("*** Add File: src/x\r/../auth/new.ts\n+y"),
        plain("*** Add File: src/auth/x\u2028y.ts\n+y"),
      ]
    ) {
      assert(applied.includes(must), `Codex applied ${JSON.stringify(must)}`);
    }
    assert(applied.length >= 40, `${applied.length} patches applied`);

    const tmp = await Deno.realPath(await tempDir());
    const dir = `${tmp}/repo`;
    await Deno.mkdir(`${dir}/src/auth`, { recursive: true });
    await git(dir, "init", "-q");
    await Deno.writeTextFile(`${dir}/src/auth/login.ts`, "x\n");
    await Deno.writeTextFile(`${dir}/src/free.ts`, "x\n");
    const reserved = await lokt(["reserve", "src/auth"], { cwd: dir, owner: "other" });
    assertEquals(reserved.code, 0, reserved.stderr);
    const allowed: string[] = [];
    await eachLimited(applied, 4, async (patch) => {
      const tool = await hookDecision("codex", dir, "apply_patch", { input: patch });
      const shell = await hookDecision("codex", dir, "Bash", {
        command: ["bash", "-lc", `apply_patch <<'EOF'\n${patch}\nEOF\n`],
      });
      if (tool.decision !== "deny") allowed.push(`tool: ${JSON.stringify(patch)}`);
      if (shell.decision !== "deny") allowed.push(`shell: ${JSON.stringify(patch)}`);
    });
    assertEquals(
      allowed,
      [],
      `${allowed.length} of ${applied.length * 2} let through:\n${allowed.join("\n")}`,
    );
  },
});

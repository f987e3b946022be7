// The hot bundles are rewritten after bundling so that V8 compiles their hot
// functions on load (.ci/eager_compile.ts). The rewrite must never change what
// a bundle does: a module bundled like gen/ behaves the same before and after,
// with every function made eager, including a function called by the module's
// own top level before its text and a class whose methods use private fields.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { compiledOnLoad, functionUnits } from "../.ci/eager_compile.ts";
import { tempDir } from "./_helpers.ts";

const SOURCE = `
export class Counter {
  #n = 0;
  static made = Counter.describe("static init");
  static describe(what: string): string { return \`\${what} of \${this.name.length > 0}\`; }
  add(by: number): number { this.#n += by; return this.#n; }
}
export const early = twice(21);
function twice(x: number): number { return [x, x].map((v) => v).reduce((a, b) => a + b, 0); }
export async function later(values: number[]): Promise<string> {
  const doubled = await Promise.all(values.map(async (v) => twice(v)));
  return doubled.filter((v) => v > 2).join(",");
}
export function* counting(to: number) { for (let i = 1; i <= to; i++) yield i; }
export class Refused extends Error {
  constructor(why: string) { super(why); this.name = "Refused"; }
}
export function refuse(): string {
  try { throw new Refused("no"); } catch (err) { return \`\${(err as Error).name}: \${(err as Error).message}\`; }
}
`;

async function bundled(dir: string): Promise<string> {
  await Deno.writeTextFile(`${dir}/entry.ts`, SOURCE);
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "deno",
      "--minify",
      "--keep-names",
      "-o",
      `${dir}/bundle.js`,
      `${dir}/entry.ts`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(out.success, new TextDecoder().decode(out.stderr));
  return await Deno.readTextFile(`${dir}/bundle.js`);
}

type Module = {
  Counter: new () => { add(by: number): number };
  early: number;
  later(values: number[]): Promise<string>;
  counting(to: number): Iterable<number>;
  refuse(): string;
};

async function behaviour(path: string) {
  const m: Module = await import(path);
  const counter = new m.Counter();
  counter.add(2);
  return {
    counted: counter.add(3),
    early: m.early,
    later: await m.later([1, 2, 3]),
    counting: [...m.counting(3)],
    refused: m.refuse(),
  };
}

Deno.test("a bundle with every function made eager behaves as the bundle did", async () => {
  const dir = await tempDir();
  const code = await bundled(dir);
  const units = functionUnits(code);
  const named = units.filter((u) => u.name !== null && u.kind !== "fixed").map((u) => u.name!);
  assert(named.includes("twice") && named.includes("later"), named.join(" "));
  assert(units.some((u) => u.name === "Counter.add" && u.kind === "fixed"));
  const eager = compiledOnLoad(code, new Set(named));
  // The hot declarations lead the module as parenthesised function expressions.
  assertMatch(eager, /^var [\w$]+=\((async )?function\*? ?[\w$]+\(/);
  assert(eager.includes("((t)=>t)"), "the names helper was not made a no-op");
  await Deno.writeTextFile(`${dir}/eager.js`, eager);
  const before = await behaviour(`file://${dir}/bundle.js`);
  const after = await behaviour(`file://${dir}/eager.js`);
  assertEquals(after, before);
  assertEquals(after, {
    counted: 5,
    early: 42,
    later: "4,6",
    counting: [1, 2, 3],
    refused: "Refused: no",
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("functions are named across builds by their kept names, not their minified ones", async () => {
  const dir = await tempDir();
  const code = await bundled(dir);
  const names = functionUnits(code).map((u) => u.name);
  // An arrow inside a named function is named by it and its place there.
  assert(names.includes("twice/1") && names.includes("later/1"), names.join(" "));
  // Nothing hot: the module only loses its run-time names.
  const untouched = compiledOnLoad(code, new Set());
  assert(!/var [\w$]+=\(function/.test(untouched), "a function was made eager unasked");
  // A bundle whose names are public keeps setting them at run time.
  assert(!compiledOnLoad(code, new Set(), { runtimeNames: true }).includes("((t)=>t)"));
  await Deno.remove(dir, { recursive: true });
});

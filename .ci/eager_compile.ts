// Which functions of a hot bundle V8 compiles when the bundle loads, so that
// their bytecode comes from the code cache Deno keeps instead of being
// compiled again in every process (docs/performance.md).
//
// Deno makes a module's code cache right after compiling it, so the cache
// holds only what V8 compiled eagerly. V8 compiles a function eagerly when it
// is a parenthesised function expression (its guess for "called at once"); it
// does not follow the `//# allFunctionsCalledOnLoad` hint under Deno. Every
// eager function makes the cache bigger, and reading the cache is paid by
// every process, so only the functions a run of the command calls are made
// eager: `.ci/hot_functions.json`, written by `deno task bundle:profile`
// (`.ci/profile_bundles.ts`) from V8's log of what a run compiled.
//
// A function is named across builds by what `--keep-names` keeps (the
// minified names change with any change of lib/): a top-level function or
// arrow by its original name, a method by its class's and its own, any other
// arrow by the named function around it and its place there (`run/2`).

import type { Node } from "npm:acorn@8.14.0";
import { parse } from "npm:acorn@8.14.0";

/** A function of a bundle: its stable name, how it can be made eager, and where V8 logs it. */
export interface FunctionUnit {
  /** Stable across builds (see above), or `null` when nothing names it. */
  name: string | null;
  /**
   * A top-level declaration (hoisted when hot), an expression or arrow
   * (parenthesised), or one that stays lazy: a method, a nested declaration.
   */
  kind: "declaration" | "expression" | "fixed";
  /** Where V8's function events place it: the start of its parameters. */
  position: number;
  start: number;
  end: number;
}

const PARSE = { ecmaVersion: "latest", sourceType: "module" } as const;

/** Every function of the bundle, with its stable name. */
export function functionUnits(code: string): FunctionUnit[] {
  const program = parse(code, PARSE);
  const names = keptNames(program);
  const units: FunctionUnit[] = [];
  const counters = new Map<string, number>();
  const visit = (node: Node, parent: Node | null, scope: string, binding: string | null) => {
    let inner = scope;
    const fn = asFunction(node);
    if (fn) {
      const method = isMethodValue(node, parent);
      const kind = parent?.type === "Program"
        ? "declaration"
        : method || node.type === "FunctionDeclaration"
        ? "fixed"
        : "expression";
      let name: string | null;
      if (method) name = `${scope}.${binding ?? "?"}`;
      else if (binding !== null && names.has(binding)) name = names.get(binding) as string;
      else if (kind === "declaration" && fn.id) name = names.get(fn.id.name) ?? fn.id.name;
      else {
        const k = (counters.get(scope) ?? 0) + 1;
        counters.set(scope, k);
        name = `${scope}/${k}`;
      }
      units.push({ name, kind, position: paramsStart(code, fn), start: node.start, end: node.end });
      inner = name;
    }
    const classNamed = classNameOf(node, names);
    if (classNamed !== null) inner = classNamed;
    for (const [key, value] of Object.entries(node)) {
      for (const child of Array.isArray(value) ? value : [value]) {
        if (isNode(child)) visit(child, node, inner, bindingOf(node, key));
      }
    }
  };
  visit(program, null, "", null);
  return units;
}

/**
 * The module with the named functions made eager (see above), and, unless
 * `runtimeNames`, without setting the kept names at run time: `--keep-names`
 * names every function with `Object.defineProperty` as the module is
 * evaluated (~0.35 ms of the hook bundle's ~0.7 ms, measured), and nothing
 * the CLI does reads a function's or a class's `name` (every error class sets
 * its `name` itself). The names stay in the text, where they name the hot
 * functions. The library's bundle keeps them at run time: its classes are
 * public, and a program that shows a `Lock` must see `Lock`.
 */
export function compiledOnLoad(
  code: string,
  hot: ReadonlySet<string>,
  options: { runtimeNames?: boolean } = {},
): string {
  const eagerCode = eager(code, hot);
  return options.runtimeNames ? eagerCode : withoutRuntimeNames(eagerCode);
}

/** The module with the `--keep-names` helper made a no-op. */
function withoutRuntimeNames(code: string): string {
  const program = parse(code, PARSE);
  const helper = keepNamesHelper(namingCalls(program));
  for (const statement of program.body) {
    if (statement.type !== "VariableDeclaration") continue;
    for (const declarator of statement.declarations) {
      const init = declarator.init;
      if (declarator.id.type !== "Identifier" || declarator.id.name !== helper || !init) continue;
      return `${code.slice(0, init.start)}((t)=>t)${code.slice(init.end)}`;
    }
  }
  return code;
}

function eager(code: string, hot: ReadonlySet<string>): string {
  const chosen = functionUnits(code).filter((u) =>
    u.name !== null && hot.has(u.name) && u.kind !== "fixed"
  );
  const edits: [number, string][] = [];
  const first: string[] = [];
  const cut: [number, number][] = [];
  for (const unit of chosen) {
    if (unit.kind === "expression") edits.push([unit.start, "("], [unit.end, ")"]);
    else cut.push([unit.start, unit.end]);
  }
  // A declaration's text is moved with the arrows inside it already parenthesised.
  const wrapped = (from: number, to: number) => applyEdits(code, edits, from, to);
  for (const [start, end] of cut) {
    const text = wrapped(start, end);
    const name = /^(?:async\s*)?function\s*\*?\s*([\w$]+)/.exec(text)?.[1];
    first.push(`var ${name}=(${text});\n`);
  }
  const rest: string[] = [];
  let at = 0;
  for (const [start, end] of cut) {
    rest.push(wrapped(at, start));
    at = end;
  }
  rest.push(wrapped(at, code.length));
  return first.join("") + rest.join("");
}

/** `code[from, to)` with the insertions that fall inside it. */
function applyEdits(code: string, edits: [number, string][], from: number, to: number): string {
  const inside = edits.filter(([p, t]) => (t === "(" ? p >= from && p < to : p > from && p <= to));
  // At one position, closings of the inner function come before openings of the next.
  inside.sort((a, b) => a[0] - b[0] || (a[1] === b[1] ? 0 : a[1] === ")" ? -1 : 1));
  const out: string[] = [];
  let at = from;
  for (const [position, text] of inside) {
    out.push(code.slice(at, position), text);
    at = position;
  }
  out.push(code.slice(at, to));
  return out.join("");
}

/** Minified name → original name, from the `--keep-names` calls `h(name, "original")`. */
function keptNames(program: Node): Map<string, string> {
  const calls = namingCalls(program);
  const helper = keepNamesHelper(calls);
  const names = new Map<string, string>();
  for (const c of calls) {
    if (c.callee === helper && c.target !== "this") names.set(c.target, c.name);
  }
  return names;
}

interface NamingCall {
  callee: string;
  target: string;
  name: string;
}

/** Every call `f(identifier or this, "string")`. */
function namingCalls(program: Node): NamingCall[] {
  const calls: NamingCall[] = [];
  walk(program, (node) => {
    const call = node as Node & { callee?: Node & { name?: string }; arguments?: Node[] };
    if (node.type !== "CallExpression" || call.callee?.type !== "Identifier") return;
    const [target, name] = call.arguments ?? [];
    const value = (name as Node & { value?: unknown } | undefined)?.value;
    if (!target || typeof value !== "string") return;
    const id = target.type === "Identifier" ? (target as Node & { name: string }).name : "this";
    calls.push({ callee: call.callee.name as string, target: id, name: value });
  });
  return calls;
}

/** The `--keep-names` helper: the callee of most such calls. */
function keepNamesHelper(calls: NamingCall[]): string | undefined {
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(c.callee, (counts.get(c.callee) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** A class's kept name (`static{h(this,"Name")}`), or `null` for anything else. */
function classNameOf(node: Node, names: Map<string, string>): string | null {
  if (node.type !== "ClassExpression" && node.type !== "ClassDeclaration") return null;
  let found: string | null = null;
  walk(node, (inner) => {
    const call = inner as Node & { arguments?: Node[] };
    const [target, name] = call.arguments ?? [];
    const value = (name as Node & { value?: unknown } | undefined)?.value;
    if (found === null && target?.type === "ThisExpression" && typeof value === "string") {
      found = value;
    }
  });
  const id = (node as Node & { id?: { name: string } | null }).id?.name;
  return found ?? (id ? names.get(id) ?? id : "class");
}

/** The name a child is bound to: a variable, an assignment's target, a method's key. */
function bindingOf(parent: Node, key: string): string | null {
  const p = parent as Node & {
    id?: Node & { name?: string };
    left?: Node & { name?: string };
    key?: Node & { name?: string; value?: unknown };
  };
  if (parent.type === "VariableDeclarator" && key === "init") return p.id?.name ?? null;
  if (parent.type === "AssignmentExpression" && key === "right") return p.left?.name ?? null;
  if ((parent.type === "MethodDefinition" || parent.type === "Property") && key === "value") {
    return p.key?.name ?? (typeof p.key?.value === "string" ? p.key.value : null);
  }
  return null;
}

function asFunction(node: Node): (Node & { id?: { name: string; end: number } | null }) | null {
  return /^(FunctionDeclaration|FunctionExpression|ArrowFunctionExpression)$/.test(node.type)
    ? node
    : null;
}

function isMethodValue(node: Node, parent: Node | null): boolean {
  if (node.type !== "FunctionExpression" || parent === null) return false;
  const p = parent as Node & { method?: boolean; kind?: string };
  return parent.type === "MethodDefinition" ||
    (parent.type === "Property" && (p.method === true || p.kind !== "init"));
}

/** Where V8 starts a function: its parameter list (an arrow's first token). */
function paramsStart(code: string, fn: Node & { id?: { end: number } | null }): number {
  if (fn.type === "ArrowFunctionExpression") return fn.start;
  return code.indexOf("(", fn.id ? fn.id.end : fn.start);
}

function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  for (const value of Object.values(node)) {
    for (const child of Array.isArray(value) ? value : [value]) {
      if (isNode(child)) walk(child, visit);
    }
  }
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null &&
    typeof (value as { type?: unknown }).type === "string";
}

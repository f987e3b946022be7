/**
 * What the formatters and fixers agents run write (docs/agents.md): the
 * files and directories they are given (`prettier --write src/a.ts`,
 * `eslint --fix src`, `gofmt -w`, `black`, `ruff format`, `clang-format
 * -i`), or all of where they run when they are given none (`eslint --fix`;
 * `deno fmt` and `cargo fmt`: their whole project, read as the whole
 * worktree), unless they only check (`--check`). They
 * rewrite any file that is not formatted their way, whoever is editing it.
 * Package runners (`npx`, `pnpm exec`, `yarn`, `bunx`, `uvx`, `python -m`)
 * run them too.
 *
 * @module
 */

import { operandsOf } from "./shell_words.ts";
import { WHOLE_TREE } from "./shell_git_writers.ts";

/** How one formatter writes: when it writes, and what it writes given no operand. */
interface Formatter {
  /** The subcommand it must be run as (`deno fmt`), if any. */
  sub?: RegExp;
  /** It writes only with one of these options; without `writes`, always (but `checks`). */
  writes?: RegExp;
  /** Options with which it writes nothing. */
  checks?: RegExp;
  /** What it formats with no operand: where it runs (`.`), the worktree (`:/`), or nothing. */
  bare: string[];
}

const CHECKS = /^--(?:check|diff|dry-run|list-different)$|^-l$/;

const FORMATTERS: Readonly<Record<string, Formatter>> = {
  prettier: { writes: /^(?:--write|-w)$/, bare: [] },
  eslint: { writes: /^--fix(?:-type)?$/, bare: ["."] },
  deno: { sub: /^(?:fmt|lint)$/, writes: /^(?:fmt|--fix)$/, checks: CHECKS, bare: [WHOLE_TREE] },
  gofmt: { writes: /^-[a-z]*w[a-z]*$/, bare: [] },
  goimports: { writes: /^-[a-z]*w[a-z]*$/, bare: [] },
  go: { sub: /^(?:fmt|fix)$/, bare: ["."] },
  black: { checks: CHECKS, bare: [] },
  isort: { checks: /^--(?:check(?:-only)?|diff)$|^-c$/, bare: [] },
  ruff: { sub: /^(?:format|check)$/, writes: /^(?:format|--fix)$/, checks: CHECKS, bare: ["."] },
  rustfmt: { checks: CHECKS, bare: [] },
  cargo: {
    sub: /^(?:fmt|fix|clippy)$/,
    writes: /^(?:fmt|fix|--fix)$/,
    checks: CHECKS,
    bare: [WHOLE_TREE],
  },
  biome: { sub: /^(?:format|check|lint)$/, writes: /^--(?:write|apply|fix)$/, bare: ["."] },
  "clang-format": { writes: /^-i$/, bare: [] },
  autopep8: { writes: /^(?:-i|--in-place)$/, bare: [] },
  yapf: { writes: /^(?:-i|--in-place)$/, bare: [] },
  shfmt: { writes: /^-[a-z]*w[a-z]*$/, bare: [] },
  stylelint: { writes: /^--fix$/, bare: [] },
  rubocop: { writes: /^(?:-a|-A|--autocorrect(?:-all)?|-x|--fix-layout)$/, bare: ["."] },
  dprint: { sub: /^fmt$/, bare: ["."] },
};

/** Programs that run a package's command: their options, and the words before it. */
const RUNNERS: Readonly<Record<string, RegExp>> = {
  npx: /^(?:-p|--package|-c|--call)$/,
  bunx: /^(?:-p|--package)$/,
  uvx: /^(?:--from|--with|-p|--python)$/,
  pnpx: /^(?:-p|--package)$/,
};

/** Runners whose command follows a subcommand (`pnpm exec X`, `yarn dlx X`, `uv run X`). */
const RUNNER_SUBCOMMANDS: Readonly<Record<string, RegExp>> = {
  pnpm: /^(?:exec|dlx|x)$/,
  yarn: /^(?:exec|dlx|run)$/,
  npm: /^(?:exec|x)$/,
  uv: /^(?:run|tool)$/,
  poetry: /^run$/,
  pipx: /^run$/,
  pipenv: /^run$/,
};

/**
 * What a formatter or fixer writes, or `null` when the command is none.
 *
 * @param name The command's name (its last path part).
 * @param args The words after it.
 * @returns The words it writes (files, directories, `.`), or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { formatterWrites } from "./shell_formatters.ts";
 * assert.deepEqual(formatterWrites("prettier", ["--write", "src/a.ts"]), ["src/a.ts"]);
 * assert.deepEqual(formatterWrites("deno", ["fmt"]), ["\0:/"]);
 * assert.deepEqual(formatterWrites("deno", ["fmt", "--check"]), []);
 * assert.equal(formatterWrites("ls", ["-la"]), null);
 * ```
 */
export function formatterWrites(name: string, args: string[]): string[] | null {
  const formatter = FORMATTERS[name];
  if (!formatter) return null;
  if (formatter.sub && !formatter.sub.test(args.find((a) => !a.startsWith("-")) ?? "")) return null;
  const writes = formatter.writes;
  if (writes && !args.some((a) => writes.test(a))) return [];
  if (formatter.checks && args.some((a) => formatter.checks?.test(a))) return [];
  const after = formatter.sub ? args.slice(1 + args.findIndex((a) => !a.startsWith("-"))) : args;
  const words = operandsOf(after);
  return words.length ? words : formatter.bare;
}

/**
 * The command a package runner runs (`npx prettier --write a` →
 * `prettier --write a`), or `null` when the command is no runner.
 *
 * @param name The command's name.
 * @param args The words after it.
 * @returns The command it runs, name first.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { runnerCommand } from "./shell_formatters.ts";
 * assert.deepEqual(runnerCommand("npx", ["-y", "prettier", "-w", "a"]), ["prettier", "-w", "a"]);
 * assert.deepEqual(runnerCommand("python3", ["-m", "black", "src"]), ["black", "src"]);
 * assert.equal(runnerCommand("npm", ["test"]), null);
 * ```
 */
export function runnerCommand(name: string, args: string[]): string[] | null {
  if (/^python(?:\d(?:\.\d+)?)?$/.test(name)) {
    const m = args.indexOf("-m");
    return m >= 0 && args[m + 1] ? args.slice(m + 1) : null;
  }
  let rest = args;
  const sub = RUNNER_SUBCOMMANDS[name];
  if (sub) {
    const first = rest.findIndex((a) => !a.startsWith("-"));
    if (first < 0) return null;
    // `yarn prettier …` runs a package's binary like `yarn run prettier …`.
    rest = sub.test(rest[first] as string) ? rest.slice(first + 1) : name === "yarn" ? rest : [];
    if (name === "uv" && rest[0] === "run") rest = rest.slice(1);
  } else if (!RUNNERS[name]) return null;
  const valued = RUNNERS[name] ?? /^$/;
  let i = 0;
  while (i < rest.length && (rest[i] as string).startsWith("-")) {
    i += valued.test(rest[i] as string) ? 2 : 1;
  }
  return i < rest.length ? rest.slice(i) : null;
}

/**
 * A small argument parser: flags before or after positionals, `--flag value`
 * and `--flag=value`, `--` ending the flags [W6]. Kept in one module so that
 * `@std/cli` can replace it; importing a framework costs start-up time.
 *
 * @module
 */

import { UsageError } from "../model/errors.ts";

/** One flag a command accepts. */
export interface FlagSpec {
  /** The long name, without dashes. */
  name: string;
  /** `boolean` flags take no value; `string` flags take exactly one. */
  type: "boolean" | "string";
  /** The value's placeholder in help, e.g. `D` or `TEXT`. */
  value?: string;
  /** One line of help. */
  help: string;
  /** The default, as shown in help. */
  default?: string;
}

/** What a command accepts and how it is explained. */
export interface CommandSpec {
  /** The command name. */
  name: string;
  /** One-line summary. */
  summary: string;
  /** Usage line(s) after `lokt `. */
  usage: string[];
  /** Accepted flags (`--json` and `--help` are added to every command). */
  flags: FlagSpec[];
  /**
   * Names of the positionals, for messages; `?` marks optional ones, a last
   * `name...` takes any number.
   */
  positionals: string[];
  /** Whatever follows `--` is a command to run (guard). */
  takesCommand?: boolean;
  /** Examples shown in help. */
  examples: string[];
  /** `false` for a command that serves and prints no result (`dashboard`, `mcp`): no `--json`. */
  json?: boolean;
}

/** The result of parsing. */
export interface ParsedArgs {
  /** Flag values by long name (booleans are `true` when given). */
  flags: Record<string, string | boolean | undefined>;
  /** Positional arguments. */
  positionals: string[];
  /** The words after `--` for commands that take a command, else `null`. */
  command: string[] | null;
}

/** The common flags a command takes: `--help`, and `--json` unless it prints no result. */
function commonFlags(spec: CommandSpec): FlagSpec[] {
  return spec.json === false ? COMMON_FLAGS.filter((f) => f.name !== "json") : COMMON_FLAGS;
}

/** Flags every command accepts (but `--json`, by those that print no result). */
export const COMMON_FLAGS: FlagSpec[] = [
  { name: "json", type: "boolean", help: "print one JSON document on stdout" },
  { name: "help", type: "boolean", help: "show this help" },
];

/**
 * Parses a command's arguments.
 *
 * @param spec The command's spec.
 * @param argv The arguments after the command name.
 * @returns Flags, positionals and the command after `--`.
 * @throws {UsageError} On an unknown flag, a missing value or too many positionals.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { parseArgs } from "./args.ts";
 * const spec = {
 *   name: "lock", summary: "", usage: [], examples: [], positionals: ["name"],
 *   flags: [{ name: "ttl", type: "string" as const, help: "" }],
 * };
 * const parsed = parseArgs(spec, ["build", "--ttl=5m"]);
 * assert(parsed.flags.ttl === "5m" && parsed.positionals[0] === "build");
 * ```
 */
export function parseArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const flags: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  let command: string[] | null = null;
  const known = new Map([...spec.flags, ...commonFlags(spec)].map((f) => [f.name, f]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      const rest = argv.slice(i + 1);
      if (spec.takesCommand) command = rest;
      else positionals.push(...rest);
      break;
    }
    if (arg === "-h") {
      flags.help = true;
      continue;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const flag = known.get(name);
      if (!flag) throw unknownFlag(spec, arg.slice(0, eq < 0 ? undefined : eq), known);
      if (flag.type === "boolean") {
        if (eq >= 0) throw new UsageError(`--${name} takes no value`, spec.name);
        flags[name] = true;
        continue;
      }
      let value: string | undefined;
      if (eq >= 0) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        if (value === undefined || value === "--" || value.startsWith("--")) {
          throw new UsageError(
            `--${name} needs a value (--${name} ${flag.value ?? "VALUE"})`,
            spec.name,
          );
        }
        i++;
      }
      flags[name] = value;
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      throw new UsageError(`unknown flag ${arg}`, spec.name);
    }
    positionals.push(arg);
  }
  if (flags.help) return { flags, positionals, command };
  // A last positional named `name...` takes any number of arguments.
  const variadic = spec.positionals.at(-1)?.replace(/\?$/, "").endsWith("...") ?? false;
  const max = variadic ? Infinity : spec.positionals.length;
  if (positionals.length > max) {
    throw new UsageError(
      `unexpected argument ${JSON.stringify(positionals[max])}${
        spec.takesCommand ? " (put the command after --)" : ""
      }`,
      spec.name,
    );
  }
  const required = spec.positionals.filter((p) => !p.endsWith("?")).length;
  if (positionals.length < required) {
    throw new UsageError(`missing <${spec.positionals[positionals.length]}>`, spec.name);
  }
  return { flags, positionals, command };
}

function unknownFlag(spec: CommandSpec, given: string, known: Map<string, FlagSpec>): UsageError {
  const name = given.slice(2);
  const close = [...known.keys()].find((k) => k.startsWith(name.slice(0, 3)) && name.length > 1);
  const hint = close ? ` (did you mean --${close}?)` : "";
  return new UsageError(`unknown flag ${given} for 'lokt ${spec.name}'${hint}`, spec.name);
}

/**
 * Renders a command's help text.
 *
 * @param spec The command's spec.
 * @returns The help text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { helpText } from "./args.ts";
 * const spec = { name: "demo", summary: "a demo", usage: ["demo <name>"], flags: [], positionals: ["name"], examples: [] };
 * assert(helpText(spec).startsWith("lokt demo — a demo"));
 * ```
 */
export function helpText(spec: CommandSpec): string {
  const lines = [`lokt ${spec.name} — ${spec.summary}`, "", "Usage:"];
  for (const u of spec.usage) lines.push(`  lokt ${u}`);
  lines.push("", "Flags:");
  const all = [...spec.flags, ...commonFlags(spec)];
  const left = all.map((f) => `--${f.name}${f.type === "string" ? ` ${f.value ?? "VALUE"}` : ""}`);
  const width = Math.max(...left.map((l) => l.length));
  all.forEach((f, i) => {
    const def = f.default ? ` (default: ${f.default})` : "";
    lines.push(`  ${(left[i] as string).padEnd(width)}  ${f.help}${def}`);
  });
  if (spec.examples.length) {
    lines.push("", "Examples:");
    for (const e of spec.examples) lines.push(`  ${e}`);
  }
  return lines.join("\n");
}

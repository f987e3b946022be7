/**
 * The tools of lokt's MCP server (docs/contract.md §16): their JSON schemas, and the
 * command line each call runs — the CLI's own commands, so that a tool
 * returns exactly the document `--json` prints. Waits are bounded (at most
 * 30 s) because harnesses time tool calls out; holds and reservations are
 * tied to the server's process.
 *
 * @module
 */

import { UsageError } from "../../model/errors.ts";

/** The longest wait a tool may ask for, in seconds. */
export const MAX_WAIT_SECONDS = 30;

/** One tool as `tools/list` describes it. */
export interface ToolDescription {
  /** The tool's name. */
  name: string;
  /** What it does. */
  description: string;
  /** Its arguments, as a JSON schema. */
  inputSchema: { type: "object"; properties: Record<string, unknown>; required?: string[] };
}

const text = (description: string) => ({ type: "string", description });
const list = (description: string) => ({
  type: "array",
  items: { type: "string" },
  minItems: 1,
  maxItems: 64,
  description,
});
const wait = {
  type: "number",
  minimum: 0,
  maximum: MAX_WAIT_SECONDS,
  description: `wait up to this many seconds (at most ${MAX_WAIT_SECONDS}) while it is held`,
};

/** The tools. */
export const MCP_TOOLS: ToolDescription[] = [
  {
    name: "lokt_status",
    description: "Locks held (with holders and waiters), path reservations and freezes.",
    inputSchema: { type: "object", properties: { name: text("only this lock name") } },
  },
  {
    name: "lokt_why",
    description:
      "Whether a lock can be acquired now, every reason not, and the commands that clear each.",
    inputSchema: {
      type: "object",
      properties: { name: text("the lock name") },
      required: ["name"],
    },
  },
  {
    name: "lokt_lock",
    description:
      "Acquire a lock for this session (released when it ends). Refused with the holder named when another agent holds it.",
    inputSchema: {
      type: "object",
      properties: {
        name: text("the lock name"),
        reason: text("why you take it (shown to others)"),
        ttl: text("time to live, e.g. 20m (default: while this session lasts)"),
        wait_seconds: wait,
        slots: { type: "integer", minimum: 2, maximum: 64, description: "take one of N slots" },
        shared: { type: "boolean", description: "a reader's hold" },
      },
      required: ["name"],
    },
  },
  {
    name: "lokt_unlock",
    description: "Release a lock you hold.",
    inputSchema: {
      type: "object",
      properties: { name: text("the lock name") },
      required: ["name"],
    },
  },
  {
    name: "lokt_reserve",
    description:
      "Reserve paths before editing them (patterns relative to the directory the server runs in, usually the project's top; ':/' for the top): all or none; refused listing the conflicting reservations.",
    inputSchema: {
      type: "object",
      properties: {
        patterns: list("paths or glob patterns (*, ?, **, [...])"),
        reason: text("what you are doing"),
        ttl: text("time to live, e.g. 1h (default 30m)"),
        shared: { type: "boolean", description: "read intent: conflicts only with exclusive ones" },
        wait_seconds: wait,
      },
      required: ["patterns"],
    },
  },
  {
    name: "lokt_release",
    description: "Release your reservations: the patterns given, or all of them.",
    inputSchema: {
      type: "object",
      properties: { patterns: list("patterns to release"), all: { type: "boolean" } },
    },
  },
  {
    name: "lokt_check",
    description:
      "Whether you may write these paths now (read-only): lists other agents' reservations in the way.",
    inputSchema: {
      type: "object",
      properties: { paths: list("literal paths"), shared: { type: "boolean" } },
      required: ["paths"],
    },
  },
  {
    name: "lokt_audit",
    description:
      "The audit trail: who acquired, waited, released, broke or reserved what, and when.",
    inputSchema: {
      type: "object",
      properties: {
        since: text("e.g. 1h, or an ISO time"),
        name: text("only this lock name"),
        event: text("comma-separated events, e.g. acquire,deny"),
        limit: {
          type: "integer",
          minimum: 1,
          maximum: 1000,
          description: "at most this many (default 100)",
        },
      },
    },
  },
];

/** A tool call as a command line: its flags (each `--name=value`), then its positionals. */
export interface ToolCommand {
  /** The CLI command. */
  command: string;
  /** Flags, each one token (`--ttl=5m`, `--shared`), so no value is read as another flag. */
  flags: string[];
  /** Positionals, passed after `--`, so none is read as a flag. */
  positionals: string[];
}

/**
 * Checks a tool call's arguments against the tool's schema: known
 * properties only, each of its type and within its bounds, the required
 * ones present.
 *
 * @param tool The tool.
 * @param input Its arguments.
 * @throws {UsageError} Naming the first argument that does not fit.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { MCP_TOOLS, validateToolInput } from "./mcp_tools.ts";
 * const lock = MCP_TOOLS.find((t) => t.name === "lokt_lock")!;
 * assert.throws(() => validateToolInput(lock, { name: "x", force: true }), /unknown argument "force"/);
 * assert.throws(() => validateToolInput(lock, { name: "x", wait_seconds: 31 }), /wait_seconds/);
 * ```
 */
export function validateToolInput(tool: ToolDescription, input: Record<string, unknown>): void {
  const properties = tool.inputSchema.properties as Record<string, PropertySchema>;
  for (const key of Object.keys(input)) {
    if (!(key in properties)) {
      throw new UsageError(`unknown argument ${JSON.stringify(key)} for ${tool.name}`);
    }
  }
  for (const key of tool.inputSchema.required ?? []) {
    if (input[key] === undefined || input[key] === null) throw new UsageError(`${key} is required`);
  }
  for (const [key, schema] of Object.entries(properties)) {
    const value = input[key];
    if (value === undefined || value === null) continue;
    const problem = schemaProblem(schema, value);
    if (problem) throw new UsageError(`${key} ${problem}`);
  }
}

/** The subset of JSON Schema the tools use. */
interface PropertySchema {
  type: "string" | "number" | "integer" | "boolean" | "array";
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

/** What is wrong with a value for a schema, or `null`. */
function schemaProblem(schema: PropertySchema, value: unknown): string | null {
  switch (schema.type) {
    case "string":
      return typeof value === "string" ? null : "must be a string";
    case "boolean":
      return typeof value === "boolean" ? null : "must be true or false";
    case "number":
    case "integer": {
      const whole = schema.type === "integer";
      if (
        typeof value !== "number" || !Number.isFinite(value) || (whole && !Number.isInteger(value))
      ) {
        return `must be ${whole ? "an integer" : "a number"}`;
      }
      if (
        (schema.minimum !== undefined && value < schema.minimum) ||
        (schema.maximum !== undefined && value > schema.maximum)
      ) {
        return `must be from ${schema.minimum} to ${schema.maximum}`;
      }
      return null;
    }
    case "array": {
      if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
        return "must be a list of strings";
      }
      if (value.length < (schema.minItems ?? 0) || value.length > (schema.maxItems ?? Infinity)) {
        return `must hold ${schema.minItems ?? 0} to ${schema.maxItems} items`;
      }
      return null;
    }
  }
}

/**
 * The command line a tool call runs: every argument checked against the
 * tool's schema, flags as single `--name=value` tokens and positionals after
 * `--`, so that no argument string is ever read as a flag (a pattern
 * `--force` is a pattern; a name `--watch` is an invalid name).
 *
 * @param name The tool.
 * @param input Its arguments.
 * @param pid The server's process, which holds and reservations are tied to.
 * @returns The command, its flags and its positionals (without `--json`).
 * @throws {UsageError} For an unknown tool or an argument that does not fit the schema.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { toolCommand } from "./mcp_tools.ts";
 * const call = toolCommand("lokt_release", { patterns: ["--owner", "A", "--force"] }, 42);
 * assert.deepEqual(call, { command: "release", flags: [], positionals: ["--owner", "A", "--force"] });
 * assert.deepEqual(toolCommand("lokt_lock", { name: "build" }, 42).flags, ["--pid=42", "--ttl=0"]);
 * ```
 */
export function toolCommand(
  name: string,
  input: Record<string, unknown>,
  pid: number,
): ToolCommand {
  const tool = MCP_TOOLS.find((t) => t.name === name);
  if (!tool) throw new UsageError(`unknown tool ${JSON.stringify(name)}`);
  validateToolInput(tool, input);
  const str = (key: string) => (typeof input[key] === "string" ? input[key] as string : undefined);
  const strings = (key: string) => (Array.isArray(input[key]) ? input[key] as string[] : []);
  const opt = (flag: string, value: string | number | undefined) =>
    value === undefined ? [] : [`--${flag}=${value}`];
  const on = (flag: string, key: string) => (input[key] === true ? [`--${flag}`] : []);
  const seconds = input.wait_seconds as number | undefined;
  const waitFor = seconds ? [`--timeout=${Math.round(seconds * 1000)}ms`] : [];
  const call = (command: string, flags: string[], positionals: string[]) => ({
    command,
    flags,
    positionals,
  });
  switch (name) {
    case "lokt_status":
      return call("status", [], str("name") === undefined ? [] : [str("name") as string]);
    case "lokt_why":
      return call("why", [], [str("name") as string]);
    case "lokt_lock":
      return call("lock", [
        `--pid=${pid}`,
        ...opt("ttl", str("ttl") ?? "0"),
        ...opt("reason", str("reason")),
        ...opt("slots", input.slots as number | undefined),
        ...on("shared", "shared"),
        ...waitFor,
      ], [str("name") as string]);
    case "lokt_unlock":
      return call("unlock", [], [str("name") as string]);
    case "lokt_reserve":
      return call("reserve", [
        `--pid=${pid}`,
        ...opt("ttl", str("ttl")),
        ...opt("reason", str("reason")),
        ...on("shared", "shared"),
        ...waitFor,
      ], strings("patterns"));
    case "lokt_release":
      if (input.all === true && input.patterns !== undefined) {
        throw new UsageError("give patterns or all, not both");
      }
      return input.all === true
        ? call("release", ["--all"], [])
        : call("release", [], strings("patterns"));
    case "lokt_check":
      return call("check", on("shared", "shared"), strings("paths"));
    default:
      return call("audit", [
        ...opt("since", str("since")),
        ...opt("name", str("name")),
        ...opt("event", str("event")),
        ...opt("limit", (input.limit as number | undefined) ?? 100),
      ], []);
  }
}

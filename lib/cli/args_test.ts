import { assertEquals } from "../../tests/_assert.ts";
import { throws } from "node:assert/strict";
import { parseArgs } from "./args.ts";
import type { CommandSpec } from "./args.ts";
import { UsageError } from "../model/errors.ts";

const lock: CommandSpec = {
  name: "lock",
  summary: "",
  usage: [],
  examples: [],
  positionals: ["name"],
  flags: [
    { name: "ttl", type: "string", help: "" },
    { name: "wait", type: "boolean", help: "" },
  ],
};

Deno.test("parseArgs() takes flags before or after positionals, with = or a space", () => {
  for (
    const argv of [
      ["build", "--ttl", "5m", "--wait"],
      ["--ttl", "5m", "build", "--wait"],
      ["--wait", "--ttl=5m", "build"],
    ]
  ) {
    const parsed = parseArgs(lock, argv);
    assertEquals(parsed.positionals, ["build"]);
    assertEquals(parsed.flags.ttl, "5m");
    assertEquals(parsed.flags.wait, true);
  }
});

Deno.test("parseArgs() gives the words after -- to commands that take a command", () => {
  const guard = { ...lock, name: "guard", takesCommand: true };
  const parsed = parseArgs(guard, ["build", "--ttl", "1m", "--", "make", "--wait", "-j4"]);
  assertEquals(parsed.command, ["make", "--wait", "-j4"]);
  assertEquals(parsed.flags.wait, undefined);
});

Deno.test("parseArgs() rejects unknown flags, missing values and extra positionals", () => {
  throws(() => parseArgs(lock, ["build", "--nope"]), UsageError);
  throws(() => parseArgs(lock, ["build", "-x"]), UsageError);
  throws(() => parseArgs(lock, ["build", "--ttl"]), UsageError);
  throws(() => parseArgs(lock, ["build", "--ttl", "--wait"]), UsageError);
  throws(() => parseArgs(lock, ["build", "--wait=yes"]), UsageError);
  throws(() => parseArgs(lock, ["a", "b"]), UsageError);
  throws(() => parseArgs(lock, []), UsageError);
});

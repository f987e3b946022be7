/**
 * What a hook prints and how it exits: the harness's JSON answer, a denial
 * with its reason, or nothing (docs/agents.md).
 *
 * @module
 */

/** What a hook prints and how it exits. */
export interface HookAnswer {
  /** Standard output: the harness's JSON answer, or empty. */
  stdout: string;
  /** Standard error: a warning line, or empty. */
  stderr: string;
  /** 0, or 1 for lokt's own failure (non-blocking). */
  exitCode: number;
}

/**
 * A PreToolUse denial with its reason (which the harness shows the model).
 *
 * @param reason The reason.
 * @returns The answer.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { denyWith } from "./hook_answers.ts";
 * assert.equal(JSON.parse(denyWith("no").stdout).hookSpecificOutput.permissionDecision, "deny");
 * ```
 */
export function denyWith(reason: string): HookAnswer {
  return answer({
    hookSpecificOutput: {
      hookEventName: "PreToolUse",
      permissionDecision: "deny",
      permissionDecisionReason: reason,
    },
  });
}

/**
 * An answer that prints one JSON document.
 *
 * @param document The document.
 * @returns The answer.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { answer } from "./hook_answers.ts";
 * assert.equal(answer({ a: 1 }).stdout, '{"a":1}\n');
 * ```
 */
export function answer(document: unknown): HookAnswer {
  return { stdout: `${JSON.stringify(document)}\n`, stderr: "", exitCode: 0 };
}

/**
 * No output: never `allow`, which would skip the person's own permission rules.
 *
 * @returns The answer.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { quiet } from "./hook_answers.ts";
 * assert.deepEqual(quiet(), { stdout: "", stderr: "", exitCode: 0 });
 * ```
 */
export function quiet(): HookAnswer {
  return { stdout: "", stderr: "", exitCode: 0 };
}

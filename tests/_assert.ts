// Assertions for tests, on top of node:assert/strict.
import { deepEqual, match, ok, throws } from "node:assert/strict";

export function assert(value: unknown, message?: string): asserts value {
  ok(value, message);
}

export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  deepEqual(actual, expected, message);
}

export function assertMatch(actual: string, pattern: RegExp, message?: string): void {
  match(actual, pattern, message);
}

export function assertThrows(fn: () => unknown, message?: string): void {
  throws(fn, message);
}

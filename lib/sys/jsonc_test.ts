import { assertEquals, assertThrows } from "../../tests/_assert.ts";
import { stripJsonc } from "./jsonc.ts";

Deno.test("stripJsonc() removes comments and trailing commas, keeping strings and line numbers", () => {
  const text = [
    "{",
    '  // a comment with "quotes" and /* */',
    '  "a": "not // a comment", /* block',
    '  still */ "b": ["x", "y",],',
    '  "c": "escaped \\" quote, // still a string",',
    "}",
  ].join("\n");
  const stripped = stripJsonc(text);
  assertEquals(stripped.length, text.length);
  assertEquals(stripped.split("\n").length, text.split("\n").length);
  assertEquals(JSON.parse(stripped), {
    a: "not // a comment",
    b: ["x", "y"],
    c: 'escaped " quote, // still a string',
  });
});

Deno.test("stripJsonc() leaves invalid JSON invalid", () => {
  assertThrows(() => JSON.parse(stripJsonc('{ "a": 1 "b": 2 }')));
  assertThrows(() => JSON.parse(stripJsonc("{ ,, }")));
  assertEquals(JSON.parse(stripJsonc("[1, 2, ] // end")), [1, 2]);
});

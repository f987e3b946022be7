import { assertEquals } from "../../tests/_assert.ts";
import { throws } from "node:assert/strict";
import { parseDuration, parseTtl } from "./duration.ts";
import { formatDuration } from "./duration_format.ts";
import { UsageError } from "./errors.ts";

Deno.test("parseDuration() accepts units and compound durations", () => {
  assertEquals(parseDuration("500ms"), 500);
  assertEquals(parseDuration("90s"), 90_000);
  assertEquals(parseDuration("5m"), 300_000);
  assertEquals(parseDuration("1h30m"), 5_400_000);
  assertEquals(parseDuration("2d"), 172_800_000);
  assertEquals(parseDuration("1.5s"), 1500);
});

Deno.test("parseDuration() rejects bare numbers, junk and absurd values with UsageError", () => {
  for (const bad of ["10", "", "5x", "m5", "-5s", "5 m", "1e3s", "9999d", "5mm", "s"]) {
    throws(() => parseDuration(bad), UsageError, bad);
  }
});

Deno.test("parseTtl() rejects sub-second TTLs and allows 0 only when asked", () => {
  throws(() => parseTtl("500ms"), UsageError);
  throws(() => parseTtl("0"), UsageError);
  assertEquals(parseTtl("0", { allowZero: true }), 0);
  assertEquals(parseTtl("1s"), 1000);
});

Deno.test("formatDuration() prints compact human durations", () => {
  assertEquals(formatDuration(288_000), "4m48s");
  assertEquals(formatDuration(850), "850ms");
  assertEquals(formatDuration(3_720_000), "1h2m");
  assertEquals(formatDuration(-5), "0s");
  assertEquals(formatDuration(90_000_000), "1d1h");
});

import { assertEquals } from "../../tests/_assert.ts";
import { isoTime } from "./iso_time.ts";

Deno.test("isoTime() equals Date.prototype.toISOString() everywhere", () => {
  const edges = [
    0,
    -1,
    1,
    951_782_400_000, // 2000-02-29
    951_868_799_999, // 2000-02-29T23:59:59.999
    4_107_542_400_000, // 2100-03-01 (2100 is not a leap year)
    253_402_300_799_999, // 9999-12-31T23:59:59.999
    -62_167_219_200_000, // 0000-01-01
    253_402_300_800_000, // 10000-01-01: falls back
    -62_167_219_200_001, // before year 0: falls back
    1_796_000_000_123.7, // fractional: truncated like Date
  ];
  for (const ms of edges) assertEquals(isoTime(ms), new Date(ms).toISOString(), String(ms));
  // Random instants over 1900–2200, and every day boundary of 2024–2028.
  for (let i = 0; i < 20_000; i++) {
    const ms = Math.floor(-2_208_988_800_000 + Math.random() * 9_467_280_000_000);
    assertEquals(isoTime(ms), new Date(ms).toISOString(), String(ms));
  }
  for (let day = 19_723; day < 19_723 + 5 * 366; day++) {
    for (const offset of [0, 86_399_999]) {
      const ms = day * 86_400_000 + offset;
      assertEquals(isoTime(ms), new Date(ms).toISOString(), String(ms));
    }
  }
});

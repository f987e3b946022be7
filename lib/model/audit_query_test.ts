// The audit line matcher: its text shortcuts (time prefix, event kind, name)
// decide exactly as parsing would — a line written by lokt or by hand, with
// fields in another order, is kept or skipped the same way.
import { assertEquals } from "../../tests/_assert.ts";
import { eventMatcher } from "./audit_query.ts";

const lokt =
  '{"ts":"2026-11-30T10:00:00.000Z","event":"renew","name":"build","lock_id":"l","fence":1,"owner":"a","agent_id":"x","host":"h","pid":1,"ttl_ms":null,"reason":null,"detail":null}';
const reordered =
  '{"event":"renew","ts":"2026-11-30T10:00:00.000Z","name":"build","owner":"a","lock_id":null}';

Deno.test("eventMatcher: the event-kind shortcut agrees with the parsed event", () => {
  for (const line of [lokt, reordered]) {
    const only = eventMatcher({ events: ["acquire", "release"] });
    assertEquals(only(line), null, line);
    const renew = eventMatcher({ events: ["renew"] })(line);
    assertEquals(renew !== null && renew !== "malformed" && renew.event, "renew");
    const acquire = line.replace('"event":"renew"', '"event":"acquire"');
    const kept = only(acquire);
    assertEquals(kept !== null && kept !== "malformed" && kept.event, "acquire");
  }
  // A line too short for the shortcut is parsed (and here malformed).
  assertEquals(eventMatcher({ events: ["acquire"] })('{"ts":"x"'), "malformed");
});

Deno.test("eventMatcher: the time and name shortcuts agree with the parsed event", () => {
  const since = Date.parse("2026-11-30T10:00:00.001Z");
  for (const line of [lokt, reordered]) {
    assertEquals(eventMatcher({ sinceMs: since })(line), null);
    assertEquals(eventMatcher({ name: "buil" })(line), null);
    const kept = eventMatcher({ sinceMs: since - 1, name: "build" })(line);
    assertEquals(kept !== null && kept !== "malformed" && kept.name, "build");
  }
});

// The swarm soak's one-minute version (`deno task soak:swarm` runs ten): 4 Claude
// Code and 2 Codex sessions at once, offline, editing a small shared set of
// files and building under `lokt guard`. Nothing written under another's
// reservation, no two builds at once, nothing held once all sessions ended.
import { assert, assertEquals } from "../_assert.ts";
import { REFUSED } from "./_checks.ts";
import { runSwarm } from "./swarm_soak.ts";

Deno.test({
  name:
    "a one-minute swarm of real Claude Code and Codex sessions: no edit under another's reservation, no overlapping builds, no hold left, contention really happened",
  ignore: REFUSED !== null,
  fn: async () => {
    const report = await runSwarm(60);
    const summary = JSON.stringify(report);
    assertEquals(report.sessions.failed, 0, summary);
    assertEquals(report.violations, 0, summary);
    assertEquals(report.overlaps, 0, summary);
    assertEquals(report.holdsLeft, 0, summary);
    // Both harnesses worked, edited, built, and met each other's reservations.
    assert(report.sessions.claude >= 4 && report.sessions.codex >= 2, summary);
    assert(report.writes.claude > 0 && report.writes.codex > 0, summary);
    assert(report.guardedSections > 0 && report.denied > 0, summary);
    assertEquals(report.unfinishedSections, 0, summary);
  },
});

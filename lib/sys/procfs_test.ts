import { assertEquals } from "../../tests/_assert.ts";
import { parseProcStat, readProcStat } from "./procfs.ts";
import { probeProcess } from "./liveness.ts";

Deno.test("parseProcStat() counts fields after the last parenthesis", () => {
  const line = "42 (evil) name) S 1 42 42 34816 42 0 0 0 0 0 0 0 0 0 20 0 1 0 98765 0 0";
  const stat = parseProcStat(line);
  assertEquals(stat?.state, "S");
  assertEquals(stat?.ppid, 1);
  assertEquals(stat?.session, 42);
  assertEquals(stat?.ttyNr, 34816);
  assertEquals(stat?.startTime, "98765");
  assertEquals(parseProcStat("garbage"), null);
});

Deno.test("probeProcess() tells alive, dead and reused PIDs apart", async () => {
  const me = readProcStat("self");
  assertEquals(probeProcess(Deno.pid, me?.startTime ?? null), "alive");
  assertEquals(probeProcess(Deno.pid, "1"), "dead");
  const child = new Deno.Command("true").spawn();
  await child.status;
  assertEquals(probeProcess(child.pid, null), "dead");
});

// Reliability: load (mutual exclusion under many agents) and crashes (SIGKILL at random moments).
import { assertEquals } from "../_assert.ts";
import { tempDir } from "../_helpers.ts";
import { crashScenario, loadScenario } from "./_scenarios.ts";

Deno.test("load: library and CLI agents on one lock and on several keep counters exact, nobody inside twice", async () => {
  const dir = await tempDir();
  const one = await loadScenario(dir, { libWorkers: 6, cliWorkers: 2, iterations: 15, locks: 1 });
  assertEquals(one.problems, []);
  assertEquals(one.violations, 0);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("load: several locks in parallel", async () => {
  const dir = await tempDir();
  const many = await loadScenario(dir, { libWorkers: 8, cliWorkers: 3, iterations: 12, locks: 3 });
  assertEquals(many.problems, []);
  assertEquals(many.violations, 0);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("crashes: SIGKILL at random moments never yields two holders and everything recovers", async () => {
  const dir = await tempDir();
  const figures = await crashScenario(dir, {
    workers: 6,
    durationMs: 12_000,
    killEveryMs: 400,
    locks: 2,
  });
  assertEquals(figures.problems, []);
  assertEquals(figures.violations, 0);
  console.log(
    `crash scenario: ${figures.operations} cycles, ${figures.kills} kills, ${figures.violations} violations`,
  );
  if (figures.kills < 10 || figures.operations < 50) {
    throw new Error(`too little happened: ${JSON.stringify(figures)}`);
  }
  await Deno.remove(dir, { recursive: true });
});

// In-process acquire+release on the file store, against a baseline of the
// same number of plain file writes+renames (measured in the same run).
import { openContext } from "../lib/core/context.ts";
import { releaseLock, tryAcquire } from "../lib/core/locks/engine.ts";

const dir = Deno.makeTempDirSync({ prefix: "lokt-bench-" });
const ctx = openContext({ root: `${dir}/root`, owner: "bench" });
let i = 0;

Deno.bench("baseline: write temp file + rename", { group: "acquire", baseline: true }, () => {
  const tmp = `${dir}/baseline.${i++}.tmp`;
  Deno.writeTextFileSync(tmp, "{}\n");
  Deno.renameSync(tmp, `${dir}/baseline.json`);
});

Deno.bench("engine: tryAcquire + releaseLock (file store)", { group: "acquire" }, async () => {
  await tryAcquire(ctx, "bench", { ttlMs: 60_000, liveness: "ttl" });
  await releaseLock(ctx, "bench");
});

globalThis.addEventListener("unload", () => {
  Deno.removeSync(dir, { recursive: true });
});

// The search for a file's other names (linked_names.ts): only for a file that
// has them, only below other owners' live reservations, and reported — not
// guessed — when it would look at more entries than its budget.
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { openContext } from "../context.ts";
import { reservePatterns } from "./reservation_writes.ts";
import { linkedNames } from "./linked_names.ts";

async function tree() {
  const top = Deno.realPathSync(Deno.makeTempDirSync());
  Deno.mkdirSync(`${top}/big/deep`, { recursive: true });
  for (let i = 0; i < 10; i++) Deno.writeTextFileSync(`${top}/big/f${i}.ts`, "x");
  Deno.writeTextFileSync(`${top}/big/deep/target.ts`, "x");
  Deno.linkSync(`${top}/big/deep/target.ts`, `${top}/alias.ts`);
  Deno.writeTextFileSync(`${top}/single.ts`, "x");
  const root = `${top}/.lokt`;
  await reservePatterns(openContext({ root, owner: "other" }), ["big/**"], {
    mode: "exclusive",
    ttlMs: 60_000,
    reason: null,
    liveness: "ttl",
  });
  return { top, root };
}

Deno.test("linkedNames finds a hard link's other name below another owner's reservation", async () => {
  const { top, root } = await tree();
  const found = await linkedNames(openContext({ root, owner: "me" }), top, ["alias.ts"]);
  assertEquals([...found.names], [["big/deep/target.ts", "alias.ts"]]);
  assertEquals(found.unsearched, null);
});

Deno.test("linkedNames looks for nothing for a file with one name, or below the caller's own reservations", async () => {
  const { top, root } = await tree();
  const single = await linkedNames(openContext({ root, owner: "me" }), top, ["single.ts"], 0);
  assertEquals({ names: single.names, unsearched: single.unsearched }, {
    names: new Map(),
    unsearched: null,
  });
  const own = await linkedNames(openContext({ root, owner: "other" }), top, ["alias.ts"], 0);
  assertEquals({ names: own.names, unsearched: own.unsearched }, {
    names: new Map(),
    unsearched: null,
  });
});

Deno.test("linkedNames reports the reservation it could not search within its budget", async () => {
  const { top, root } = await tree();
  const found = await linkedNames(openContext({ root, owner: "me" }), top, ["alias.ts"], 5);
  assertEquals(found.unsearched, "big/**");
  assert(found.names.size === 0);
});

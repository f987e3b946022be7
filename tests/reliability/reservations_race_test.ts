// Path reservations under real concurrency (docs/contract.md §15): 10 owners reserve
// overlapping and disjoint patterns at the same moment, several rounds. Every
// granted set must be pairwise conflict-free, every call all-or-nothing, and
// every refusal must name a real conflict: a reservation of another owner,
// granted (audited), that overlaps what was asked.
import { assert, assertEquals } from "../_assert.ts";
import { overlapWitness } from "../../lib/model/glob_overlap.ts";
import { parseGlob } from "../../lib/model/path_glob.ts";
import { auditEvents, git, lokt, spawnLokt, tempDir } from "../_helpers.ts";

const POOL = [
  "src/**",
  "src/a/**",
  "src/a/x.ts",
  "src/b",
  "src/*.ts",
  "docs/*.md",
  "docs/x.md",
  "docs/guide",
  "lib/*.ts",
  "lib/util",
  "test/**/*.ts",
  "test/a.ts",
  "**/*.json",
  "pkg/c.json",
  "assets/[a-m]*.png",
  "assets/n.png",
];

interface Reserved {
  id: string;
  patterns: [string];
  mode: string;
  owner: string;
}

const overlap = (a: string, b: string) => overlapWitness(parseGlob(a), parseGlob(b)) !== null;
const conflicting = (x: Reserved, y: Reserved) =>
  x.owner !== y.owner && (x.mode === "exclusive" || y.mode === "exclusive") &&
  overlap(x.patterns[0], y.patterns[0]);

Deno.test("10 owners reserving at once, 4 rounds: granted sets pairwise conflict-free, all-or-nothing, every refusal a real conflict", async () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let granted = 0;
  let refused = 0;
  for (let round = 0; round < 4; round++) {
    // Each round in a fresh repository: every owner races against the other nine.
    const dir = await tempDir();
    await git(dir, "init", "-q");
    const root = `${dir}/.git/lokt`;
    const calls = Array.from({ length: 10 }, (_, i) => {
      const patterns = [...new Set([0, 1].map(() => POOL[Math.floor(next() * POOL.length)]!))];
      const shared = next() < 0.3 ? ["--shared"] : [];
      const owner = `o${round}-${i}`;
      return {
        owner,
        patterns,
        child: spawnLokt(["reserve", ...patterns, ...shared, "--json"], { owner, cwd: dir }),
      };
    });
    const results = await Promise.all(calls.map(async (c) => {
      const out = await c.child.output();
      return { ...c, code: out.code, doc: JSON.parse(new TextDecoder().decode(out.stdout)) };
    }));
    const index: Reserved[] = JSON.parse((await lokt(["status", "--json"], { cwd: dir })).stdout)
      .reservations;
    // Pairwise conflict-free.
    for (const x of index) {
      for (const y of index) {
        assert(!conflicting(x, y), `${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
      }
    }
    const audited = new Set(
      (await auditEvents(root)).filter((e) => e.event === "reserve").map((e) => e.lock_id),
    );
    for (const r of results) {
      const mine = index.filter((x) => x.owner === r.owner).map((x) => x.patterns[0]).sort();
      if (r.code === 0) {
        granted++;
        assertEquals(mine, [...r.patterns].sort(), `${r.owner} got all it asked`);
      } else {
        refused++;
        assertEquals(r.code, 2, JSON.stringify(r.doc));
        assertEquals(mine, [], `${r.owner} got nothing`);
        assert(r.doc.conflicts.length > 0);
        for (const c of r.doc.conflicts) {
          assert(c.reservation.owner !== r.owner);
          assert(audited.has(c.reservation.id), `${c.reservation.id} was granted`);
          assert(overlap(c.pattern, c.reservation.patterns[0]), JSON.stringify(c));
          assert(r.patterns.includes(c.pattern));
        }
      }
    }
    await Deno.remove(dir, { recursive: true });
  }
  // Both outcomes happened.
  assert(granted > 3 && refused > 3, `${granted} granted, ${refused} refused`);
});

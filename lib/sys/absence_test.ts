import { assertEquals } from "../../tests/_assert.ts";
import { listedAbsent, SMALL_DIRECTORY_BYTES } from "./absence.ts";

Deno.test("listedAbsent: true only for a name its directory's listing lacks", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(`${dir}/locks`);
    Deno.writeTextFileSync(`${dir}/locks/build.json`, "{}");
    assertEquals(listedAbsent(`${dir}/locks/build.json`), false);
    assertEquals(listedAbsent(`${dir}/locks/deploy.json`), true);
    // Another spelling may be the same file on a case-insensitive file system.
    assertEquals(listedAbsent(`${dir}/locks/BUILD.json`), false);
    // Not ASCII: it may be stored in another normal form; not known.
    assertEquals(listedAbsent(`${dir}/locks/caf\u00e9.json`), false);
    assertEquals(listedAbsent(`${dir}/locks/..`), false);
    assertEquals(listedAbsent(`${dir}/locks/`), false);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("listedAbsent: a missing directory answers with levels, and is unknown without", () => {
  const dir = Deno.makeTempDirSync();
  try {
    assertEquals(listedAbsent(`${dir}/queue/build`), false);
    assertEquals(listedAbsent(`${dir}/queue/build`, { levels: 2 }), true);
    // Two directories missing: the listing two levels up cannot be made.
    assertEquals(listedAbsent(`${dir}/a/b/c`, { levels: 2 }), false);
    assertEquals(listedAbsent(`${dir}/a/b/c`, { levels: 3 }), true);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("listedAbsent: through a linked directory, as a stat would see it", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(`${dir}/real`);
    Deno.writeTextFileSync(`${dir}/real/.git`, "gitdir: elsewhere\n");
    Deno.symlinkSync(`${dir}/real`, `${dir}/link`);
    assertEquals(listedAbsent(`${dir}/link/.git`), false);
    assertEquals(listedAbsent(`${dir}/link/lokt.jsonc`), true);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("listedAbsent: a large directory is not listed", () => {
  const dir = Deno.makeTempDirSync();
  try {
    for (let i = 0; Deno.statSync(dir).size <= SMALL_DIRECTORY_BYTES; i++) {
      Deno.writeTextFileSync(`${dir}/a-rather-long-file-name-to-grow-the-directory-${i}.ts`, "");
    }
    assertEquals(listedAbsent(`${dir}/.git`), false);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

/** A small random tree: files, directories, links (to files, to directories, dangling), case variants. */
function randomTree(dir: string, random: () => number): string[] {
  const names = [".git", "lokt.jsonc", "x.json", "X.json", "locks", "Locks", "sessions", "a", "b"];
  const made: string[] = [];
  const fill = (at: string, depth: number) => {
    for (const name of names) {
      const roll = random();
      const path = `${at}/${name}`;
      try {
        if (roll < 0.2) Deno.writeTextFileSync(path, "{}");
        else if (roll < 0.3 && depth < 2) {
          Deno.mkdirSync(path);
          fill(path, depth + 1);
        } else if (roll < 0.35) Deno.symlinkSync(`${dir}/${names[Math.floor(random() * 9)]}`, path);
        else if (roll < 0.4) Deno.symlinkSync(`${at}/missing-${Math.floor(random() * 9)}`, path);
        else continue;
        made.push(path);
      } catch {
        // A case variant on a case-insensitive file system: the same entry.
      }
    }
  };
  fill(dir, 0);
  return made;
}

/** Whether a `stat` and an `lstat` both find nothing at `path`. */
function statAbsent(path: string): boolean {
  for (const look of [Deno.statSync, Deno.lstatSync]) {
    try {
      look(path);
      return false;
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound) && !(err instanceof Deno.errors.NotADirectory)) {
        return false;
      }
    }
  }
  return true;
}

Deno.test("listedAbsent: never says absent where a stat finds something (differential, random trees)", () => {
  let seed = 20261207;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const names = [".git", "lokt.jsonc", "x.json", "X.json", "locks", "sessions", "a", "b", "gone"];
  let absent = 0;
  for (let tree = 0; tree < 40; tree++) {
    const dir = Deno.realPathSync(Deno.makeTempDirSync());
    try {
      const made = randomTree(dir, random);
      const probes = [dir, ...made].flatMap((base) =>
        names.flatMap((a) => [`${base}/${a}`, ...names.map((b) => `${base}/${a}/${b}`)])
      );
      for (const path of probes) {
        for (const levels of [1, 2, 3]) {
          if (!listedAbsent(path, { levels })) continue;
          absent++;
          assertEquals(statAbsent(path), true, `${path} (levels ${levels}) is there`);
        }
      }
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  }
  // The listings did answer, often: the comparison is not empty.
  assertEquals(absent > 1000, true, `only ${absent} answers`);
});

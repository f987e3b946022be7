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

/**
 * lokt: file-based lock coordination for swarms of AI coding agents (and
 * people) sharing one repository. Locks are files under the repository's git
 * directory; no daemon, no server, no required config.
 *
 * @example Hold a lock while building
 * ```ts ignore
 * import { acquire } from "jsr:@lokt/cli";
 *
 * await using lock = await acquire("build", { ttl: "5m", wait: true });
 * console.log(`building with fence ${lock.fence}`);
 * // released automatically at the end of the scope
 * ```
 *
 * @example Run a function under a lock
 * ```ts ignore
 * import { withLock } from "jsr:@lokt/cli";
 *
 * await withLock("migrate", { timeout: "2m" }, async (lock) => {
 *   lock.signal.throwIfAborted();
 * });
 * ```
 *
 * @module
 */

// The library runs from one bundle of `lib/api/library.ts` (`deno task bundle`,
// checked fresh by `deno task bundle:check`): Deno pays for every module it
// loads, and the library's sources are ~100 of them; importing the bundle costs
// an importer ~1.15× an empty `deno run` instead of ~2.2× (docs/performance.md).
// Its types, and so its documentation, are those of `lib/api/library.ts`.
export * from "./gen/library.generated.js";

if (import.meta.main) {
  // `deno run jsr:@lokt/cli …` runs the package's default entry: hand over to
  // the CLI's dispatcher, which does everything cli.ts does (it only lacks the
  // fast path, which decides nothing differently). Deno loads every module a
  // literal import() names at start-up, taken or not, so every library
  // importer would pay for reading it (~0.5 ms for the bundle or for cli.ts,
  // docs/performance.md); a template ending in an empty fragment is read only
  // here (why, in cli.ts's `loadBundle`).
  const bundle = "dispatcher";
  // Typed here: a `typeof import()` of the bundle would put the CLI in the library's type graph.
  const { run }: { run: (args: string[]) => Promise<number> } = await import(
    `./gen/${bundle}.generated.js#`
  );
  Deno.exit(await run(Deno.args));
}

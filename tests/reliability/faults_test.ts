// Reliability: a full disk and a read-only filesystem (a small tmpfs mounted for the test).
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { lineReader, listTree, lokt, reap, spawnLokt, tempDir, waitFor } from "../_helpers.ts";

/** Mounts a tmpfs of `size` at a new directory, or returns why it cannot. */
async function mountTmpfs(size: string): Promise<{ dir: string } | { reason: string }> {
  const dir = await tempDir("lokt-tmpfs-");
  const out = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir],
    stdout: "null",
    stderr: "piped",
  }).output().catch((err) => ({ success: false, stderr: new TextEncoder().encode(String(err)) }));
  if (!out.success) {
    await Deno.remove(dir, { recursive: true });
    return { reason: new TextDecoder().decode(out.stderr).trim() || "mount failed" };
  }
  return { dir };
}

/**
 * Remounts a tmpfs read-only. That fails (EBUSY) while a file on it is open
 * for writing — as a name's mutex file is for a moment at each renewal of a
 * running guard — so it is retried until it takes.
 */
async function remountReadOnly(dir: string): Promise<void> {
  await waitFor(
    async () =>
      (await new Deno.Command("mount", { args: ["-o", "remount,ro", dir] }).output()).success,
    "the read-only remount",
    10_000,
    50,
  );
}

async function unmount(dir: string) {
  await new Deno.Command("umount", { args: [dir] }).output();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}

const probe = await mountTmpfs("64k");
const skipReason = "reason" in probe ? `cannot mount a tmpfs here (${probe.reason})` : null;
if ("dir" in probe) await unmount(probe.dir);
if (skipReason) console.log(`faults_test: skipped — ${skipReason}`);

Deno.test({
  name:
    "a full disk: exit 1 with the OS error and path, the previous record intact, no half-written file",
  ignore: skipReason !== null,
  fn: async () => {
    const mounted = await mountTmpfs("128k");
    if (!("dir" in mounted)) throw new Error(mounted.reason);
    const root = `${mounted.dir}/root`;
    try {
      assertEquals(
        (await lokt(["lock", "held", "--reason", "before"], { root, owner: "a" })).code,
        0,
      );
      const before = await Deno.readTextFile(`${root}/locks/held.json`);
      // Fill the filesystem.
      const filler = await Deno.open(`${mounted.dir}/filler`, { write: true, create: true });
      try {
        const chunk = new Uint8Array(4096);
        for (;;) await filler.write(chunk);
      } catch (err) {
        if (!(err instanceof Error) || !/space/i.test(err.message)) throw err;
      } finally {
        filler.close();
      }
      for (
        const args of [["lock", "new"], ["lock", "held", "--reason", "after"], [
          "freeze",
          "f",
          "--ttl",
          "1m",
        ]]
      ) {
        const result = await lokt(args, { root, owner: "a" });
        assertEquals(result.code, 1, `${args}: ${result.stderr}`);
        assertMatch(result.stderr, /^error: .*No space left on device/m);
        assertMatch(result.stderr, new RegExp(root.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
      }
      assertEquals(await Deno.readTextFile(`${root}/locks/held.json`), before);
      const tree = await listTree(root);
      assertEquals(tree.filter((p) => p.endsWith(".tmp")), []);
      assertEquals(tree.filter((p) => p.startsWith("locks/")), ["locks/held.json"]);
      // Space back: everything works again.
      await Deno.remove(`${mounted.dir}/filler`);
      assertEquals((await lokt(["lock", "new"], { root, owner: "a" })).code, 0);
    } finally {
      await unmount(mounted.dir);
    }
  },
});

Deno.test({
  name: "a read-only filesystem: writes exit 1 with the OS error, reads still work, state intact",
  ignore: skipReason !== null,
  fn: async () => {
    const mounted = await mountTmpfs("256k");
    if (!("dir" in mounted)) throw new Error(mounted.reason);
    const root = `${mounted.dir}/root`;
    try {
      assertEquals((await lokt(["lock", "ro"], { root, owner: "a" })).code, 0);
      const before = await Deno.readTextFile(`${root}/locks/ro.json`);
      await remountReadOnly(mounted.dir);
      for (const args of [["lock", "other"], ["unlock", "ro"], ["unlock", "ro", "--force"]]) {
        const result = await lokt(args, { root, owner: "a" });
        assertEquals(result.code, 1, `${args}: ${result.stderr}`);
        assertMatch(result.stderr, /Read-only file system/);
      }
      const status = await lokt(["status", "--json"], { root, owner: "b" });
      assertEquals(status.code, 0);
      assertEquals(JSON.parse(status.stdout).locks[0].owner, "a");
      assertEquals((await lokt(["doctor"], { root, owner: "b" })).code, 1);
      assertEquals(await Deno.readTextFile(`${root}/locks/ro.json`), before);
    } finally {
      await new Deno.Command("mount", { args: ["-o", "remount,rw", mounted.dir] }).output();
      await unmount(mounted.dir);
    }
  },
});

Deno.test({
  name:
    "a guard that cannot renew (read-only root) stops its command before the hold expires and reports the command's own exit",
  ignore: skipReason !== null,
  fn: async () => {
    const mounted = await mountTmpfs("256k");
    if (!("dir" in mounted)) throw new Error(mounted.reason);
    const root = `${mounted.dir}/root`;
    const stamps = await Deno.makeTempDir();
    // The command notes when it gets SIGTERM, and would exit 0 if left alone.
    const body = `trap 'date +%s%3N > ${stamps}/stopped; exit 0' TERM; echo ready; ` +
      `while :; do sleep 0.1; done`;
    const guard = spawnLokt(
      ["guard", "ro", "--ttl", "3s", "--grace", "1s", "--", "sh", "-c", body],
      {
        root,
        owner: "a",
      },
    );
    const stderrText = new Response(guard.stderr).text();
    try {
      assertEquals(await lineReader(guard.stdout).next(), "ready");
      const record = JSON.parse(await Deno.readTextFile(`${root}/locks/ro.json`));
      await remountReadOnly(mounted.dir);
      // Bounded: a guard that keeps its command running would never end.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = await Promise.race([
        guard.status,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("the command ran on past its hold")), 15_000);
        }),
      ]).finally(() => clearTimeout(timer));
      const stderr = await stderrText;
      // The command's own exit code (it ended cleanly on SIGTERM), not lokt's 1.
      assertEquals(done.code, 0, stderr);
      assertMatch(stderr, /could not be renewed before it expires/);
      const stopped = Number((await Deno.readTextFile(`${stamps}/stopped`)).trim());
      // Stopped before the last successfully written expiry (renewals failing since the remount).
      const current = JSON.parse(await Deno.readTextFile(`${root}/locks/ro.json`));
      assert(
        stopped < Date.parse(current.expires_at),
        `stopped ${stopped} vs ${current.expires_at}`,
      );
      assertEquals(current.lock_id, record.lock_id);
    } finally {
      await reap(guard);
      // Never leave the command running, whatever failed.
      try {
        const { pgid } = JSON.parse(await Deno.readTextFile(`${root}/locks/ro.json`));
        if (pgid) Deno.kill(-pgid, "SIGKILL");
      } catch {
        // Gone already.
      }
      await new Deno.Command("mount", { args: ["-o", "remount,rw", mounted.dir] }).output();
      await unmount(mounted.dir);
      await Deno.remove(stamps, { recursive: true });
    }
  },
});

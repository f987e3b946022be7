// The floor of a lokt call: the Deno operations the call cannot do without,
// with none of lokt's own logic (no root discovery beyond `.git`, no identity,
// no config, no PATH search, no decisions, no record checks). Each loads the
// bundle lokt's call would load (without running it) and writes under
// `.git/lokt-floor` of the repository it runs in (cwd):
//
// - `lock`: the name's mutex (flock), a fence counter advanced, the record
//   written through a temporary file and a rename, an audit line.
// - `unlock`: the mutex, the record read and removed, an audit line.
// - `guard CMD…`: `lock`'s steps, the four forwarded signals listened for,
//   CMD started through setsid(1) as guard does, the record rewritten with
//   the command's group, the wait, then `unlock`'s steps.
//
// bench/cli_process_bench.ts and bench/guard_run_bench.ts run it beside lokt:
// what lies between this floor and lokt is lokt's own work.
//
//   deno run -A bench/floor.ts lock|unlock|guard [CMD ARGS…]

const [operation, command, ...rest] = Deno.args;
await import(
  operation === "guard" ? "../gen/guard.generated.js" : "../gen/fast_path.generated.js"
);
const dir = `${Deno.cwd()}/.git/lokt-floor`;
const recordPath = `${dir}/locks/x.json`;
Deno.statSync(`${Deno.cwd()}/.git`);
Deno.mkdirSync(`${dir}/locks`, { recursive: true });
Deno.mkdirSync(`${dir}/mutex`, { recursive: true });

/** Runs `body` holding the name's mutex, as every write of lokt does. */
function underMutex<T>(body: () => T): T {
  const mutex = Deno.openSync(`${dir}/mutex/x.lock`, { read: true, write: true, create: true });
  try {
    mutex.lockSync(true);
    return body();
  } finally {
    mutex.close();
  }
}

/** Writes the record through a temporary file and a rename. */
function writeRecord(record: unknown): void {
  const temporary = `${dir}/locks/.x.json.${Deno.pid}.tmp`;
  Deno.writeTextFileSync(temporary, JSON.stringify(record, null, 2));
  Deno.renameSync(temporary, recordPath);
}

function audit(event: string): void {
  const line = { ts: new Date().toISOString(), event, name: "x", pid: Deno.pid };
  Deno.writeTextFileSync(`${dir}/audit.jsonl`, `${JSON.stringify(line)}\n`, { append: true });
}

function lock(): string {
  return underMutex(() => {
    const counter = Deno.openSync(`${dir}/fence`, { read: true, write: true, create: true });
    const buffer = new Uint8Array(21);
    const read = counter.readSync(buffer) ?? 0;
    const fence = Number(new TextDecoder().decode(buffer.subarray(0, read)) || 0) + 1;
    counter.seekSync(0, Deno.SeekMode.Start);
    counter.writeSync(new TextEncoder().encode(`${String(fence).padStart(20, "0")}\n`));
    counter.close();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const lockId = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    const now = new Date().toISOString();
    writeRecord({ name: "x", lock_id: lockId, fence, pid: Deno.pid, acquired_at: now, pgid: null });
    audit("acquire");
    return lockId;
  });
}

function unlock(lockId: string | null): void {
  underMutex(() => {
    const stored = JSON.parse(Deno.readTextFileSync(recordPath));
    if (lockId !== null && stored.lock_id !== lockId) throw new Error("the record changed");
    Deno.removeSync(recordPath);
    audit("release");
  });
}

if (operation === "lock") {
  lock();
} else if (operation === "unlock") {
  unlock(null);
} else if (operation === "guard") {
  const lockId = lock();
  const listener = () => {};
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];
  for (const signal of signals) Deno.addSignalListener(signal, listener);
  const child = new Deno.Command("/usr/bin/setsid", {
    args: [command as string, ...rest],
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  underMutex(() =>
    writeRecord({ ...JSON.parse(Deno.readTextFileSync(recordPath)), pgid: child.pid })
  );
  const status = await child.status;
  for (const signal of signals) Deno.removeSignalListener(signal, listener);
  unlock(lockId);
  Deno.exit(status.code);
} else {
  throw new Error("usage: floor.ts lock|unlock|guard [CMD ARGS…]");
}

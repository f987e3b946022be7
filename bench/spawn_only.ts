// The baseline of bench/guard_start_bench.ts: a Deno script that only spawns
// the given command (stdio inherited) and exits with its code.
const [command, ...rest] = Deno.args;
const status = await new Deno.Command(command as string, { args: rest }).spawn().status;
Deno.exit(status.code);

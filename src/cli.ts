// carebot: the command line on this process's arguments, environment and standard streams. The
// commands are wired in src/cli/run.ts, which the tests call in their own process.
import { runCarebot } from "./cli/run.ts";

// Exits with the code even when something is left running (the wasm schema engine leaves a timer behind).
process.exit(await runCarebot(process.argv.slice(2), { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }));

import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Integration tests open real databases, servers and Chromium, and some start CareBot in child
    // processes (~2 s of CPU each): give them room on a shared 2-core machine. These guard against hangs;
    // no test asserts a duration.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Vitest's default (cores − 1) runs one file at a time on a 2-core machine, yet much of the
    // suite waits: on child processes, Chromium, PostgreSQL, a database held away on purpose.
    // Three files at a time keep two cores busy; `--maxWorkers=N` overrides it.
    maxWorkers: Math.max(3, availableParallelism() - 1),
    globalSetup: ["test/support/global-setup.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "shared",
          include: ["test/**/*.test.ts"],
          exclude: ["test/reliability/**"],
          // One module graph per worker, not per file: each fresh fork paid ~1.5 s of CPU importing
          // src (Prisma client, grammY, Fastify…) before its first test — a third of the suite's CPU.
          // Files share a worker's modules, so a test file leaves no module state behind (it closes
          // what it opens, restores fakes and spies in afterEach).
          isolate: false,
        },
      },
      {
        extends: true,
        // The reliability tests measure their own process (heap growth under fuzzing) and start
        // and kill processes: each keeps a fresh fork, as before.
        test: { name: "reliability", include: ["test/reliability/**/*.test.ts"], isolate: true },
      },
    ],
  },
});

// Derives one schema per database from prisma/schema.prisma and generates a Prisma client for each.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PROVIDERS, derivedSchemaPath, deriveSchema } from "../../src/db/schema-source.ts";

const prismaBin = path.resolve("node_modules/.bin/prisma");
for (const provider of PROVIDERS) {
  const file = derivedSchemaPath(provider);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, deriveSchema(provider));
  execFileSync(prismaBin, ["generate", "--schema", file], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
  console.log(`prisma client generated for ${provider}`);
}

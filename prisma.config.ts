import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma's CLI insists on a native schema engine it would download; point it at a stand-in so
// generate/validate/format work offline. Migrations run through src/db/migrate (WebAssembly).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("scripts/db/no-native-engine.sh");

export default defineConfig({
  schema: "prisma/schema.prisma",
});

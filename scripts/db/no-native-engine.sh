#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded on CareBot's machines.
# `prisma generate`, `validate` and `format` only need it to exist; migrations go through the
# WebAssembly engine instead.
echo "the native schema engine is not used by this project; run \`npm run db:migrate\` (or \`npm run db:migration -- <name>\`)" >&2
exit 1

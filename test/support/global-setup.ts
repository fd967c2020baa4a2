import pg from "pg";

/** Says once which database the integration tests use, and fails fast when it is unreachable. */
export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    console.log("integration tests: SQLite files (set TEST_DATABASE_URL=postgresql://… to use PostgreSQL)");
    return;
  }
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ version: string }>("SELECT version()");
    console.log(`integration tests: ${rows[0]?.version.split(" on ")[0]}`);
  } catch (error) {
    throw new Error(`TEST_DATABASE_URL is set but PostgreSQL cannot be reached: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

// Holds an exclusive write lock on a SQLite file for HOLD_MS (longer than CareBot's 5 s busy
// timeout), from its own process as another program would: CareBot's writes fail meanwhile.
import Database from "better-sqlite3";

const db = new Database(process.env.DB_FILE!, { timeout: 10_000 });
db.exec("BEGIN EXCLUSIVE");
process.stdout.write("locked\n");
setTimeout(() => {
  db.exec("COMMIT");
  db.close();
  process.stdout.write("released\n");
  process.exit(0);
}, Number(process.env.HOLD_MS ?? 8000));

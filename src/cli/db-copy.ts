/**
 * `npm run db:copy -- --from file:./data/purchases.db --to postgresql://…[?schema=name] [--replace]`:
 * copies the bot's record from its SQLite file into PostgreSQL (see src/db/copy.ts), then prints
 * the rows copied per table. Stop the bot first: what it writes after the copy began stays behind.
 */
import { parseArgs } from 'node:util';
import { copySqliteToPostgres } from '../db/copy.js';
import { isAppError } from '../domain/errors.js';

const USAGE = 'Usage: npm run db:copy -- --from file:<SQLite file> --to postgresql://user:password@host:5432/database[?schema=name] [--replace]';

async function main(): Promise<number> {
  const options = { from: { type: 'string' }, to: { type: 'string' }, replace: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;
  let args: ReturnType<typeof parseArgs<{ options: typeof options }>>;
  try {
    args = parseArgs({ options });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  const { from, to, replace } = args.values;
  if (!from || !to) {
    console.error(`Both --from and --to are needed.\n${USAGE}`);
    return 2;
  }
  try {
    const report = await copySqliteToPostgres({ from, to, replace: replace ?? false, log: (line) => console.log(line) });
    const total = report.tables.reduce((sum, table) => sum + table.rows, 0);
    console.log(`Copied ${total} rows in ${report.tables.length} tables. Set DATABASE_URL to the PostgreSQL URL and start the bot.`);
    return 0;
  } catch (error) {
    if (!isAppError(error)) throw error;
    console.error(error.userMessage);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('The copy failed; nothing was copied:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

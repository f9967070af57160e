/**
 * `npm run import -- <file.csv> [--product "<name>"]`: imports a CSV file of subscriptions or of
 * license holders into the database named by DATABASE_URL (.env is read as the bot reads it),
 * prints the report, and exits 1 when rows were refused or the file could not be imported.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { configSchema } from '../config.js';
import { createDatabase } from '../db/client.js';
import { isAppError } from '../domain/errors.js';
import { describeImport } from '../services/import/describe-import.js';
import { importCsv } from '../services/import/import-csv.js';

const USAGE = 'Usage: npm run import -- <file.csv> [--product "<product name or ProductId>"]';

/** The command line's options and file, or undefined (after saying why) when they cannot be read. */
function readArgs() {
  try {
    return parseArgs({ allowPositionals: true, options: { product: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return undefined;
  }
}

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const args = readArgs();
  if (!args) return 1;
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  const [file, ...extra] = args.positionals;
  if (!file || extra.length > 0) {
    console.error(USAGE);
    return 1;
  }
  const settings = configSchema.pick({ DATABASE_URL: true, BOT_TIMEZONE: true }).safeParse(process.env);
  if (!settings.success) {
    console.error(settings.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`).join('\n'));
    return 1;
  }
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    console.error(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}`);
    return 1;
  }
  const database = await createDatabase(settings.data.DATABASE_URL);
  try {
    const report = await importCsv(
      { prisma: database.prisma, now: new Date(), timeZone: settings.data.BOT_TIMEZONE },
      // The audit log and the import's record name who ran it: the operating-system user here.
      { slackUserId: `cli:${os.userInfo().username}` },
      { fileName: path.basename(file), content, product: args.values.product },
    );
    console.log(describeImport(report, settings.data.BOT_TIMEZONE));
    return report.refused.length > 0 ? 1 : 0;
  } catch (error) {
    if (!isAppError(error)) throw error;
    console.error(`Nothing imported: ${error.userMessage}`);
    return 1;
  } finally {
    await database.close();
  }
}

process.exitCode = await main();

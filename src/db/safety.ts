/**
 * Keeping the record from being silently lost or replaced.
 *
 * - At start, a SQLite file is checked (`PRAGMA quick_check`) before anything writes to it: a
 *   damaged file, or one that is not a SQLite database, stops the bot with a sentence.
 * - Next to a SQLite file the bot created it keeps a marker (`<file>.created`). A database file
 *   that is missing while its marker is there was deleted, moved or not mounted: the bot refuses
 *   to start a new, empty one in its place (and to seed demo data over a lost history).
 * - Inside every database, JobState `database.created` says it has been in use: demo data goes
 *   only into a database that never held anything.
 * - While running, the health check fails when the SQLite file or its folder disappears or is
 *   replaced (writes would go into a deleted file), or the database stops answering.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { AppError } from '../domain/errors.js';
import type { Database, PrismaClient } from './client.js';
import { providerOfUrl, sqliteFilenameFromUrl } from './migrate.js';
import { createJobStateIfAbsent, readJobState } from './repositories/job-state.js';

export const DATABASE_CREATED_KEY = 'database.created';

/** The marker next to a SQLite file the bot created. */
export function sqliteMarkerPath(filename: string): string {
  return `${filename}.created`;
}

/** The SQLite file a DATABASE_URL names, or undefined (PostgreSQL, or an in-memory database). */
export function sqliteFileOf(url: string): string | undefined {
  if (providerOfUrl(url) !== 'sqlite') return undefined;
  const filename = sqliteFilenameFromUrl(url);
  return filename === ':memory:' ? undefined : filename;
}

/** SQLite's own words for what is wrong, short enough for one sentence: its first two findings, on one line. */
function firstProblems(rows: string[]): string {
  const lines = rows
    .join('\n')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('***'));
  const shown = lines.slice(0, 2).join('; ');
  return lines.length > 2 ? `${shown}; and ${lines.length - 2} more` : shown;
}

function damaged(filename: string, why: string, cause?: unknown): AppError {
  return new AppError(
    'conflict',
    `database file ${filename} is damaged: ${why}`,
    `The database file ${filename} is damaged (${why}). Restore it from a backup; the bot does not start on a damaged database.`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Before the database is opened: a SQLite file that is gone although the bot created it, or that
 * is damaged, is refused with what happened and what to do.
 */
export function checkSqliteBeforeOpening(url: string): void {
  const filename = sqliteFileOf(url);
  if (!filename) return;
  const marker = sqliteMarkerPath(filename);
  if (!existsSync(filename)) {
    if (!existsSync(marker)) return;
    const since = readMarker(marker);
    throw new AppError(
      'conflict',
      `database file ${filename} missing, marker ${marker} present`,
      `The database file ${filename} is missing, but the bot created it${since ? ` on ${since}` : ''} and has used it since (${marker} says so): it was deleted or moved, or the volume holding it is not mounted. ` +
        `Restore it (or mount the volume) and start again. To start over with an empty database instead, delete ${marker}.`,
    );
  }
  let db: Sqlite.Database | undefined;
  try {
    db = new Sqlite(filename, { readonly: true, fileMustExist: true });
    const rows = db.prepare('PRAGMA quick_check').pluck().all() as string[];
    if (rows.length !== 1 || rows[0] !== 'ok') throw damaged(filename, firstProblems(rows));
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') throw damaged(filename, 'it is not a SQLite database', error);
    if (code === 'SQLITE_CORRUPT') throw damaged(filename, (error as Error).message, error);
    throw error;
  } finally {
    db?.close();
  }
}

function readMarker(marker: string): string | undefined {
  try {
    const parsed = JSON.parse(readFileSync(marker, 'utf8')) as { createdAt?: unknown };
    return typeof parsed.createdAt === 'string' ? parsed.createdAt : undefined;
  } catch {
    return undefined;
  }
}

/** After opening a SQLite file: its marker (kept if there is one). */
export function markSqliteCreated(url: string, now: Date): void {
  const filename = sqliteFileOf(url);
  if (!filename || existsSync(sqliteMarkerPath(filename))) return;
  const note = {
    createdAt: now.toISOString(),
    about: `The purchase governance bot keeps its record in ${path.basename(filename)}. While this file exists, the bot refuses to start without that database instead of starting an empty one.`,
  };
  writeFileSync(sqliteMarkerPath(filename), `${JSON.stringify(note, null, 2)}\n`);
}

/**
 * Whether the database never held anything: no mark of use, no product, no subscription. Marks
 * it as in use either way, so this is true once per database.
 */
export async function claimNeverUsed(prisma: PrismaClient, now: Date): Promise<boolean> {
  if ((await readJobState(prisma, DATABASE_CREATED_KEY)) !== undefined) return false;
  const empty = (await prisma.product.count()) === 0 && (await prisma.subscription.count()) === 0;
  const claimed = await createJobStateIfAbsent(prisma, DATABASE_CREATED_KEY, now.toISOString(), now);
  return claimed && empty;
}

export interface DatabaseWatch {
  /**
   * What is wrong now (empty when healthy), in sentences that name no path (GET /health is
   * public where Slack reaches the bot); `fatal` when the SQLite file is gone or replaced.
   */
  check(): Promise<{ problems: string[]; fatal: boolean }>;
  /** The SQLite file watched, for the log. */
  file: string | undefined;
}

/** Watches the open database: its SQLite file (still there, still the same file) and a query. */
export function watchDatabase(database: Database, url: string): DatabaseWatch {
  const filename = sqliteFileOf(url);
  const identity = filename && existsSync(filename) ? statSync(filename) : undefined;
  return {
    file: identity ? filename : undefined,
    async check() {
      const problems: string[] = [];
      let fatal = false;
      if (filename && identity) {
        const folder = path.dirname(filename);
        if (!existsSync(folder)) {
          problems.push('The database folder has disappeared.');
          fatal = true;
        } else if (!existsSync(filename)) {
          problems.push('The database file has disappeared.');
          fatal = true;
        } else {
          const now = statSync(filename);
          if (now.ino !== identity.ino || now.dev !== identity.dev) {
            problems.push('The database file was replaced by another file.');
            fatal = true;
          }
        }
      }
      try {
        await database.prisma.$queryRawUnsafe('SELECT 1');
      } catch {
        problems.push('The database does not answer.');
      }
      return { problems, fatal };
    },
  };
}

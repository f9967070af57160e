/**
 * Two writers at once, in order: a transaction held open after its writes, and a wait until
 * another one is blocked behind it on PostgreSQL (a lock wait in pg_stat_activity, asked again
 * and again: no sleep).
 */
import type { PrismaClient, Tx } from '../../src/db/client.js';

/** Runs `work` in a transaction and keeps it open, uncommitted, until `commit()`, which gives what `work` returned. */
export async function holdOpen<T>(prisma: PrismaClient, work: (tx: Tx) => Promise<T>): Promise<{ commit(): Promise<T> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let done!: () => void;
  const written = new Promise<void>((resolve) => {
    done = resolve;
  });
  const transaction = prisma.$transaction(
    async (tx) => {
      const result = await work(tx);
      done();
      await released;
      return result;
    },
    { timeout: 60_000 },
  );
  // A failure of `work` ends the wait too, and is thrown by commit().
  await Promise.race([written, transaction.catch(() => undefined)]);
  return {
    commit() {
      release();
      return transaction;
    },
  };
}

/** Returns once a statement naming one of `tables` waits on a lock in this database. */
export async function untilWaitingOnLock(prisma: PrismaClient, tables: string[]): Promise<void> {
  const naming = tables.map((table) => `query LIKE '%"${table}"%'`).join(' OR ');
  const waiting = `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND (${naming})`;
  while ((await prisma.$queryRawUnsafe<unknown[]>(waiting)).length === 0);
}

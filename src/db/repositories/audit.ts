/** The audit log: append-only. Before/after are stored as JSON text so both providers agree. */
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../client.js';
import { chunks } from './batches.js';

export interface AuditEntry {
  actorId: string;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  outcome?: 'ok' | 'denied' | 'failed';
  before?: unknown;
  after?: unknown;
  detail?: string;
  at: Date;
}

type AuditWriter = Pick<PrismaClient, 'auditEvent'>;

function toRow(entry: AuditEntry) {
  return {
    id: randomUUID(),
    at: entry.at,
    actorId: entry.actorId,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId ?? null,
    outcome: entry.outcome ?? 'ok',
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    detail: entry.detail ?? null,
  };
}

export async function recordAudit(prisma: AuditWriter, entry: AuditEntry): Promise<void> {
  await prisma.auditEvent.create({ data: toRow(entry) });
}

/** Many entries at once (a sync, an import), a bounded chunk per statement. */
export async function recordAudits(prisma: AuditWriter, entries: AuditEntry[]): Promise<void> {
  for (const data of chunks(entries.map(toRow))) await prisma.auditEvent.createMany({ data });
}

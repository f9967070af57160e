/**
 * Who opened App Home lately (JobState `home.viewers`, the most recent first): Slack shows a
 * Home tab as last published, so it is published again for them after changes it shows.
 * A viewer lost to two admins opening Home at the same instant is added back the next time.
 */
import { z } from 'zod';
import { readJobState, writeJobState } from '../db/repositories/job-state.js';
import type { ServiceContext } from './context.js';

export const HOME_VIEWERS = 'home.viewers';
const MAX_VIEWERS = 100;
const viewersSchema = z.array(z.string());

export async function homeViewers(ctx: ServiceContext): Promise<string[]> {
  const raw = await readJobState(ctx.prisma, HOME_VIEWERS);
  try {
    const parsed = viewersSchema.safeParse(raw ? JSON.parse(raw) : []);
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export async function rememberHomeViewer(ctx: ServiceContext, user: string): Promise<void> {
  const known = await homeViewers(ctx);
  if (known[0] === user) return;
  await writeJobState(ctx.prisma, HOME_VIEWERS, JSON.stringify([user, ...known.filter((id) => id !== user)].slice(0, MAX_VIEWERS)), ctx.now);
}

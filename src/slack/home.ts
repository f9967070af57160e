/**
 * Publishing App Home. Admins get the dashboard, anyone else the explanation. Slack shows a Home
 * tab as last published, so the bot remembers (JobState `home.viewers`, the 100 most recent) who
 * opened it and publishes again for them after anything that changes what it shows: each
 * scheduled job run, `/purchases digest` and the Home buttons. A viewer lost to two admins
 * opening Home at the same instant is added back the next time they open it.
 */
import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import { readJobState, writeJobState } from '../db/repositories/job-state.js';
import { loadDashboard } from '../services/dashboard.js';
import type { SlackDeps } from './deps.js';
import { adminHome, nonAdminHome } from './views/home.js';

export const HOME_VIEWERS = 'home.viewers';
const MAX_VIEWERS = 100;

export type HomeDeps = Pick<SlackDeps, 'admins' | 'context'>;

const viewersSchema = z.array(z.string());

async function viewers(deps: HomeDeps): Promise<string[]> {
  const raw = await readJobState(deps.context().prisma, HOME_VIEWERS);
  try {
    const parsed = viewersSchema.safeParse(raw ? JSON.parse(raw) : []);
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Publishes `user`'s Home tab now and remembers them if they are an admin. */
export async function publishHome(client: webApi.WebClient, deps: HomeDeps, user: string, notice?: string): Promise<void> {
  if (!(await deps.admins.isAdmin(user))) {
    await client.views.publish({ user_id: user, view: nonAdminHome() });
    return;
  }
  const ctx = deps.context();
  await client.views.publish({ user_id: user, view: adminHome(await loadDashboard(ctx), ctx.now, ctx.timeZone, notice) });
  const known = await viewers(deps);
  if (known[0] !== user) {
    await writeJobState(ctx.prisma, HOME_VIEWERS, JSON.stringify([user, ...known.filter((id) => id !== user)].slice(0, MAX_VIEWERS)), ctx.now);
  }
}

/** Publishes the dashboard again for the admins who opened Home; returns how many. */
export async function refreshHomes(client: webApi.WebClient, deps: HomeDeps): Promise<number> {
  const known = await viewers(deps);
  const admins: string[] = [];
  for (const user of known) if (await deps.admins.isAdmin(user)) admins.push(user);
  if (admins.length === 0) return 0;
  const ctx = deps.context();
  const view = adminHome(await loadDashboard(ctx), ctx.now, ctx.timeZone);
  for (const user of admins) await client.views.publish({ user_id: user, view });
  return admins.length;
}

/**
 * After a change App Home shows (a take-over requested or decided, licenses assigned): publish
 * it again for its viewers. A failure here must not turn a done change into an error reply.
 */
export async function refreshHomesAfterChange(client: webApi.WebClient, deps: HomeDeps, logger: { warn(...args: unknown[]): void }): Promise<void> {
  try {
    await refreshHomes(client, deps);
  } catch (error) {
    logger.warn('Could not refresh App Home after a change', error);
  }
}

/**
 * Publishing App Home. Admins get the dashboard, anyone else the explanation. The admins who
 * opened it (services/home-viewers.ts) get it published again after anything that changes what
 * it shows: scheduled runs that changed something, `/purchases digest`, the Home buttons and
 * take-over steps.
 */
import type { Logger, webApi } from '@slack/bolt';
import { loadDashboard } from '../services/dashboard.js';
import { homeViewers, rememberHomeViewer } from '../services/home-viewers.js';
import type { SlackDeps } from './deps.js';
import { adminHome, nonAdminHome } from './blocks/home.js';
import { describeError } from './reply.js';

export type HomeDeps = Pick<SlackDeps, 'admins' | 'context'>;

/** Publishes `user`'s Home tab now and remembers them if they are an admin. */
export async function publishHome(client: webApi.WebClient, deps: HomeDeps, user: string, notice?: string): Promise<void> {
  if (!(await deps.admins.isAdmin(user))) {
    await client.views.publish({ user_id: user, view: nonAdminHome() });
    return;
  }
  const ctx = deps.context();
  await client.views.publish({ user_id: user, view: adminHome(await loadDashboard(ctx), ctx.now, ctx.timeZone, notice) });
  await rememberHomeViewer(ctx, user);
}

/** Publishes the dashboard again for the admins who opened Home; returns how many. */
export async function refreshHomes(client: webApi.WebClient, deps: HomeDeps): Promise<number> {
  const known = await homeViewers(deps.context());
  const admins: string[] = [];
  for (const user of known) if (await deps.admins.isAdmin(user)) admins.push(user);
  if (admins.length === 0) return 0;
  const ctx = deps.context();
  const view = adminHome(await loadDashboard(ctx), ctx.now, ctx.timeZone);
  for (const user of admins) await client.views.publish({ user_id: user, view });
  return admins.length;
}

/** Shows on `user`'s Home tab, at its top, that `what` failed and why (a Home tab has no thread to answer in). */
export async function publishHomeFailure(
  client: webApi.WebClient,
  deps: HomeDeps,
  user: string,
  what: string,
  error: unknown,
  logger: Pick<Logger, 'error' | 'warn'>,
): Promise<void> {
  try {
    await publishHome(client, deps, user, `:warning: ${what}: ${describeError(error, logger as Logger)}`);
  } catch (again) {
    logger.error(`${what}, and the Home tab could not say so`, again);
  }
}

/**
 * After a change App Home shows (a take-over requested, approved or rejected): publish
 * it again for its viewers. A failure here must not turn a done change into an error reply.
 */
export async function refreshHomesAfterChange(client: webApi.WebClient, deps: HomeDeps, logger: { warn(...args: unknown[]): void }): Promise<void> {
  try {
    await refreshHomes(client, deps);
  } catch (error) {
    logger.warn('Could not refresh App Home after a change', error);
  }
}

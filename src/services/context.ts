import type { PrismaClient } from '../db/client.js';

/** What every use case gets: the database, the time (a parameter, never Date.now) and the zone. */
export interface ServiceContext {
  prisma: PrismaClient;
  now: Date;
  timeZone: string;
}

/** Who acts: a Slack user, or the bot itself for scheduled work. */
export interface Actor {
  slackUserId: string;
}

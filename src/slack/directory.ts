/** SlackDirectory over the Web API: users.lookupByEmail, with "no such user" as undefined. */
import type { webApi } from '@slack/bolt';
import type { SlackDirectory } from '../services/takeover/notices.js';

export function slackDirectory(client: webApi.WebClient): SlackDirectory {
  return {
    async userIdByEmail(email) {
      try {
        const found = await client.users.lookupByEmail({ email });
        return found.user?.deleted ? undefined : found.user?.id;
      } catch (error) {
        if ((error as { data?: { error?: string } }).data?.error === 'users_not_found') return undefined;
        throw error;
      }
    },
  };
}

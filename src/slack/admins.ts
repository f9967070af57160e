/**
 * Who is an admin: the Slack user ids of ADMIN_USER_IDS, plus the members of the
 * ADMIN_USERGROUP_ID user group (read from Slack, cached for a minute).
 */
export interface AdminDirectory {
  isAdmin(slackUserId: string): Promise<boolean>;
}

export function createAdminDirectory(options: {
  adminUserIds: readonly string[];
  usergroupId?: string | undefined;
  fetchGroupMembers: (usergroupId: string) => Promise<string[]>;
  clock: () => Date;
  ttlMs?: number;
}): AdminDirectory {
  const ttl = options.ttlMs ?? 60_000;
  let cache: { members: Set<string>; fetchedAt: number } | undefined;

  async function groupMembers(usergroupId: string): Promise<Set<string>> {
    const now = options.clock().getTime();
    if (!cache || now - cache.fetchedAt >= ttl) {
      cache = { members: new Set(await options.fetchGroupMembers(usergroupId)), fetchedAt: now };
    }
    return cache.members;
  }

  return {
    async isAdmin(slackUserId) {
      if (options.adminUserIds.includes(slackUserId)) return true;
      if (!options.usergroupId) return false;
      return (await groupMembers(options.usergroupId)).has(slackUserId);
    },
  };
}

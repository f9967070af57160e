import { describe, expect, it } from 'vitest';
import { createAdminDirectory } from '../../src/slack/admins.js';

describe('who is an admin', () => {
  it('accepts listed user ids and members of the admin user group, and nobody else', async () => {
    let now = new Date('2026-11-25T09:00:00Z');
    let members = ['U0GROUP001'];
    let fetches = 0;
    const admins = createAdminDirectory({
      adminUserIds: ['U0LISTED01'],
      usergroupId: 'S0ADMINS01',
      clock: () => now,
      fetchGroupMembers: async (group) => {
        expect(group).toBe('S0ADMINS01');
        fetches += 1;
        return members;
      },
    });
    expect(await admins.isAdmin('U0LISTED01')).toBe(true);
    expect(await admins.isAdmin('U0GROUP001')).toBe(true);
    expect(await admins.isAdmin('U0STRANGER')).toBe(false);
    expect(fetches).toBe(1);

    members = ['U0NEWMEMBR'];
    expect(await admins.isAdmin('U0NEWMEMBR')).toBe(false);
    now = new Date(now.getTime() + 60_000);
    expect(await admins.isAdmin('U0NEWMEMBR')).toBe(true);
    expect(await admins.isAdmin('U0GROUP001')).toBe(false);
    expect(fetches).toBe(2);
  });

  it('never asks Slack when no user group is configured', async () => {
    const admins = createAdminDirectory({
      adminUserIds: ['U0LISTED01'],
      clock: () => new Date(),
      fetchGroupMembers: async () => {
        throw new Error('must not be called');
      },
    });
    expect(await admins.isAdmin('U0OTHER001')).toBe(false);
  });
});

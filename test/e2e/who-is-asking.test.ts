import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/blocks/action-ids.js';
import { UNIDENTIFIED_ACTOR } from '../../src/slack/middleware/authorize.js';
import { ADMIN_A, NON_ADMIN, textOf, useTestBot, type TestBot } from '../support/bot.js';
import { buildBlockActionsPayload, postSigned, sendInteraction } from '../support/slack-requests.js';

/** A signed slash command whose fields are exactly `fields` (repeated keys allowed). */
function commandBody(t: TestBot, fields: Array<[string, string]>): string {
  const base: Array<[string, string]> = [
    ['team_id', t.emulator.teamId],
    ['api_app_id', t.emulator.appId],
    ['channel_id', 'D0DIRECT01'],
    ['command', '/purchases'],
    ['text', 'list'],
    ['response_url', t.emulator.responseUrl('D0DIRECT01', ADMIN_A)],
    ['trigger_id', t.emulator.triggerId(ADMIN_A)],
  ];
  return new URLSearchParams([...base, ...fields]).toString();
}

const FORM = 'application/x-www-form-urlencoded';

describe('a request must say who sends it', () => {
  const t = useTestBot({ provider: 'sqlite' });

  const deniedUnidentified = () =>
    t.database.prisma.auditEvent.findMany({ where: { actorId: UNIDENTIFIED_ACTOR, action: 'access.denied' }, orderBy: { at: 'asc' } });

  it.each([
    ['no user_id', [] as Array<[string, string]>, 'no user id'],
    [
      'user_id given twice',
      [
        ['user_id', ADMIN_A],
        ['user_id', NON_ADMIN],
      ] as Array<[string, string]>,
      '2 user ids',
    ],
    ['an empty user_id', [['user_id', '']] as Array<[string, string]>, 'no user id'],
    ['a user_id that is not a Slack user id', [['user_id', 'u0admin0001; drop']] as Array<[string, string]>, 'a malformed user id'],
  ])('refuses a command with %s, runs nothing and audits it', async (_what, fields, problem) => {
    const before = (await deniedUnidentified()).length;
    const result = await postSigned(t.target, commandBody(t, fields), FORM);
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('did not carry exactly one valid Slack user id') });
    expect(t.emulator.responseUrlPosts).toHaveLength(0);
    const denied = await deniedUnidentified();
    expect(denied).toHaveLength(before + 1);
    expect(denied.at(-1)).toMatchObject({ subjectType: 'command', subjectId: '/purchases list', outcome: 'denied', detail: problem });
  });

  it.each([
    ['an empty user id', { id: '' }],
    ['no user id', {}],
    ['a user id that is a list', { id: [ADMIN_A, ADMIN_A] }],
  ])('refuses a button click with %s and audits it', async (_what, user) => {
    await t.command(ADMIN_A, 'list');
    const message = t.emulator.ephemeralMessages(ADMIN_A).at(-1)!;
    const payload = buildBlockActionsPayload(t.emulator, {
      user_id: ADMIN_A,
      action: { action_id: ACTIONS.showSubscription },
      message: { channel: message.channel, ts: message.message_ts, ephemeral: true },
    });
    const before = (await deniedUnidentified()).length;
    const posts = t.emulator.responseUrlPosts.length;
    const result = await sendInteraction(t.target, { ...payload, user });
    expect(result.status).toBe(200);
    const replies = t.emulator.responseUrlPosts.slice(posts);
    expect(replies.map((r) => r.body.text)).toEqual([expect.stringContaining('did not carry exactly one valid Slack user id')]);
    expect(await deniedUnidentified()).toHaveLength(before + 1);
  });
});

describe('admins given as a user group Slack cannot list right now', () => {
  const t = useTestBot({ provider: 'sqlite', env: { ADMIN_USER_IDS: '', ADMIN_USERGROUP_ID: 'S0ADMINS01' } });

  it('refuses with the reason the check failed, not as if the user were no admin, and audits it', async () => {
    t.emulator.addUserGroup({ id: 'S0ADMINS01', handle: 'm365-admins', users: [ADMIN_A] });
    t.emulator.failNext('usergroups.users.list', { status: 500 });
    const { replies } = await t.command(ADMIN_A, 'list');
    expect(replies[0]?.text).toBe('The bot could not check whether you are an admin: Slack answered with an error (HTTP 500). Try again in a moment.');
    expect(await t.database.prisma.auditEvent.count({ where: { actorId: ADMIN_A, action: 'access.denied', detail: 'the admin check failed' } })).toBe(1);
    const later = await t.command(ADMIN_A, 'help');
    expect(textOf(later.replies)).toContain('/purchases list');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/blocks/action-ids.js';
import { ADMIN_A, ADMIN_CHANNEL, blocksOf, NON_ADMIN, startTestBot, textOf, useTestBot, type TestBot } from '../support/bot.js';
import { sqliteOnly } from '../support/database.js';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../src/devkit/microsoft-fake/index.js';
import { microsoftEnv } from '../support/microsoft.js';
import { buildBlockActionsPayload } from '../support/slack-requests.js';

/** `user` picks `optionValue` in the select of row `blockId` of the newest policy list `owner` sees. */
async function selectOnRow(t: TestBot, owner: string, user: string, blockId: string, optionValue: string) {
  const message = [...t.emulator.ephemeralMessages(owner)].reverse().find((m) => JSON.stringify(m.blocks ?? []).includes(ACTIONS.policySelect));
  if (!message) throw new Error(`${owner} sees no policy list`);
  const payload = buildBlockActionsPayload(t.emulator, {
    user_id: owner,
    action: { action_id: ACTIONS.policySelect, block_id: blockId, selected_option_value: optionValue },
    message: { channel: message.channel, ts: message.message_ts, ephemeral: true },
  });
  payload.user = { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: t.emulator.teamId };
  const before = t.emulator.responseUrlPosts.length;
  const result = await t.interact(payload);
  return { status: result.status, replies: t.emulator.responseUrlPosts.slice(before).map((post) => post.body) };
}

describe.each(sqliteOnly)('/purchases policy end to end on %s', (provider) => {
  const t = useTestBot({ provider });

  it('lists every product and offer type with its value, last change and a select on each row', async () => {
    const { replies } = await t.command(ADMIN_A, 'policy');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.response_type).toBe('ephemeral');
    const blocks = blocksOf(replies[0]);
    expect(blocks.length).toBeLessThanOrEqual(50);
    const rows = blocks.filter((b) => b.accessory?.action_id === ACTIONS.policySelect);
    expect(rows).toHaveLength(21);
    const powerBi = rows.find((b) => b.block_id === 'policy_CFQ7TTC0H9MP')!;
    expect(powerBi.text!.text).toContain('*Power BI Pro*');
    expect(powerBi.accessory!.initial_option!.text.text).toBe('enabled');
    expect(powerBi.accessory!.options!.map((o) => o.text.text)).toEqual(['enabled', 'trials', 'disabled']);
    const saas = rows.find((b) => b.block_id === 'policy_SaaS')!;
    expect(saas.accessory!.options!.map((o) => o.text.text)).toEqual(['enabled', 'disabled']);
    expect(textOf(replies[0])).toContain('outside the bot');
  });

  it('changes one product from the command, confirms it to the actor and announces it in the admins channel', async () => {
    const { replies } = await t.command(ADMIN_A, 'policy "Visio Plan 1" OnlyTrialsWithoutPaymentMethod');
    expect(textOf(replies[0])).toContain(
      'now allows trials only (free, without a payment method), for future purchases; before, it allowed purchases and trials.',
    );
    await t.bot.deliverOutbox();
    const announced = t.emulator.messages(ADMIN_CHANNEL).map((m) => m.text);
    expect(announced.some((text) => text.includes(`<@${ADMIN_A}> set the self-service purchase policy of *Visio Plan 1*`))).toBe(true);
    const product = await t.database.prisma.product.findUniqueOrThrow({ where: { id: 'CFQ7TTC0HD33' } });
    expect(product).toMatchObject({ policyValue: 'OnlyTrialsWithoutPaymentMethod', policyChangedBy: ADMIN_A });
  });

  it('refuses trials on an offer type with the reason, and a bad value with the right form', async () => {
    const trials = await t.command(ADMIN_A, 'policy POWERBIVISUALS trials');
    expect(textOf(trials.replies[0])).toContain('takes only enabled or disabled');
    const bad = await t.command(ADMIN_A, 'policy Power BI Pro off');
    expect(textOf(bad.replies[0])).toContain('`off` is not a policy value');
    expect(textOf(bad.replies[0])).toContain('/purchases policy all');
  });

  it('changes a product from the select on its row without asking, and replies with the outcome', async () => {
    await t.command(ADMIN_A, 'policy');
    const { status, replies } = await selectOnRow(t, ADMIN_A, ADMIN_A, 'policy_CFQ7TTC0N8SS', 'CFQ7TTC0N8SS|Disabled');
    expect(status).toBe(200);
    expect(textOf(replies[0])).toContain('*Clipchamp Premium* (`CFQ7TTC0N8SS`) now allows no purchases and no trials');
    const change = await t.database.prisma.policyChange.findFirstOrThrow({ where: { productId: 'CFQ7TTC0N8SS' } });
    expect(change).toMatchObject({ before: 'Enabled', after: 'Disabled', source: 'bot', changedBy: ADMIN_A });
  });

  it('replaces the list after a change, so the row shows the new value and its menu stays on it', async () => {
    await t.command(ADMIN_A, 'policy');
    const { replies } = await selectOnRow(t, ADMIN_A, ADMIN_A, 'policy_CFQ7TTC0S3X1', 'CFQ7TTC0S3X1|OnlyTrialsWithoutPaymentMethod');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.replace_original).toBe(true);
    const row = blocksOf(replies[0]).find((b) => b.block_id === 'policy_CFQ7TTC0S3X1')!;
    expect(row.text!.text).toContain('*trials*');
    expect(row.text!.text).toContain(`changed by <@${ADMIN_A}> on`);
    expect(row.accessory!.initial_option!.value).toBe('CFQ7TTC0S3X1|OnlyTrialsWithoutPaymentMethod');
    expect(textOf(replies[0])).toContain('*Python in Excel* (`CFQ7TTC0S3X1`) now allows trials only');
    // What the admin sees is the replaced message, not a second one beside it.
    const lists = t.emulator.ephemeralMessages(ADMIN_A).filter((m) => JSON.stringify(m.blocks ?? []).includes(ACTIONS.policySelect));
    expect(lists).toHaveLength(1);
    expect(JSON.stringify(lists[0]!.blocks)).toContain('CFQ7TTC0S3X1|OnlyTrialsWithoutPaymentMethod');
  });

  it('shows one product when no value is given: its value, the values it takes, and a select', async () => {
    const { replies } = await t.command(ADMIN_A, 'policy Viva Goals');
    const text = textOf(replies[0]);
    expect(text).not.toContain(':warning:');
    expect(text).toContain('Viva Goals now allows');
    expect(text).toContain('`trials`: allows trials only');
    const row = blocksOf(replies[0]).find((b) => b.block_id === 'policy_one_CFQ7TTC0PW0V')!;
    expect(row.accessory!.action_id).toBe(ACTIONS.policySelect);

    const picked = await selectOnRow(t, ADMIN_A, ADMIN_A, 'policy_one_CFQ7TTC0PW0V', 'CFQ7TTC0PW0V|Disabled');
    expect(picked.replies[0]!.replace_original).toBe(true);
    expect(textOf(picked.replies[0])).toContain('Viva Goals now allows no purchases and no trials');
    expect(blocksOf(picked.replies[0]).find((b) => b.block_id === 'policy_one_CFQ7TTC0PW0V')!.accessory!.initial_option!.value).toBe('CFQ7TTC0PW0V|Disabled');
  });

  it("refuses a non-admin's select, audits it, and changes nothing", async () => {
    await t.command(ADMIN_A, 'policy');
    const { replies } = await selectOnRow(t, ADMIN_A, NON_ADMIN, 'policy_CFQ7TTC0H6RP', 'CFQ7TTC0H6RP|Disabled');
    expect(textOf(replies[0])).toContain('only purchase-governance admins');
    const audit = await t.database.prisma.auditEvent.findMany({ where: { actorId: NON_ADMIN } });
    expect(audit).toEqual([expect.objectContaining({ action: 'access.denied', subjectType: 'action', subjectId: ACTIONS.policySelect })]);
    const product = await t.database.prisma.product.findUniqueOrThrow({ where: { id: 'CFQ7TTC0H6RP' } });
    expect(product.policyValue).toBe('Enabled');
  });

  it('asks before switching every product, says how many will change, and reports the result', async () => {
    const notDisabled = await t.database.prisma.product.count({ where: { policyValue: { not: 'Disabled' } } });
    const { replies } = await t.command(ADMIN_A, 'policy all disabled');
    expect(textOf(replies[0])).toContain(`*${notDisabled}* will change to *disabled*`);
    const confirm = blocksOf(replies[0])
      .find((b) => b.type === 'actions')!
      .elements!.find((e) => e.action_id === ACTIONS.policyAllConfirm)!;
    expect(confirm.confirm).toBeDefined();
    expect(await t.database.prisma.product.count({ where: { policyValue: { not: 'Disabled' } } })).toBe(notDisabled);

    const result = await t.clickEphemeral(ADMIN_A, ACTIONS.policyAllConfirm);
    expect(result.replies[0]!.replace_original).toBe(true);
    expect(textOf(result.replies[0])).toContain(`${notDisabled} changed`);
    expect(await t.database.prisma.product.count({ where: { policyValue: { not: 'Disabled' } } })).toBe(0);
    await t.bot.deliverOutbox();
    expect(t.emulator.messages(ADMIN_CHANNEL).some((m) => m.text.includes("set every product's self-service purchase policy to *disabled*"))).toBe(true);
  });

  it('changes nothing when the switch is cancelled', async () => {
    await t.command(ADMIN_A, 'policy all enabled');
    const before = await t.database.prisma.policyChange.count();
    const result = await t.clickEphemeral(ADMIN_A, ACTIONS.policyAllCancel);
    expect(textOf(result.replies[0])).toContain('Cancelled: no policy was changed.');
    expect(await t.database.prisma.policyChange.count()).toBe(before);
  });
});

describe.each(sqliteOnly)('/purchases policy with TENANT=microsoft on %s', (provider) => {
  let fake: FakeMicrosoft;
  let t: TestBot;

  beforeAll(async () => {
    fake = await startFakeMicrosoft();
    t = await startTestBot({
      provider,
      demo: false,
      policyGuardAtStart: true,
      env: microsoftEnv(fake),
    });
    await t.bot.startupPolicyGuard;
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('reads the policies from Microsoft at start and changes one there first', async () => {
    const list = await t.command(ADMIN_A, 'policy');
    expect(blocksOf(list.replies[0]).filter((b) => b.accessory?.action_id === ACTIONS.policySelect)).toHaveLength(8);
    expect(textOf(list.replies[0])).toContain('Values from Microsoft 365, last read');

    const { replies } = await t.command(ADMIN_A, 'policy CFQ7TTC0H9MP disabled');
    expect(textOf(replies[0])).toContain('now allows no purchases and no trials');
    expect(fake.products.get('CFQ7TTC0H9MP')?.policyValue).toBe('Disabled');
  });
});

describe('the policy guard at start', () => {
  it('logs a failure to read Microsoft and keeps the bot running', async () => {
    const fake = await startFakeMicrosoft();
    fake.failRequests('GET', '/v1.0/policies/AllowSelfServicePurchase/products', { status: 403, body: '{"error":{"message":"Forbidden"}}' });
    const t = await startTestBot({
      provider: 'sqlite',
      demo: false,
      policyGuardAtStart: true,
      env: microsoftEnv(fake),
    });
    try {
      await t.bot.startupPolicyGuard;
      expect(t.logger.lines.some((line) => line.startsWith('error The policy guard could not read the tenant at start'))).toBe(true);
      const { replies } = await t.command(ADMIN_A, 'policy');
      expect(textOf(replies[0])).toContain('No product on record yet');
    } finally {
      await t.close();
      await fake.close();
    }
  });
});

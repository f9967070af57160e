/**
 * The sandbox in a real browser: Debian's Chromium driven by playwright-core, against the
 * sandbox started in-process (the real bot, the Slack emulator, a fresh SQLite file).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { ADMIN_CHANNEL, SANDBOX_USERS } from '../../src/sandbox/workspace.js';
import { recordingLogger } from '../support/bot.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const SCREENSHOTS = path.resolve('test-results');
/** Playwright waits this long for what the page should show. */
const UI_TIMEOUT = 15_000;

const [alice, bob, nina, meera] = SANDBOX_USERS;
if (!alice || !bob || !nina || !meera) throw new Error('the sandbox has four demo users');

if (!hasChromium) console.warn(`Skipping the sandbox browser tests: ${CHROMIUM} is missing (apt-get install -y chromium).`);

describe.skipIf(!hasChromium)(`the sandbox, in Chromium${hasChromium ? '' : ` (skipped: ${CHROMIUM} is missing; apt-get install -y chromium)`}`, () => {
  let sandbox: Sandbox;
  let context: BrowserContext;
  let page: Page;
  let dir: string;
  const logger = recordingLogger();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sandbox-browser-'));
    sandbox = await startSandbox({ port: 0, databaseFile: path.join(dir, 'sandbox.db'), env: { BOT_TIMEZONE: 'UTC' }, logger });
    context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
    });
    context.setDefaultTimeout(UI_TIMEOUT);
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(sandbox.url.replace('localhost', '127.0.0.1'));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function screenshot(name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `sandbox-${name}.png`) });
  }

  async function actAs(user: { id: string }): Promise<void> {
    await page.getByLabel('You are').selectOption(user.id);
    // The page has drawn what this user sees.
    await page.locator(`body[data-user="${user.id}"]`).waitFor();
  }

  async function openChannel(name: string): Promise<void> {
    await page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('button', { name: `# ${name}` })
      .click();
    await page.getByRole('heading', { name: `# ${name}` }).waitFor();
  }

  async function run(command: string): Promise<void> {
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(command);
    await box.press('Enter');
  }

  /** Posts to the admins' channel as the bot would, straight to the emulator's Web API. */
  async function postAsBot(blocks: unknown[]): Promise<{ ok: boolean; error?: string }> {
    const response = await fetch(`${sandbox.emulator.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.emulator.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: ADMIN_CHANNEL.id, text: 'fallback', blocks }),
    });
    return (await response.json()) as { ok: boolean; error?: string };
  }

  function messages(): Locator {
    return page.getByRole('region', { name: 'Messages' }).locator('article');
  }

  it('changes a policy from the select on its row: the row shows the new value, the outcome only to the admin, the announcement in the admins’ channel', async () => {
    await actAs(alice);
    await openChannel(ADMIN_CHANNEL.name);
    await run('/purchases policy');
    const list = messages().filter({ hasText: 'Self-service purchase policies' }).last();
    await expect.poll(() => list.textContent()).toContain('Only visible to you');
    const row = list.locator('[data-block-id="policy_CFQ7TTC0N8SS"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('Clipchamp Premium');
    expect(await row.getByRole('combobox').inputValue()).toBe('CFQ7TTC0N8SS|Enabled');
    await screenshot('policy-list');

    await row.getByRole('combobox').selectOption({ label: 'disabled' });
    await list.getByText('now allows no purchases and no trials').waitFor();
    await row.getByText(/changed by @Alice Admin on/).waitFor();
    expect(await row.getByRole('combobox').inputValue()).toBe('CFQ7TTC0N8SS|Disabled');
    expect(await row.locator('b', { hasText: 'disabled' }).count()).toBe(1);
    expect(await list.textContent()).toContain('Only visible to you');
    // The list was redrawn in place, not answered with a second message beside it.
    expect(await messages().filter({ hasText: 'Self-service purchase policies' }).count()).toBe(1);
    await messages().filter({ hasText: 'set the self-service purchase policy of Clipchamp Premium' }).waitFor();
    await screenshot('policy-changed');
  });

  it('draws mrkdwn, fields, context, dividers, overflow menus and selects as Slack does', async () => {
    await actAs(alice);
    await openChannel(ADMIN_CHANNEL.name);
    const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
    const option = (text: string, value: string) => ({ text: { type: 'plain_text', text }, value });
    const posted = await postAsBot([
      { type: 'header', text: { type: 'plain_text', text: 'Rendering check' } },
      {
        type: 'section',
        text: mrkdwn(`*Bold* and _italic_, \`a1b2c3d4\`, <@${bob.id}>, <https://example.com/docs|the docs>, 3 &lt; 4\n• first bullet\n• second bullet`),
        accessory: { type: 'overflow', action_id: 'row_menu', options: [option('Open in admin center', 'open'), option('Copy id', 'copy')] },
      },
      { type: 'section', fields: [mrkdwn('*Status*\nActive'), mrkdwn('*Seats*\n5')] },
      { type: 'divider' },
      { type: 'context', elements: [mrkdwn('Context line')] },
      {
        type: 'actions',
        elements: [
          {
            type: 'static_select',
            action_id: 'pick',
            placeholder: { type: 'plain_text', text: 'Pick one' },
            options: [option('Monthly', 'm'), option('Yearly', 'y')],
          },
        ],
      },
    ]);
    expect(posted.ok).toBe(true);
    const message = messages().filter({ has: page.getByRole('heading', { name: 'Rendering check' }) });
    await message.waitFor();
    expect(await message.locator('b').first().textContent()).toBe('Bold');
    expect(await message.locator('i').first().textContent()).toBe('italic');
    expect(await message.locator('code').first().textContent()).toBe('a1b2c3d4');
    expect(await message.locator('.mention').first().textContent()).toBe('@Bob Admin');
    expect(await message.getByRole('link', { name: 'the docs' }).getAttribute('href')).toBe('https://example.com/docs');
    expect(await message.textContent()).toContain('3 < 4');
    expect(await message.locator('.bullet').allTextContents()).toEqual(['first bullet', 'second bullet']);
    expect(await message.locator('.bk-field').allTextContents()).toEqual(['StatusActive', 'Seats5']);
    expect(await message.locator('hr').count()).toBe(1);
    await message.getByRole('button', { name: 'More actions' }).click();
    expect(await message.getByRole('menuitem').allTextContents()).toEqual(['Open in admin center', 'Copy id']);
    expect(await message.getByRole('combobox').locator('option').allTextContents()).toEqual(['Pick one', 'Monthly', 'Yearly']);
  });

  it('shows an element it cannot draw as a named placeholder, and flags a payload Slack would reject', async () => {
    await actAs(alice);
    await openChannel(ADMIN_CHANNEL.name);
    const drawn = await postAsBot([{ type: 'actions', elements: [{ type: 'datepicker', action_id: 'when' }] }]);
    expect(drawn.ok).toBe(true);
    await page.getByText('Unsupported element: datepicker').waitFor();

    const refused = await postAsBot([{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }]);
    expect(refused).toMatchObject({ ok: false, error: 'invalid_blocks' });
    const banner = page.getByRole('alert').filter({ hasText: 'Slack would reject this payload' });
    await banner.waitFor();
    await expect.poll(() => banner.textContent()).toContain('151 characters');
  });

  it('walks a take-over: Alice asks in the modal, Bob approves with the confirm dialog, Meera gets a DM', async ({ skip }) => {
    await actAs(alice);
    await openChannel(ADMIN_CHANNEL.name);
    await run('/purchases help');
    const help = messages().filter({ hasText: '/purchases — self-service purchases' }).last();
    await help.waitFor();
    if (!(await help.textContent())?.includes('/purchases takeover')) {
      const why = 'this bot has no /purchases takeover (its help does not list it)';
      console.warn(`Skipping the take-over walk: ${why}.`);
      skip(why);
    }

    await run('/purchases list purchaser:"Meera Desai"');
    const list = messages().filter({ hasText: 'purchaser: Meera Desai' }).last();
    const row = list.locator('.bk-section').filter({ hasText: 'Meera Desai' }).first();
    const shortId = (await row.locator('code').first().textContent())?.trim() ?? '';
    expect(shortId).toMatch(/^[0-9a-f]{8}$/);

    await run(`/purchases takeover ${shortId}`);
    const modal = page.getByRole('dialog', { name: 'Take over' });
    await modal.waitFor();
    await modal.getByRole('button', { name: 'Ask for approval' }).click();
    await modal.getByText('Please complete this required field.').waitFor();

    await modal.getByRole('radio', { name: /Move users to another subscription/ }).check();
    await modal.getByRole('button', { name: 'Ask for approval' }).click();
    // The bot refuses a move without a target: response_action errors, shown on the field.
    await modal.locator('[data-block-id=takeover_target]').getByRole('alert').filter({ hasText: 'Choose the subscription the users move to.' }).waitFor();

    await modal.getByRole('radio', { name: /Cancel the subscription/ }).check();
    await modal.getByRole('combobox', { name: 'Reason (for Cancel)' }).selectOption({ label: 'Bought by mistake' });
    await modal.getByRole('textbox', { name: 'Comment (for Cancel)' }).fill('IT pays for these licenses now.');
    await screenshot('takeover-modal');
    await modal.getByRole('button', { name: 'Ask for approval' }).click();
    await modal.waitFor({ state: 'detached' });

    await actAs(bob);
    await openChannel(ADMIN_CHANNEL.name);
    const request = messages().filter({ hasText: 'Take-over request: cancel' }).filter({ hasText: shortId }).last();
    await request.getByRole('button', { name: 'Approve' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Cancel the subscription?' });
    await confirm.waitFor();
    await screenshot('takeover-confirm');
    await confirm.getByRole('button', { name: 'Yes, cancel it' }).click();
    await request.getByText('Done.').waitFor();
    await screenshot('takeover-approved');

    await actAs(meera);
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: 'Purchase Governance' }).click();
    await page.getByRole('tab', { name: 'Messages' }).click();
    const dm = messages().filter({ hasText: 'The IT admins took over your' });
    await dm.waitFor();
    expect(await dm.textContent()).toContain('@Bob Admin approved it at the request of @Alice Admin');
    await screenshot('takeover-dm');
  });

  it('shows the weekly report’s chart as a picture that draws, with alt text stating the numbers', async () => {
    await actAs(alice);
    await openChannel(ADMIN_CHANNEL.name);
    await run('/purchases report');
    const picture = page.getByRole('region', { name: 'Messages' }).locator('figure.file-image img[alt^="Self-service spend per month in USD"]');
    // The report adds up the spend history, draws the chart and posts it through the outbox: a second
    // or two on a quiet machine, many more when the whole suite shares two cores.
    await picture.waitFor({ state: 'attached', timeout: 45_000 });
    await expect.poll(() => picture.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), { timeout: UI_TIMEOUT }).toBe(1000);
    expect(await picture.getAttribute('alt')).toMatch(/Total per month: .*\$[\d,]+\.\d\d/);
    await picture.scrollIntoViewIfNeeded();
    await screenshot('weekly-report');
  });

  it('lists the Web API calls the bot made', async () => {
    const calls = page.getByRole('complementary', { name: 'Web API calls' });
    await calls.getByText('views.open').first().waitFor();
    await calls.getByText('chat.update').first().waitFor();
  });
});

/**
 * GET /healthz through the real bot: on the Slack receiver's port in HTTP mode, on HEALTH_PORT
 * when set, with the last sync's time, age and result when TENANT=microsoft.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoGraphTenant, graphFailures, startFakeMicrosoft, type FakeMicrosoft } from '../../src/devkit/microsoft-fake/index.js';
import { ADMIN_A, startTestBot, type TestBot } from '../support/bot.js';
import { microsoftEnv } from '../support/microsoft.js';

const NOW = new Date('2026-11-25T09:00:00Z');

async function get(port: number | undefined, path: string, method = 'GET') {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), body: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('the health check', () => {
  const bots: TestBot[] = [];
  afterEach(async () => {
    for (const bot of bots.splice(0)) await bot.close();
  });

  it('answers 200 with a small JSON report on /healthz and /health of the Slack port, and nothing else there', async () => {
    const t = await startTestBot({ provider: 'sqlite', demo: false });
    bots.push(t);

    expect(await get(t.bot.port, '/healthz')).toEqual({ status: 200, type: 'application/json', body: { ok: true, problems: [] } });
    expect(await get(t.bot.port, '/health')).toEqual({ status: 200, type: 'application/json', body: { ok: true, problems: [] } });
    expect((await get(t.bot.port, '/healthz', 'POST')).status).toBe(404);
    expect((await get(t.bot.port, '/status')).status).toBe(404);
  });

  it('answers 503 and says why when the database does not answer', async () => {
    const t = await startTestBot({ provider: 'sqlite', demo: false });
    bots.push(t);
    await t.database.close();

    expect(await get(t.bot.port, '/healthz')).toEqual({
      status: 503,
      type: 'application/json',
      body: { ok: false, problems: ['The database does not answer.'] },
    });
  });

  it('serves the same check on HEALTH_PORT, a port of its own, which answers nothing but the check', async () => {
    const t = await startTestBot({ provider: 'sqlite', demo: false, env: { HEALTH_PORT: '0' } });
    bots.push(t);

    expect(t.bot.healthPort).toBeDefined();
    expect(t.bot.healthPort).not.toBe(t.bot.port);
    expect(await get(t.bot.healthPort, '/healthz')).toEqual({ status: 200, type: 'application/json', body: { ok: true, problems: [] } });
    expect((await get(t.bot.healthPort, '/slack/events', 'POST')).status).toBe(404);
    const port = t.bot.healthPort;
    await t.bot.stop();
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});

describe('the health check with TENANT=microsoft', () => {
  let fake: FakeMicrosoft;
  let t: TestBot;

  beforeAll(async () => {
    fake = await startFakeMicrosoft({ graph: demoGraphTenant(NOW), now: () => NOW });
    t = await startTestBot({ provider: 'sqlite', demo: false, now: NOW, env: microsoftEnv(fake, { MS_MAX_RETRIES: '0', MS_LICENSE_PACE_MS: '0' }) });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('says there was no sync yet, then when the last one ran, how long ago, and whether it worked', async () => {
    expect((await get(t.bot.port, '/healthz')).body).toEqual({ ok: true, problems: [], lastSync: null });

    await t.command(ADMIN_A, 'sync');
    t.setNow(new Date(NOW.getTime() + 90_000));
    expect(await get(t.bot.port, '/healthz')).toMatchObject({
      status: 200,
      body: { ok: true, problems: [], lastSync: { at: NOW.toISOString(), ageSeconds: 90, ok: true } },
    });

    fake.graph.failNext('GET', '/v1.0/users', graphFailures.forbidden());
    await t.command(ADMIN_A, 'sync');
    const failed = await get(t.bot.port, '/healthz');
    // A failed sync is reported, not a reason to restart the bot: still 200.
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({
      ok: true,
      lastSync: { at: '2026-11-25T09:01:30.000Z', ageSeconds: 0, ok: false, error: expect.stringContaining('User.Read.All') },
    });
  });
});

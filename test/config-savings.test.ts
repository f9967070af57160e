import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const valid = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'secret-value',
  ADMIN_USER_IDS: 'U0ADMIN0001',
};

describe('the savings and report settings', () => {
  it('post the report on Mondays at 09:00 and know no central price by default', () => {
    const result = loadConfig(valid);
    expect(result).toMatchObject({ ok: true, config: { REPORT_CRON: '0 9 * * 1', CENTRAL_PRICES: [] } });
  });

  it('read CENTRAL_PRICES by ProductId or SKU part number, exactly in minor units of each currency', () => {
    const result = loadConfig({ ...valid, CENTRAL_PRICES: ' CFQ7TTC0H9MP:USD:14.00 , visioclient:eur:12.5,POWER_BI_PRO:JPY:1500 ' });
    expect(result).toMatchObject({
      ok: true,
      config: {
        CENTRAL_PRICES: [
          { key: 'CFQ7TTC0H9MP', unitPrice: { amountMinor: 1400, currency: 'USD' } },
          { key: 'VISIOCLIENT', unitPrice: { amountMinor: 1250, currency: 'EUR' } },
          { key: 'POWER_BI_PRO', unitPrice: { amountMinor: 1500, currency: 'JPY' } },
        ],
      },
    });
  });

  it('name each bad CENTRAL_PRICES entry, what is wrong with it and the right form, with a bad REPORT_CRON', () => {
    const result = loadConfig({
      ...valid,
      CENTRAL_PRICES: 'CFQ7TTC0H9MP:14.00,CFQ7TTC0HD32:DOLLARS:14,CFQ7TTC0HD33:USD:14.999,CFQ7TTC0HD33:USD:1',
      REPORT_CRON: 'mondays',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(
      'CENTRAL_PRICES has `CFQ7TTC0H9MP:14.00`: each entry is <ProductId or SKU part number>:<currency>:<monthly price of one license>, e.g. CFQ7TTC0H9MP:USD:14.00',
    );
    expect(result.message).toContain('CENTRAL_PRICES has `DOLLARS` in `CFQ7TTC0HD32:DOLLARS:14`, which is not an ISO 4217 currency code such as USD or EUR');
    expect(result.message).toContain('CENTRAL_PRICES has `14.999` in `CFQ7TTC0HD33:USD:14.999`, which is not a price in USD');
    expect(result.message).toContain('REPORT_CRON must be a cron expression');
  });
});

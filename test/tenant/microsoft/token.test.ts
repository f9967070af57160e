import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LICENSING_SCOPE, createMicrosoftCredential } from '../../../src/tenant/microsoft/token.js';
import {
  FAKE_CLIENT_ID,
  FAKE_CLIENT_SECRET,
  FAKE_TENANT_ID,
  TEST_CLIENT_CERTIFICATE_PATH,
  startFakeMicrosoft,
  type FakeMicrosoft,
} from '../../../src/devkit/microsoft-fake/index.js';

describe('the Microsoft credential', () => {
  let fake: FakeMicrosoft;

  beforeEach(async () => {
    fake = await startFakeMicrosoft({ clientCertificatePath: TEST_CLIENT_CERTIFICATE_PATH });
  });

  afterEach(async () => {
    await fake?.close();
  });

  it('signs in with a client secret and reuses the token until it expires', async () => {
    const credential = createMicrosoftCredential({
      tenantId: FAKE_TENANT_ID,
      clientId: FAKE_CLIENT_ID,
      auth: { kind: 'secret', clientSecret: FAKE_CLIENT_SECRET },
      loginUrl: fake.url,
    });

    const first = await credential.getToken(LICENSING_SCOPE);
    const second = await credential.getToken(LICENSING_SCOPE);

    expect(first?.token).toBe(fake.tokensIssued[0]);
    expect(second?.token).toBe(first?.token);
    expect(fake.counts.tokenRequests).toBe(1);
    expect(first?.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3000_000);
  });

  it('signs in with a certificate through a signed client assertion', async () => {
    const credential = createMicrosoftCredential({
      tenantId: FAKE_TENANT_ID,
      clientId: FAKE_CLIENT_ID,
      auth: { kind: 'certificate', certificatePath: TEST_CLIENT_CERTIFICATE_PATH },
      loginUrl: fake.url,
    });

    const token = await credential.getToken(LICENSING_SCOPE);

    expect(token?.token).toBe(fake.tokensIssued[0]);
  });

  it("fails with the authority's reason when the secret is wrong", async () => {
    const credential = createMicrosoftCredential({
      tenantId: FAKE_TENANT_ID,
      clientId: FAKE_CLIENT_ID,
      auth: { kind: 'secret', clientSecret: 'not-the-secret' },
      loginUrl: fake.url,
    });

    await expect(credential.getToken(LICENSING_SCOPE)).rejects.toMatchObject({
      name: 'AuthenticationRequiredError',
      message: expect.stringContaining('AADSTS7000215'),
    });
    expect(fake.tokensIssued).toEqual([]);
  });
});

/**
 * App-only sign-in for the licensing endpoint. @azure/identity does the OAuth work and keeps
 * the token in memory until 5 minutes before it expires; the rest of the adapter sees only
 * the TokenCredential interface, so tests can hand it a static credential.
 */
import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';
import type { MicrosoftConfig } from './config.js';

/** The "M365 License Manager" API that serves the AllowSelfServicePurchase policy. */
export const LICENSE_MANAGER_APP_ID = 'aeb86249-8ea3-49e2-900b-54cc8e308f85';
export const LICENSING_SCOPE = `${LICENSE_MANAGER_APP_ID}/.default`;

export type CredentialConfig = Pick<MicrosoftConfig, 'tenantId' | 'clientId' | 'auth' | 'loginUrl'>;

export function createMicrosoftCredential(config: CredentialConfig): TokenCredential {
  const options = {
    authorityHost: config.loginUrl,
    // Instance discovery asks login.microsoftonline.com which authorities exist: needless for
    // the public cloud, and it would make a sovereign cloud or a local fake wait for it.
    disableInstanceDiscovery: true,
  };
  if (config.auth.kind === 'certificate') {
    return new ClientCertificateCredential(
      config.tenantId,
      config.clientId,
      {
        certificatePath: config.auth.certificatePath,
        ...(config.auth.certificatePassword ? { certificatePassword: config.auth.certificatePassword } : {}),
      },
      options,
    );
  }
  return new ClientSecretCredential(config.tenantId, config.clientId, config.auth.clientSecret, options);
}

/** The sandbox's own settings, from the environment; the bot's Slack settings are not read. */
import { z } from 'zod';
import { emptyAsUndefined, portNumber } from '../config.js';

/** Each tenant keeps its own file: the demo record and a record synced from the Microsoft fake do not mix. */
const DEFAULT_DB = { local: './data/sandbox.db', microsoft: './data/sandbox-microsoft.db' } as const;

export const sandboxConfigSchema = z
  .object({
    SANDBOX_PORT: portNumber(3000),
    SANDBOX_TENANT: z.preprocess(
      emptyAsUndefined,
      z
        .enum(['local', 'microsoft'], {
          error: 'must be local (the demo tenant in the bot’s record) or microsoft (the bot with TENANT=microsoft against a local Microsoft 365 emulator)',
        })
        .default('local'),
    ),
    SANDBOX_DB: z.preprocess(emptyAsUndefined, z.string().optional()),
  })
  .transform(({ SANDBOX_DB, ...rest }) => ({ ...rest, SANDBOX_DB: SANDBOX_DB ?? DEFAULT_DB[rest.SANDBOX_TENANT] }));

export type SandboxConfig = z.infer<typeof sandboxConfigSchema>;

export function loadSandboxConfig(env: NodeJS.ProcessEnv): { ok: true; config: SandboxConfig } | { ok: false; message: string } {
  const parsed = sandboxConfigSchema.safeParse(env);
  if (parsed.success) return { ok: true, config: parsed.data };
  const lines = parsed.error.issues.map((issue) => `  ${String(issue.path[0] ?? 'configuration')} ${issue.message}`);
  return { ok: false, message: `The sandbox cannot start:\n${lines.join('\n')}` };
}

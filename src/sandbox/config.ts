/** The sandbox's own settings, from the environment; the bot's Slack settings are not read. */
import { z } from 'zod';
import { emptyAsUndefined, portNumber } from '../config.js';

export const sandboxConfigSchema = z.object({
  SANDBOX_PORT: portNumber(3000),
  SANDBOX_DB: z.preprocess(emptyAsUndefined, z.string().default('./data/sandbox.db')),
});

export type SandboxConfig = z.infer<typeof sandboxConfigSchema>;

export function loadSandboxConfig(env: NodeJS.ProcessEnv): { ok: true; config: SandboxConfig } | { ok: false; message: string } {
  const parsed = sandboxConfigSchema.safeParse(env);
  if (parsed.success) return { ok: true, config: parsed.data };
  const lines = parsed.error.issues.map((issue) => `  ${String(issue.path[0] ?? 'configuration')} ${issue.message}`);
  return { ok: false, message: `The sandbox cannot start:\n${lines.join('\n')}` };
}

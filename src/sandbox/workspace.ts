/**
 * Who and what is in the sandbox's Slack workspace: two admins, a non-admin, a purchaser from the
 * demo tenant (so the DMs the bot sends her have somewhere to land), and two channels.
 */
import type { EmulatedUser } from '../devkit/slack-emulator/index.js';

export interface SandboxUser extends EmulatedUser {
  email: string;
  /** What the user switcher says about them. */
  role: string;
}

export const SANDBOX_USERS: readonly SandboxUser[] = [
  { id: 'U0ALICE0001', name: 'alice', real_name: 'Alice Admin', email: 'alice.admin@contoso.com', role: 'admin' },
  { id: 'U0BOBADMIN1', name: 'bob', real_name: 'Bob Admin', email: 'bob.admin@contoso.com', role: 'admin' },
  { id: 'U0NINA00001', name: 'nina', real_name: 'Nina', email: 'nina.curious@contoso.com', role: 'not an admin' },
  { id: 'U0MEERA001', name: 'meera', real_name: 'Meera Desai', email: 'meera.desai@contoso.com', role: 'purchaser' },
];

export const SANDBOX_ADMINS: readonly string[] = SANDBOX_USERS.filter((u) => u.role === 'admin').map((u) => u.id);

export interface SandboxChannel {
  id: string;
  name: string;
}

/** The admins' channel is ADMIN_CHANNEL_ID: approvals, digests and alerts are posted there. */
export const ADMIN_CHANNEL: SandboxChannel = { id: 'C0PURCHADM1', name: 'purchase-admins' };
export const GENERAL_CHANNEL: SandboxChannel = { id: 'C0GENERAL01', name: 'general' };
export const SANDBOX_CHANNELS: readonly SandboxChannel[] = [ADMIN_CHANNEL, GENERAL_CHANNEL];

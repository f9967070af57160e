/** The services' notices ports, worded in Block Kit: what the composition root hands in. */
import type { Notices } from '../../services/notices.js';
import { centralizeNotices } from './centralize.js';
import { digestNotices } from './digest.js';
import { policyGuardNotices } from './policy-guard.js';
import { policyNotices } from './policy.js';
import { reminderNotices } from './reminders.js';
import { reportNotices } from './savings.js';
import { takeoverNotices } from './takeover.js';

export const slackNotices: Notices = {
  digest: digestNotices,
  reminders: reminderNotices,
  policies: policyNotices,
  policyGuard: policyGuardNotices,
  takeover: takeoverNotices,
  centralize: centralizeNotices,
  report: reportNotices,
};

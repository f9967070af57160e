/**
 * Every port through which the services speak, in one place: the Slack layer implements it
 * (slack/blocks/notices.ts), the composition root (wiring.ts) hands it to the listeners and the
 * jobs, and each service takes only its own part.
 */
import type { CentralizeNotices } from './centralize.js';
import type { PolicyNotices } from './policy-deps.js';
import type { PolicyGuardNotices } from './policy-guard.js';
import type { DigestNotices } from './post-digest.js';
import type { ReportNotices } from './post-report.js';
import type { ReminderNotices } from './send-reminders.js';
import type { TakeoverNotices } from './takeover/notices.js';

export interface Notices {
  digest: DigestNotices;
  reminders: ReminderNotices;
  policies: PolicyNotices;
  policyGuard: PolicyGuardNotices;
  takeover: TakeoverNotices;
  centralize: CentralizeNotices;
  report: ReportNotices;
}

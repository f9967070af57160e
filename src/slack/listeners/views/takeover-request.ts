/**
 * Submitting the take-over modal. private_metadata holds only the subscription id; the service
 * reloads and re-checks everything. Problems are shown on the modal's fields, a malformed value
 * on the field it came from. The modal's view id makes the submission idempotent: the same
 * submission delivered twice (a replay) creates one request.
 */
import { z } from 'zod';
import { FieldError, isFieldError, type TakeoverField } from '../../../domain/takeover.js';
import { requestTakeover, takeoverInput, type TakeoverInput } from '../../../services/takeover/request.js';
import type { SlackDeps } from '../../deps.js';
import { describeErrorOnField } from '../../reply.js';
import { TAKEOVER_FIELDS } from '../../blocks/takeover.js';
import { refreshHomesAfterChange } from '../../app-home.js';
import type { ViewArgs } from '../args.js';

const selected = z.object({ selected_option: z.object({ value: z.string() }).nullish() });
const typed = z.object({ value: z.string().nullish() });

/** What one input of the form holds; a shape the form cannot produce counts as empty. */
function field(values: unknown, f: TakeoverField): string | undefined {
  const { block, action } = TAKEOVER_FIELDS[f];
  const entry = (values as Record<string, Record<string, unknown> | undefined> | undefined)?.[block]?.[action];
  const schema = f === 'comment' ? typed : selected;
  const parsed = schema.safeParse(entry);
  if (!parsed.success) return undefined;
  return ('selected_option' in parsed.data ? parsed.data.selected_option?.value : (parsed.data as { value?: string | null }).value) ?? undefined;
}

const MALFORMED: Record<keyof TakeoverInput, { field: TakeoverField; message: string }> = {
  subscriptionId: {
    field: 'kind',
    message:
      'This form does not name a subscription the bot knows: it may be from an older version of the bot, or was altered. Close it and click Take over again.',
  },
  kind: { field: 'kind', message: 'Choose move the users or cancel: the form sent a choice the bot does not offer.' },
  targetSubscriptionId: { field: 'target', message: 'The chosen subscription is not one the form offered: choose one from the list.' },
  reason: { field: 'reason', message: 'Choose a reason from the list.' },
  comment: { field: 'comment', message: 'The comment could not be read: type it again.' },
};

function parseInput(view: ViewArgs['view']): TakeoverInput {
  const values = view.state?.values;
  const parsed = takeoverInput.safeParse({
    subscriptionId: view.private_metadata,
    kind: field(values, 'kind'),
    targetSubscriptionId: field(values, 'target'),
    reason: field(values, 'reason'),
    comment: field(values, 'comment'),
  });
  if (parsed.success) return parsed.data;
  const key = parsed.error.issues[0]?.path[0] as keyof TakeoverInput | undefined;
  const malformed = MALFORMED[key ?? 'subscriptionId'];
  throw new FieldError(malformed.field, malformed.message);
}

export function takeoverRequestSubmitCallback(deps: SlackDeps) {
  return async ({ view, body, ack, client, logger }: ViewArgs) => {
    try {
      const ctx = deps.context();
      await requestTakeover(ctx, deps.notices.takeover, { slackUserId: body.user.id }, parseInput(view), {
        adminChannelId: deps.config.ADMIN_CHANNEL_ID,
        ...(typeof view.id === 'string' && view.id ? { submissionId: `${view.team_id ?? ''}:${view.id}` } : {}),
      });
      await ack();
      deps.kickOutbox();
      await refreshHomesAfterChange(client, deps, logger);
    } catch (error) {
      const f = isFieldError(error) ? error.field : 'kind';
      await ack({ response_action: 'errors', errors: { [TAKEOVER_FIELDS[f].block]: await describeErrorOnField(error, logger, client) } });
    }
  };
}

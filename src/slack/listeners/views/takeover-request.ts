/**
 * Submitting the take-over modal. private_metadata holds only the subscription id; the service
 * reloads and re-checks everything. Problems are shown on the modal's fields.
 */
import { z } from 'zod';
import { isFieldError, type TakeoverField } from '../../../domain/takeover.js';
import { requestTakeover, takeoverInput } from '../../../services/takeover/request.js';
import type { SlackDeps } from '../../deps.js';
import { describeErrorOnField } from '../../reply.js';
import { TAKEOVER_FIELDS } from '../../blocks/takeover.js';
import { refreshHomesAfterChange } from '../../app-home.js';
import type { ViewArgs } from '../args.js';

const selected = z.object({ selected_option: z.object({ value: z.string() }).nullish() }).optional();
const typed = z.object({ value: z.string().nullish() }).optional();

function field<T extends z.ZodType>(values: unknown, f: TakeoverField, schema: T): z.infer<T> {
  const { block, action } = TAKEOVER_FIELDS[f];
  const blockValues = (values as Record<string, Record<string, unknown> | undefined>)[block];
  return schema.parse(blockValues?.[action]);
}

export function takeoverRequestSubmitCallback(deps: SlackDeps) {
  return async ({ view, body, ack, client, logger }: ViewArgs) => {
    const values = view.state.values;
    const optional = (v: string | null | undefined) => v ?? undefined;
    try {
      const ctx = deps.context();
      await requestTakeover(
        ctx,
        deps.notices.takeover,
        { slackUserId: body.user.id },
        takeoverInput.parse({
          subscriptionId: view.private_metadata,
          kind: optional(field(values, 'kind', selected)?.selected_option?.value),
          targetSubscriptionId: optional(field(values, 'target', selected)?.selected_option?.value),
          reason: optional(field(values, 'reason', selected)?.selected_option?.value),
          comment: optional(field(values, 'comment', typed)?.value),
        }),
        { adminChannelId: deps.config.ADMIN_CHANNEL_ID },
      );
      await ack();
      deps.kickOutbox();
      await refreshHomesAfterChange(client, deps, logger);
    } catch (error) {
      const f = isFieldError(error) ? error.field : 'kind';
      await ack({ response_action: 'errors', errors: { [TAKEOVER_FIELDS[f].block]: await describeErrorOnField(error, logger, client) } });
    }
  };
}

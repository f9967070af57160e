/** `/purchases <subcommand>`: parse, call one service, render, reply ephemerally. */
import { exportUsers } from '../../../services/export-users.js';
import { postDigest } from '../../../services/post-digest.js';
import { findRecordedPolicy, listPolicies } from '../../../services/list-policies.js';
import { listSubscriptions } from '../../../services/list-subscriptions.js';
import { planAllPolicies } from '../../../services/set-all-policies.js';
import { setPolicy } from '../../../services/set-policy.js';
import { productLicenses } from '../../../services/product-licenses.js';
import { showSubscription } from '../../../services/show-subscription.js';
import { digestDeps, policyDeps, reportDeps, savingsDeps, type SlackDeps } from '../../deps.js';
import { findSavings } from '../../../services/find-savings.js';
import { postReport } from '../../../services/post-report.js';
import { reportReply, savingsMessage } from '../../blocks/savings.js';
import { parsePurchasesCommand } from '../../parse-command.js';
import { ephemeral, replyingErrors, withHint } from '../../reply.js';
import { digestReply } from '../../blocks/digest.js';
import { helpMessage } from '../../blocks/help.js';
import { licensesMessage } from '../../blocks/licenses.js';
import { listMessage } from '../../blocks/list.js';
import { policyAllConfirmMessage, policyDetailMessage, policyListMessage, policyOutcomeMessage } from '../../blocks/policy.js';
import { subscriptionMessage } from '../../blocks/subscription.js';
import { postExport } from '../post-export.js';
import { centralizePlan } from '../../../services/centralize.js';
import { centralizeMessage } from '../../blocks/centralize.js';
import { openTakeoverModal } from '../open-takeover.js';
import { findRequestId, withdrawTakeover } from '../../../services/takeover/decide.js';
import { withdrawnReply } from '../../blocks/takeover.js';
import { refreshHomesAfterChange } from '../../app-home.js';
import type { CommandArgs } from '../args.js';
import { isAppError } from '../../../domain/errors.js';
import { markSubscription } from '../../../services/mark-subscription.js';
import { runSyncExclusive } from '../../../services/sync-tenant.js';
import { importReportMessage, noUploadMessage } from '../../blocks/import.js';
import { markMessage } from '../../blocks/mark.js';
import { nothingToSyncMessage, syncFailedMessage, syncRunMessage } from '../../blocks/sync.js';
import { latestUploadedCsv } from '../../uploaded-files.js';
import { importUploadedFile } from '../import-upload.js';

export function purchasesCallback(deps: SlackDeps) {
  return async ({ command, ack, respond, client, logger }: CommandArgs) => {
    await ack();
    await replyingErrors(respond, logger, async () => {
      const parsed = parsePurchasesCommand(command.text);
      const ctx = deps.context();
      switch (parsed.kind) {
        case 'help':
          await respond(ephemeral(helpMessage(parsed.unknown, parsed.suggestion)));
          return;
        case 'list':
          await respond(ephemeral(listMessage(await withHint(parsed.hint, () => listSubscriptions(ctx, { filters: parsed.filters })), ctx.now, ctx.timeZone)));
          return;
        case 'show':
          await respond(ephemeral(subscriptionMessage(await showSubscription(ctx, parsed.subscription), ctx.now, ctx.timeZone)));
          return;
        case 'licenses':
          await respond(ephemeral(licensesMessage(await productLicenses(ctx, parsed.product))));
          return;
        case 'digest': {
          const result = await postDigest(ctx, digestDeps(deps), { skipEmpty: true, requestedBy: command.user_id });
          if (result.status === 'posted') deps.kickOutbox();
          await respond(ephemeral(digestReply(result, deps.config, ctx.timeZone)));
          return;
        }
        case 'savings':
          await respond(ephemeral(savingsMessage(await findSavings(ctx, savingsDeps(deps)))));
          return;
        case 'report': {
          const result = await postReport(ctx, reportDeps(deps), { requestedBy: command.user_id });
          if (result.status === 'posted') deps.kickOutbox();
          await respond(ephemeral(reportReply(result, deps.config.ADMIN_CHANNEL_ID)));
          return;
        }
        case 'export': {
          const csv = await exportUsers(ctx, { slackUserId: command.user_id }, parsed.target);
          await postExport(client, respond, csv, { channelId: command.channel_id, userId: command.user_id }, deps.uploadFetch);
          return;
        }
        case 'takeover':
          await openTakeoverModal(client, deps, command.trigger_id, parsed.subscription);
          return;
        case 'centralize':
          await respond(
            ephemeral(centralizeMessage(await centralizePlan(ctx, parsed.product, { licensesPerProduct: deps.subscriptionTenant.licensesPerProduct }))),
          );
          return;
        case 'withdraw': {
          const withdrawn = await withdrawTakeover(ctx, deps.notices.takeover, { slackUserId: command.user_id }, await findRequestId(ctx, parsed.request));
          deps.kickOutbox();
          await respond(ephemeral(withdrawnReply(withdrawn)));
          await refreshHomesAfterChange(client, deps, logger);
          return;
        }
        case 'policy-list':
          await respond(ephemeral(policyListMessage(await listPolicies(ctx), deps.config.TENANT, ctx.timeZone)));
          return;
        case 'policy-show':
          await respond(ephemeral(policyDetailMessage(await withHint(parsed.hint, () => findRecordedPolicy(ctx, parsed.product)), ctx.timeZone)));
          return;
        case 'policy-set': {
          const outcome = await setPolicy(ctx, policyDeps(deps), { slackUserId: command.user_id }, parsed);
          deps.kickOutbox();
          await respond(ephemeral(policyOutcomeMessage(outcome, deps.config.ADMIN_CHANNEL_ID)));
          return;
        }
        case 'policy-all':
          await respond(ephemeral(policyAllConfirmMessage(await planAllPolicies(ctx, policyDeps(deps), parsed.value))));
          return;
        case 'sync': {
          if (!deps.tenantSync) {
            await respond(ephemeral(nothingToSyncMessage()));
            return;
          }
          let run: Awaited<ReturnType<typeof runSyncExclusive>>;
          try {
            run = await runSyncExclusive(ctx, { ...deps.tenantSync, actor: { slackUserId: command.user_id } });
          } catch (error) {
            if (!isAppError(error)) throw error;
            await respond(ephemeral(syncFailedMessage(error.userMessage)));
            return;
          }
          await respond(ephemeral(syncRunMessage(run, ctx.timeZone)));
          deps.kickOutbox();
          await refreshHomesAfterChange(client, deps, logger);
          return;
        }
        case 'mark':
          await respond(
            ephemeral(
              markMessage(await markSubscription(ctx, { slackUserId: command.user_id }, { ref: parsed.subscription, selfService: parsed.selfService })),
            ),
          );
          return;
        case 'import': {
          const file = await latestUploadedCsv(client, command.user_id);
          if (!file) {
            await respond(ephemeral(noUploadMessage()));
            return;
          }
          const report = await importUploadedFile(client, deps, { userId: command.user_id, fileId: file.id, product: parsed.product });
          await respond(ephemeral(importReportMessage(report, ctx.timeZone)));
          return;
        }
      }
    });
  };
}

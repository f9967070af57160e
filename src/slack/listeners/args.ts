/** What Bolt hands a listener callback of each kind: the callbacks' parameter types. */
import type {
  AllMiddlewareArgs,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';

export type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>;
export type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;
export type ViewArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;
export type EventArgs<Event extends string> = AllMiddlewareArgs & SlackEventMiddlewareArgs<Event>;

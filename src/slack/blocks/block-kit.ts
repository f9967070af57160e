/** Block Kit types, through Bolt's re-export of @slack/types (no second copy to keep in step). */
import type { types } from '@slack/bolt';

export type KnownBlock = types.KnownBlock;
export type SectionBlock = types.SectionBlock;
export type ActionsBlock = types.ActionsBlock;
export type Button = types.Button;
export type PlainTextElement = types.PlainTextElement;
export type MrkdwnElement = types.MrkdwnElement;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;

/** A message as the bot sends it: blocks plus the notification/fallback text. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

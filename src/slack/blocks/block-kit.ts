/** Block Kit types, through Bolt's re-export of @slack/types (no second copy to keep in step). */
import type { types } from '@slack/bolt';
import type { Message } from '../../services/messages.js';

export type KnownBlock = types.KnownBlock;
export type SectionBlock = types.SectionBlock;
export type ActionsBlock = types.ActionsBlock;
export type Button = types.Button;
export type PlainTextElement = types.PlainTextElement;
export type MrkdwnElement = types.MrkdwnElement;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;

/** A message as the bot sends it (the services' Message), its blocks checked as Block Kit. */
export type SlackMessage = Message<KnownBlock>;

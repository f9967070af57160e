/**
 * The state of the emulated Slack workspace: directory, conversations, views and files. The Web
 * API handlers change it; tests and the sandbox read it through the emulator's accessors.
 */
import type { EmulatedEphemeralMessage, EmulatedFile, EmulatedMessage, EmulatedUser, EmulatedUserGroup, EmulatedView } from './types.js';

export interface WorkspaceIdentity {
  teamId: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
}

export interface TriggerContext {
  user: string;
  /** The view an interaction came from; views.push stacks on it. */
  viewId?: string;
  used: boolean;
}

export interface ResponseUrlTarget {
  channel: string;
  user: string;
  /** The message an interaction came from, for replace_original / delete_original. */
  original?: { ts: string; ephemeral: boolean };
}

/** Slack ids are a type letter and upper-case alphanumerics; a counter keeps them predictable. */
function idFactory(): (prefix: string) => string {
  let next = 1;
  return (prefix) => `${prefix}${(next++).toString(36).toUpperCase().padStart(10, '0')}`;
}

export class Workspace {
  readonly users = new Map<string, EmulatedUser>();
  readonly userGroups = new Map<string, EmulatedUserGroup>();
  readonly channels = new Map<string, EmulatedMessage[]>();
  readonly ephemerals: EmulatedEphemeralMessage[] = [];
  readonly views = new Map<string, EmulatedView & { open: boolean }>();
  readonly homeViews = new Map<string, EmulatedView>();
  readonly files = new Map<string, EmulatedFile>();
  readonly dmChannels = new Map<string, string>();
  readonly triggers = new Map<string, TriggerContext>();
  readonly responseUrls = new Map<string, ResponseUrlTarget>();
  readonly newId = idFactory();
  private lastSecond = 0;
  private tsSequence = 0;

  constructor(readonly identity: WorkspaceIdentity) {}

  /** Message timestamps: unique and increasing, like Slack's `seconds.sequence`. */
  nextTs(): string {
    const second = Math.max(Math.floor(Date.now() / 1000), this.lastSecond);
    if (second !== this.lastSecond) this.tsSequence = 0;
    this.lastSecond = second;
    this.tsSequence += 1;
    return `${second}.${String(this.tsSequence).padStart(6, '0')}`;
  }

  nextHash(): string {
    return `${Math.floor(Date.now() / 1000)}.${this.newId('').slice(2)}`;
  }

  addUser(user: EmulatedUser): void {
    this.users.set(user.id, user);
  }

  addUserGroup(group: EmulatedUserGroup): void {
    this.userGroups.set(group.id, group);
  }

  /** The app's DM with a user, or (for a comma-separated list of users) a group DM. */
  dmChannelFor(userIds: string): string {
    let channel = this.dmChannels.get(userIds);
    if (!channel) {
      channel = this.newId(userIds.includes(',') ? 'G' : 'D');
      this.dmChannels.set(userIds, channel);
    }
    return channel;
  }

  /** A channel id as chat.postMessage accepts it: a conversation id, or a user id meaning the app's DM. */
  resolveChannel(channel: string): string | undefined {
    if (/^[CGD][A-Z0-9]+$/.test(channel)) return channel;
    if (/^[UW][A-Z0-9]+$/.test(channel) && this.users.has(channel)) return this.dmChannelFor(channel);
    return undefined;
  }

  messagesIn(channel: string): EmulatedMessage[] {
    let messages = this.channels.get(channel);
    if (!messages) {
      messages = [];
      this.channels.set(channel, messages);
    }
    return messages;
  }

  findMessage(channel: string, ts: string): EmulatedMessage | undefined {
    return this.channels.get(channel)?.find((m) => m.ts === ts);
  }

  postMessage(channel: string, content: { text: string; blocks?: unknown[]; thread_ts?: string }): EmulatedMessage {
    const { botUserId, botId, appId, teamId } = this.identity;
    const message: EmulatedMessage = {
      type: 'message',
      ts: this.nextTs(),
      channel,
      user: botUserId,
      bot_id: botId,
      app_id: appId,
      team: teamId,
      text: content.text,
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(content.thread_ts ? { thread_ts: content.thread_ts } : {}),
    };
    this.messagesIn(channel).push(message);
    return message;
  }

  /** A user shares a file in a conversation (drag and drop in the client): the file, and the message that carries it. */
  uploadAsUser(
    user: string,
    channel: string,
    file: { name: string; content: Buffer; mimetype: string; text?: string },
  ): { file: EmulatedFile; message: EmulatedMessage } {
    const id = this.newId('F');
    const stored: EmulatedFile = {
      id,
      name: file.name,
      title: file.name,
      length: file.content.length,
      mimetype: file.mimetype,
      content: file.content,
      completed: true,
      user,
      created: Math.floor(Date.now() / 1000),
      channel,
    };
    this.files.set(id, stored);
    const message: EmulatedMessage = {
      type: 'message',
      ts: this.nextTs(),
      channel,
      user,
      team: this.identity.teamId,
      text: file.text ?? '',
      files: [{ id, name: file.name, title: file.name }],
    };
    this.messagesIn(channel).push(message);
    stored.message_ts = message.ts;
    return { file: stored, message };
  }

  deleteMessage(channel: string, ts: string): boolean {
    const messages = this.channels.get(channel);
    const index = messages?.findIndex((m) => m.ts === ts) ?? -1;
    if (!messages || index < 0) return false;
    messages.splice(index, 1);
    return true;
  }

  postEphemeral(
    channel: string,
    user: string,
    content: { text: string; blocks?: unknown[]; thread_ts?: string },
    source: EmulatedEphemeralMessage['source'],
  ): EmulatedEphemeralMessage {
    const message: EmulatedEphemeralMessage = {
      message_ts: this.nextTs(),
      channel,
      user,
      text: content.text,
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(content.thread_ts ? { thread_ts: content.thread_ts } : {}),
      source,
    };
    this.ephemerals.push(message);
    return message;
  }

  issueTrigger(user: string, viewId?: string): string {
    const digits = `${Date.now()}${this.triggers.size}`.slice(-12);
    const id = `${digits}.${this.identity.teamId.replace(/\D/g, '') || '1'}.${this.newId('').toLowerCase().padStart(32, '0')}`;
    this.triggers.set(id, { user, ...(viewId ? { viewId } : {}), used: false });
    return id;
  }

  issueResponseUrl(origin: string, target: ResponseUrlTarget): string {
    const id = this.newId('R');
    this.responseUrls.set(id, target);
    return `${origin}/response/${this.identity.teamId}/${id}`;
  }

  reset(): void {
    this.channels.clear();
    this.ephemerals.length = 0;
    this.views.clear();
    this.homeViews.clear();
    this.files.clear();
    this.triggers.clear();
    this.responseUrls.clear();
  }
}

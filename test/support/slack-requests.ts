/** Signed Slack requests and payload builders: they live beside the emulator, shared with the sandbox. */
export * from '../../src/devkit/slack-emulator/requests.js';

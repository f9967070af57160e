export { startSlackEmulator, type SlackEmulator } from './server.js';
export { EMULATED_METHODS } from './web-api.js';
export type {
  EmulatedEphemeralMessage,
  EmulatedFile,
  EmulatedFileRef,
  EmulatedMessage,
  EmulatedUser,
  EmulatedUserGroup,
  EmulatedView,
  EmulatorActivity,
  EmulatorFailure,
  RecordedCall,
  ResponseUrlPost,
  SlackEmulatorOptions,
} from './types.js';
export * from './requests.js';

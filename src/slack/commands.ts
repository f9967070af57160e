/** The slash commands the app registers; manifest.yml must declare exactly these. */
export const PURCHASES_COMMAND = '/purchases';
export const SLASH_COMMANDS = [PURCHASES_COMMAND] as const;
export type SlashCommand = (typeof SLASH_COMMANDS)[number];

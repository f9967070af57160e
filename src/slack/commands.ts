/** The slash commands the app registers; manifest.yml must declare exactly these. */
export const SLASH_COMMANDS = ['/purchases'] as const;
export type SlashCommand = (typeof SLASH_COMMANDS)[number];

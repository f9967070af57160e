/**
 * Values that come back from the bot's own buttons, menus and forms, checked. The bot put them
 * there, so one that does not parse was altered or comes from an older message: the admin is told
 * which value was wrong and what to do, never "Something went wrong". The value itself is not
 * echoed: it is whatever someone sent.
 */
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import { PRODUCT_KEY_SOURCE } from '../../domain/products.js';

/** A product's id as the bot's buttons carry it (see domain/products.ts). */
export const PRODUCT_ID = z.string().regex(new RegExp(`^${PRODUCT_KEY_SOURCE}$`));

function checked<T>(schema: z.ZodType<T>, value: unknown, userMessage: string, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError('bad_input', `malformed ${what}: ${parsed.error.issues[0]?.message ?? 'invalid'}`, userMessage);
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** A button's `value`, e.g. `buttonValue(action, z.uuid(), 'a subscription id')`. */
export function buttonValue<T>(action: unknown, schema: z.ZodType<T>, what: string): T {
  return checked(
    schema,
    field(action, 'value'),
    `This button does not carry ${what} the bot can use: the message may be from an older version of the bot, or was altered. Run the command again for fresh buttons.`,
    what,
  );
}

/** The value of the option chosen in a select or overflow menu. */
export function selectedValue<T>(action: unknown, schema: z.ZodType<T>, what: string): T {
  return checked(
    schema,
    field(field(action, 'selected_option'), 'value'),
    `This menu sent a choice that is not ${what}: the message may be from an older version of the bot, or was altered. Run the command again for a fresh menu.`,
    what,
  );
}

/** A modal's private_metadata (the bot stores one id there). */
export function metadataValue<T>(view: { private_metadata?: unknown }, schema: z.ZodType<T>, what: string): T {
  return checked(
    schema,
    view.private_metadata,
    `This form does not name ${what} the bot knows: it may be from an older version of the bot, or was altered. Close it and open it again.`,
    what,
  );
}

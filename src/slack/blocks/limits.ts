/**
 * Slack's documented Block Kit limits, checked in the tests of every view builder and by the Slack
 * emulator, which refuses what Slack would refuse. Numbers from docs.slack.dev: reference/block-kit
 * (blocks, block elements, composition objects) and reference/views/modal-views. Lengths are
 * measured by domain/text.ts's textLength, the count the views cut text by: never less than what
 * Slack counts, so a payload that passes here is not refused by Slack for its length.
 */
import { textLength } from '../../domain/text.js';

export type BlockKitSurface = 'message' | 'modal' | 'home';

export interface BlockKitViolation {
  /** Where in the payload, e.g. `blocks[3].text.text`. */
  path: string;
  /** What is wrong, e.g. `3012 characters, limit 3000`. */
  message: string;
}

/** A message (blocks + text) or a view (modal or home); anything else in it is ignored. */
export interface BlockKitPayload {
  blocks?: unknown;
  text?: unknown;
  type?: unknown;
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  private_metadata?: unknown;
  callback_id?: unknown;
}

export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  markdownText: 12_000,
  textObject: 3000,
  buttonText: 75,
  buttonValue: 2000,
  buttonAccessibilityLabel: 75,
  url: 3000,
  actionId: 255,
  blockId: 255,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  selectOptions: 100,
  selectOptionGroups: 100,
  overflowOptionsMin: 2,
  overflowOptionsMax: 5,
  radioOptions: 10,
  checkboxOptions: 10,
  placeholder: 150,
  inputLabel: 2000,
  inputHint: 2000,
  plainTextInputLength: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  imageAltText: 2000,
  imageTitle: 2000,
} as const;

const L = BLOCK_KIT_LIMITS;

const SELECT_TYPES = new Set([
  'static_select',
  'multi_static_select',
  'external_select',
  'multi_external_select',
  'users_select',
  'multi_users_select',
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
]);

const PLACEHOLDER_TYPES = new Set([
  ...SELECT_TYPES,
  'plain_text_input',
  'datepicker',
  'timepicker',
  'email_text_input',
  'url_text_input',
  'number_input',
  'rich_text_input',
]);

const OTHER_ELEMENT_TYPES = new Set(['button', 'overflow', 'radio_buttons', 'checkboxes', 'datetimepicker', 'file_input', 'image', 'workflow_button']);

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Checker {
  readonly violations: BlockKitViolation[] = [];
  private readonly blockIds = new Map<string, string>();

  report(path: string, message: string): void {
    this.violations.push({ path, message });
  }

  maxLength(path: string, value: unknown, limit: number): void {
    if (value === undefined) return;
    if (typeof value !== 'string') {
      this.report(path, 'must be a string');
    } else if (textLength(value) > limit) {
      this.report(path, `${textLength(value)} characters, limit ${limit}`);
    }
  }

  array(path: string, value: unknown, { min = 0, max, required = false }: { min?: number; max: number; required?: boolean }): unknown[] {
    if (value === undefined) {
      if (required) this.report(path, 'required');
      return [];
    }
    if (!Array.isArray(value)) {
      this.report(path, 'must be an array');
      return [];
    }
    if (value.length > max) this.report(path, `${value.length} items, limit ${max}`);
    if (value.length < min) this.report(path, `${value.length} items, at least ${min} required`);
    return value;
  }

  text(path: string, value: unknown, limit: number, { plainOnly = false, required = false } = {}): void {
    if (value === undefined) {
      if (required) this.report(path, 'required');
      return;
    }
    if (!isRecord(value)) {
      this.report(path, 'must be a text object');
      return;
    }
    if (value.type !== 'plain_text' && (plainOnly || value.type !== 'mrkdwn')) {
      this.report(`${path}.type`, plainOnly ? 'must be plain_text' : 'must be plain_text or mrkdwn');
    }
    if (typeof value.text !== 'string') {
      this.report(`${path}.text`, 'required');
    } else if (value.text.length === 0) {
      this.report(`${path}.text`, 'must not be empty');
    } else {
      this.maxLength(`${path}.text`, value.text, limit);
    }
  }

  blockId(path: string, value: unknown): void {
    if (value === undefined) return;
    this.maxLength(path, value, L.blockId);
    if (typeof value !== 'string') return;
    const first = this.blockIds.get(value);
    if (first) this.report(path, `duplicate block_id "${value}" (also at ${first})`);
    else this.blockIds.set(value, path);
  }

  confirm(path: string, value: unknown): void {
    if (value === undefined) return;
    if (!isRecord(value)) {
      this.report(path, 'must be a confirmation dialog object');
      return;
    }
    this.text(`${path}.title`, value.title, L.confirmTitle, { plainOnly: true, required: true });
    this.text(`${path}.text`, value.text, L.confirmText, { required: true });
    this.text(`${path}.confirm`, value.confirm, L.confirmButton, { plainOnly: true, required: true });
    this.text(`${path}.deny`, value.deny, L.confirmButton, { plainOnly: true, required: true });
  }

  option(path: string, value: unknown, { plainOnly, urlAllowed = false }: { plainOnly: boolean; urlAllowed?: boolean }): void {
    if (!isRecord(value)) {
      this.report(path, 'must be an option object');
      return;
    }
    this.text(`${path}.text`, value.text, L.optionText, { plainOnly, required: true });
    if (value.value === undefined) this.report(`${path}.value`, 'required');
    this.maxLength(`${path}.value`, value.value, L.optionValue);
    this.text(`${path}.description`, value.description, L.optionDescription, { plainOnly });
    if (value.url !== undefined && !urlAllowed) this.report(`${path}.url`, 'only overflow menu options may have a url');
    this.maxLength(`${path}.url`, value.url, L.url);
  }

  options(path: string, value: unknown, limits: { min?: number; max: number; required?: boolean }, kind: { plainOnly: boolean; urlAllowed?: boolean }): void {
    this.array(path, value, limits).forEach((option, i) => {
      this.option(`${path}[${i}]`, option, kind);
    });
  }

  element(path: string, value: unknown): void {
    if (!isRecord(value)) {
      this.report(path, 'must be an element object');
      return;
    }
    const type = value.type;
    if (typeof type !== 'string' || (!PLACEHOLDER_TYPES.has(type) && !OTHER_ELEMENT_TYPES.has(type))) {
      this.report(`${path}.type`, `unknown element type ${JSON.stringify(type)}`);
      return;
    }
    this.maxLength(`${path}.action_id`, value.action_id, L.actionId);
    this.confirm(`${path}.confirm`, value.confirm);
    if (PLACEHOLDER_TYPES.has(type)) {
      this.text(`${path}.placeholder`, value.placeholder, L.placeholder, { plainOnly: true });
    }
    switch (type) {
      case 'button':
        this.text(`${path}.text`, value.text, L.buttonText, { plainOnly: true, required: true });
        this.maxLength(`${path}.value`, value.value, L.buttonValue);
        this.maxLength(`${path}.url`, value.url, L.url);
        this.maxLength(`${path}.accessibility_label`, value.accessibility_label, L.buttonAccessibilityLabel);
        break;
      case 'static_select':
      case 'multi_static_select':
        this.staticSelect(path, value);
        break;
      case 'overflow':
        this.options(
          `${path}.options`,
          value.options,
          { min: L.overflowOptionsMin, max: L.overflowOptionsMax, required: true },
          { plainOnly: true, urlAllowed: true },
        );
        break;
      case 'radio_buttons':
        this.options(`${path}.options`, value.options, { min: 1, max: L.radioOptions, required: true }, { plainOnly: false });
        if (value.initial_option !== undefined) this.option(`${path}.initial_option`, value.initial_option, { plainOnly: false });
        break;
      case 'checkboxes':
        this.options(`${path}.options`, value.options, { min: 1, max: L.checkboxOptions, required: true }, { plainOnly: false });
        this.options(`${path}.initial_options`, value.initial_options, { max: L.checkboxOptions }, { plainOnly: false });
        break;
      case 'plain_text_input':
        this.plainTextInput(path, value);
        break;
      case 'image':
        this.image(path, value);
        break;
      default:
        break;
    }
  }

  private staticSelect(path: string, value: Json): void {
    const hasOptions = value.options !== undefined;
    const hasGroups = value.option_groups !== undefined;
    if (hasOptions === hasGroups) this.report(path, 'needs exactly one of options or option_groups');
    this.options(`${path}.options`, value.options, { max: L.selectOptions }, { plainOnly: true });
    this.array(`${path}.option_groups`, value.option_groups, { max: L.selectOptionGroups }).forEach((group, i) => {
      const groupPath = `${path}.option_groups[${i}]`;
      if (!isRecord(group)) {
        this.report(groupPath, 'must be an option group object');
        return;
      }
      this.text(`${groupPath}.label`, group.label, L.optionText, { plainOnly: true, required: true });
      this.options(`${groupPath}.options`, group.options, { max: L.selectOptions, required: true }, { plainOnly: true });
    });
    if (value.initial_option !== undefined) this.option(`${path}.initial_option`, value.initial_option, { plainOnly: true });
    this.options(`${path}.initial_options`, value.initial_options, { max: L.selectOptions }, { plainOnly: true });
  }

  private plainTextInput(path: string, value: Json): void {
    for (const key of ['min_length', 'max_length'] as const) {
      const n = value[key];
      if (n === undefined) continue;
      const min = key === 'max_length' ? 1 : 0;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > L.plainTextInputLength) {
        this.report(`${path}.${key}`, `${String(n)} is not an integer from ${min} to ${L.plainTextInputLength}`);
      }
    }
    if (typeof value.min_length === 'number' && typeof value.max_length === 'number' && value.min_length > value.max_length) {
      this.report(`${path}.min_length`, 'greater than max_length');
    }
    if (typeof value.max_length === 'number' && typeof value.initial_value === 'string') {
      this.maxLength(`${path}.initial_value`, value.initial_value, value.max_length);
    }
  }

  image(path: string, value: Json): void {
    if (value.image_url === undefined && value.slack_file === undefined) this.report(path, 'needs image_url or slack_file');
    this.maxLength(`${path}.image_url`, value.image_url, L.url);
    if (value.alt_text === undefined) this.report(`${path}.alt_text`, 'required');
    this.maxLength(`${path}.alt_text`, value.alt_text, L.imageAltText);
  }

  block(path: string, value: unknown): void {
    if (!isRecord(value)) {
      this.report(path, 'must be a block object');
      return;
    }
    this.blockId(`${path}.block_id`, value.block_id);
    const check = BLOCK_CHECKS[String(value.type)];
    if (!check) {
      this.report(`${path}.type`, `unknown block type ${JSON.stringify(value.type)}`);
      return;
    }
    check(this, path, value);
  }

  uniqueActionIds(path: string, elements: unknown[]): void {
    const seen = new Map<string, number>();
    elements.forEach((element, i) => {
      if (!isRecord(element) || typeof element.action_id !== 'string') return;
      const first = seen.get(element.action_id);
      if (first !== undefined) {
        this.report(`${path}[${i}].action_id`, `duplicate action_id "${element.action_id}" in this block (also at ${path}[${first}])`);
      } else {
        seen.set(element.action_id, i);
      }
    });
  }
}

type BlockCheck = (c: Checker, path: string, block: Json) => void;

const BLOCK_CHECKS: Record<string, BlockCheck> = {
  section(c, path, block) {
    if (block.text === undefined && block.fields === undefined) c.report(path, 'needs text or fields');
    c.text(`${path}.text`, block.text, L.sectionText);
    c.array(`${path}.fields`, block.fields, { max: L.sectionFields }).forEach((field, i) => {
      c.text(`${path}.fields[${i}]`, field, L.sectionFieldText);
    });
    if (block.accessory !== undefined) c.element(`${path}.accessory`, block.accessory);
  },
  header(c, path, block) {
    c.text(`${path}.text`, block.text, L.headerText, { plainOnly: true, required: true });
  },
  context(c, path, block) {
    c.array(`${path}.elements`, block.elements, { min: 1, max: L.contextElements, required: true }).forEach((element, i) => {
      const elementPath = `${path}.elements[${i}]`;
      if (isRecord(element) && element.type === 'image') c.image(elementPath, element);
      else c.text(elementPath, element, L.textObject, { required: true });
    });
  },
  actions(c, path, block) {
    const elements = c.array(`${path}.elements`, block.elements, { min: 1, max: L.actionsElements, required: true });
    elements.forEach((element, i) => {
      c.element(`${path}.elements[${i}]`, element);
    });
    c.uniqueActionIds(`${path}.elements`, elements);
  },
  input(c, path, block) {
    c.text(`${path}.label`, block.label, L.inputLabel, { plainOnly: true, required: true });
    c.text(`${path}.hint`, block.hint, L.inputHint, { plainOnly: true });
    if (block.element === undefined) c.report(`${path}.element`, 'required');
    else c.element(`${path}.element`, block.element);
  },
  image(c, path, block) {
    c.image(path, block);
    c.text(`${path}.title`, block.title, L.imageTitle, { plainOnly: true });
  },
  markdown(c, path, block) {
    if (block.text === undefined) c.report(`${path}.text`, 'required');
    c.maxLength(`${path}.text`, block.text, L.markdownText);
  },
  divider() {},
  file() {},
  rich_text() {},
  video() {},
};

function checkView(c: Checker, surface: 'modal' | 'home', payload: BlockKitPayload): void {
  if (payload.type !== undefined && payload.type !== surface) {
    c.report('type', `must be "${surface}"`);
  }
  if (surface === 'modal') {
    c.text('title', payload.title, L.modalTitle, { plainOnly: true, required: true });
    c.text('submit', payload.submit, L.modalButton, { plainOnly: true });
    c.text('close', payload.close, L.modalButton, { plainOnly: true });
    const hasInput = Array.isArray(payload.blocks) && payload.blocks.some((b) => isRecord(b) && b.type === 'input');
    if (hasInput && payload.submit === undefined) c.report('submit', 'required when the view has input blocks');
  }
  c.maxLength('private_metadata', payload.private_metadata, L.privateMetadata);
  c.maxLength('callback_id', payload.callback_id, L.callbackId);
}

/** Every way `payload` breaks Slack's limits for `surface`; empty when Slack would accept it. */
export function checkBlockKit(surface: BlockKitSurface, payload: BlockKitPayload): BlockKitViolation[] {
  const c = new Checker();
  const isMessage = surface === 'message';
  if (isMessage) c.maxLength('text', payload.text, L.messageText);
  else checkView(c, surface, payload);
  const blocks = c.array('blocks', payload.blocks, {
    max: isMessage ? L.messageBlocks : L.viewBlocks,
    required: !isMessage,
  });
  blocks.forEach((block, i) => {
    c.block(`blocks[${i}]`, block);
  });
  return c.violations;
}

export class BlockKitLimitError extends Error {
  constructor(
    readonly surface: BlockKitSurface,
    readonly violations: BlockKitViolation[],
  ) {
    super(`Block Kit ${surface} breaks ${violations.length} of Slack's limits:\n${violations.map((v) => `  ${v.path}: ${v.message}`).join('\n')}`);
    this.name = 'BlockKitLimitError';
  }
}

/** Throws a BlockKitLimitError listing every violation; returns quietly when there are none. */
export function assertValidBlockKit(surface: BlockKitSurface, payload: BlockKitPayload): void {
  const violations = checkBlockKit(surface, payload);
  if (violations.length > 0) throw new BlockKitLimitError(surface, violations);
}

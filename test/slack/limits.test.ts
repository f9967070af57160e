import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { assertValidBlockKit, BlockKitLimitError, checkBlockKit, type BlockKitPayload, type BlockKitSurface } from '../../src/slack/blocks/limits.js';

const x = (n: number): string => 'x'.repeat(n);
const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const divider = { type: 'divider' };
const section = (text: string) => ({ type: 'section', text: mrkdwn(text) });
const button = (overrides: Record<string, unknown> = {}) => ({ type: 'button', text: plain('Open'), action_id: 'open', ...overrides });
const actions = (...elements: unknown[]) => ({ type: 'actions', elements });
const option = (text: string, value: string) => ({ text: plain(text), value });
const options = (count: number) => Array.from({ length: count }, (_, i) => option(`Option ${i}`, `v${i}`));
const staticSelect = (overrides: Record<string, unknown> = {}) => ({
  type: 'static_select',
  action_id: 'pick',
  options: options(3),
  ...overrides,
});
const message = (...blocks: unknown[]): BlockKitPayload => ({ text: 'fallback', blocks });
const modal = (blocks: unknown[], overrides: Record<string, unknown> = {}): BlockKitPayload => ({
  type: 'modal',
  title: plain('Cancel purchase'),
  submit: plain('Cancel it'),
  close: plain('Keep it'),
  blocks,
  ...overrides,
});
const input = (overrides: Record<string, unknown> = {}) => ({
  type: 'input',
  block_id: 'reason',
  label: plain('Reason'),
  element: { type: 'plain_text_input', action_id: 'reason' },
  ...overrides,
});
const confirm = (overrides: Record<string, unknown> = {}) => ({
  title: plain('Are you sure?'),
  text: plain('This cancels the subscription.'),
  confirm: plain('Cancel it'),
  deny: plain('Keep it'),
  ...overrides,
});

interface LimitCase {
  name: string;
  surface: BlockKitSurface;
  /** The payload with the limited thing at `n`. */
  payload: (n: number) => BlockKitPayload;
  limit: number;
  path: string;
  message: string;
}

/** Each documented limit: a payload exactly at the limit passes, one past it is reported. */
// biome-ignore format: a table, one limit a row, reads down its columns
const cases: LimitCase[] = [
  { name: 'a message holds at most 50 blocks', surface: 'message', limit: 50, path: 'blocks', message: '51 items, limit 50',
    payload: (n) => message(...Array.from({ length: n }, () => divider)) },
  { name: 'a modal holds at most 100 blocks', surface: 'modal', limit: 100, path: 'blocks', message: '101 items, limit 100',
    payload: (n) => modal(Array.from({ length: n }, () => divider)) },
  { name: 'a home tab holds at most 100 blocks', surface: 'home', limit: 100, path: 'blocks', message: '101 items, limit 100',
    payload: (n) => ({ type: 'home', blocks: Array.from({ length: n }, () => divider) }) },
  { name: 'message text is at most 40000 characters', surface: 'message', limit: 40_000, path: 'text', message: '40001 characters, limit 40000',
    payload: (n) => ({ text: x(n) }) },
  { name: 'section text is at most 3000 characters', surface: 'message', limit: 3000, path: 'blocks[0].text.text', message: '3001 characters, limit 3000',
    payload: (n) => message(section(x(n))) },
  { name: 'a section has at most 10 fields', surface: 'message', limit: 10, path: 'blocks[0].fields', message: '11 items, limit 10',
    payload: (n) => message({ type: 'section', fields: Array.from({ length: n }, () => mrkdwn('*Seats*\n5')) }) },
  { name: 'a section field is at most 2000 characters', surface: 'message', limit: 2000, path: 'blocks[0].fields[1].text', message: '2001 characters, limit 2000',
    payload: (n) => message({ type: 'section', fields: [mrkdwn('ok'), mrkdwn(x(n))] }) },
  { name: 'header text is at most 150 characters', surface: 'message', limit: 150, path: 'blocks[0].text.text', message: '151 characters, limit 150',
    payload: (n) => message({ type: 'header', text: plain(x(n)) }) },
  { name: 'a context block has at most 10 elements', surface: 'message', limit: 10, path: 'blocks[0].elements', message: '11 items, limit 10',
    payload: (n) => message({ type: 'context', elements: Array.from({ length: n }, () => mrkdwn('note')) }) },
  { name: 'an actions block has at most 25 elements', surface: 'message', limit: 25, path: 'blocks[0].elements', message: '26 items, limit 25',
    payload: (n) => message(actions(...Array.from({ length: n }, (_, i) => button({ action_id: `b${i}` })))) },
  { name: 'button text is at most 75 characters', surface: 'message', limit: 75, path: 'blocks[0].elements[0].text.text', message: '76 characters, limit 75',
    payload: (n) => message(actions(button({ text: plain(x(n)) }))) },
  { name: 'a button value is at most 2000 characters', surface: 'message', limit: 2000, path: 'blocks[0].elements[0].value', message: '2001 characters, limit 2000',
    payload: (n) => message(actions(button({ value: x(n) }))) },
  { name: 'a button url is at most 3000 characters', surface: 'message', limit: 3000, path: 'blocks[0].elements[0].url', message: '3001 characters, limit 3000',
    payload: (n) => message(actions(button({ url: `https://e.example/${x(n - 18)}` }))) },
  { name: 'an action_id is at most 255 characters', surface: 'message', limit: 255, path: 'blocks[0].elements[0].action_id', message: '256 characters, limit 255',
    payload: (n) => message(actions(button({ action_id: x(n) }))) },
  { name: 'a block_id is at most 255 characters', surface: 'message', limit: 255, path: 'blocks[0].block_id', message: '256 characters, limit 255',
    payload: (n) => message({ ...divider, block_id: x(n) }) },
  { name: 'select option text is at most 75 characters', surface: 'message', limit: 75, path: 'blocks[0].elements[0].options[0].text.text', message: '76 characters, limit 75',
    payload: (n) => message(actions(staticSelect({ options: [option(x(n), 'a')] }))) },
  { name: 'an option value is at most 150 characters', surface: 'message', limit: 150, path: 'blocks[0].elements[0].options[0].value', message: '151 characters, limit 150',
    payload: (n) => message(actions(staticSelect({ options: [option('A', x(n))] }))) },
  { name: 'a static select has at most 100 options', surface: 'message', limit: 100, path: 'blocks[0].elements[0].options', message: '101 items, limit 100',
    payload: (n) => message(actions(staticSelect({ options: options(n) }))) },
  { name: 'an overflow menu has at most 5 options', surface: 'message', limit: 5, path: 'blocks[0].accessory.options', message: '6 items, limit 5',
    payload: (n) => message({ ...section('Row'), accessory: { type: 'overflow', action_id: 'more', options: options(n) } }) },
  { name: 'radio buttons have at most 10 options', surface: 'modal', limit: 10, path: 'blocks[0].element.options', message: '11 items, limit 10',
    payload: (n) => modal([input({ element: { type: 'radio_buttons', action_id: 'r', options: options(n) } })]) },
  { name: 'checkboxes have at most 10 options', surface: 'modal', limit: 10, path: 'blocks[0].element.options', message: '11 items, limit 10',
    payload: (n) => modal([input({ element: { type: 'checkboxes', action_id: 'c', options: options(n) } })]) },
  { name: 'a placeholder is at most 150 characters', surface: 'message', limit: 150, path: 'blocks[0].elements[0].placeholder.text', message: '151 characters, limit 150',
    payload: (n) => message(actions(staticSelect({ placeholder: plain(x(n)) }))) },
  { name: 'an input label is at most 2000 characters', surface: 'modal', limit: 2000, path: 'blocks[0].label.text', message: '2001 characters, limit 2000',
    payload: (n) => modal([input({ label: plain(x(n)) })]) },
  { name: 'an input hint is at most 2000 characters', surface: 'modal', limit: 2000, path: 'blocks[0].hint.text', message: '2001 characters, limit 2000',
    payload: (n) => modal([input({ hint: plain(x(n)) })]) },
  { name: 'a plain-text input allows max_length up to 3000', surface: 'modal', limit: 3000, path: 'blocks[0].element.max_length', message: '3001 is not an integer from 1 to 3000',
    payload: (n) => modal([input({ element: { type: 'plain_text_input', action_id: 'reason', max_length: n } })]) },
  { name: 'a confirm dialog title is at most 100 characters', surface: 'message', limit: 100, path: 'blocks[0].elements[0].confirm.title.text', message: '101 characters, limit 100',
    payload: (n) => message(actions(button({ confirm: confirm({ title: plain(x(n)) }) }))) },
  { name: 'confirm dialog text is at most 300 characters', surface: 'message', limit: 300, path: 'blocks[0].elements[0].confirm.text.text', message: '301 characters, limit 300',
    payload: (n) => message(actions(button({ confirm: confirm({ text: mrkdwn(x(n)) }) }))) },
  { name: 'a confirm button is at most 30 characters', surface: 'message', limit: 30, path: 'blocks[0].elements[0].confirm.confirm.text', message: '31 characters, limit 30',
    payload: (n) => message(actions(button({ confirm: confirm({ confirm: plain(x(n)) }) }))) },
  { name: 'a deny button is at most 30 characters', surface: 'message', limit: 30, path: 'blocks[0].elements[0].confirm.deny.text', message: '31 characters, limit 30',
    payload: (n) => message(actions(button({ confirm: confirm({ deny: plain(x(n)) }) }))) },
  { name: 'a modal title is at most 24 characters', surface: 'modal', limit: 24, path: 'title.text', message: '25 characters, limit 24',
    payload: (n) => modal([divider], { title: plain(x(n)) }) },
  { name: 'a modal submit button is at most 24 characters', surface: 'modal', limit: 24, path: 'submit.text', message: '25 characters, limit 24',
    payload: (n) => modal([divider], { submit: plain(x(n)) }) },
  { name: 'a modal close button is at most 24 characters', surface: 'modal', limit: 24, path: 'close.text', message: '25 characters, limit 24',
    payload: (n) => modal([divider], { close: plain(x(n)) }) },
  { name: 'private_metadata is at most 3000 characters', surface: 'modal', limit: 3000, path: 'private_metadata', message: '3001 characters, limit 3000',
    payload: (n) => modal([divider], { private_metadata: x(n) }) },
  { name: 'a callback_id is at most 255 characters', surface: 'home', limit: 255, path: 'callback_id', message: '256 characters, limit 255',
    payload: (n) => ({ type: 'home', blocks: [divider], callback_id: x(n) }) },
  { name: 'image alt text is at most 2000 characters', surface: 'message', limit: 2000, path: 'blocks[0].alt_text', message: '2001 characters, limit 2000',
    payload: (n) => message({ type: 'image', image_url: 'https://e.example/chart.png', alt_text: x(n) }) },
];

describe('checkBlockKit', () => {
  it.each(cases)('$name', ({ surface, payload, limit, path, message: expected }) => {
    expect(checkBlockKit(surface, payload(limit))).toEqual([]);
    expect(checkBlockKit(surface, payload(limit + 1))).toEqual([{ path, message: expected }]);
  });

  it('requires at least 2 options in an overflow menu', () => {
    const overflow = (n: number) => message({ ...section('Row'), accessory: { type: 'overflow', action_id: 'more', options: options(n) } });
    expect(checkBlockKit('message', overflow(2))).toEqual([]);
    expect(checkBlockKit('message', overflow(1))).toEqual([{ path: 'blocks[0].accessory.options', message: '1 items, at least 2 required' }]);
  });

  it('reports a block_id used twice in one payload', () => {
    const payload = message({ ...section('a'), block_id: 'row' }, { ...section('b'), block_id: 'other' }, { ...divider, block_id: 'row' });
    expect(checkBlockKit('message', payload)).toEqual([{ path: 'blocks[2].block_id', message: 'duplicate block_id "row" (also at blocks[0].block_id)' }]);
  });

  it('reports an action_id used twice in one block but allows it in different blocks', () => {
    expect(checkBlockKit('message', message(actions(button(), button())))).toEqual([
      { path: 'blocks[0].elements[1].action_id', message: 'duplicate action_id "open" in this block (also at blocks[0].elements[0])' },
    ]);
    expect(checkBlockKit('message', message(actions(button()), actions(button())))).toEqual([]);
  });

  it('reports unknown block and element types', () => {
    expect(checkBlockKit('message', message({ type: 'sectoin', text: mrkdwn('typo') }, actions({ type: 'buton', action_id: 'a' })))).toEqual([
      { path: 'blocks[0].type', message: 'unknown block type "sectoin"' },
      { path: 'blocks[1].elements[0].type', message: 'unknown element type "buton"' },
    ]);
  });

  it('requires plain_text where Slack allows no mrkdwn', () => {
    const payload = modal([{ type: 'header', text: mrkdwn('*Title*') }], { title: mrkdwn('Title') });
    expect(checkBlockKit('modal', payload)).toEqual([
      { path: 'title.type', message: 'must be plain_text' },
      { path: 'blocks[0].text.type', message: 'must be plain_text' },
    ]);
  });

  it('requires a submit button on a modal with input blocks', () => {
    expect(checkBlockKit('modal', modal([input()], { submit: undefined }))).toEqual([{ path: 'submit', message: 'required when the view has input blocks' }]);
  });

  it('reports empty text, a section without text or fields and an image without alt text', () => {
    const payload = message(section(''), { type: 'section' }, { type: 'image', image_url: 'https://e.example/a.png' });
    expect(checkBlockKit('message', payload)).toEqual([
      { path: 'blocks[0].text.text', message: 'must not be empty' },
      { path: 'blocks[1]', message: 'needs text or fields' },
      { path: 'blocks[2].alt_text', message: 'required' },
    ]);
  });

  it('accepts a realistic modal typed with @slack/types', () => {
    const view: types.ModalView = {
      type: 'modal',
      callback_id: 'cancel_subscription',
      private_metadata: '3f2b9c1a-0000-4000-8000-000000000001',
      title: { type: 'plain_text', text: 'Cancel subscription' },
      submit: { type: 'plain_text', text: 'Cancel it' },
      close: { type: 'plain_text', text: 'Keep it' },
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Power BI Pro · 5 seats' } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Bought by *Ana López* on 1 June 2026' } },
        {
          type: 'input',
          block_id: 'reason',
          label: { type: 'plain_text', text: 'Reason' },
          element: {
            type: 'static_select',
            action_id: 'reason',
            options: [
              { text: { type: 'plain_text', text: 'Not needed' }, value: 'not_needed' },
              { text: { type: 'plain_text', text: 'Covered by E5' }, value: 'covered' },
            ],
          },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'The purchaser is told by DM.' }] },
      ],
    };
    expect(checkBlockKit('modal', view)).toEqual([]);
  });
});

describe('assertValidBlockKit', () => {
  it('returns quietly when the payload is within the limits', () => {
    expect(() => assertValidBlockKit('message', message(section('fine')))).not.toThrow();
  });

  it('throws an error that lists every violation', () => {
    const payload = message(section(x(3001)), { type: 'header', text: plain(x(151)) });
    let thrown: unknown;
    try {
      assertValidBlockKit('message', payload);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BlockKitLimitError);
    const error = thrown as BlockKitLimitError;
    expect(error.violations).toHaveLength(2);
    expect(error.message).toContain('blocks[0].text.text: 3001 characters, limit 3000');
    expect(error.message).toContain('blocks[1].text.text: 151 characters, limit 150');
  });
});

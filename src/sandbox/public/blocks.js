// Block Kit in the browser, close enough to Slack's client to try the bot: mrkdwn, the blocks and
// elements the bot uses, confirm dialogs, and a visible placeholder for anything else.

const EMOJI = {
  warning: '⚠️',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  calendar: '📅',
  date: '📅',
  bell: '🔔',
  lock: '🔒',
  information_source: 'ℹ️',
  bulb: '💡',
  moneybag: '💰',
  credit_card: '💳',
  inbox_tray: '📥',
  outbox_tray: '📤',
  page_facing_up: '📄',
  bar_chart: '📊',
  chart_with_upwards_trend: '📈',
  busts_in_silhouette: '👥',
  bust_in_silhouette: '👤',
  arrow_right: '➡️',
  recycle: '♻️',
  rotating_light: '🚨',
  tada: '🎉',
  wave: '👋',
  mag: '🔍',
  clipboard: '📋',
  red_circle: '🔴',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  large_orange_circle: '🟠',
  white_circle: '⚪',
  eyes: '👀',
  memo: '📝',
  pencil: '✏️',
  key: '🔑',
  shield: '🛡️',
  sparkles: '✨',
  raised_hand: '✋',
  thumbsup: '👍',
  '+1': '👍',
};

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

// Slack escapes &, < and > in message text; everything else arrives as written.
function decodeEntities(text) {
  return String(text).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function emojify(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (match, name) => EMOJI[name] ?? match);
}

function safeUrl(url) {
  return /^(https?:|mailto:)/i.test(url) ? url : null;
}

// <@U123>, <#C123|name>, <!here>, <!date^…^fallback>, <https://…|text>.
function special(inner, ctx) {
  const [target, label] = [inner.split('|')[0], inner.split('|').slice(1).join('|')];
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = ctx.names?.[id] ?? (label || id);
    return `<span class="mention">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = ctx.channelNames?.[id] ?? (label || id);
    return `<span class="mention">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('!')) {
    const parts = target.slice(1).split('^');
    if (parts[0] === 'date') return escapeHtml(decodeEntities(label || parts.at(-1) || ''));
    if (parts[0] === 'subteam') return `<span class="mention">${escapeHtml(decodeEntities(label || '@group'))}</span>`;
    return `<span class="mention">@${escapeHtml(parts[0])}</span>`;
  }
  const url = safeUrl(decodeEntities(target));
  const text = escapeHtml(decodeEntities(label || target));
  return url ? `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${text}</a>` : text;
}

/** Slack mrkdwn to HTML: *bold*, _italic_, ~strike~, `code`, ```blocks```, links, mentions, quotes, bullets, emoji. */
export function mrkdwn(text, ctx = {}) {
  const held = [];
  const hold = (html) => `\u0000${held.push(html) - 1}\u0000`;
  let s = String(text ?? '');
  s = s.replace(/```([\s\S]*?)```/g, (_, code) => hold(`<pre>${escapeHtml(decodeEntities(code))}</pre>`));
  s = s.replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${escapeHtml(decodeEntities(code))}</code>`));
  s = s.replace(/<([^<>\n]+)>/g, (_, inner) => hold(special(inner, ctx)));
  s = escapeHtml(decodeEntities(s));
  s = s.replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1<b>$2</b>');
  s = s.replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1<i>$2</i>');
  s = s.replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?!\w)/g, '$1<s>$2</s>');
  s = emojify(s);
  const lines = s.split('\n').map((line) => {
    const quote = /^&gt;\s?(.*)$/.exec(line);
    if (quote) return `<blockquote>${quote[1]}</blockquote>`;
    const bullet = /^(\s*)[•◦▪‣-]\s+(.*)$/.exec(line);
    if (bullet) return `<div class="bullet" style="margin-left:${bullet[1].length * 0.5}em">${bullet[2]}</div>`;
    return `${line}<br>`;
  });
  s = lines.join('').replace(/<br>$/, '');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL marks the held-back pieces, as no Slack text contains it
  return s.replace(/\u0000(\d+)\u0000/g, (_, i) => held[Number(i)]);
}

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'html') node.innerHTML = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of [].concat(children)) if (child) node.append(child);
  return node;
}

/** A text object: mrkdwn rendered, plain_text as text (with emoji when asked). */
export function textNode(object, ctx, tag = 'span', className = '') {
  if (!object) return el(tag, { class: className });
  if (object.type === 'mrkdwn') return el(tag, { class: `mrkdwn ${className}`, html: mrkdwn(object.text, ctx) });
  const html = escapeHtml(object.text ?? '');
  return el(tag, { class: className, html: object.emoji === false ? html : emojify(html) });
}

function plainText(object) {
  return object?.text ?? '';
}

function placeholder(kind, type) {
  return el('span', { class: 'bk-unknown', role: 'note', text: `Unsupported ${kind}: ${type ?? 'no type'}` });
}

/** Slack's confirm dialog; resolves true when confirmed. */
export function confirmDialog(confirm, ctx) {
  return new Promise((resolve) => {
    const root = document.getElementById('confirm-root');
    const done = (answer) => {
      root.replaceChildren();
      resolve(answer);
    };
    const title = plainText(confirm.title) || 'Are you sure?';
    const dialog = el('div', { class: 'confirm', role: 'alertdialog', 'aria-modal': 'true', 'aria-label': title }, [
      el('h2', { text: title }),
      textNode(confirm.text, ctx, 'div', 'confirm-text'),
      el('div', { class: 'buttons' }, [
        el('button', { class: 'bk-button', type: 'button', text: plainText(confirm.deny) || 'Cancel', onclick: () => done(false) }),
        el('button', {
          class: `bk-button ${confirm.style === 'danger' ? 'danger' : 'primary'}`,
          type: 'button',
          text: plainText(confirm.confirm) || 'Yes',
          onclick: () => done(true),
        }),
      ]),
    ]);
    root.replaceChildren(el('div', { class: 'backdrop confirm-backdrop' }, [dialog]));
    dialog.querySelector('button:last-child').focus();
  });
}

async function fire(element, block, ctx, extra = {}) {
  const chosen = extra.option;
  const confirm = element.confirm ?? chosen?.confirm;
  if (confirm && !(await confirmDialog(confirm, ctx))) return;
  const url = element.url ?? chosen?.url;
  if (url && safeUrl(url)) window.open(url, '_blank', 'noopener');
  ctx.onAction({
    action_id: element.action_id,
    block_id: block.block_id,
    ...(element.type === 'button' && element.value !== undefined ? { value: element.value } : {}),
    ...(chosen ? { selected_option_value: chosen.value } : {}),
  });
}

function optionsOf(element) {
  return [...(element.options ?? []), ...(element.option_groups ?? []).flatMap((g) => g.options ?? [])];
}

function selectNode(element, { value, onChange, label }) {
  const select = el('select', { class: 'bk-select', 'aria-label': label || plainText(element.placeholder) || element.action_id });
  select.append(el('option', { value: '', text: plainText(element.placeholder) || 'Select an item', disabled: true, selected: !value }));
  const optionNode = (o) => el('option', { value: o.value, text: plainText(o.text), selected: o.value === value });
  if (element.option_groups) {
    for (const group of element.option_groups) select.append(el('optgroup', { label: plainText(group.label) }, group.options.map(optionNode)));
  } else {
    for (const o of element.options ?? []) select.append(optionNode(o));
  }
  select.addEventListener('change', () => onChange(select.value));
  return select;
}

function choiceList(element, { multiple, chosen, onChange, ctx, label }) {
  const name = `${element.action_id}-${Math.random().toString(36).slice(2)}`;
  const list = el('div', { class: 'bk-choices', role: multiple ? 'group' : 'radiogroup', 'aria-label': label || element.action_id });
  for (const option of element.options ?? []) {
    const input = el('input', { type: multiple ? 'checkbox' : 'radio', name, value: option.value, checked: chosen.includes(option.value) });
    input.addEventListener('change', () => {
      const picked = [...list.querySelectorAll('input:checked')].map((i) => i.value);
      onChange(multiple ? picked : input.value, option);
    });
    list.append(
      el('label', { class: 'bk-choice' }, [
        input,
        el('span', {}, [textNode(option.text, ctx), option.description ? textNode(option.description, ctx, 'small', 'description') : null]),
      ]),
    );
  }
  return list;
}

function overflowNode(element, block, ctx) {
  const wrap = el('span', { class: 'bk-overflow-wrap' });
  const menu = el('ul', { class: 'bk-menu', role: 'menu', hidden: true });
  for (const option of element.options ?? []) {
    menu.append(
      el('li', {
        role: 'menuitem',
        tabindex: '0',
        text: plainText(option.text),
        onclick: () => {
          menu.hidden = true;
          void fire(element, block, ctx, { option });
        },
      }),
    );
  }
  const button = el('button', {
    class: 'bk-button bk-overflow',
    type: 'button',
    'aria-label': 'More actions',
    text: '⋯',
    onclick: () => (menu.hidden = !menu.hidden),
  });
  wrap.append(button, menu);
  return wrap;
}

/** An interactive element in a section, actions or context block: clicking sends block_actions. */
function elementNode(element, block, ctx) {
  switch (element.type) {
    case 'button':
      return el('button', {
        class: `bk-button ${element.style ?? ''}`,
        type: 'button',
        'aria-label': element.accessibility_label,
        text: plainText(element.text),
        onclick: () => void fire(element, block, ctx),
      });
    case 'static_select':
      return selectNode(element, {
        value: element.initial_option?.value,
        onChange: (value) => void fire(element, block, ctx, { option: optionsOf(element).find((o) => o.value === value) }),
      });
    case 'overflow':
      return overflowNode(element, block, ctx);
    case 'radio_buttons':
    case 'checkboxes': {
      const initial = element.type === 'checkboxes' ? (element.initial_options ?? []).map((o) => o.value) : [element.initial_option?.value];
      return choiceList(element, {
        multiple: element.type === 'checkboxes',
        chosen: initial,
        ctx,
        onChange: (_value, option) => void fire(element, block, ctx, { option }),
      });
    }
    case 'image':
      return el('img', { class: 'bk-image-element', src: element.image_url, alt: element.alt_text ?? '' });
    default:
      return placeholder('element', element.type);
  }
}

/** An element of an input block: its value goes into the form state, not to the app (no dispatch_action). */
function inputNode(block, ctx) {
  const element = block.element ?? {};
  const label = plainText(block.label);
  const current = ctx.form?.get(block.block_id, element.action_id);
  const set = (value) => ctx.form?.set(block.block_id, element.action_id, value);
  switch (element.type) {
    case 'plain_text_input': {
      const value = current ?? element.initial_value ?? '';
      if (current === undefined && value) set(value);
      const attrs = {
        class: 'bk-text-input',
        'aria-label': label,
        placeholder: plainText(element.placeholder),
        maxlength: element.max_length,
        minlength: element.min_length,
      };
      const input = element.multiline ? el('textarea', { ...attrs, rows: 4 }) : el('input', { ...attrs, type: 'text' });
      input.value = value;
      input.addEventListener('input', () => set(input.value));
      return input;
    }
    case 'static_select': {
      const value = current ?? element.initial_option?.value;
      if (current === undefined && value) set(value);
      return selectNode(element, { value, label, onChange: set });
    }
    case 'radio_buttons':
    case 'checkboxes': {
      const multiple = element.type === 'checkboxes';
      const initial = multiple ? (element.initial_options ?? []).map((o) => o.value) : element.initial_option ? [element.initial_option.value] : [];
      const chosen = current === undefined ? initial : [].concat(current);
      if (current === undefined && initial.length > 0) set(multiple ? initial : initial[0]);
      return choiceList(element, { multiple, chosen, ctx, label, onChange: set });
    }
    default:
      return placeholder('element', element.type);
  }
}

function blockNode(block, ctx) {
  switch (block.type) {
    case 'header':
      return el('h3', { class: 'bk-header', html: emojify(escapeHtml(plainText(block.text))) });
    case 'divider':
      return el('hr', { class: 'bk-divider' });
    case 'section': {
      const body = el('div', { class: 'bk-section-body' }, [
        block.text ? textNode(block.text, ctx, 'div', 'bk-text') : null,
        block.fields
          ? el(
              'div',
              { class: 'bk-fields' },
              block.fields.map((f) => textNode(f, ctx, 'div', 'bk-field')),
            )
          : null,
      ]);
      const accessory = block.accessory ? el('div', { class: 'bk-accessory' }, [elementNode(block.accessory, block, ctx)]) : null;
      return el('div', { class: 'bk-section', 'data-block-id': block.block_id }, [body, accessory]);
    }
    case 'context':
      return el(
        'div',
        { class: 'bk-context' },
        (block.elements ?? []).map((e) =>
          e.type === 'image'
            ? el('img', { class: 'bk-context-image', src: e.image_url, alt: e.alt_text ?? '' })
            : e.type === 'mrkdwn' || e.type === 'plain_text'
              ? textNode(e, ctx)
              : placeholder('element', e.type),
        ),
      );
    case 'actions':
      return el(
        'div',
        { class: 'bk-actions' },
        (block.elements ?? []).map((e) => elementNode(e, block, ctx)),
      );
    case 'image':
      return el('figure', { class: 'bk-image' }, [
        block.title ? textNode(block.title, ctx, 'figcaption') : null,
        el('img', { src: block.image_url, alt: block.alt_text ?? '' }),
      ]);
    case 'input': {
      const error = ctx.errors?.[block.block_id];
      return el('div', { class: `bk-input${error ? ' has-error' : ''}`, 'data-block-id': block.block_id }, [
        el('label', { class: 'bk-label' }, [plainText(block.label), block.optional ? el('span', { class: 'optional', text: ' (optional)' }) : null]),
        inputNode(block, ctx),
        block.hint ? textNode(block.hint, ctx, 'div', 'bk-hint') : null,
        error ? el('div', { class: 'bk-error', role: 'alert', text: error }) : null,
      ]);
    }
    default:
      return el('div', { class: 'bk-block' }, [placeholder('block', block.type)]);
  }
}

/**
 * Renders blocks. ctx: names (user id -> name), channelNames, onAction(action) for clicks,
 * form ({ get(blockId, actionId), set(blockId, actionId, value) }) and errors (by block_id) in modals.
 */
export function renderBlocks(blocks, ctx) {
  return el(
    'div',
    { class: 'blocks' },
    (blocks ?? []).map((block) => blockNode(block, ctx)),
  );
}

/** The input blocks left empty that are not optional, with Slack's message for each. */
export function missingInputs(blocks, form) {
  const errors = {};
  for (const block of blocks ?? []) {
    if (block.type !== 'input' || !block.element) continue;
    const value = form.get(block.block_id, block.element.action_id);
    const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
    const min = block.element.min_length;
    if (!block.optional && empty) errors[block.block_id] = 'Please complete this required field.';
    else if (!empty && min && String(value).length < min) errors[block.block_id] = `Must have at least ${min} characters.`;
  }
  return errors;
}

export { el };

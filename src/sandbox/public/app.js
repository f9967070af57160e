// The sandbox page: plays the Slack client for the demo users. It renders the state the server
// reads from the Slack emulator, and turns what the user does into requests the server signs and
// sends to the bot as Slack would.
import { el, mrkdwn, missingInputs, renderBlocks } from './blocks.js';

const params = new URLSearchParams(location.search);
let me = params.get('user') ?? localStorage.getItem('sandbox-user') ?? '';
/** { kind: 'channel', id } or { kind: 'app', tab: 'home' | 'messages' } */
let place = { kind: 'app', tab: 'messages' };
let state = null;
const rendered = {};
const seen = new Map();
const dismissed = new Set();
/** Modal form values: viewId -> "blockId/actionId" -> value. */
const forms = new Map();
/** Client-side errors (required fields) by view id. */
const localErrors = new Map();

const $ = (id) => document.getElementById(id);

async function api(path, body) {
  const response = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.error ?? `HTTP ${response.status}`);
  return json;
}

let loading = null;
let again = false;
async function refresh() {
  if (loading) {
    again = true;
    return loading;
  }
  loading = (async () => {
    try {
      do {
        again = false;
        const next = await api(`/api/state?user=${encodeURIComponent(me)}`);
        // A state asked for before the user switched is stale: ask again for the new user.
        if (me && next.me !== me) {
          again = true;
          continue;
        }
        me = next.me;
        state = next;
        render();
        document.body.dataset.user = me;
      } while (again);
    } catch (error) {
      showProblem(error);
    } finally {
      loading = null;
    }
  })();
  return loading;
}

function showProblem(error) {
  $('problem').hidden = false;
  $('problem').textContent = `The sandbox server did not answer: ${error.message}`;
}

/** Runs a request from the page; the state follows through the event stream. */
async function act(path, body) {
  try {
    $('problem').hidden = true;
    return await api(path, body);
  } catch (error) {
    showProblem(error);
    return undefined;
  } finally {
    void refresh();
  }
}

function ctxFor(container) {
  return {
    names: state.names,
    channelNames: Object.fromEntries(state.conversations.filter((c) => c.kind === 'channel').map((c) => [c.id, c.name])),
    onAction: (action) => {
      const values = container.type === 'view' ? Object.fromEntries(groupForm(container.viewId)) : undefined;
      void act('/api/action', { user: me, container, action, ...(values ? { values } : {}) });
    },
  };
}

/** Same-key check so a section is rebuilt only when what it shows changed (keeps typing and focus). */
function changed(key, value) {
  const json = JSON.stringify(value);
  if (rendered[key] === json) return false;
  rendered[key] = json;
  return true;
}

function currentConversation() {
  if (place.kind === 'app') return state.conversations.find((c) => c.kind === 'app');
  return state.conversations.find((c) => c.id === place.id);
}

function render() {
  renderUsers();
  renderSidebar();
  renderHeader();
  renderRejections();
  renderMain();
  renderModal();
  renderCalls();
  renderFiles();
}

function renderUsers() {
  if (!changed('users', [state.users, me])) return;
  $('user').replaceChildren(...state.users.map((u) => el('option', { value: u.id, selected: u.id === me, text: `${u.real_name} (${u.role})` })));
}

function unread(conversation) {
  const key = `${me}/${conversation.id}`;
  const current = currentConversation();
  if (current?.id === conversation.id && !(place.kind === 'app' && place.tab === 'home')) seen.set(key, conversation.messages.length);
  return conversation.messages.length - (seen.get(key) ?? 0);
}

function renderSidebar() {
  const items = state.conversations.map((c) => ({ id: c.id, kind: c.kind, name: c.name, unread: unread(c) }));
  if (!changed('sidebar', [items, place])) return;
  const item = (c) => {
    const active = place.kind === 'app' ? c.kind === 'app' : place.id === c.id;
    const label = c.kind === 'channel' ? `# ${c.name}` : c.name;
    return el('li', {}, [
      el(
        'button',
        {
          type: 'button',
          class: `conversation${active ? ' active' : ''}${c.unread > 0 ? ' unread' : ''}`,
          'aria-current': active ? 'page' : undefined,
          onclick: () => go(c.kind === 'app' ? { kind: 'app', tab: place.kind === 'app' ? place.tab : 'messages' } : { kind: 'channel', id: c.id }),
        },
        [el('span', { text: label }), c.unread > 0 ? el('span', { class: 'badge', text: String(c.unread) }) : null],
      ),
    ]);
  };
  $('channels').replaceChildren(...items.filter((c) => c.kind === 'channel').map(item));
  $('apps').replaceChildren(...items.filter((c) => c.kind === 'app').map(item));
}

function renderHeader() {
  const conversation = currentConversation();
  if (!changed('header', [place, conversation?.name])) return;
  $('title').textContent = place.kind === 'app' ? conversation.name : `# ${conversation.name}`;
  $('tabs').hidden = place.kind !== 'app';
  for (const tab of $('tabs').querySelectorAll('[role=tab]')) tab.setAttribute('aria-selected', String(place.kind === 'app' && tab.dataset.tab === place.tab));
  const onHome = place.kind === 'app' && place.tab === 'home';
  $('composer').hidden = onHome;
  $('message').placeholder =
    place.kind === 'app' ? `Message ${conversation.name} — try /purchases help` : `Message #${conversation.name} — try /purchases help`;
}

function renderRejections() {
  const shown = state.rejections.filter((r) => !dismissed.has(r.time + r.method));
  if (!changed('rejections', shown)) return;
  $('rejections').replaceChildren(
    ...shown.map((r) =>
      el('div', { class: 'rejection', role: 'alert' }, [
        el('button', {
          type: 'button',
          class: 'dismiss',
          'aria-label': 'Dismiss',
          text: '×',
          onclick: () => {
            dismissed.add(r.time + r.method);
            rendered.rejections = '';
            render();
          },
        }),
        el('strong', { text: `Slack would reject this payload: ${r.method}${r.where ? ` (${r.where})` : ''} failed with ${r.error}` }),
        el(
          'ul',
          {},
          r.messages.map((m) => el('li', { text: m })),
        ),
      ]),
    ),
  );
}

function timeOf(ts) {
  return new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function formatSize(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

function initials(name) {
  return name
    .split(/\s+/)
    .map((word) => word[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

function messageNode(message, conversation) {
  const container = { type: 'message', channel: conversation.id, ts: message.ts, ephemeral: message.ephemeral };
  const author = message.fromSlack ? 'Slackbot' : state.bot.name;
  const body =
    message.blocks && message.blocks.length > 0
      ? renderBlocks(message.blocks, ctxFor(container))
      : el('div', { class: 'mrkdwn', html: mrkdwn(message.text, ctxFor(container)) });
  return el('article', { class: `message${message.ephemeral ? ' ephemeral' : ''}`, 'data-ts': message.ts }, [
    el('div', { class: `avatar${message.fromSlack ? ' slackbot' : ''}`, 'aria-hidden': 'true', text: initials(author) }),
    el('div', { class: 'message-body' }, [
      el('div', { class: 'meta' }, [
        el('strong', { text: author }),
        message.fromSlack ? null : el('span', { class: 'app-badge', text: 'APP' }),
        el('time', { text: timeOf(message.ts) }),
        message.edited ? el('span', { class: 'edited', text: '(edited)' }) : null,
        message.ephemeral ? el('span', { class: 'only-you', text: 'Only visible to you' }) : null,
      ]),
      body,
      ...(message.files ?? []).map((f) =>
        f.mimetype?.startsWith('image/')
          ? el('figure', { class: 'file-image' }, [
              el('a', { href: f.url, target: '_blank', rel: 'noopener' }, [el('img', { src: f.url, alt: f.altText || f.title || f.name })]),
              el('figcaption', { text: `${f.title || f.name} · ${formatSize(f.size)}` }),
            ])
          : el('a', { class: 'file', href: f.url, download: f.name }, [
              el('span', { class: 'file-icon', 'aria-hidden': 'true', text: (f.name.split('.').pop() ?? '').toUpperCase().slice(0, 4) }),
              el('span', {}, [el('strong', { text: f.title || f.name }), el('small', { text: ` ${f.name} · ${formatSize(f.size)}` })]),
            ]),
      ),
    ]),
  ]);
}

function renderMain() {
  const onHome = place.kind === 'app' && place.tab === 'home';
  $('messages').hidden = onHome;
  $('home').hidden = !onHome;
  if (onHome) {
    if (!changed('main', ['home', state.home, state.names])) return;
    $('home').replaceChildren(
      state.home
        ? renderBlocks(state.home.blocks, ctxFor({ type: 'view', viewId: state.home.id }))
        : el('p', { class: 'empty', text: 'Loading the Home tab…' }),
    );
    return;
  }
  const conversation = currentConversation();
  if (!changed('main', [conversation, state.names, me])) return;
  const list = $('messages');
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  list.replaceChildren(
    ...(conversation.messages.length === 0
      ? [el('p', { class: 'empty', text: 'No messages yet. Type /purchases help below.' })]
      : conversation.messages.map((m) => messageNode(m, conversation))),
  );
  if (nearBottom || rendered.lastConversation !== conversation.id) list.scrollTop = list.scrollHeight;
  rendered.lastConversation = conversation.id;
}

function formOf(viewId) {
  let form = forms.get(viewId);
  if (!form) {
    form = new Map();
    forms.set(viewId, form);
  }
  return {
    get: (blockId, actionId) => form.get(`${blockId}/${actionId}`),
    set: (blockId, actionId, value) => {
      form.set(`${blockId}/${actionId}`, value);
    },
  };
}

/** { blockId: { actionId: value } } for the server. */
function groupForm(viewId) {
  const grouped = new Map();
  for (const [key, value] of forms.get(viewId) ?? []) {
    const [blockId, actionId] = key.split('/');
    grouped.set(blockId, { ...grouped.get(blockId), [actionId]: value });
  }
  return grouped;
}

function renderModal() {
  const modal = state.modal;
  const errors = modal ? { ...modal.errors, ...localErrors.get(modal.id) } : {};
  if (!changed('modal', [modal?.id, modal?.hash, modal?.blocks, errors])) return;
  const root = $('modal-root');
  if (!modal) {
    root.replaceChildren();
    return;
  }
  const title = modal.title?.text ?? '';
  const form = formOf(modal.id);
  const ctx = { ...ctxFor({ type: 'view', viewId: modal.id }), form, errors };
  const close = () => act('/api/close', { user: me, viewId: modal.id });
  const submit = async (event) => {
    event.preventDefault();
    const missing = missingInputs(modal.blocks, form);
    localErrors.set(modal.id, missing);
    if (Object.keys(missing).length > 0) {
      rendered.modal = '';
      renderModal();
      return;
    }
    root.querySelector('button[type=submit]')?.setAttribute('disabled', '');
    await act('/api/submit', { user: me, viewId: modal.id, values: Object.fromEntries(groupForm(modal.id)) });
    rendered.modal = '';
  };
  const general = errors[''];
  const dialog = el('form', { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-label': title, onsubmit: submit, novalidate: true }, [
    el('header', {}, [el('h2', { text: title }), el('button', { type: 'button', class: 'close-x', 'aria-label': 'Close', text: '×', onclick: close })]),
    el('div', { class: 'modal-body' }, [
      general ? el('div', { class: 'bk-error modal-error', role: 'alert', text: general }) : null,
      renderBlocks(modal.blocks, ctx),
    ]),
    el('footer', {}, [
      el('button', { type: 'button', class: 'bk-button', text: modal.close?.text ?? 'Cancel', onclick: close }),
      modal.submit ? el('button', { type: 'submit', class: 'bk-button primary', text: modal.submit.text }) : null,
    ]),
  ]);
  root.replaceChildren(el('div', { class: 'backdrop' }, [dialog]));
}

function renderCalls() {
  if (!changed('calls', state.calls)) return;
  $('call-count').textContent = String(state.calls.length);
  $('calls').replaceChildren(
    ...[...state.calls]
      .reverse()
      .map((c) =>
        el('li', { class: c.ok ? 'ok' : 'failed' }, [
          el('details', {}, [
            el('summary', {}, [
              el('time', { text: new Date(c.time).toLocaleTimeString() }),
              el('code', { text: c.method }),
              el('span', { class: 'status', text: c.ok ? 'ok' : (c.error ?? `HTTP ${c.status}`) }),
              el('span', { class: 'summary', text: c.summary }),
            ]),
            el('pre', { text: c.detail }),
          ]),
        ]),
      ),
  );
}

function renderFiles() {
  if (!changed('files', state.files)) return;
  $('files').replaceChildren(
    ...(state.files.length === 0
      ? [el('li', { class: 'empty', text: 'None yet: try /purchases export Visio Plan 2' })]
      : state.files.map((f) => el('li', {}, [el('a', { href: f.url, download: f.name, text: f.name }), el('small', { text: ` ${formatSize(f.size)}` })]))),
  );
}

function go(next) {
  place = next;
  if (place.kind === 'app') void act('/api/tab', { user: me, tab: place.tab });
  render();
  if (place.kind !== 'app' || place.tab === 'messages') $('message').focus();
}

async function send(event) {
  event.preventDefault();
  const input = $('message');
  const text = input.value.trim();
  if (!text) return;
  const conversation = currentConversation();
  input.value = '';
  await act('/api/command', { user: me, channel: conversation.id, text });
}

function start() {
  $('composer').addEventListener('submit', send);
  $('message').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      $('composer').requestSubmit();
    }
  });
  $('user').addEventListener('change', () => {
    me = $('user').value;
    localStorage.setItem('sandbox-user', me);
    for (const key of Object.keys(rendered)) delete rendered[key];
    void refresh().then(() => place.kind === 'app' && act('/api/tab', { user: me, tab: place.tab }));
  });
  for (const tab of $('tabs').querySelectorAll('[role=tab]')) tab.addEventListener('click', () => go({ kind: 'app', tab: tab.dataset.tab }));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state?.modal && !document.querySelector('.confirm')) void act('/api/close', { user: me, viewId: state.modal.id });
  });
  document.addEventListener('click', (event) => {
    if (!event.target.closest('.bk-overflow-wrap')) for (const menu of document.querySelectorAll('.bk-menu')) menu.hidden = true;
  });
  const events = new EventSource('/api/events');
  events.onmessage = () => void refresh();
  void refresh();
}

start();

// @ts-check
/**
 * The inspector page (docs/inspector.md): one simulator's state, token lineages, clock, faults and
 * requests, live. It reads the control plane's JSON on this page's own origin (so it works on a tenant's
 * port and Host as on the main one) and listens to `/__sim/events`, which says when to read again.
 *
 * Everything the simulator answers is data, some of it written by users (logins, app names, URLs): it goes
 * into the page as text (text nodes, `textContent`, attribute values), never as markup.
 */

/**
 * @typedef {Record<string, any>} Json
 * @typedef {{ id: string, kind: 'access' | 'refresh', col: number, head: string, value: string,
 *   status: string, detail: string, issuedAt: string | null, expiresAt: string | null, title: string }} TokenNode
 * @typedef {{ from: string, to: string, kind: 'pair' | 'refresh' | 'rotate' }} TokenEdge
 */

const SVG = 'http://www.w3.org/2000/svg';
/** Requests kept and shown, newest first. */
const MAX_ENTRIES = 500;
/** Sessions and transactions that disappeared, kept on the page (struck through) until a reset. */
const MAX_GONE = 100;

const model = {
  /** @type {Json | null} */
  state: null,
  /** The clock as last read, and when (performance.now()), for a running clock to tick between reads. */
  clock: { now: '', frozen: true, readAt: 0 },
  /** @type {Json[]} */
  faults: [],
  /** @type {Map<number, Json>} */
  entries: new Map(),
  /** @type {number | null} */
  selected: null,
  /** The highest journal number seen: a lower one in a state hint means the journal was cleared (a reset). */
  maxSeq: 0,
  /** @type {Map<string, Json>} */
  goneSessions: new Map(),
  /** @type {Map<string, Json>} */
  goneTransactions: new Map(),
};

// --- DOM helpers: text only -----------------------------------------------------------------------------

/**
 * An element with attributes (set as values, never parsed) and children (strings become text nodes).
 * @param {string} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attributes]
 * @param {...(Node | string | number | null | undefined | false)} children
 * @returns {HTMLElement}
 */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'number' ? String(child) : child);
  }
  return element;
}

/**
 * An SVG element; its text, when given, is set with textContent.
 * @param {string} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attributes]
 * @param {string} [text]
 * @returns {SVGElement}
 */
function s(tag, attributes = {}, text) {
  const element = /** @type {SVGElement} */ (document.createElementNS(SVG, tag));
  setAttributes(element, attributes);
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * @param {Element} element
 * @param {Record<string, string | number | boolean | null | undefined>} attributes
 */
function setAttributes(element, attributes) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
}

/** @param {string} id */
function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no #${id}`);
  return element;
}

/**
 * A table of rows; `cells` gives each row's cells as text (or nodes) and its class.
 * @template T
 * @param {string[]} headings
 * @param {T[]} rows
 * @param {(row: T) => { cells: (string | Node)[], className?: string, classes?: (string | undefined)[] }} cells
 */
function table(headings, rows, cells) {
  const body = h('tbody');
  for (const row of rows) {
    const { cells: values, className, classes = [] } = cells(row);
    body.append(
      h('tr', { class: className }, ...values.map((value, i) => h('td', { class: classes[i] }, value))),
    );
  }
  return h(
    'table',
    {},
    h('thead', {}, h('tr', {}, ...headings.map((heading) => h('th', {}, heading)))),
    body,
  );
}

// --- Time ----------------------------------------------------------------------------------------------

/** The virtual time now, in epoch ms: the last reading, moved on by real time when the clock runs. */
function virtualNow() {
  const read = Date.parse(model.clock.now || model.state?.now || '');
  if (Number.isNaN(read)) return 0;
  return model.clock.frozen ? read : read + Math.floor(performance.now() - model.clock.readAt);
}

/** The state's own instant: relative times are judged against it, as the state was read then. */
function stateNow() {
  return Date.parse(model.state?.now ?? '') || virtualNow();
}

/** @param {string | null | undefined} iso */
function shortTime(iso) {
  if (!iso) return '—';
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** @param {number} ms */
function duration(ms) {
  const units = /** @type {const} */ ([
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ]);
  let rest = Math.abs(ms);
  const parts = [];
  for (const [unit, size] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.length > 0 ? parts.join(' ') : '0s';
}

/**
 * "in 29m", "2m ago", or "never".
 * @param {string | null | undefined} iso
 */
function relative(iso) {
  if (!iso) return 'never';
  const delta = Date.parse(iso) - stateNow();
  return delta > 0 ? `in ${duration(delta)}` : `${duration(delta)} ago`;
}

/**
 * An expiry as the tables show it: the instant and how far it is from now.
 * @param {string | null | undefined} iso
 */
function expiry(iso) {
  if (!iso) return 'never';
  const delta = Date.parse(iso) - stateNow();
  return `${shortTime(iso)} (${delta > 0 ? 'in ' : 'expired '}${duration(delta)}${delta > 0 ? '' : ' ago'})`;
}

/** @param {string | null | undefined} value */
function short(value, length = 10) {
  if (!value) return '—';
  return value.length > length + 1 ? `${value.slice(0, length)}…` : value;
}

// --- The control plane ---------------------------------------------------------------------------------

/**
 * A control-plane call on this origin; its error message when it fails.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  /** @type {any} */
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: the status says enough.
  }
  if (!response.ok) {
    const message = json?.error?.message ?? `${response.status} ${response.statusText}`;
    throw new Error(`${method} ${path}: ${message}`);
  }
  return json;
}

/** @param {unknown} error */
function showError(error) {
  const box = byId('error');
  box.textContent = error instanceof Error ? error.message : String(error);
  box.hidden = false;
}

function clearError() {
  byId('error').hidden = true;
}

/**
 * Runs a change from the page, shows its error if it fails, and reads the state again.
 * @param {() => Promise<unknown>} change
 */
async function act(change) {
  try {
    await change();
    clearError();
  } catch (error) {
    showError(error);
  }
  await refresh();
}

/** @type {Promise<void> | null} */
let loading = null;
let loadAgain = false;

/** Real time between two reads of the state while changes keep coming (a load test's requests). */
const MIN_READ_GAP_MS = 200;

/**
 * Reads state, clock, faults and capture; calls made while one runs are folded into one more read, at
 * most one read per 200 ms.
 */
function refresh() {
  if (loading) {
    loadAgain = true;
    return loading;
  }
  loading = (async () => {
    try {
      do {
        loadAgain = false;
        const started = performance.now();
        await readAll();
        if (loadAgain) await pause(MIN_READ_GAP_MS - (performance.now() - started));
      } while (loadAgain);
    } catch (error) {
      showError(error);
    } finally {
      loading = null;
    }
  })();
  return loading;
}

/** @param {number} ms */
function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

async function readAll() {
  const [state, clock, faults, capture] = await Promise.all([
    api('GET', '/__sim/state'),
    api('GET', '/__sim/clock'),
    api('GET', '/__sim/faults'),
    api('GET', '/__sim/requests/capture'),
  ]);
  trackGone(state);
  model.state = state;
  model.clock = { now: clock.now, frozen: clock.frozen, readAt: performance.now() };
  model.faults = faults;
  /** @type {HTMLInputElement} */ (byId('capture')).checked = capture.enabled === true;
  render();
}

/**
 * Reads the latest requests and merges them with those the stream brought (which may be newer than the
 * read); nothing is dropped that arrived meanwhile.
 */
async function readJournal() {
  const entries = await api('GET', `/__sim/requests?limit=${MAX_ENTRIES}`);
  for (const entry of entries) addEntry(entry);
  scheduleJournal();
}

/**
 * The journal was cleared (a reset, a new scenario, `DELETE /__sim/requests`): numbers start again from 1,
 * so what the page holds is forgotten, sessions gone before the reset with it, and everything read again.
 */
function journalCleared() {
  model.entries.clear();
  model.maxSeq = 0;
  model.selected = null;
  model.goneSessions.clear();
  model.goneTransactions.clear();
  // No "gone" rows for what the reset removed: the next read is not compared with this state.
  model.state = null;
  void readJournal().catch(showError);
  void refresh();
}

let journalFrame = 0;

/** Renders the journal once per frame, however many entries a write of the stream brought. */
function scheduleJournal() {
  if (journalFrame) return;
  journalFrame = requestAnimationFrame(() => {
    journalFrame = 0;
    renderJournal();
  });
}

// --- The event stream ----------------------------------------------------------------------------------

/** @type {EventSource | null} */
let events = null;

function connect() {
  events?.close();
  const source = new EventSource('/__sim/events');
  events = source;
  const live = byId('live');
  source.addEventListener('hello', (event) => {
    live.textContent = 'live';
    live.className = 'pill live';
    const hello = JSON.parse(/** @type {MessageEvent} */ (event).data);
    // Whatever happened while the page was not listening: read it all once.
    if (hello.seq < model.maxSeq) journalCleared();
    else void Promise.all([refresh(), readJournal().catch(showError)]);
  });
  source.addEventListener('request', (event) => {
    const entry = JSON.parse(/** @type {MessageEvent} */ (event).data);
    const known = model.entries.get(entry.seq);
    if (known) {
      // The same number for another request: the journal was cleared and has filled again since.
      if (known.wall !== entry.wall || known.url !== entry.url) journalCleared();
      return;
    }
    addEntry(entry);
    scheduleJournal();
  });
  source.addEventListener('state', (event) => {
    const hint = JSON.parse(/** @type {MessageEvent} */ (event).data);
    if (hint.seq < model.maxSeq) journalCleared();
    else void refresh();
  });
  source.addEventListener('missed', () => {
    void readJournal().catch(showError);
  });
  source.addEventListener('error', () => {
    live.textContent = source.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting';
    live.className = 'pill down';
    // A refused stream (401 once the cookie is gone, 429 past the limit) is not retried by the browser.
    if (source.readyState === EventSource.CLOSED) setTimeout(() => events === source && connect(), 5000);
  });
}

/** @param {Json} entry */
function addEntry(entry) {
  if (model.entries.has(entry.seq)) return;
  model.entries.set(entry.seq, entry);
  model.maxSeq = Math.max(model.maxSeq, entry.seq);
  if (model.entries.size > MAX_ENTRIES) {
    const oldest = Math.min(...model.entries.keys());
    model.entries.delete(oldest);
  }
}

// --- Rendering -----------------------------------------------------------------------------------------

function render() {
  renderClock();
  renderOkta();
  renderApigee();
  renderFaults();
}

function renderClock() {
  byId('now').textContent = shortTime(new Date(virtualNow()).toISOString());
  const frozen = byId('frozen');
  frozen.textContent = model.clock.frozen ? 'frozen' : 'running';
  byId('freeze').textContent = model.clock.frozen ? 'Resume' : 'Freeze';
  const set = /** @type {HTMLInputElement} */ (byId('set-form').querySelector('input[name=to]'));
  if (document.activeElement !== set && model.clock.now) set.value = model.clock.now.slice(0, 19);
}

/**
 * Remembers sessions and transactions that were there and are no more, to show them as gone.
 * @param {Json} next
 */
function trackGone(next) {
  const previous = model.state?.okta;
  const now = next.okta;
  if (!previous || !now) return;
  /**
   * @param {Json[]} before
   * @param {Json[]} after
   * @param {string} key
   * @param {Map<string, Json>} gone
   */
  const track = (before, after, key, gone) => {
    const present = new Set(after.map((item) => item[key]));
    for (const item of before) {
      if (!present.has(item[key]) && !gone.has(item[key])) gone.set(item[key], { ...item, goneBy: next.now });
    }
    for (const key of present) gone.delete(key);
    while (gone.size > MAX_GONE) gone.delete(/** @type {string} */ (gone.keys().next().value));
  };
  track(previous.sessions, now.sessions, 'id', model.goneSessions);
  track(previous.transactions, now.transactions, 'stateToken', model.goneTransactions);
}

function truncatedNote(prefix = '') {
  const truncated = model.state?.truncated;
  if (!truncated) return null;
  const cut = Object.entries(truncated).filter(([name]) => name.startsWith(prefix));
  if (cut.length === 0) return null;
  return h(
    'p',
    { class: 'note' },
    `Cut at 1,000 per list: ${cut.map(([name, count]) => `${count} more ${name}`).join(', ')} (GET /__sim/state?full=1 has them all).`,
  );
}

function renderOkta() {
  const body = byId('okta-body');
  const okta = model.state?.okta;
  if (!okta) {
    body.replaceChildren(h('p', { class: 'muted' }, 'The scenario has no okta section.'));
    return;
  }
  /** @type {Map<string, string>} */
  const logins = new Map(okta.users.map((/** @type {Json} */ user) => [user.id, user.login]));
  const login = (/** @type {string | null} */ id) => (id ? (logins.get(id) ?? id) : '—');

  const users = table(['login', 'status', 'id', 'factors', 'last login'], okta.users, (user) => ({
    cells: [
      user.login,
      user.status,
      user.id,
      user.factors.map((/** @type {Json} */ f) => `${f.factorType} (${f.status})`).join(', ') || '—',
      shortTime(user.lastLogin),
    ],
    classes: [undefined, `status-${user.status}`],
  }));
  users.id = 'okta-users';

  const sessionRows = [
    ...okta.sessions,
    ...[...model.goneSessions.values()].map((s) => ({ ...s, gone: true })),
  ];
  const sessions = table(
    ['id', 'user', 'status', 'created', 'last activity', 'expires'],
    sessionRows,
    (session) => ({
      className: session.gone ? 'gone' : undefined,
      cells: [
        session.id,
        login(session.userId),
        session.gone ? `gone by ${shortTime(session.goneBy)}` : 'active',
        shortTime(session.createdAt),
        shortTime(session.lastActivity),
        expiry(session.expiresAt),
      ],
      classes: ['mono', undefined, `status ${session.gone ? 'status-gone' : 'status-active'}`],
    }),
  );
  sessions.id = 'okta-sessions';

  const transactionRows = [
    ...okta.transactions,
    ...[...model.goneTransactions.values()].map((tx) => ({ ...tx, gone: true })),
  ];
  const transactions = table(
    ['state token', 'status', 'user', 'factor', 'expires'],
    transactionRows,
    (tx) => ({
      className: tx.gone ? 'gone' : undefined,
      cells: [
        short(tx.stateToken, 14),
        tx.gone ? `${tx.status}, gone` : tx.status,
        login(tx.userId),
        tx.factorId ? `${tx.factorId}${tx.factorResult ? ` (${tx.factorResult})` : ''}` : '—',
        expiry(tx.expiresAt),
      ],
      classes: ['mono', 'status'],
    }),
  );
  transactions.id = 'okta-transactions';

  const grants = h('div', { id: 'okta-grants' });
  for (const grant of okta.oauthGrants) grants.append(oktaGrantCard(grant, okta, login));

  body.replaceChildren(
    ...[truncatedNote('okta.')].filter((node) => node !== null),
    h('h3', {}, `Users (${okta.users.length})`),
    users,
    h('h3', {}, `Sessions (${okta.sessions.length} active)`),
    okta.sessions.length + model.goneSessions.size > 0
      ? sessions
      : h('p', { class: 'muted' }, 'No sessions.'),
    h('h3', {}, `Authentication transactions (${okta.transactions.length})`),
    transactionRows.length > 0 ? transactions : h('p', { class: 'muted' }, 'No transactions.'),
    h('h3', {}, `OIDC grants (${okta.oauthGrants.length})`),
    okta.oauthGrants.length > 0 ? grants : h('p', { class: 'muted' }, 'No grants.'),
  );
}

/**
 * An Okta grant: its refresh tokens in rotation order, each with the access token minted beside it.
 * @param {Json} grant
 * @param {Json} okta
 * @param {(id: string | null) => string} login
 */
function oktaGrantCard(grant, okta, login) {
  const now = stateNow();
  const refreshes = okta.refreshTokens.filter((/** @type {Json} */ t) => t.grantId === grant.id);
  const accesses = okta.accessTokens.filter((/** @type {Json} */ t) => t.grantId === grant.id);
  /** @type {Map<string, number>} */
  const column = new Map();
  const successors = new Set(refreshes.map((/** @type {Json} */ t) => t.successor).filter(Boolean));
  let col = 0;
  const sorted = [...refreshes].sort((a, b) => String(a.issuedAt).localeCompare(String(b.issuedAt)));
  for (const root of sorted.filter((t) => !successors.has(t.token))) {
    for (let token = root; token && !column.has(token.token); ) {
      column.set(token.token, col++);
      token = refreshes.find((/** @type {Json} */ t) => t.token === token.successor);
    }
  }
  for (const token of sorted) if (!column.has(token.token)) column.set(token.token, col++);
  /** @type {TokenNode[]} */
  const nodes = [];
  /** @type {TokenEdge[]} */
  const edges = [];
  const oktaStatus = (/** @type {Json} */ token) =>
    token.revoked
      ? 'revoked'
      : token.expiresAt && Date.parse(token.expiresAt) <= now
        ? 'expired'
        : token.rotatedAt
          ? 'rotated'
          : 'active';
  for (const token of refreshes) {
    const c = column.get(token.token) ?? 0;
    nodes.push({
      id: `r:${token.token}`,
      kind: 'refresh',
      col: c,
      head: `refresh #${c}`,
      value: token.token,
      status: oktaStatus(token),
      detail: token.expiresAt ? `expires ${relative(token.expiresAt)}` : 'no absolute expiry',
      issuedAt: token.issuedAt,
      expiresAt: token.expiresAt,
      title: `refresh token ${token.token}\nissued ${shortTime(token.issuedAt)}\nlast used ${shortTime(token.lastUsedAt)}${token.rotatedAt ? `\nrotated ${shortTime(token.rotatedAt)}` : ''}`,
    });
    if (token.successor && column.has(token.successor)) {
      edges.push({ from: `r:${token.token}`, to: `r:${token.successor}`, kind: 'rotate' });
    }
  }
  const taken = new Set();
  for (const token of [...accesses].sort((a, b) => String(a.issuedAt).localeCompare(String(b.issuedAt)))) {
    let c = token.refreshToken && column.has(token.refreshToken) ? column.get(token.refreshToken) : undefined;
    if (c === undefined || taken.has(c)) {
      c = 0;
      while (taken.has(c)) c++;
    }
    taken.add(c);
    const id = `a:${token.jti}`;
    nodes.push({
      id,
      kind: 'access',
      col: c,
      head: `access #${c}`,
      value: token.jti,
      status: oktaStatus(token),
      detail: `expires ${relative(token.expiresAt)}`,
      issuedAt: token.issuedAt,
      expiresAt: token.expiresAt,
      title: `access token jti ${token.jti}\nsub ${token.sub}\nscopes ${token.scopes.join(' ')}\nissued ${shortTime(token.issuedAt)}\nexpires ${shortTime(token.expiresAt)}`,
    });
    if (token.refreshToken && column.has(token.refreshToken)) {
      // Minted beside a refresh token (same column), or by reusing one (an earlier column, no rotation).
      if (column.get(token.refreshToken) === c)
        edges.push({ from: id, to: `r:${token.refreshToken}`, kind: 'pair' });
      else edges.push({ from: `r:${token.refreshToken}`, to: id, kind: 'refresh' });
      const previous = refreshes.find((/** @type {Json} */ t) => t.successor === token.refreshToken);
      if (previous) edges.push({ from: `r:${previous.token}`, to: id, kind: 'refresh' });
    }
  }
  const heading = [
    `Grant ${grant.id}`,
    `client ${grant.clientId}`,
    `server ${grant.authorizationServer}`,
    `user ${login(grant.userId)}`,
    `scopes ${grant.scopes.join(' ') || '—'}`,
    `created ${shortTime(grant.createdAt)}`,
  ].join(' · ');
  return lineageCard(heading, grant.revoked ? 'revoked' : 'active', nodes, edges, { 'data-grant': grant.id });
}

function renderApigee() {
  const body = byId('apigee-body');
  const apigee = model.state?.apigee;
  if (!apigee) {
    body.replaceChildren(h('p', { class: 'muted' }, 'The scenario has no apigee section.'));
    return;
  }
  const developers = table(['email', 'status', 'id'], apigee.developers, (d) => ({
    cells: [d.email, d.status, d.developerId],
    classes: [undefined, `status-${d.status}`, 'mono'],
  }));
  developers.id = 'apigee-developers';
  const keyRows = apigee.apps.flatMap((/** @type {Json} */ app) =>
    app.keys.length === 0 ? [{ app, key: null }] : app.keys.map((/** @type {Json} */ key) => ({ app, key })),
  );
  const apps = table(
    ['app', 'owner', 'app status', 'key', 'key status', 'products', 'key expires'],
    keyRows,
    ({ app, key }) => ({
      cells: [
        app.name,
        app.developer || app.appGroup || '—',
        app.status,
        key ? key.consumerKey : '—',
        key ? key.status : '—',
        key ? key.products.map((/** @type {Json} */ p) => `${p.name} (${p.status})`).join(', ') || '—' : '—',
        key ? expiry(key.expiresAt) : '—',
      ],
      classes: [
        undefined,
        undefined,
        `status-${app.status}`,
        'mono',
        key ? `status-${key.status}` : undefined,
      ],
    }),
  );
  apps.id = 'apigee-apps';

  /** @type {Map<string, Json[]>} */
  const lineages = new Map();
  const single = [];
  for (const token of apigee.tokens) {
    if (!token.lineageId) {
      single.push(token);
      continue;
    }
    const list = lineages.get(token.lineageId) ?? [];
    list.push(token);
    lineages.set(token.lineageId, list);
  }
  const appNames = new Map(apigee.apps.map((/** @type {Json} */ app) => [app.appId, app.name]));
  const cards = h('div', { id: 'apigee-lineages' });
  const ordered = [...lineages.entries()].sort(([, a], [, b]) =>
    String(latest(b)).localeCompare(String(latest(a))),
  );
  for (const [lineageId, tokens] of ordered) cards.append(apigeeLineageCard(lineageId, tokens, appNames));

  const now = stateNow();
  const singles = table(
    ['access token', 'app', 'grant', 'end user', 'status', 'expires'],
    single,
    (token) => ({
      cells: [
        short(token.value, 16),
        appNames.get(token.appId) ?? token.appId,
        token.grantType ?? '—',
        token.endUser ?? '—',
        apigeeStatus(token, now),
        expiry(token.expiresAt),
      ],
      classes: ['mono', undefined, undefined, undefined, `status-${apigeeStatus(token, now)}`],
    }),
  );
  singles.id = 'apigee-tokens';

  body.replaceChildren(
    ...[truncatedNote('apigee.')].filter((node) => node !== null),
    h('h3', {}, `Token lineages (${lineages.size})`),
    ...(lineages.size > 0
      ? [
          h(
            'p',
            { class: 'legend muted' },
            'Each chain: access token #n over the refresh token issued with it; a refresh mints #n+1 (solid arrow), rotation replaces the refresh token (dashed). Bars: each token from issue to expiry on the virtual clock; the blue line is now.',
          ),
        ]
      : []),
    lineages.size > 0 ? cards : h('p', { class: 'muted' }, 'No refresh-token lineages.'),
    h('h3', {}, `Tokens without refresh (${single.length})`),
    single.length > 0 ? singles : h('p', { class: 'muted' }, 'None.'),
    h('h3', {}, `Apps and keys (${apigee.apps.length})`),
    apps,
    h('h3', {}, `Developers (${apigee.developers.length})`),
    developers,
  );
}

/** @param {Json[]} tokens */
function latest(tokens) {
  return (
    tokens
      .map((token) => String(token.issuedAt))
      .sort()
      .at(-1) ?? ''
  );
}

/**
 * approved, revoked, expired, or rotated (a refresh token replaced by its successor).
 * @param {Json} token
 * @param {number} now
 */
function apigeeStatus(token, now) {
  if (token.status === 'revoked') return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expired';
  if (token.supersededBy) return 'rotated';
  return 'approved';
}

/**
 * One Apigee refresh chain: access token #n (its `refreshCount`) over the refresh token issued with it.
 * @param {string} lineageId
 * @param {Json[]} tokens
 * @param {Map<string, string>} appNames
 */
function apigeeLineageCard(lineageId, tokens, appNames) {
  const now = stateNow();
  const accesses = tokens.filter((t) => t.kind === 'access');
  const refreshes = tokens.filter((t) => t.kind === 'refresh');
  /** @type {Map<string, number>} */
  const refreshColumn = new Map();
  for (const access of [...accesses].sort((a, b) => a.refreshCount - b.refreshCount)) {
    if (access.pairedWith && !refreshColumn.has(access.pairedWith)) {
      refreshColumn.set(access.pairedWith, access.refreshCount ?? 0);
    }
  }
  let next = Math.max(-1, ...accesses.map((t) => t.refreshCount ?? 0), ...refreshColumn.values()) + 1;
  for (const refresh of [...refreshes].sort((a, b) => String(a.issuedAt).localeCompare(String(b.issuedAt)))) {
    if (!refreshColumn.has(refresh.value)) refreshColumn.set(refresh.value, next++);
  }
  /** @type {TokenNode[]} */
  const nodes = [];
  /** @type {TokenEdge[]} */
  const edges = [];
  const describe = (/** @type {Json} */ token) =>
    token.status === 'revoked'
      ? `${token.revokeReason ?? 'revoked'}${token.revokedAt ? ` ${relative(token.revokedAt)}` : ''}`
      : `expires ${relative(token.expiresAt)}`;
  for (const refresh of refreshes) {
    const col = refreshColumn.get(refresh.value) ?? 0;
    nodes.push({
      id: refresh.value,
      kind: 'refresh',
      col,
      head: `refresh #${col}`,
      value: refresh.value,
      status: apigeeStatus(refresh, now),
      detail: describe(refresh),
      issuedAt: refresh.issuedAt,
      expiresAt: refresh.expiresAt,
      title: `refresh token ${refresh.value}\nissued ${shortTime(refresh.issuedAt)}\nexpires ${shortTime(refresh.expiresAt)}\nstatus ${refresh.status}${refresh.revokeReason ? ` (${refresh.revokeReason})` : ''}${refresh.supersededBy ? `\nreplaced by ${refresh.supersededBy}` : ''}`,
    });
    if (refresh.supersededBy && refreshColumn.has(refresh.supersededBy)) {
      edges.push({ from: refresh.value, to: refresh.supersededBy, kind: 'rotate' });
    }
  }
  for (const access of accesses) {
    const col = access.refreshCount ?? 0;
    nodes.push({
      id: access.value,
      kind: 'access',
      col,
      head: `access #${col}`,
      value: access.value,
      status: apigeeStatus(access, now),
      detail: describe(access),
      issuedAt: access.issuedAt,
      expiresAt: access.expiresAt,
      title: `access token ${access.value}\nissued ${shortTime(access.issuedAt)}\nexpires ${shortTime(access.expiresAt)}\nstatus ${access.status}${access.revokeReason ? ` (${access.revokeReason})` : ''}\nscope ${access.scope || '—'}`,
    });
    const paired = access.pairedWith;
    if (!paired || !refreshColumn.has(paired)) continue;
    if (refreshColumn.get(paired) === col) edges.push({ from: access.value, to: paired, kind: 'pair' });
    // Minted by a refresh: with rotation, by the refresh token that its own one replaced; without, by its own.
    const parent =
      refreshes.find((t) => t.supersededBy === paired)?.value ??
      (refreshColumn.get(paired) === col ? undefined : paired);
    if (parent && col > 0) edges.push({ from: parent, to: access.value, kind: 'refresh' });
  }
  const first = tokens[0] ?? {};
  const revoked = tokens.filter((t) => t.status === 'revoked').length;
  const heading = [
    `Lineage ${short(lineageId, 8)}`,
    `app ${appNames.get(first.appId) ?? first.appId}`,
    `${first.grantType ?? 'grant'}`,
    first.endUser ? `end user ${first.endUser}` : null,
    `${accesses.length} access, ${refreshes.length} refresh`,
    revoked > 0 ? `${revoked} revoked` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return lineageCard(heading, revoked > 0 ? 'revoked' : 'active', nodes, edges, {
    'data-lineage': lineageId,
  });
}

const NODE_W = 176;
const NODE_H = 60;
const COL_W = 232;
const ROW_Y = { access: 6, refresh: 96 };
const BAR_TOP = 184;
const BAR_H = 12;
const LABEL_W = 80;

let markers = 0;

/**
 * A lineage as a card: its heading, the tokens as boxes (access over refresh, one column per generation)
 * joined by their links, and under them each token's life on the virtual timeline.
 * @param {string} heading
 * @param {string} status
 * @param {TokenNode[]} nodes
 * @param {TokenEdge[]} edges
 * @param {Record<string, string>} data
 */
function lineageCard(heading, status, nodes, edges, data) {
  const columns = Math.max(1, ...nodes.map((node) => node.col + 1));
  const width = Math.max(columns * COL_W, 520);
  const height = BAR_TOP + nodes.length * (BAR_H + 4) + 22;
  const marker = `arrow-${++markers}`;
  const svg = s('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': heading,
  });
  const defs = s('defs');
  const head = s('marker', {
    id: marker,
    viewBox: '0 0 10 10',
    refX: 9,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
  });
  head.append(s('path', { d: 'M0,0L10,5L0,10z', class: 'arrow' }));
  defs.append(head);
  svg.append(defs);

  /** @type {Map<string, { x: number, y: number }>} */
  const at = new Map();
  for (const node of nodes) at.set(node.id, { x: 4 + node.col * COL_W, y: ROW_Y[node.kind] });

  for (const edge of edges) {
    const from = at.get(edge.from);
    const to = at.get(edge.to);
    if (!from || !to) continue;
    let d;
    let label;
    if (edge.kind === 'pair') {
      d = `M${from.x + NODE_W / 2},${from.y + NODE_H} L${to.x + NODE_W / 2},${to.y}`;
      label = { x: from.x + NODE_W / 2 + 4, y: from.y + NODE_H + 18, text: 'issued with' };
    } else if (edge.kind === 'refresh') {
      d = `M${from.x + NODE_W},${from.y + NODE_H / 2} L${to.x},${to.y + NODE_H / 2}`;
      label = { x: (from.x + NODE_W + to.x) / 2 - 18, y: (from.y + to.y + NODE_H) / 2 - 4, text: 'refresh' };
    } else {
      d = `M${from.x + NODE_W},${from.y + NODE_H - 10} L${to.x},${to.y + NODE_H - 10}`;
      label = { x: (from.x + NODE_W + to.x) / 2 - 24, y: from.y + NODE_H + 12, text: 'replaced by' };
    }
    svg.append(
      s('path', {
        d,
        class: `edge ${edge.kind}`,
        'marker-end': edge.kind === 'pair' ? null : `url(#${marker})`,
      }),
    );
    svg.append(s('text', { x: label.x, y: label.y, class: 'edge-label' }, label.text));
  }

  for (const node of nodes) {
    const { x, y } = at.get(node.id) ?? { x: 0, y: 0 };
    const group = s('g', {
      class: `node ${node.status}`,
      transform: `translate(${x},${y})`,
      'data-kind': node.kind,
      'data-status': node.status,
      'data-token': node.value,
    });
    group.append(s('title', {}, node.title));
    group.append(s('rect', { width: NODE_W, height: NODE_H, rx: 5 }));
    group.append(s('text', { x: 8, y: 15, class: 'head' }, node.head));
    group.append(s('text', { x: NODE_W - 8, y: 15, class: 'state', 'text-anchor': 'end' }, node.status));
    group.append(s('text', { x: 8, y: 32, class: 'value' }, short(node.value, 22)));
    group.append(s('text', { x: 8, y: 49, class: 'detail' }, node.detail));
    svg.append(group);
  }

  timeline(svg, nodes, width);
  return h('div', { class: `lineage ${status}`, ...data }, h('p', {}, heading), svg);
}

/**
 * Each token's life, issue to expiry, on one scale of virtual time, with now as a line. Refresh tokens
 * usually outlive the window (hours against minutes): their bars run off its right end.
 * @param {SVGElement} svg
 * @param {TokenNode[]} nodes
 * @param {number} width
 */
function timeline(svg, nodes, width) {
  const now = stateNow();
  const times = nodes.map((node) => Date.parse(node.issuedAt ?? '')).filter((t) => !Number.isNaN(t));
  if (times.length === 0) return;
  const start = Math.min(...times);
  const accessEnds = nodes
    .filter((node) => node.kind === 'access')
    .map((node) => Date.parse(node.expiresAt ?? ''))
    .filter((t) => !Number.isNaN(t));
  const end0 = Math.max(now, ...accessEnds, start + 60_000);
  const end = end0 + (end0 - start) * 0.08;
  const left = LABEL_W;
  const right = width - 12;
  const xOf = (/** @type {number} */ t) =>
    left + ((Math.min(Math.max(t, start), end) - start) / (end - start)) * (right - left);
  const sorted = [...nodes].sort((a, b) => a.col - b.col || (a.kind === 'access' ? -1 : 1));
  sorted.forEach((node, i) => {
    const y = BAR_TOP + i * (BAR_H + 4);
    svg.append(s('text', { x: 4, y: y + BAR_H - 2, class: 'tick' }, node.head));
    const from = Date.parse(node.issuedAt ?? '');
    const to = node.expiresAt ? Date.parse(node.expiresAt) : end;
    if (Number.isNaN(from)) return;
    svg.append(
      s('rect', {
        x: xOf(from),
        y,
        width: Math.max(2, xOf(to) - xOf(from)),
        height: BAR_H,
        class: `bar ${node.status}`,
        'data-kind': node.kind,
      }),
    );
  });
  const bottom = BAR_TOP + nodes.length * (BAR_H + 4);
  svg.append(s('line', { x1: left, x2: right, y1: bottom, y2: bottom, class: 'axis' }));
  svg.append(
    s('text', { x: left, y: bottom + 14, class: 'tick' }, shortTime(new Date(start).toISOString()).slice(11)),
  );
  const x = xOf(now);
  svg.append(s('line', { x1: x, x2: x, y1: BAR_TOP - 6, y2: bottom + 4, class: 'now-line' }));
  svg.append(
    s(
      'text',
      { x: Math.min(x + 4, right - 60), y: bottom + 14, class: 'tick now' },
      `now ${shortTime(new Date(now).toISOString()).slice(11)}`,
    ),
  );
}

function renderFaults() {
  const list = byId('fault-list');
  if (model.faults.length === 0) {
    list.replaceChildren(h('p', { class: 'muted' }, 'No fault rules.'));
    return;
  }
  const items = model.faults.map((fault) => {
    const { rule } = fault;
    const match = Object.entries(rule.match ?? {})
      .map(([key, value]) => `${key} ${Array.isArray(value) ? value.join('|') : value}`)
      .join(', ');
    const { type, ...effect } = rule.effect;
    const details = Object.entries(effect)
      .map(
        ([key, value]) => `${key} ${typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : value}`,
      )
      .join(', ');
    const text = `#${fault.id}${rule.name ? ` ${rule.name}` : ''}: ${match || 'every request'} → ${type}${details ? ` (${details})` : ''}${rule.times ? ` × ${rule.times}` : ''} · used ${fault.used}/${fault.seen} seen`;
    const remove = h(
      'button',
      { type: 'button', 'data-remove': fault.id, 'aria-label': `Remove fault ${fault.id}` },
      'Remove',
    );
    return h('li', { 'data-fault': fault.id }, h('span', {}, text), remove);
  });
  list.replaceChildren(h('ul', {}, ...items));
}

function renderJournal() {
  const body = /** @type {HTMLTableSectionElement} */ (byId('requests').querySelector('tbody'));
  const filter = /** @type {HTMLInputElement} */ (byId('filter')).value.trim().toLowerCase();
  const entries = [...model.entries.values()].sort((a, b) => b.seq - a.seq);
  const shown = filter
    ? entries.filter((entry) =>
        [
          entry.method,
          entry.url,
          entry.status,
          entry.operation,
          entry.principal,
          entry.errorCode,
          entry.outcome,
          entry.vendor,
        ]
          .join(' ')
          .toLowerCase()
          .includes(filter),
      )
    : entries;
  const rows = shown.map((entry) => {
    let path = entry.url;
    try {
      const url = new URL(entry.url);
      path = url.pathname + url.search;
    } catch {
      // Kept as recorded.
    }
    return h(
      'tr',
      { 'data-seq': entry.seq, class: entry.seq === model.selected ? 'selected' : null },
      h('td', {}, entry.seq),
      h('td', { class: 'mono' }, shortTime(entry.at).slice(11)),
      h('td', {}, entry.method),
      h('td', { class: 'mono path' }, path),
      h('td', { class: `s${String(entry.status).charAt(0)}` }, entry.status),
      h('td', {}, entry.operation ?? '—'),
      h('td', {}, entry.principal ?? ''),
      h('td', {}, entry.durationMs),
    );
  });
  body.replaceChildren(...rows);
  byId('journal-count').textContent = `${shown.length} of ${model.entries.size} shown, newest first`;
  renderDetails();
}

function renderDetails() {
  const aside = byId('details');
  const entry = model.selected === null ? undefined : model.entries.get(model.selected);
  if (!entry) {
    aside.replaceChildren(h('p', { class: 'muted' }, 'Click a request to see it.'));
    return;
  }
  const { request, response, ...summary } = entry;
  const parts = [
    h('h3', {}, `#${entry.seq} ${entry.method} ${entry.status} ${entry.operation ?? ''}`),
    h('pre', { id: 'detail-summary' }, JSON.stringify(summary, null, 2)),
  ];
  for (const [name, message] of /** @type {const} */ ([
    ['Request', request],
    ['Response', response],
  ])) {
    if (!message) continue;
    parts.push(
      h('h3', {}, `${name} headers`),
      h(
        'pre',
        {},
        Object.entries(message.headers)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n'),
      ),
    );
    if (message.body !== undefined) {
      parts.push(
        h('h3', {}, `${name} body${message.bodyLength ? ` (cut; ${message.bodyLength} characters)` : ''}`),
        h('pre', {}, message.body),
      );
    }
  }
  if (!request && !response)
    parts.push(h('p', { class: 'muted' }, 'Headers and bodies are kept while capture is on.'));
  aside.replaceChildren(...parts);
}

// --- Controls ------------------------------------------------------------------------------------------

/** @param {object} command */
const moveClock = (command) => act(() => api('POST', '/__sim/clock', command));

function wire() {
  byId('origin').textContent = location.host;
  byId('refresh').addEventListener('click', () => {
    void refresh();
    void readJournal().catch(showError);
  });
  for (const button of document.querySelectorAll('[data-advance]')) {
    button.addEventListener('click', () =>
      moveClock({ advance: /** @type {HTMLElement} */ (button).dataset.advance }),
    );
  }
  const advance = /** @type {HTMLFormElement} */ (byId('advance-form'));
  advance.addEventListener('submit', (event) => {
    event.preventDefault();
    const by = String(new FormData(advance).get('by') ?? '').trim();
    void moveClock({ advance: /^\d+$/.test(by) ? Number(by) : by });
  });
  const set = /** @type {HTMLFormElement} */ (byId('set-form'));
  set.addEventListener('submit', (event) => {
    event.preventDefault();
    const to = String(new FormData(set).get('to') ?? '');
    void moveClock({ set: `${to.length === 16 ? `${to}:00` : to}Z` });
  });
  byId('freeze').addEventListener('click', () =>
    moveClock(model.clock.frozen ? { resume: true } : { freeze: true }),
  );

  const faultForm = /** @type {HTMLFormElement} */ (byId('fault-form'));
  const type = /** @type {HTMLSelectElement} */ (faultForm.elements.namedItem('type'));
  const showFields = () => {
    for (const label of faultForm.querySelectorAll('label[data-for]')) {
      /** @type {HTMLElement} */ (label).hidden = !(label.getAttribute('data-for') ?? '')
        .split(' ')
        .includes(type.value);
    }
  };
  type.addEventListener('change', showFields);
  showFields();
  faultForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(faultForm);
    const field = (/** @type {string} */ name) => String(form.get(name) ?? '').trim();
    /** @type {Record<string, unknown>} */
    const effect = { type: type.value };
    if (type.value === 'status' || (type.value === 'malformed-body' && field('status')))
      effect.status = Number(field('status'));
    if (type.value === 'status' && field('body')) effect.body = field('body');
    if (type.value === 'vendor-error') effect.code = field('code');
    if (type.value === 'latency') effect.ms = /^\d+$/.test(field('ms')) ? Number(field('ms')) : field('ms');
    const operation = field('operation');
    const times = field('times');
    const rule = { match: operation ? { operation } : {}, effect, ...(times && { times: Number(times) }) };
    void act(() => api('POST', '/__sim/faults', rule));
  });
  byId('fault-list').addEventListener('click', (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('[data-remove]');
    if (button) void act(() => api('DELETE', `/__sim/faults/${button.getAttribute('data-remove')}`));
  });
  byId('clear-faults').addEventListener('click', () => act(() => api('DELETE', '/__sim/faults')));

  byId('filter').addEventListener('input', renderJournal);
  byId('requests').addEventListener('click', (event) => {
    const row = /** @type {HTMLElement} */ (event.target).closest('tr[data-seq]');
    if (!row) return;
    model.selected = Number(row.getAttribute('data-seq'));
    renderJournal();
  });
  const capture = /** @type {HTMLInputElement} */ (byId('capture'));
  capture.addEventListener('change', () =>
    act(() => api('PUT', '/__sim/requests/capture', { enabled: capture.checked })),
  );
  byId('clear-requests').addEventListener('click', async () => {
    await act(() => api('DELETE', '/__sim/requests'));
    journalCleared();
  });

  // Operation names for the fault form.
  fetch('/__sim/ui/operations.json', { credentials: 'same-origin' })
    .then((response) => (response.ok ? response.json() : []))
    .then((names) => {
      byId('operations').replaceChildren(
        ...names.map((/** @type {string} */ name) => h('option', { value: name })),
      );
    })
    .catch(() => {});

  // A running clock ticks on the page between reads.
  setInterval(() => {
    if (!model.clock.frozen) byId('now').textContent = shortTime(new Date(virtualNow()).toISOString());
  }, 1000);
}

wire();
connect();

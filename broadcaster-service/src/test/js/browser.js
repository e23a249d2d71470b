// Just enough of a browser for the page's and the widget's modules to run in Node, imported as they are: a document of
// stub elements, navigator, localStorage, and a WebSocket the test drives. Timers are node:test's mock timers (each
// test enables them), so nothing runs unless the test says so; fetch is one the test answers when it chooses.

/** An element: attributes, children, and the few properties the scripts touch. */
export function element(tag) {
  const attributes = new Map();
  const children = [];
  const el = {
    tagName: tag.toUpperCase(),
    dataset: {},
    style: {},
    children,
    hidden: false,
    textContent: '',
    className: '',
    parentElement: null,
    parentNode: null,
    setAttribute(k, v) { attributes.set(k, String(v)); },
    getAttribute(k) { return attributes.has(k) ? attributes.get(k) : null; },
    hasAttribute(k) { return attributes.has(k); },
    removeAttribute(k) { attributes.delete(k); },
    toggleAttribute(k, on) { if (on) attributes.set(k, ''); else attributes.delete(k); },
    append(...nodes) {
      for (const node of nodes) {
        children.push(node);
        node.parentElement = el;
        node.parentNode = el;
      }
    },
    replaceChildren(...nodes) { children.length = 0; el.append(...nodes); },
    insertBefore(node) { el.append(node); },
    remove() {
      const siblings = el.parentElement ? el.parentElement.children : [];
      const i = siblings.indexOf(el);
      if (i >= 0) siblings.splice(i, 1);
    },
    attachShadow() { return element('#shadow-root'); },
    querySelector() { return null; },
    addEventListener() {},
    get firstChild() { return children[0] || null; },
  };
  return el;
}

/** A WebSocket the test drives: sockets[i] is the i-th opened; open(), deliver(frame), close(code), sent. */
export class ScriptedSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  static sockets = [];

  constructor(url) {
    this.url = url;
    this.readyState = ScriptedSocket.CONNECTING;
    this.sent = [];
    ScriptedSocket.sockets.push(this);
  }

  send(text) { this.sent.push(JSON.parse(text)); }
  open() { this.readyState = ScriptedSocket.OPEN; this.onopen({}); }
  deliver(frame) { this.onmessage({ data: JSON.stringify(frame) }); }
  close(code = 1006) { this.readyState = ScriptedSocket.CLOSED; this.onclose({ code }); }

  /** The newest socket. */
  static get last() { return ScriptedSocket.sockets[ScriptedSocket.sockets.length - 1]; }
}

/** A fresh document (elements made on first lookup by id) and browser globals; returns the document. */
export function installBrowser() {
  const byId = new Map();
  const document = {
    getElementById(id) {
      if (!byId.has(id)) byId.set(id, element(id));
      return byId.get(id);
    },
    querySelectorAll: () => [],
    createElement: element,
    createElementNS: (ns, tag) => element(tag),
    addEventListener() {},
    baseURI: 'http://page.example/',
    body: element('body'),
    documentElement: element('html'),
    head: element('head'),
    visibilityState: 'visible',
    currentScript: null,
  };
  ScriptedSocket.sockets = [];
  Object.assign(globalThis, {
    document,
    window: globalThis,
    addEventListener() {},
    location: new URL('http://page.example/'),
    localStorage: { getItem: () => null, setItem() {} },
    WebSocket: ScriptedSocket,
  });
  Object.defineProperty(globalThis, 'navigator', { value: { onLine: true }, configurable: true, writable: true });
  return document;
}

/** A fetch whose answers the test releases: calls[i].answer(body) resolves the i-th request with that JSON. */
export function heldFetch() {
  const calls = [];
  const fetch = (url) => new Promise((resolve) => {
    calls.push({
      url: String(url),
      answer(body) {
        resolve({ ok: true, status: 200, headers: { get: () => null }, json: async () => body });
      },
    });
  });
  return { fetch, calls };
}

/** Lets the scripts' awaits and promise callbacks run. */
export function settle() {
  return new Promise((resolve) => { setImmediate(resolve); });
}

/** The last hour minute by minute as the API answers it, `visits` of them in the current minute. */
export function hourOfMinutes(visits, now = Date.now()) {
  const current = Math.floor(now / 60000) * 60000;
  const buckets = [];
  for (let i = 59; i >= 0; i--) {
    buckets.push({ start: new Date(current - i * 60000).toISOString(), visits: i === 0 ? visits : 0, uniqueVisitors: 0 });
  }
  return { counter: 'c', resolution: 'minute', visits, buckets };
}

const mocked = new WeakSet();

/** Enables node:test's mock timers for setTimeout and setInterval in test t (reset when it ends), once per test. */
export function mockTimers(t) {
  if (mocked.has(t)) return;
  mocked.add(t);
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
}

/** Runs fn and returns the sockets it opened. */
export function socketsOpenedBy(fn) {
  const before = ScriptedSocket.sockets.length;
  fn();
  return ScriptedSocket.sockets.slice(before);
}

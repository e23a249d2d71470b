// Just enough of a browser for the page's and the widget's scripts to run in Node (node:vm), with a fetch the test
// answers when it chooses. No timers run: the tests deliver every event themselves, in the order they choose.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const RESOURCES = path.join(__dirname, '..', '..', 'main', 'resources');

function source(file) {
  return fs.readFileSync(path.join(RESOURCES, file), 'utf8');
}

/** An element: attributes, children, and the few properties the scripts touch. */
function element(tag) {
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

/**
 * A fetch whose answers the test releases: calls[i].answer(body) resolves the i-th request's response with that JSON.
 */
function heldFetch() {
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

/** A context with the globals both scripts use; `extra` adds or replaces some. */
function context(extra) {
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
  };
  const sandbox = {
    document,
    navigator: { onLine: true },
    localStorage: { getItem: () => null, setItem() {} },
    crypto: globalThis.crypto,
    Intl,
    URL,
    setInterval: () => 0,
    clearInterval() {},
    setTimeout: () => 0,
    clearTimeout() {},
    console,
    ...extra,
  };
  sandbox.window = sandbox;
  sandbox.window.addEventListener = () => {};
  return vm.createContext(sandbox);
}

/** Lets the scripts' awaits and promise callbacks run. */
function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The last hour minute by minute as the API answers it, `visits` of them in the current minute. */
function hourOfMinutes(visits, now = Date.now()) {
  const current = Math.floor(now / 60000) * 60000;
  const buckets = [];
  for (let i = 59; i >= 0; i--) {
    buckets.push({ start: new Date(current - i * 60000).toISOString(), visits: i === 0 ? visits : 0, uniqueVisitors: 0 });
  }
  return { counter: 'c', resolution: 'minute', visits, buckets };
}

module.exports = { source, element, heldFetch, context, settle, hourOfMinutes, vm };

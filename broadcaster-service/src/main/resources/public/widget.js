// Live Counter widget for other sites. Paste where the counter should appear:
//
//   <script src="https://counter.example.com/widget.js" data-counter="home" async></script>
//
// Optional: data-show="visits,online,value" (default "visits,online"); data-chart="true" adds a sparkline of the
// visits per minute over the last hour (read once from /api next to widget.js, then grown by live frames). It opens a WebSocket to the host the
// script came from and renders into a Shadow DOM right after the script tag, so the page's CSS cannot reach it.
// The server only accepts sockets from origins on its allowed list (LIVECOUNTER_BROADCASTER_ALLOWED_ORIGINS);
// elsewhere the widget gives up after a few attempts and says so. See docs/widget.md.
(() => {
  'use strict';

  const BASE_DELAY_MS = 500;
  const MAX_DELAY_MS = 30000;
  const OFFLINE_AFTER = 4;               // failed attempts, never live, before "not available here"
  const GIVEN_UP_DELAY_MS = 5 * 60000;   // then only a slow retry, not a fast loop against a refusing server
  const SOON = new Set([1001, 1013]);
  const KNOWN = ['visits', 'online', 'value'];
  const MOUNTED = 'data-live-counter-mounted';

  const script = document.currentScript || findOwnScript();
  if (!script || script.hasAttribute(MOUNTED)) return;
  script.setAttribute(MOUNTED, '');

  const counter = script.dataset.counter || 'home';
  const show = (script.dataset.show || 'visits,online').split(',').map((s) => s.trim()).filter((s) => KNOWN.includes(s));
  const source = new URL(script.src, document.baseURI);
  const scheme = source.protocol === 'https:' ? 'wss:' : 'ws:';
  const endpoint = new URL('ws', source); // next to widget.js: /ws, or /<prefix>/ws behind a path-routing proxy
  const visit = newVisitId();             // once per page load: a reconnect is not a new visit
  const visitor = visitorId();            // anonymous, in this site's localStorage: a visitor counts once a day
  const url = `${scheme}//${endpoint.host}${endpoint.pathname}?counter=${encodeURIComponent(counter)}&visit=${visit}`
    + (visitor ? `&visitor=${visitor}` : '');
  const withChart = script.dataset.chart === 'true';

  // ---- the element: <live-counter> with its own shadow tree, right after the script tag
  const host = document.createElement('live-counter');
  host.setAttribute('data-counter', counter);
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = CSS();
  const box = el('span', 'lc');
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', `Live counter ${counter}`);
  const dot = el('span', 'dot');
  dot.setAttribute('role', 'img');
  const items = {};
  box.append(dot);
  for (const name of show) {
    const item = el('span', 'item');
    const number = el('b', 'n');
    number.textContent = '–';
    const label = el('span', 'l');
    item.append(number, label);
    items[name] = { number, label };
    box.append(item);
  }
  const spark = withChart ? sparkline() : null;
  const message = el('span', 'msg');
  message.hidden = true;
  box.append(message);
  root.append(style, box);
  mount();

  const format = new Intl.NumberFormat();
  let socket = null;
  let state = '';
  let shownVersion = -1;
  let failures = 0;
  let everLive = false;
  let retryTimer = 0;

  setState('connecting');
  connect();
  window.addEventListener('online', () => { if (!socket) connect(); });
  window.addEventListener('offline', () => { if (!socket) setState('offline'); });

  function connect() {
    clearTimeout(retryTimer);
    if (socket) return;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (invalid) {
      failures = OFFLINE_AFTER;
      setState('offline');
      return;
    }
    let gotLive = false;
    socket = ws;
    ws.onmessage = (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch { return; }
      if (!frame || frame.type !== 'count') return; // errors concern presses; the widget sends none
      const first = !gotLive;
      if (!gotLive) {
        gotLive = true;
        everLive = true;
        failures = 0;
        setState('live');
      }
      render(frame);
      if (spark && first) spark.load();
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      if (!gotLive) failures += 1;
      scheduleRetry(event.code);
    };
  }

  function scheduleRetry(code) {
    if (!everLive && failures >= OFFLINE_AFTER) {
      // refused (an origin not on the allowed list gets HTTP 403, seen here only as a failed socket)
      // or the server is down: say so, and only look again now and then
      setState('offline');
      retryTimer = setTimeout(connect, GIVEN_UP_DELAY_MS * (0.5 + Math.random()));
      return;
    }
    const delay = SOON.has(code) && failures <= 1
      ? 100 + Math.random() * 900
      : Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(failures, 1));
    setState(!navigator.onLine ? 'offline' : (everLive ? 'reconnecting' : 'connecting'));
    retryTimer = setTimeout(connect, delay);
  }

  function render(frame) {
    if (frame.counter !== counter || !(frame.version > shownVersion)) return; // stale or not ours
    shownVersion = frame.version;
    if (spark) spark.frame(frame.visits);
    for (const name of KNOWN) {
      if (typeof frame[name] !== 'number') continue;
      host.setAttribute(`data-${name}`, String(frame[name]));
      const item = items[name];
      if (!item) continue;
      item.number.textContent = format.format(frame[name]);
      item.label.textContent = labelFor(name, frame[name]);
    }
  }

  function setState(next) {
    if (next === state) return;
    state = next;
    host.setAttribute('data-state', next);
    dot.setAttribute('aria-label', next);
    const unavailable = next === 'offline' && !everLive;
    message.hidden = !unavailable;
    message.textContent = unavailable ? 'Live counter not available here' : '';
    for (const name of Object.keys(items)) {
      items[name].number.parentElement.hidden = unavailable;
    }
  }

  function labelFor(name, n) {
    if (name === 'visits') return n === 1 ? ' visit' : ' visits';
    if (name === 'online') return ' online';
    return ' shared';
  }

  function mount() {
    const parent = script.parentNode;
    if (parent && parent !== document.head && parent !== document.documentElement) {
      parent.insertBefore(host, script.nextSibling);
    } else if (document.body) {
      document.body.append(host);
    } else {
      document.addEventListener('DOMContentLoaded', () => document.body.append(host), { once: true });
    }
  }

  function findOwnScript() {
    // older engines without document.currentScript: the first widget script not yet mounted
    const candidates = document.querySelectorAll('script[src]');
    for (const candidate of candidates) {
      if (/\/widget\.js(?:[?#]|$)/.test(candidate.src) && !candidate.hasAttribute(MOUNTED)) return candidate;
    }
    return null;
  }

  // ---- the sparkline: bars of visits per minute, last hour, as SVG attributes (no styles: a site's CSP may forbid them)
  function sparkline() {
    const NS = 'http://www.w3.org/2000/svg';
    const MINUTE = 60000;
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('width', '60');
    svg.setAttribute('height', '16');
    svg.setAttribute('viewBox', '0 0 60 16');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'Visits per minute, last 60 minutes');
    box.append(svg);
    let bars = null;       // [{start, visits}] x 60, the last one the current minute
    let lastVisits = null;
    setInterval(() => { if (bars) { roll(Date.now()); draw(); } }, 10000);

    function load() {
      fetch(new URL(`api/counters/${encodeURIComponent(counter)}/history?resolution=minute`, source), { mode: 'cors' })
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
        .then((body) => {
          bars = body.buckets.map((b) => ({ start: Date.parse(b.start), visits: b.visits }));
          roll(Date.now());
          draw();
        })
        .catch(() => svg.setAttribute('aria-label', 'Visits per minute: not available'));
    }
    function frame(visits) {
      if (bars && lastVisits !== null && visits > lastVisits) {
        roll(Date.now());
        bars[bars.length - 1].visits += visits - lastVisits;
        draw();
      }
      lastVisits = visits;
    }
    function roll(now) {
      const current = Math.floor(now / MINUTE) * MINUTE;
      while (bars[bars.length - 1].start < current) {
        bars.push({ start: bars[bars.length - 1].start + MINUTE, visits: 0 });
        bars.shift();
      }
    }
    function draw() {
      while (svg.firstChild) svg.firstChild.remove();
      const top = Math.max(0, ...bars.map((b) => b.visits));
      const max = Math.max(1, top);
      const total = bars.reduce((sum, b) => sum + b.visits, 0);
      bars.forEach((b, i) => {
        if (b.visits <= 0) return;
        const h = Math.max(1, (b.visits / max) * 16);
        const rect = document.createElementNS(NS, 'rect');
        for (const [k, v] of [['x', i], ['y', 16 - h], ['width', 0.8], ['height', h], ['fill', 'currentColor']]) {
          rect.setAttribute(k, String(v));
        }
        svg.append(rect);
      });
      svg.setAttribute('aria-label', `Visits per minute, last 60 minutes: ${total} in total, at most ${top} in a minute`);
      host.setAttribute('data-chart-visits', String(total));
    }
    return { load, frame };
  }

  function visitorId() {
    const KEY = 'live-counter-visitor';
    try {
      let id = localStorage.getItem(KEY);
      if (!id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
        id = newVisitId();
        localStorage.setItem(KEY, id);
      }
      return id;
    } catch {
      return null; // storage blocked: the visit counts, the visitor does not
    }
  }

  function newVisitId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function el(tag, className) {
    const node = document.createElement(tag);
    node.className = className;
    return node;
  }

  function CSS() {
    return `
:host { all: initial; display: inline-block; vertical-align: middle; }
:host([hidden]) { display: none; }
.lc {
  display: inline-flex; align-items: center; gap: 0.6em; padding: 0.3em 0.8em;
  border: 1px solid #e3e6eb; border-radius: 999px; background: #fff; color: #1d2330;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-variant-numeric: tabular-nums; white-space: nowrap;
}
.dot { width: 0.55em; height: 0.55em; border-radius: 50%; background: #c98a00; flex: none; }
:host([data-state="live"]) .dot { background: #1f9d55; }
:host([data-state="offline"]) .dot { background: #8a94a3; }
:host([data-state="offline"]) .lc, :host([data-state="reconnecting"]) .lc { color: #5f6b7a; }
.n { font-weight: 650; }
.l { color: #5f6b7a; }
.msg { color: #5f6b7a; }
.spark { color: #2f6fde; flex: none; }
[hidden] { display: none !important; }
@media (prefers-color-scheme: dark) {
  .lc { background: #1b2029; border-color: #2c3340; color: #e8ebf0; }
  .l, .msg { color: #9aa5b4; }
  .spark { color: #6d9cf0; }
}`;
  }
})();

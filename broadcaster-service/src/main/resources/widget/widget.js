// Live Counter widget for other sites. Paste where the counter should appear:
//
//   <script src="https://counter.example.com/widget.js" data-counter="home" async></script>
//
// Optional: data-show="visits,online,value" (default "visits,online"); data-chart="true" adds a sparkline of the
// visits per minute over the last hour (read once from /api next to widget.js, then grown by live frames).
// It opens a WebSocket to the host the script came from and renders into a Shadow DOM right after the script tag,
// so the page's CSS cannot reach it.
// The server only accepts sockets from origins on its allowed list (LIVECOUNTER_BROADCASTER_ALLOWED_ORIGINS);
// elsewhere the widget gives up after a few attempts and says so. See docs/widget.md.
//
// Not served alone: an ES module like the page's, but a foreign page loads one classic script, so /widget.js is this
// module with the modules it imports (the client core, public/assets/client.js; the chart's data, visits.js) in one
// closure, nothing global (WidgetScript.java). The socket, its reconnects and the frames are the core's.
import { explain, open } from '../public/assets/client.js';
import { bars, liveVisits, summary } from '../public/assets/visits.js';

const GIVEN_UP_DELAY_MS = 5 * 60000;   // refused a few times, never live: only a slow retry
const SPARK_TICK_MS = 10000;           // how often the sparkline looks whether a new minute began
const KNOWN = ['visits', 'online', 'value'];
const MOUNTED = 'data-live-counter-mounted';

mountWidget(document.currentScript || findOwnScript());

function findOwnScript() {
  // older engines without document.currentScript: the first widget script not yet mounted
  const candidates = document.querySelectorAll('script[src]');
  for (const candidate of candidates) {
    if (/\/widget\.js(?:[?#]|$)/.test(candidate.src) && !candidate.hasAttribute(MOUNTED)) return candidate;
  }
  return null;
}

function mountWidget(script) {
  if (!script || script.hasAttribute(MOUNTED)) return;
  script.setAttribute(MOUNTED, '');

  const counter = script.dataset.counter || 'home';
  const show = (script.dataset.show || 'visits,online').split(',').map((s) => s.trim()).filter((s) => KNOWN.includes(s));
  const source = new URL(script.src, document.baseURI);
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
  let state = '';
  let everLive = false;
  let reason = '';  // why the server refused the last socket (an error frame), shown until live again

  // next to widget.js: /ws, or /<prefix>/ws behind a path-routing proxy
  open(new URL('ws', source), counter, {
    state: setState,
    count: render,
    live: () => { if (spark) spark.load(); },
    error: (frame) => {
      reason = explain(frame);
      showMessage();
    },
  }, { givenUpDelayMs: GIVEN_UP_DELAY_MS });

  function render(frame) {
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
    state = next;
    if (next === 'live') {
      everLive = true;
      reason = '';
    }
    host.setAttribute('data-state', next);
    dot.setAttribute('aria-label', next);
    showMessage();
  }

  // the server's reason while not live (as the page's note says it), else "not available" once given up
  function showMessage() {
    const text = state === 'live' ? '' : reason || (state === 'offline' && !everLive ? 'Live counter not available here' : '');
    message.hidden = !text;
    message.textContent = text;
    const blank = !!text && !everLive; // nothing shown yet: the message alone, not empty numbers beside it
    for (const name of Object.keys(items)) {
      items[name].number.parentElement.hidden = blank;
    }
    const svg = box.querySelector('svg');
    if (svg) svg.toggleAttribute('hidden', blank);
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

  // ---- the sparkline: bars of visits per minute, last hour, as SVG attributes (no styles: a site's CSP may forbid them);
  // its data is the page chart's (visits.js): read once, then grown by the frames' visits beyond the answer
  function sparkline() {
    const NS = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('width', '60');
    svg.setAttribute('height', '16');
    svg.setAttribute('viewBox', '0 0 60 16');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'Visits per minute, last 60 minutes');
    box.append(svg);
    const chart = liveVisits({
      read: () => fetch(new URL(`api/counters/${encodeURIComponent(counter)}/history?resolution=minute`, source), { mode: 'cors' })
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`)))),
      show: draw,
      failed: () => svg.setAttribute('aria-label', 'Visits per minute: not available'),
    });
    setInterval(chart.tick, SPARK_TICK_MS);

    function draw(buckets) {
      while (svg.firstChild) svg.firstChild.remove();
      for (const { index, height } of bars(buckets, 16, 1)) {
        const rect = document.createElementNS(NS, 'rect');
        for (const [k, v] of [['x', index], ['y', 16 - height], ['width', 0.8], ['height', height], ['fill', 'currentColor']]) {
          rect.setAttribute(k, String(v));
        }
        svg.append(rect);
      }
      const { total, top } = summary(buckets);
      svg.setAttribute('aria-label', `Visits per minute, last 60 minutes: ${total} in total, at most ${top.visits} in a minute`);
      host.setAttribute('data-chart-visits', String(total));
    }
    return { load: chart.load, frame: chart.frame };
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
}

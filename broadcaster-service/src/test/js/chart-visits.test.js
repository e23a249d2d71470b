// The race between a chart's history read and the count frames that arrive while it loads, played out in every
// order through the page (assets/history.js, drawn by chart.js) and the widget's sparkline (widget/widget.js on the
// client core's socket), both imported as they are: each must end with each visit counted once, whatever came first.
// Run: node --test src/test/js (the Maven build runs it in broadcaster-service's test phase).
import test from 'node:test';
import assert from 'node:assert/strict';
import { element, heldFetch, hourOfMinutes, installBrowser, mockTimers, settle, ScriptedSocket } from './browser.js';
import { attach } from '../../main/resources/public/assets/history.js';

const VISITS = 5; // the page's own visit, then four more

/** The page's chart: frames go in as app.js hands them over, the total is read from what the chart says. */
function openPage(t) {
  const document = installBrowser();
  mockTimers(t);
  const { fetch, calls } = heldFetch();
  globalThis.fetch = fetch;
  const page = attach('c');
  return {
    calls,
    // app.js: the first count frame, then the read (on live)
    start: () => { page.frame({ visits: 1 }); page.load(); },
    frame: (visits) => page.frame({ type: 'count', counter: 'c', visits, online: 1, value: 0 }),
    reload: () => page.load(),
    total() {
      const label = document.getElementById('chart').getAttribute('aria-label') || '';
      const match = /: ([0-9]+) in total/.exec(label);
      return match ? Number(match[1]) : null;
    },
  };
}

let widgets = 0;

/**
 * The widget with data-chart="true", as a site embeds it: its module imported afresh (it mounts on import), its
 * socket the client core's, to which the test delivers count frames.
 */
async function openWidget(t) {
  const document = installBrowser();
  mockTimers(t);
  const { fetch, calls } = heldFetch();
  globalThis.fetch = fetch;
  const script = element('script');
  script.dataset = { counter: 'c', chart: 'true' };
  script.src = 'http://counter.example/widget.js';
  const site = element('div');
  site.append(script);
  document.currentScript = script;
  widgets += 1;
  await import(`../../main/resources/widget/widget.js?instance=${widgets}`);
  const host = site.children.find((c) => c.tagName === 'LIVE-COUNTER');
  const socket = () => ScriptedSocket.last;
  let newest = 0;
  const deliver = (visits) => {
    newest = Math.max(newest, visits);
    socket().deliver({ type: 'count', counter: 'c', visits, online: 1, value: 0, version: visits });
  };
  return {
    calls,
    // the core: the socket opens, its first count frame goes to render, then live() reads the history
    start: () => { socket().open(); deliver(1); },
    frame: deliver,
    // the socket came back: its first frame (no newer than the one shown) makes it live, and the widget reads again
    reload: () => {
      socket().close(1001);
      t.mock.timers.tick(1000);
      socket().open();
      deliver(newest);
    },
    total() {
      const shown = host.getAttribute('data-chart-visits');
      return shown === null ? null : Number(shown);
    },
  };
}

/**
 * Every order of one load: the read holds `read` of the visits; frames 2..VISITS arrive in order (the server may
 * coalesce some away, never the last), `before` of them ahead of the answer.
 */
function* orders() {
  for (let read = 1; read <= VISITS; read++) {
    for (let mask = 0; mask < 1 << (VISITS - 2); mask++) {
      const frames = [];
      for (let v = 2; v < VISITS; v++) if (mask & (1 << (v - 2))) frames.push(v);
      frames.push(VISITS);
      for (let before = 0; before <= frames.length; before++) yield { read, frames, before };
    }
  }
}

function describe({ read, frames, before }) {
  const events = frames.map(String);
  events.splice(before, 0, `answer(${read})`);
  return `frame 1, read, then ${events.join(', ')}`;
}

for (const [name, open] of [['the page', openPage], ['the widget', openWidget]]) {
  test(`${name}: each visit is in the chart once, whether its frame comes before, during or after the read`, async (t) => {
    for (const order of orders()) {
      const chart = await open(t);
      chart.start(); // the page's own visit: its first frame, then the read (app.js and widget.js read on live)
      await settle();
      let newest = 1;
      const events = order.frames.map((v) => ({ frame: v }));
      events.splice(order.before, 0, { answer: order.read });
      let answered = false;
      for (const event of events) {
        if (event.answer !== undefined) {
          chart.calls[0].answer(hourOfMinutes(event.answer));
          answered = true;
        } else {
          chart.frame(event.frame);
          newest = event.frame;
        }
        await settle();
        if (answered) {
          assert.equal(chart.total(), Math.max(order.read, newest), `${describe(order)}: after ${JSON.stringify(event)}`
            + ' the chart holds the answer\'s visits and the frames\' beyond them');
        }
      }
      assert.equal(chart.total(), VISITS, `${describe(order)}: every visit once`);
    }
  });

  test(`${name}: a read again (a reconnect) counts from its own answer`, async (t) => {
    for (const read of [4, 5]) {
      for (const frameFirst of [true, false]) {
        const chart = await open(t);
        chart.start();
        await settle();
        chart.calls[0].answer(hourOfMinutes(1));
        chart.frame(3);
        chart.frame(4);
        await settle();
        chart.reload(); // the socket came back: read again
        await settle();
        if (frameFirst) chart.frame(5);
        chart.calls[1].answer(hourOfMinutes(read));
        await settle();
        if (!frameFirst) chart.frame(5);
        assert.equal(chart.total(), 5, `read again holding ${read}, frame 5 ${frameFirst ? 'before' : 'after'} its answer`);
      }
    }
  });
}

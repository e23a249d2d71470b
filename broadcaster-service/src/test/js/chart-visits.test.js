// The race between a chart's history read and the count frames that arrive while it loads, played out in every
// order: the page (assets/history.js with assets/chart.js) and the widget's sparkline (widget/widget.js after
// assets/client.js, as /widget.js serves them) must end with each visit counted once, whatever came first.
// Run: node --test src/test/js (the Maven build runs it in broadcaster-service's test phase).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { source, element, heldFetch, context, settle, hourOfMinutes, vm } = require('./browser-stubs.js');

const VISITS = 5; // the page's own visit, then four more

/** The page's chart: frames go in as app.js hands them over, the total is read from what the chart says. */
function openPage() {
  const { fetch, calls } = heldFetch();
  const ctx = context({ fetch });
  vm.runInContext(source('public/assets/chart.js'), ctx);
  vm.runInContext(source('public/assets/history.js'), ctx);
  vm.runInContext(source('public/assets/client.js'), ctx);
  const page = ctx.window.LiveCounterHistory.attach('c');
  return {
    calls,
    frame: (visits) => page.frame({ type: 'count', counter: 'c', visits, online: 1, value: 0 }),
    load: () => { page.load(); },
    total() {
      const label = ctx.document.getElementById('chart').getAttribute('aria-label') || '';
      const match = /: ([0-9]+) in total/.exec(label);
      return match ? Number(match[1]) : null;
    },
  };
}

/** The widget with data-chart="true": its socket's handlers are called as the client core would. */
function openWidget() {
  const { fetch, calls } = heldFetch();
  const script = element('script');
  script.dataset = { counter: 'c', chart: 'true' };
  script.src = 'http://counter.example/widget.js';
  const site = element('div');
  site.append(script);
  let handlers = null;
  const open = (endpoint, counter, h) => {
    handlers = h;
    return { send: () => false, state: () => 'live' };
  };
  const ctx = context({ fetch, __open: open });
  ctx.document.currentScript = script;
  vm.runInContext(`(() => {\n${source('public/assets/client.js')}\nLiveCounterClient.open = globalThis.__open;\n`
    + `${source('widget/widget.js')}\n})();`, ctx);
  const host = site.children.find((c) => c.tagName === 'LIVE-COUNTER');
  return {
    calls,
    frame: (visits) => handlers.count({ type: 'count', counter: 'c', visits, online: 1, value: 0 }),
    load: () => handlers.live(),
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
  test(`${name}: each visit is in the chart once, whether its frame comes before, during or after the read`, async () => {
    for (const order of orders()) {
      const chart = open();
      chart.frame(1); // the page's own visit: its first frame, then the read (app.js and widget.js read on live)
      chart.load();
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

  test(`${name}: a read again (a reconnect) counts from its own answer`, async () => {
    for (const read of [4, 5]) {
      for (const frameFirst of [true, false]) {
        const chart = open();
        chart.frame(1);
        chart.load();
        await settle();
        chart.calls[0].answer(hourOfMinutes(1));
        chart.frame(3);
        chart.frame(4);
        await settle();
        chart.load(); // the socket came back: read again
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

test('the rule: frames up to the answer are in it, beyond it only the part not counted yet', () => {
  const ctx = context({});
  vm.runInContext(source('public/assets/client.js'), ctx);
  const frameFirst = vm.runInContext('LiveCounterClient.chartVisits()', ctx);
  const answerFirst = vm.runInContext('LiveCounterClient.chartVisits()', ctx);

  frameFirst.read();
  assert.equal(frameFirst.frame(7), 0, 'before the answer a frame is held');
  assert.equal(frameFirst.frame(9), 0);
  assert.equal(frameFirst.answer(8), 1, 'the answer holds 8: of the held frames only the 9th visit is new');

  answerFirst.read();
  assert.equal(answerFirst.answer(8), 0);
  assert.equal(answerFirst.frame(7), 0, 'an older frame than the answer is in it');
  assert.equal(answerFirst.frame(8), 0, 'so is the frame of the moment it was read');
  assert.equal(answerFirst.frame(9), 1, 'same bars as the other order');

  for (const chart of [frameFirst, answerFirst]) {
    assert.equal(chart.frame(12), 3, 'beyond the last total counted');
    assert.equal(chart.frame(12), 0, 'a frame again adds nothing');
  }
  const never = vm.runInContext('LiveCounterClient.chartVisits()', ctx);
  assert.equal(never.frame(3), 0, 'without an answer there are no bars to add to');
});

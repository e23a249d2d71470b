// The visits chart's data (assets/visits.js), the one copy the page's chart and the widget's sparkline share: the
// merge of a history answer with the count frames around it, the window of buckets rolled by the clock, and the
// read-then-grow cycle over both. chart-visits.test.js plays the same race through the page and the widget.
// Run: node --test src/test/js (the Maven build runs it in broadcaster-service's test phase).
import test from 'node:test';
import assert from 'node:assert/strict';
import { hourOfMinutes, settle } from './browser.js';
import { bars, bucketStart, chartVisits, liveVisits, summary, visitBuckets } from '../../main/resources/public/assets/visits.js';

const MINUTE = 60000;
const T = Date.UTC(2026, 0, 2, 10, 30, 15); // 10:30:15 UTC

test('the rule: frames up to the answer are in it, beyond it only the part not counted yet', () => {
  const frameFirst = chartVisits();
  const answerFirst = chartVisits();

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
  const never = chartVisits();
  assert.equal(never.frame(3), 0, 'without an answer there are no bars to add to');
});

test('bucket starts in UTC, per resolution', () => {
  assert.equal(bucketStart('minute', T), Date.UTC(2026, 0, 2, 10, 30));
  assert.equal(bucketStart('hour', T), Date.UTC(2026, 0, 2, 10));
  assert.equal(bucketStart('day', T), Date.UTC(2026, 0, 2));
});

test('the window rolls forward: new empty buckets at the end, as many of the oldest dropped', () => {
  const series = visitBuckets();
  assert.equal(series.advance(T), false, 'no buckets yet: nothing to roll');
  assert.equal(series.add(3, T), false);
  series.set('minute', hourOfMinutes(2, T).buckets);
  assert.equal(series.buckets.length, 60);
  assert.equal(series.advance(T + 10000), false, 'still the same minute');

  assert.equal(series.advance(T + 2 * MINUTE), true);
  const rolled = series.buckets;
  assert.equal(rolled.length, 60, 'the window keeps its size');
  assert.equal(rolled[59].start, bucketStart('minute', T) + 2 * MINUTE);
  assert.deepEqual(rolled.slice(-3).map((b) => b.visits), [2, 0, 0], 'the old current minute moved back two');

  assert.equal(series.add(4, T + 3 * MINUTE + 1), true, 'a visit in a minute not opened yet opens it');
  assert.deepEqual(series.buckets.slice(-2).map((b) => b.visits), [0, 4]);
  assert.equal(series.add(0, T + 3 * MINUTE), false, 'nothing to add');
  series.buckets[59].visits = 99;
  assert.equal(series.buckets[59].visits, 4, 'a copy: the caller cannot change the window');
});

test('hours and days roll by their own unit', () => {
  const series = visitBuckets();
  const start = bucketStart('hour', T);
  series.set('hour', [{ start: new Date(start - 3600000).toISOString(), visits: 1 }, { start: new Date(start).toISOString(), visits: 2 }]);
  assert.equal(series.resolution, 'hour');
  assert.equal(series.advance(T + 3600000), true);
  assert.deepEqual(series.buckets.map((b) => [b.start - start, b.visits, b.uniqueVisitors]), [[0, 2, 0], [3600000, 0, 0]]);
});

/** A liveVisits on a read the test answers: reads[i](body) answers the i-th, fail(i) fails it. */
function held(now = () => T) {
  const reads = [];
  const shown = [];
  const failures = [];
  const chart = liveVisits({
    read: () => new Promise((resolve, reject) => { reads.push({ answer: resolve, fail: reject }); }),
    now,
    show: (buckets, resolution) => shown.push({ total: summary(buckets).total, resolution }),
    failed: (error) => failures.push(error.message),
  });
  return { chart, reads, shown, failures, total: () => (shown.length ? shown[shown.length - 1].total : null) };
}

test('each visit is counted once, whether its frame comes before, during or after the read', async () => {
  for (let read = 1; read <= 5; read++) {
    for (let before = 0; before <= 4; before++) {
      const c = held();
      c.chart.frame(1); // the page's own visit, then the read
      c.chart.load();
      const frames = [2, 3, 4, 5];
      for (const v of frames.slice(0, before)) c.chart.frame(v);
      c.reads[0].answer(hourOfMinutes(read, T));
      await settle();
      assert.equal(c.total(), Math.max(read, frames[before - 1] || 1), `read ${read}, ${before} frames before it`);
      for (const v of frames.slice(before)) c.chart.frame(v);
      assert.equal(c.total(), 5, `read ${read}, ${before} frames before it: every visit once`);
    }
  }
});

test('an answer that comes after a newer read began is dropped; so is its failure', async () => {
  const c = held();
  c.chart.load();
  c.chart.load(); // another range, or the socket came back
  c.reads[1].answer(hourOfMinutes(3, T));
  await settle();
  c.reads[0].answer(hourOfMinutes(9, T));
  await settle();
  assert.deepEqual(c.shown, [{ total: 3, resolution: 'minute' }]);

  c.chart.load();
  c.chart.load();
  c.reads[2].fail(new Error('old'));
  c.reads[3].fail(new Error('HTTP 503'));
  await settle();
  assert.deepEqual(c.failures, ['HTTP 503']);
});

test('frames before any answer add nothing, and the clock opens a new bucket only when a minute begins', async () => {
  let now = T;
  const c = held(() => now);
  c.chart.frame(4);
  c.chart.tick();
  assert.deepEqual(c.shown, [], 'nothing read: nothing drawn');
  c.chart.load();
  c.reads[0].answer(hourOfMinutes(4, T));
  await settle();
  assert.equal(c.shown.length, 1);
  c.chart.tick();
  assert.equal(c.shown.length, 1, 'same minute: nothing new to draw');
  now = T + MINUTE;
  c.chart.tick();
  assert.equal(c.shown.length, 2);
  assert.equal(c.total(), 4, 'the visits stay, a minute further back');
});

test('summary and bars: the total, the top bucket, the current one; bars scaled to the highest', () => {
  const buckets = [{ start: 1, visits: 2 }, { start: 2, visits: 0 }, { start: 3, visits: 8 }, { start: 4, visits: 1 }];
  assert.deepEqual(summary(buckets), { total: 11, top: { start: 3, visits: 8 }, current: 1 });
  assert.deepEqual(summary([]), { total: 0, top: { start: 0, visits: 0 }, current: 0 });
  assert.deepEqual(bars(buckets, 16, 1), [{ index: 0, height: 4 }, { index: 2, height: 16 }, { index: 3, height: 2 }]);
  assert.deepEqual(bars([{ visits: 1 }, { visits: 100 }], 96, 2), [{ index: 0, height: 2 }, { index: 1, height: 96 }],
    'a bar with visits is never too small to see');
  assert.deepEqual(bars([{ visits: 0 }], 16, 1), []);
});

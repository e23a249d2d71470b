// The client core's protocol (assets/client.js), against a scripted socket and mock timers: presses and their resend
// by id, when to reconnect and what to call the wait, which count frames reach the page, what an error means.
// Run: node --test src/test/js (the Maven build runs it in broadcaster-service's test phase).
import test from 'node:test';
import assert from 'node:assert/strict';
import { installBrowser, mockTimers, socketsOpenedBy } from './browser.js';
import { explain, nextRetry, open, VALID_ID } from '../../main/resources/public/assets/client.js';

/** A client of counter `home` on a scripted socket; what reached its handlers is recorded. */
function client(t, options = {}) {
  installBrowser();
  mockTimers(t);
  const seen = { states: [], counts: [], lives: 0, pending: [], errors: [] };
  let live;
  const sockets = socketsOpenedBy(() => {
    live = open(new URL('http://page.example/ws'), 'home', {
      state: (s) => seen.states.push(s),
      count: (frame) => seen.counts.push(frame.version),
      live: () => { seen.lives += 1; },
      pending: (frame) => seen.pending.push(frame.id),
      error: (frame) => seen.errors.push(frame.code),
    }, options);
  });
  return {
    live, seen, sockets,
    get socket() { return sockets[sockets.length - 1]; },
    /** Lets `ms` pass: timers due run (a retry may open a socket). */
    wait(ms) { sockets.push(...socketsOpenedBy(() => t.mock.timers.tick(ms))); },
    count(version, counter = 'home') {
      this.socket.deliver({ type: 'count', counter, visits: version, online: 1, value: 0, version });
    },
  };
}

function liveClient(t) {
  const c = client(t);
  c.socket.open();
  c.count(1);
  return c;
}

const presses = (socket) => socket.sent.filter((m) => m.action === 'plus' || m.action === 'minus');

test('a press goes out with an id of its own, and only while live', (t) => {
  const c = client(t);
  assert.equal(c.live.press('plus'), null, 'not live yet: nothing to press');
  c.socket.open();
  assert.equal(c.live.press('plus'), null, 'open is not live: the first count frame is');
  c.count(1);
  const id = c.live.press('plus');
  const other = c.live.press('minus');
  assert.match(id, VALID_ID);
  assert.notEqual(id, other);
  assert.deepEqual(presses(c.socket), [{ action: 'plus', id }, { action: 'minus', id: other }]);
});

test('a pending press is sent again with the same id after 3-6 s, and the page is told it is pending', (t) => {
  t.mock.method(Math, 'random', () => 0.5);
  const c = liveClient(t);
  const id = c.live.press('plus');
  c.socket.deliver({ type: 'pending', id, message: 'slow' });
  assert.deepEqual(c.seen.pending, [id]);
  c.wait(4499);
  assert.equal(presses(c.socket).length, 1, 'not before 3 s plus jitter');
  c.wait(1);
  assert.deepEqual(presses(c.socket), [{ action: 'plus', id }, { action: 'plus', id }], 'the same press, the same id');
  assert.deepEqual(c.seen.errors, [], 'pending is not a failure');
});

test('a press is sent at most four times in all, however often it is pending', (t) => {
  const c = liveClient(t);
  const id = c.live.press('minus');
  for (let i = 0; i < 6; i++) {
    c.socket.deliver({ type: 'pending', id });
    c.wait(6000);
  }
  assert.equal(presses(c.socket).length, 4);
  assert.equal(c.seen.pending.length, 6, 'each pending frame still reaches the page');
});

test('unavailable with a press id: sent again after 1-2 s and not shown; once it has been sent enough, shown', (t) => {
  t.mock.method(Math, 'random', () => 0);
  const c = liveClient(t);
  const id = c.live.press('plus');
  for (let i = 0; i < 3; i++) {
    c.socket.deliver({ type: 'error', code: 'unavailable', id });
    c.wait(999);
    assert.equal(presses(c.socket).length, 1 + i);
    c.wait(1);
    assert.equal(presses(c.socket).length, 2 + i);
  }
  assert.deepEqual(c.seen.errors, []);
  c.socket.deliver({ type: 'error', code: 'unavailable', id });
  assert.deepEqual(c.seen.errors, ['unavailable'], 'four sends: the reader is told it did not go through');

  c.socket.deliver({ type: 'error', code: 'unavailable', id: 'not-ours' });
  c.socket.deliver({ type: 'error', code: 'unavailable' });
  c.socket.deliver({ type: 'error', code: 'rate_limited', id });
  assert.deepEqual(c.seen.errors, ['unavailable', 'unavailable', 'unavailable', 'rate_limited'], 'no press to send again');
});

test('a press is forgotten after two minutes: a late pending frame sends nothing', (t) => {
  const c = liveClient(t);
  const id = c.live.press('plus');
  c.wait(120000);
  c.socket.deliver({ type: 'pending', id });
  c.wait(10000);
  assert.equal(presses(c.socket).length, 1);
});

test('a resend while the socket is away is not counted as sent, and not sent on the next socket', (t) => {
  const c = liveClient(t);
  const id = c.live.press('plus');
  c.socket.deliver({ type: 'pending', id });
  const first = c.socket;
  first.close(1006);
  c.wait(6000); // the resend finds no open socket; the retry opens a new one
  assert.equal(presses(first).length, 1);
  assert.notEqual(c.socket, first);
  c.socket.open();
  assert.deepEqual(presses(c.socket), []);
});

test('backoff: exponential with full jitter from 0.5 s, capped at 30 s', () => {
  const top = (failures, everLive = true) => nextRetry({ failures, everLive, code: 1006 }, () => 0.999999).delay;
  assert.ok(top(1) < 1000 && top(1) > 999, 'first retry within 1 s');
  assert.ok(top(2) < 2000 && top(2) > 1999);
  assert.ok(top(3) < 4000 && top(3) > 3999);
  assert.ok(top(7) < 30000 && top(7) > 29999, 'capped');
  assert.ok(top(40) <= 30000);
  assert.equal(top(0), top(1), 'a socket that was live and closed waits as one failure');
  assert.equal(nextRetry({ failures: 5, everLive: true, code: 1006 }, () => 0).delay, 0, 'full jitter: from 0');
});

test('backoff: a replica leaving (1001) or busy (1013) is left for another within 0.1-1 s, once', () => {
  for (const code of [1001, 1013]) {
    assert.equal(nextRetry({ failures: 0, everLive: true, code }, () => 0).delay, 100);
    assert.equal(nextRetry({ failures: 1, everLive: false, code }, () => 1).delay, 1000);
    assert.equal(nextRetry({ failures: 2, everLive: false, code }, () => 1).delay, 2000, 'again: the usual backoff');
  }
});

test('backoff: what the wait is called, and the slow retry of a client never live', () => {
  assert.equal(nextRetry({ failures: 0, everLive: true, code: 1006 }).state, 'reconnecting');
  assert.equal(nextRetry({ failures: 3, everLive: false, code: 1006 }).state, 'connecting');
  assert.equal(nextRetry({ failures: 4, everLive: false, code: 1006 }).state, 'offline', 'four failures, never live');
  assert.equal(nextRetry({ failures: 9, everLive: true, code: 1006 }).state, 'reconnecting', 'once live, never given up');
  assert.equal(nextRetry({ failures: 0, everLive: true, code: 1006, online: false }).state, 'offline');

  const given = (random) => nextRetry({ failures: 4, everLive: false, code: 1006, givenUpDelayMs: 300000 }, random).delay;
  assert.equal(given(() => 0), 150000);
  assert.equal(given(() => 1), 450000);
  assert.ok(nextRetry({ failures: 4, everLive: false, code: 1006 }, () => 1).delay <= 16000, 'without it the usual backoff');
});

test('a closed socket is opened again with the same visit: a reconnect is not a new visit', (t) => {
  t.mock.method(Math, 'random', () => 0.5);
  const c = liveClient(t);
  const url = c.socket.url;
  c.socket.close(1006);
  assert.equal(c.live.state(), 'reconnecting');
  c.wait(499);
  assert.equal(c.sockets.length, 1);
  c.wait(1);
  assert.equal(c.sockets.length, 2);
  assert.equal(c.socket.url, url);
  c.socket.open();
  c.count(2);
  assert.deepEqual(c.seen.states, ['connecting', 'live', 'reconnecting', 'live']);
  assert.equal(c.seen.lives, 2, 'live once per socket, after its first count: the page reads its chart again');
});

test('a server that never lets it in: connecting, then offline after four attempts, then slow retries', (t) => {
  t.mock.method(Math, 'random', () => 0.5);
  const c = client(t, { givenUpDelayMs: 300000 });
  for (let i = 0; i < 3; i++) {
    c.socket.close(1006);
    assert.equal(c.live.state(), 'connecting');
    c.wait(30000);
  }
  c.socket.close(1006);
  assert.equal(c.live.state(), 'offline');
  c.wait(299999);
  assert.equal(c.sockets.length, 4, 'given up: the next look only after minutes');
  c.wait(1);
  assert.equal(c.sockets.length, 5);
});

test('count frames reach the page only when newer than the one shown, across reconnects, and only its counter\'s', (t) => {
  const c = client(t);
  c.socket.open();
  c.count(5);
  c.count(4);
  c.count(5);
  c.count(7);
  c.count(9, 'other');
  c.socket.close(1001);
  c.wait(30000);
  c.socket.open();
  c.count(6); // a replica further behind: its snapshot is older than what is shown
  c.count(8);
  assert.deepEqual(c.seen.counts, [5, 7, 8]);
  assert.equal(c.live.state(), 'live', 'an old frame still says the socket is live');
});

test('frames that are not JSON objects are ignored', (t) => {
  const c = client(t);
  c.socket.open();
  c.socket.onmessage({ data: 'not json' });
  c.socket.onmessage({ data: '42' });
  c.socket.onmessage({ data: 'null' });
  assert.deepEqual(c.seen.counts, []);
  assert.equal(c.live.state(), 'connecting');
});

test('an error frame in a sentence: the page\'s note and the widget\'s message', () => {
  assert.match(explain({ code: 'counter_limit' }), /too many new counters/);
  assert.match(explain({ code: 'rate_limited' }), /Slow down/);
  assert.equal(explain({ code: 'bad_request' }), 'The server did not understand that (bad_request).');
  assert.equal(explain({ code: 'new_code', message: 'As the server says.' }), 'As the server says.');
  assert.equal(explain({ code: 'new_code' }), 'Something went wrong.');
});

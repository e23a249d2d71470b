// The streamed tables' subscriptions in the client core (assets/subscriptions.js, on client.js's socket), against a scripted socket: what a
// subscription's items are after snapshot pages, changes, gaps and resumes, which position it sends back as `after`
// when the socket comes back, and what it sends and tells its handlers. The server's side is played by the test.
// Run: node --test src/test/js (the Maven build runs it in broadcaster-service's test phase).
import test from 'node:test';
import assert from 'node:assert/strict';
import { installBrowser, mockTimers, socketsOpenedBy } from './browser.js';
import { open } from '../../main/resources/public/assets/client.js';
import { compareSeq, mergePositions } from '../../main/resources/public/assets/subscriptions.js';

const ORDERS = { table: 'orders', keyAttributes: ['customer', 'orderId'] };

/** The client core on a scripted socket, its retry timer run on demand: reconnect(). */
function client(t, counter = '', handlers = {}) {
  installBrowser();
  mockTimers(t);
  const states = [];
  let live;
  const sockets = socketsOpenedBy(() => {
    live = open(new URL('http://page.example/ws'), counter, { state: (s) => states.push(s), ...handlers });
  });
  return {
    live, states, sockets,
    get socket() { return sockets[sockets.length - 1]; },
    reconnect() { sockets.push(...socketsOpenedBy(() => t.mock.timers.tick(30000))); }, // the longest backoff
  };
}

/** A subscription whose handler calls are recorded. */
function subscribe(live, spec = ORDERS) {
  const calls = { items: [], errors: [], ends: [] };
  const handle = live.subscribe(spec, {
    onItems: (items, change) => calls.items.push({ items: new Map(items), change }),
    onError: (error) => calls.errors.push(error),
    onEnd: (reason) => calls.ends.push(reason),
  });
  return { handle, calls };
}

const order = (customer, orderId, fields = {}) => ({ customer, orderId, ...fields });
const keyOf = (customer, orderId) => JSON.stringify([customer, orderId]);
const statuses = (items) => Object.fromEntries([...items].map(([k, v]) => [k, v.status]));

function snapshot(sub, ref, items, done, position) {
  const frame = { type: 'snapshot', sub, ref, table: 'orders', items, done };
  if (position !== undefined) frame.position = position;
  return frame;
}

function changeFrame(sub, event, item, inView, position, old = null) {
  return {
    type: 'change', sub, table: 'orders', event, keys: { customer: item.customer, orderId: item.orderId },
    new: event === 'remove' ? null : item, old, position, in: inView,
  };
}

test('a socket without a counter is /ws?counter= with no visit, and live as soon as it opens', (t) => {
  const c = client(t, '');
  assert.equal(c.socket.url, 'ws://page.example/ws?counter=');
  c.socket.open();
  assert.equal(c.live.state(), 'live');
  assert.deepEqual(c.states, ['connecting', 'live']);

  const counted = client(t, 'home');
  assert.match(counted.socket.url, /^ws:\/\/page\.example\/ws\?counter=home&visit=[0-9a-f]{32}&visitor=[0-9a-f]{32}$/);
  counted.socket.open();
  assert.equal(counted.live.state(), 'connecting', 'a counted socket is live on its first count frame, as before');
});

test('subscribe sends the spec with a ref, not the client-side key names, once the socket is open', (t) => {
  const c = client(t, '');
  const { handle } = subscribe(c.live, {
    ...ORDERS, partition: { customer: 'c1' }, prefix: '2026-', filter: '#s = :s', names: { '#s': 'status' },
    values: { ':s': 'shipped' }, attributes: ['status', 'total'], token: 'jwt',
  });
  assert.equal(handle.state, 'pending');
  c.socket.open();
  assert.deepEqual(c.socket.sent, [{
    action: 'subscribe', ref: handle.ref, table: 'orders', partition: { customer: 'c1' }, prefix: '2026-',
    filter: '#s = :s', names: { '#s': 'status' }, values: { ':s': 'shipped' }, attributes: ['status', 'total'],
    token: 'jwt',
  }]);
  const one = subscribe(c.live, { table: 'orders', key: { customer: 'c1', orderId: 'o1' } });
  assert.deepEqual(c.socket.sent[1], { action: 'subscribe', ref: one.handle.ref, table: 'orders', key: { customer: 'c1', orderId: 'o1' } });
  assert.notEqual(one.handle.ref, handle.ref);
  assert.throws(() => c.live.subscribe({ table: 'orders' }), (e) => e.name === 'TypeError', 'no key names: items could not be keyed');
});

test('snapshot pages make the items once done, then changes keep them: in:false removes', (t) => {
  const c = client(t, '');
  c.socket.open();
  const { handle, calls } = subscribe(c.live);
  const ref = handle.ref;
  c.socket.deliver(snapshot('s1', ref, [order('c1', 'o1', { status: 'new' }), order('c1', 'o2', { status: 'new' })], false));
  assert.equal(calls.items.length, 0, 'half a snapshot is not shown');
  assert.equal(handle.sub, 's1');
  c.socket.deliver(snapshot('s1', ref, [order('c2', 'o1', { status: 'paid' })], true, '1.a'));
  assert.equal(calls.items.length, 1);
  assert.equal(calls.items[0].change.type, 'snapshot');
  assert.deepEqual(statuses(calls.items[0].items), { [keyOf('c1', 'o1')]: 'new', [keyOf('c1', 'o2')]: 'new', [keyOf('c2', 'o1')]: 'paid' });
  assert.equal(handle.state, 'live');

  c.socket.deliver(changeFrame('s1', 'modify', order('c1', 'o1', { status: 'shipped' }), true, '1.b'));
  c.socket.deliver(changeFrame('s1', 'insert', order('c3', 'o9', { status: 'new' }), true, '1.c'));
  c.socket.deliver(changeFrame('s1', 'remove', order('c1', 'o2'), false, '1.d', order('c1', 'o2', { status: 'new' })));
  c.socket.deliver(changeFrame('s1', 'modify', order('c2', 'o1', { status: 'cancelled' }), false, '1.e')); // left the filter
  assert.equal(calls.items.length, 5);
  assert.deepEqual(statuses(handle.items), { [keyOf('c1', 'o1')]: 'shipped', [keyOf('c3', 'o9')]: 'new' });
  const last = calls.items[4].change;
  assert.equal(last.type, 'change');
  assert.equal(last.key, keyOf('c2', 'o1'));
  assert.equal(last.in, false);
  assert.equal(calls.items[3].change.event, 'remove');
  assert.equal(handle.keyOf(order('c1', 'o1')), keyOf('c1', 'o1'));
  assert.equal(handle.position, '1.e');

  c.socket.deliver(changeFrame('other', 'insert', order('c4', 'o1', { status: 'new' }), true, '1.f'));
  assert.equal(calls.items.length, 5, 'another subscription\'s change is not ours');
});

test('changes that come while a snapshot is gathered are applied after it, in order', (t) => {
  const c = client(t, '');
  c.socket.open();
  const { handle, calls } = subscribe(c.live);
  c.socket.deliver(snapshot('s1', handle.ref, [order('c1', 'o1', { status: 'new' })], false));
  c.socket.deliver(changeFrame('s1', 'modify', order('c1', 'o1', { status: 'paid' }), true, '1.b'));
  c.socket.deliver(snapshot('s1', handle.ref, [], true, '1.a'));
  assert.equal(calls.items.length, 1);
  assert.deepEqual(statuses(handle.items), { [keyOf('c1', 'o1')]: 'paid' });
  assert.equal(handle.position, '1.b');
});

test('a gap, then the fresh snapshot, replaces the items whole', (t) => {
  const c = client(t, '');
  c.socket.open();
  const { handle, calls } = subscribe(c.live);
  c.socket.deliver(snapshot('s1', handle.ref, [order('c1', 'o1', { status: 'new' }), order('c1', 'o2', { status: 'new' })], true, '1.5'));
  c.socket.deliver({ type: 'gap', sub: 's1', table: 'orders', message: 'missed changes' });
  assert.equal(handle.items.size, 2, 'the old items stay on screen until the fresh snapshot is whole');
  c.socket.deliver(snapshot('s1', handle.ref, [order('c1', 'o2', { status: 'paid' })], false));
  c.socket.deliver(snapshot('s1', handle.ref, [order('c9', 'o1', { status: 'new' })], true, '1.3~2.1'));
  assert.deepEqual(statuses(handle.items), { [keyOf('c1', 'o2')]: 'paid', [keyOf('c9', 'o1')]: 'new' });
  const last = calls.items[calls.items.length - 1];
  assert.deepEqual((last.change), { type: 'snapshot', gap: true, position: '1.3~2.1' });
  assert.equal(handle.position, '1.3~2.1', 'the items are the fresh snapshot\'s: so is the position, even one behind');

  // the fresh snapshot may come without a ref: it is the sub's
  c.socket.deliver({ type: 'gap', sub: 's1', table: 'orders', message: 'again' });
  c.socket.deliver({ type: 'snapshot', sub: 's1', table: 'orders', items: [order('c5', 'o5', { status: 'x' })], done: true, position: '1.9' });
  assert.deepEqual(statuses(handle.items), { [keyOf('c5', 'o5')]: 'x' });
});

test('positions merge per shard: new shards are added, bigger base-36 seqs win, smaller ones do not', (t) => {
  const c = client(t, '');
  const merge = mergePositions;
  assert.equal(merge('a.10', 'b.5'), 'a.10~b.5');
  assert.equal(merge('a.10~b.5', 'a.z'), 'a.10~b.5', '"10" (36) is above "z" (35): longer wins');
  assert.equal(merge('a.z', 'a.10'), 'a.10');
  assert.equal(merge('a.0010', 'a.z'), 'a.0010', 'leading zeros do not count: 0010 is 36');
  assert.equal(merge('a.00z', 'a.10'), 'a.10');
  assert.equal(merge('a.b9', 'a.ba'), 'a.ba', 'same length: digit by digit, letters after digits');
  assert.equal(merge('a.ba', 'a.b9'), 'a.ba');
  const big = '1'.repeat(30);
  assert.equal(merge(`x.${big}`, `x.${big.slice(0, -1)}2`), `x.${big.slice(0, -1)}2`, 'seqs far past 2^53');
  assert.equal(merge('', 'a.1~junk~b.2'), 'a.1~b.2', 'parts that are not shard.seq are skipped');
  assert.equal(compareSeq('0', '00'), 0);

  c.socket.open();
  const { handle } = subscribe(c.live);
  c.socket.deliver(snapshot('s1', handle.ref, [], true, 'sh1.100~sh2.zz'));
  c.socket.deliver(changeFrame('s1', 'insert', order('c1', 'o1'), true, 'sh1.101'));
  c.socket.deliver(changeFrame('s1', 'insert', order('c1', 'o2'), true, 'sh2.100~sh3.1'));
  c.socket.deliver(changeFrame('s1', 'insert', order('c1', 'o3'), true, 'sh1.0ff'));
  assert.equal(handle.position, 'sh1.101~sh2.100~sh3.1');
});

test('after a reconnect every subscription is sent again with the merged position as after', (t) => {
  const c = client(t, '');
  c.socket.open();
  const a = subscribe(c.live);
  const b = subscribe(c.live, { ...ORDERS, partition: { customer: 'c2' } });
  c.socket.deliver(snapshot('sa', a.handle.ref, [order('c1', 'o1', { status: 'new' })], true, '1.a~2.5'));
  c.socket.deliver(changeFrame('sa', 'modify', order('c1', 'o1', { status: 'paid' }), true, '2.6'));
  c.socket.deliver(changeFrame('sa', 'insert', order('c1', 'o2', { status: 'new' }), true, '3.1'));
  c.socket.deliver(snapshot('sb', b.handle.ref, [order('c2', 'o1')], false)); // b's snapshot is cut off

  c.socket.close(1006);
  assert.equal(c.live.state(), 'reconnecting');
  c.reconnect();
  assert.equal(c.sockets.length, 2);
  c.socket.open();
  assert.deepEqual(c.socket.sent, [
    { action: 'subscribe', ref: a.handle.ref, table: 'orders', after: '1.a~2.6~3.1' },
    { action: 'subscribe', ref: b.handle.ref, table: 'orders', partition: { customer: 'c2' } },
  ], 'a resumes from what its items hold; b has no whole snapshot yet, so it asks for one');
  assert.equal(a.handle.state, 'pending');
  assert.deepEqual(statuses(a.handle.items), { [keyOf('c1', 'o1')]: 'paid', [keyOf('c1', 'o2')]: 'new' }, 'kept while away');

  c.socket.deliver(snapshot('sb', b.handle.ref, [order('c2', 'o7', { status: 'new' })], true, '1.b'));
  assert.deepEqual(statuses(b.handle.items), { [keyOf('c2', 'o7')]: 'new' }, 'the cut-off half was dropped');
});

test('resumed, then the missed changes, applied to the items kept', (t) => {
  const c = client(t, '');
  c.socket.open();
  const { handle, calls } = subscribe(c.live);
  c.socket.deliver(snapshot('s1', handle.ref, [order('c1', 'o1', { status: 'new' }), order('c1', 'o2', { status: 'new' })], true, '1.1'));
  c.socket.close(1001);
  c.reconnect();
  c.socket.open();
  assert.equal(c.socket.sent[0].after, '1.1');
  const shown = calls.items.length;
  c.socket.deliver({ type: 'resumed', sub: 's1', ref: handle.ref, table: 'orders', missed: 2 });
  assert.equal(handle.state, 'live');
  c.socket.deliver(changeFrame('s1', 'modify', order('c1', 'o1', { status: 'shipped' }), true, '1.2'));
  c.socket.deliver(changeFrame('s1', 'remove', order('c1', 'o2'), false, '1.3'));
  assert.equal(calls.items.length, shown + 2);
  assert.deepEqual(statuses(handle.items), { [keyOf('c1', 'o1')]: 'shipped' });
  assert.equal(handle.position, '1.3');
});

test('an error naming a subscribe\'s ref ends that subscription with onError; others go to the client\'s handler', (t) => {
  const other = [];
  const c = client(t, '', { error: (frame) => other.push(frame) });
  c.socket.open();
  const bad = subscribe(c.live, { ...ORDERS, table: 'nope' });
  const good = subscribe(c.live);
  const error = { type: 'error', code: 'unknown_table', ref: bad.handle.ref, message: 'no such table' };
  c.socket.deliver(error);
  assert.deepEqual((bad.calls.errors), [error]);
  assert.equal(bad.handle.state, 'ended');
  assert.equal(good.handle.state, 'pending');
  assert.deepEqual(other, [], 'the subscription\'s error is not the socket\'s');

  c.socket.deliver({ type: 'error', code: 'bad_request', message: 'what?' });
  assert.equal(other.length, 1);

  c.socket.close(1006);
  c.reconnect();
  c.socket.open();
  assert.deepEqual(c.socket.sent.map((m) => m.ref), [good.handle.ref], 'an ended subscription is not sent again');
});

test('unsubscribe sends the message by the server\'s sub, and nothing more reaches the handlers', (t) => {
  const c = client(t, '');
  c.socket.open();
  const { handle, calls } = subscribe(c.live);
  c.socket.deliver(snapshot('s1', handle.ref, [order('c1', 'o1')], true, '1.1'));
  handle.unsubscribe();
  assert.deepEqual(c.socket.sent[c.socket.sent.length - 1], { action: 'unsubscribe', sub: 's1' });
  assert.equal(handle.state, 'ended');
  const shown = calls.items.length;
  c.socket.deliver(changeFrame('s1', 'insert', order('c1', 'o2'), true, '1.2'));
  c.socket.deliver({ type: 'unsubscribed', sub: 's1', reason: 'unsubscribed' });
  assert.equal(calls.items.length, shown);
  assert.deepEqual(calls.ends, [], 'the caller ended it: no onEnd');
  handle.unsubscribe();
  assert.equal(c.socket.sent.filter((m) => m.action === 'unsubscribe').length, 1, 'once');

  c.socket.close(1006);
  c.reconnect();
  c.socket.open();
  assert.deepEqual(c.socket.sent, [], 'not subscribed again');
});

test('unsubscribe before the answer: the answer\'s sub is unsubscribed when it comes', (t) => {
  const c = client(t, '');
  c.socket.open();
  const { handle, calls } = subscribe(c.live);
  handle.unsubscribe();
  assert.equal(c.socket.sent.length, 1, 'only the subscribe so far: its sub is not known yet');
  c.socket.deliver(snapshot('s1', handle.ref, [order('c1', 'o1')], false));
  assert.deepEqual(c.socket.sent[1], { action: 'unsubscribe', sub: 's1' });
  c.socket.deliver(snapshot('s1', handle.ref, [], true, '1.1'));
  assert.equal(calls.items.length, 0);
  assert.equal(c.socket.sent.length, 2);
});

test('the server ending a subscription (token_expired) calls onEnd with the reason', (t) => {
  const c = client(t, '');
  c.socket.open();
  const { handle, calls } = subscribe(c.live, { ...ORDERS, token: 't' });
  c.socket.deliver(snapshot('s1', handle.ref, [], true, '1.1'));
  c.socket.deliver({ type: 'unsubscribed', sub: 's1', reason: 'token_expired' });
  assert.deepEqual(calls.ends, ['token_expired']);
  assert.equal(handle.state, 'ended');
  c.socket.close(1006);
  c.reconnect();
  c.socket.open();
  assert.deepEqual(c.socket.sent, []);
});

test('a counted socket still counts as before, and may subscribe too', (t) => {
  const counts = [];
  const c = client(t, 'home', { count: (frame) => counts.push(frame.version) });
  const { handle } = subscribe(c.live);
  c.socket.open();
  assert.equal(c.socket.sent[0].action, 'subscribe');
  c.socket.deliver({ type: 'count', counter: 'home', visits: 1, online: 1, value: 0, version: 5 });
  c.socket.deliver({ type: 'count', counter: 'home', visits: 1, online: 1, value: 0, version: 4 });
  c.socket.deliver(snapshot('s1', handle.ref, [order('c1', 'o1')], true, '1.1'));
  assert.deepEqual(counts, [5]);
  assert.equal(c.live.state(), 'live');
  assert.equal(handle.items.size, 1);
});

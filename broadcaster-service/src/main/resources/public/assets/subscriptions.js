// Live Counter client core, its streamed-table half: the subscriptions of one socket (each one's items kept from its
// snapshot, change and gap frames, resumed after a reconnect from the position its items reflect) and the stream
// positions they send back. client.js owns the socket and hands this the frames; rendering is the caller's.
// Protocol: README.md ("Any table, live").

/**
 * Stream positions, `<shard>.<seq>~<shard>.<seq>` (shard and seq in base 36, lower case): opaque to the reader, but
 * a client resuming must send back, per shard, the newest it holds. Seqs are numbers past 2^53, so they are compared
 * as strings: without leading zeros the longer is bigger, and equal lengths compare digit by digit ('0'-'9' sort
 * before 'a'-'z', as base 36 does).
 */
export function compareSeq(a, b) {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : (x > y ? 1 : 0);
}

/** shard -> seq of a position; parts that are not `<shard>.<seq>` are skipped, not fatal (the string is opaque). */
function parsePosition(position) {
  const shards = new Map();
  if (typeof position !== 'string') return shards;
  for (const part of position.split('~')) {
    const m = /^([0-9a-z]+)\.([0-9a-z]+)$/.exec(part);
    if (m) mergeSeq(shards, m[1], m[2]);
  }
  return shards;
}

function mergeSeq(shards, shard, seq) {
  const held = shards.get(shard);
  if (held === undefined || compareSeq(seq, held) > 0) shards.set(shard, seq);
}

/** The position string of shard -> seq, shards in order so the same vector is always the same string. */
function formatPosition(shards) {
  return [...shards.keys()].sort().map((shard) => `${shard}.${shards.get(shard)}`).join('~');
}

/** Per shard the newest of both positions: what a reader that received both holds. */
export function mergePositions(a, b) {
  const shards = parsePosition(a);
  for (const [shard, seq] of parsePosition(b)) mergeSeq(shards, shard, seq);
  return formatPosition(shards);
}

/**
 * The streamed-table subscriptions of one socket. send(message) -> whether it went out; opened() once per socket
 * (every live subscription is sent again: with `after`, the position its items reflect, once it has one); closed()
 * when the socket goes; frame(frame) -> whether the frame was a subscription's (then it is handled).
 *
 * A subscription's items are the snapshot's, then each change applied in order. A snapshot (the first, or the fresh
 * one after a gap or a resubscribe the server could not resume) is gathered page by page and replaces the items
 * whole when done, with the changes that came meanwhile applied after it; so the reader never sees half a table.
 * Its position is reset to the snapshot's then, not merged: it must say what the items hold, and a fresh snapshot
 * from a replica further behind holds less than the changes seen before it.
 */
export function tableSubscriptions(send) {
  const all = new Set();      // live subscriptions, in the order made
  const byRef = new Map();    // ref -> subscription: answers to subscribe
  const cancelled = new Set(); // refs unsubscribed before the server named their sub: unsubscribe on its answer
  let refs = 0;

  function keyOf(sub, source) {
    return JSON.stringify(sub.keyAttributes.map((name) => (source[name] === undefined ? null : source[name])));
  }

  function bySub(id) {
    return [...all].filter((sub) => sub.sub === id);
  }

  function subscribeMessage(sub) {
    const message = { action: 'subscribe', ref: sub.ref, ...sub.request };
    if (sub.position.size) message.after = formatPosition(sub.position);
    return message;
  }

  function end(sub) {
    all.delete(sub);
    byRef.delete(sub.ref);
    sub.loading = null;
  }

  function applyChange(sub, frame) {
    const key = keyOf(sub, frame.keys || frame.new || frame.old || {});
    const inView = typeof frame.in === 'boolean' ? frame.in : (frame.event !== 'remove' && frame.new != null);
    if (inView) sub.items.set(key, frame.new);
    else sub.items.delete(key);
    if (typeof frame.position === 'string') {
      for (const [shard, seq] of parsePosition(frame.position)) mergeSeq(sub.position, shard, seq);
    }
    return {
      type: 'change', key, event: frame.event, in: inView, keys: frame.keys,
      new: frame.new === undefined ? null : frame.new, old: frame.old === undefined ? null : frame.old,
      position: frame.position,
    };
  }

  function call(sub, name, ...args) {
    const handler = sub.handlers[name];
    if (typeof handler === 'function') handler(...args);
  }

  function snapshot(sub, frame) {
    if (!sub.loading) sub.loading = { items: new Map(), queued: [], gap: false };
    if (Array.isArray(frame.items)) {
      for (const item of frame.items) if (item && typeof item === 'object') sub.loading.items.set(keyOf(sub, item), item);
    }
    if (frame.done !== true) return;
    const { items, queued, gap } = sub.loading;
    sub.loading = null;
    sub.items.clear();
    for (const [key, item] of items) sub.items.set(key, item);
    sub.position = parsePosition(frame.position);
    for (const change of queued) applyChange(sub, change);
    sub.state = 'live';
    call(sub, 'onItems', sub.items, { type: 'snapshot', gap, position: formatPosition(sub.position) });
  }

  function onFrame(frame) {
    switch (frame.type) {
      case 'snapshot':
      case 'resumed': {
        // the answer to a subscribe names its ref; a snapshot after a gap may name only the sub
        const targets = new Set();
        if (byRef.has(frame.ref)) targets.add(byRef.get(frame.ref));
        else if (frame.ref === undefined) for (const sub of bySub(frame.sub)) targets.add(sub);
        if (!targets.size && cancelled.delete(frame.ref) && typeof frame.sub === 'string' && !bySub(frame.sub).length) {
          send({ action: 'unsubscribe', sub: frame.sub });
        }
        for (const sub of targets) {
          if (typeof frame.sub === 'string') sub.sub = frame.sub;
          if (frame.type === 'snapshot') snapshot(sub, frame);
          else sub.state = 'live'; // the missed changes follow as change frames
        }
        return true;
      }
      case 'change': {
        for (const sub of bySub(frame.sub)) {
          if (sub.loading) sub.loading.queued.push(frame);
          else call(sub, 'onItems', sub.items, applyChange(sub, frame));
        }
        return true;
      }
      case 'gap': {
        // the server lost some changes for us and sends a fresh snapshot itself: gather it, then replace the items
        for (const sub of bySub(frame.sub)) sub.loading = { items: new Map(), queued: [], gap: true };
        return true;
      }
      case 'unsubscribed': {
        for (const sub of bySub(frame.sub)) {
          end(sub);
          call(sub, 'onEnd', typeof frame.reason === 'string' ? frame.reason : 'unsubscribed');
        }
        return true;
      }
      case 'error': {
        const sub = frame.ref === undefined ? undefined : byRef.get(frame.ref);
        if (!sub) return cancelled.delete(frame.ref);
        end(sub);
        call(sub, 'onError', frame);
        return true;
      }
      default:
        return false;
    }
  }

  /**
   * spec: { table, key | partition (+ prefix), filter, names, values, attributes, token } as the server takes them,
   * and keyAttributes: the table's key attribute names, to key the items by (derived from `key` when it is given).
   * handlers: onItems(items, change), onError(errorFrame), onEnd(reason); each optional.
   */
  function subscribe(spec, handlers = {}) {
    if (!spec || typeof spec.table !== 'string' || !spec.table) throw new TypeError('subscribe: a table is needed');
    const keyAttributes = Array.isArray(spec.keyAttributes) ? spec.keyAttributes.slice()
      : (spec.key && typeof spec.key === 'object' ? Object.keys(spec.key) : null);
    if (!keyAttributes || !keyAttributes.length) {
      throw new TypeError('subscribe: keyAttributes (the table\'s key attribute names) are needed without a key');
    }
    const request = { table: spec.table };
    for (const field of ['key', 'partition', 'prefix', 'filter', 'names', 'values', 'attributes', 'token']) {
      if (spec[field] !== undefined && spec[field] !== null) request[field] = spec[field];
    }
    refs += 1;
    const sub = {
      ref: `r${refs}`, request, keyAttributes, handlers, sub: null, state: 'pending',
      items: new Map(), position: new Map(), loading: null,
    };
    all.add(sub);
    byRef.set(sub.ref, sub);
    send(subscribeMessage(sub)); // not open yet: opened() sends it

    return {
      get items() { return sub.items; },
      get sub() { return sub.sub; },
      get ref() { return sub.ref; },
      /** 'pending' until the first snapshot is whole, then 'live'; 'ended' after an error, the end or unsubscribe. */
      get state() { return all.has(sub) ? sub.state : 'ended'; },
      /** The position the items reflect ('' before the first snapshot): what a resubscribe sends as `after`. */
      get position() { return formatPosition(sub.position); },
      keyOf: (item) => keyOf(sub, item),
      unsubscribe() {
        if (!all.has(sub)) return;
        end(sub);
        if (sub.sub === null) cancelled.add(sub.ref);
        else if (!bySub(sub.sub).length) send({ action: 'unsubscribe', sub: sub.sub });
      },
    };
  }

  return {
    subscribe,
    frame: onFrame,
    opened() {
      for (const sub of all) {
        sub.state = 'pending';
        send(subscribeMessage(sub));
      }
    },
    closed() {
      cancelled.clear(); // a closed socket holds no subscriptions
      for (const sub of all) sub.loading = null; // half a snapshot is dropped; the resubscribe brings it again
    },
  };
}

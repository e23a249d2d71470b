// Live Counter client core: what the page (assets/app.js) and the widget for other sites share. It owns the
// socket: its URL with the visit and visitor ids, reconnects with exponential backoff and full jitter, parsing
// the frames and dropping those not newer than the one shown, and what an error frame means to a reader; and the
// streamed tables' subscriptions on that socket (subscribe(): each one's items kept from its snapshot, change and gap
// frames, resumed after a reconnect from the position its items reflect). Rendering is the caller's.
// Protocol: README.md ("The protocol"); streamed tables: their spec (issue 21).
//
// The page loads this file before app.js; the widget cannot make a foreign page load two scripts, so the
// broadcaster serves /widget.js as this file followed by widget/widget.js inside one closure (WidgetScript.java):
// one file, one request, nothing global left on the other site. Hence a top-level const, not a window property.
const LiveCounterClient = (() => {
  'use strict';

  const BASE_DELAY_MS = 500;       // first retry within 0.5-1 s, doubling each failure
  const MAX_DELAY_MS = 30000;      // cap of the exponential backoff
  const OFFLINE_AFTER = 4;         // failed attempts without ever being live before saying "offline"
  const SOON = new Set([1001, 1013]); // replica going away / try again later: another replica can take us
  /** The server's rule for counter names (CounterNames). */
  const VALID_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
  const VISITOR_KEY = 'live-counter-visitor';

  /** 32 random hex digits: visit ids, visitor ids, press ids. */
  function newId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes); // works on plain http too, unlike crypto.randomUUID
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /**
   * An anonymous random id this browser keeps in the embedding origin's localStorage (no cookie; the server stores
   * no address), so the server can count a visitor once per day and per bucket. Without storage (blocked, private
   * mode) there is none: the visit still counts, the visitor does not.
   */
  function visitorId() {
    try {
      let id = localStorage.getItem(VISITOR_KEY);
      if (!id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
        id = newId();
        localStorage.setItem(VISITOR_KEY, id);
      }
      return id;
    } catch {
      return null;
    }
  }

  /** What an error frame means to a reader, in a sentence: the page's note and the widget's message. */
  function explain(error) {
    switch (error.code) {
      case 'unavailable': return 'That press did not go through; please try again.';
      case 'counter_limit': return 'This counter does not exist yet, and too many new counters were made just now; it will try again shortly.';
      case 'rate_limited': return 'That was a lot of presses at once; some were not counted. Slow down a little.';
      case 'bad_request':
      case 'unknown_action':
      case 'unsupported_frame': return `The server did not understand that (${error.code}).`;
      default: return typeof error.message === 'string' ? error.message : 'Something went wrong.';
    }
  }

  /**
   * Which visits of count frames a chart still has to add to the bars it drew from a history answer. An answer's
   * `visits` is the counter's total its buckets hold (read in one snapshot with them), so a frame's visits up to it are
   * in the bars already, and one beyond adds only what lies beyond both it and every frame counted since. A frame
   * before the answer is held and counted when the answer comes, by the same rule: frame first or answer first, the
   * bars come out the same. The page's chart and the widget's sparkline both count this way.
   *
   * read(): a history read starts (frames from now on may be missing from its answer);
   * answer(total): its answer is drawn; frame(visits): a count frame came. Both return the visits to add now.
   */
  function chartVisits() {
    let counted = null;  // the total the bars hold; null before the first answer
    let newest = null;   // the newest frame's visits since the read started
    const beyond = (visits) => {
      if (counted === null || !(visits > counted)) return 0;
      const added = visits - counted;
      counted = visits;
      return added;
    };
    return {
      read() { newest = null; },
      answer(total) {
        counted = total;
        return newest === null ? 0 : beyond(newest);
      },
      frame(visits) {
        newest = newest === null ? visits : Math.max(newest, visits);
        return beyond(visits);
      },
    };
  }

  /**
   * Stream positions, `<shard>.<seq>~<shard>.<seq>` (shard and seq in base 36, lower case): opaque to the reader, but
   * a client resuming must send back, per shard, the newest it holds. Seqs are numbers past 2^53, so they are compared
   * as strings: without leading zeros the longer is bigger, and equal lengths compare digit by digit ('0'-'9' sort
   * before 'a'-'z', as base 36 does).
   */
  function compareSeq(a, b) {
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
  function mergePositions(a, b) {
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
  function tableSubscriptions(send) {
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

    function frame(frame) {
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
      frame,
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

  /**
   * Opens the counter's socket at `endpoint` (an http(s) URL of /ws; ws: or wss: is picked from its scheme) and
   * keeps it open. One visit id per call: a reconnect is not a new visit. counter '': a socket that counts nothing
   * (`/ws?counter=`, no visit or visitor id), only for table subscriptions; it is live as soon as it is open.
   *
   * handlers: state(next) with 'connecting' | 'live' | 'reconnecting' | 'offline'; count(frame) for each count
   * frame newer than any shown, across reconnects; live() once per socket after its first count (frames may have
   * been missed while away; on a socket without a counter, once it is open); pending(frame) and error(frame) (those
   * not about a table subscription) as they come. Each is optional.
   * options.givenUpDelayMs: once offline without ever having been live, retry only this slowly (the widget, on a
   * site a server refuses); without it the usual backoff goes on. options.retryWhenVisible: reconnect at once when
   * the tab comes back into view.
   *
   * Returns { send(message) -> whether it went out, state(), subscribe(spec, handlers) -> handle }: see
   * tableSubscriptions; its subscriptions are sent again on every socket this client opens.
   */
  function open(endpoint, counter, handlers, options = {}) {
    const counted = counter !== '';
    const scheme = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
    let url = `${scheme}//${endpoint.host}${endpoint.pathname}?counter=${encodeURIComponent(counter)}`;
    if (counted) {
      const visitor = visitorId();
      url += `&visit=${newId()}` + (visitor ? `&visitor=${visitor}` : '');
    }

    let socket = null;
    let state = '';
    let shownVersion = -1;  // frames not above this are dropped, across reconnects too
    let failures = 0;       // consecutive attempts that did not get live
    let everLive = false;
    let retryTimer = 0;
    const tables = tableSubscriptions(send);

    function setState(next) {
      if (next === state) return;
      state = next;
      if (handlers.state) handlers.state(next);
    }

    function send(message) {
      if (!socket || socket.readyState !== WebSocket.OPEN) return false;
      socket.send(JSON.stringify(message));
      return true;
    }

    function connect() {
      clearTimeout(retryTimer);
      if (socket) return;
      if (!state) setState('connecting');
      let ws;
      try {
        ws = new WebSocket(url);
      } catch {
        failures = OFFLINE_AFTER; // an address this browser will not open: nothing to retry
        setState('offline');
        return;
      }
      let gotLive = false;
      socket = ws;

      function becameLive() {
        gotLive = true;
        everLive = true;
        failures = 0;
        setState('live');
      }

      ws.onopen = () => {
        if (socket !== ws) return;
        tables.opened();
        if (!counted) {   // no count frame will come: open is live
          becameLive();
          if (handlers.live) handlers.live();
        }
      };

      ws.onmessage = (event) => {
        let frame;
        try { frame = JSON.parse(event.data); } catch { return; }
        if (!frame || typeof frame !== 'object') return;
        if (frame.type === 'count') {
          const first = !gotLive;
          if (first) becameLive(); // the snapshot arrives at once on open: now the numbers are current
          if (frame.counter === counter && frame.version > shownVersion) { // else stale or not ours
            shownVersion = frame.version;
            if (handlers.count) handlers.count(frame);
          }
          if (first && handlers.live) handlers.live();
        } else if (frame.type === 'pending') {
          if (handlers.pending) handlers.pending(frame);
        } else if (tables.frame(frame)) {
          // a table subscription's: handled there (an error naming a subscribe's ref too)
        } else if (frame.type === 'error') {
          if (handlers.error) handlers.error(frame);
        }
      };

      ws.onclose = (event) => {
        if (socket !== ws) return;
        socket = null;
        tables.closed();
        if (!gotLive) failures += 1;
        scheduleRetry(event.code);
      };
    }

    function scheduleRetry(code) {
      const givenUp = !everLive && failures >= OFFLINE_AFTER;
      let delay;
      if (givenUp && options.givenUpDelayMs) {
        // refused (an origin not on the allowed list gets HTTP 403, seen here only as a failed socket) or the
        // server is down: only look again now and then, not in a fast loop against a refusing server
        delay = options.givenUpDelayMs * (0.5 + Math.random());
      } else if (SOON.has(code) && failures <= 1) {
        delay = 100 + Math.random() * 900;  // our replica left or is busy: the next one will do
      } else {
        // exponential backoff with full jitter: anywhere in [0, min(cap, base * 2^n))
        delay = Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(failures, 1));
      }
      setState(givenUp || !navigator.onLine ? 'offline' : (everLive ? 'reconnecting' : 'connecting'));
      retryTimer = setTimeout(connect, delay);
    }

    function retryNowIfWaiting() {
      if (!socket && document.visibilityState === 'visible' && navigator.onLine) connect();
    }

    window.addEventListener('online', retryNowIfWaiting);
    window.addEventListener('offline', () => { if (!socket) setState('offline'); });
    if (options.retryWhenVisible) document.addEventListener('visibilitychange', retryNowIfWaiting);
    connect();

    return { send, state: () => state, subscribe: tables.subscribe };
  }

  return { open, explain, newId, chartVisits, mergePositions, compareSeq, VALID_NAME };
})();

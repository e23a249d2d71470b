// Live Counter client core: what the page (app.js, tables.js) and the widget for other sites share. It owns the
// socket: its URL with the visit and visitor ids, reconnects with exponential backoff and full jitter, parsing the
// frames and dropping those not newer than the one shown, presses (each sent again with its id while the server
// could not confirm it), and what an error frame means to a reader; the streamed tables' subscriptions on that
// socket are subscriptions.js's. Rendering is the caller's. Protocol: README.md ("The protocol", "Any table, live").
//
// An ES module the page imports; the widget cannot make a foreign page load modules, so the broadcaster serves
// /widget.js as this module, its imports and widget/widget.js in one classic script (WidgetScript.java).
import { tableSubscriptions } from './subscriptions.js';

const BASE_DELAY_MS = 500;       // first retry within 0.5-1 s, doubling each failure
const MAX_DELAY_MS = 30000;      // cap of the exponential backoff
const OFFLINE_AFTER = 4;         // failed attempts without ever being live before saying "offline"
const SOON = new Set([1001, 1013]); // replica going away / try again later: another replica can take us
const PRESS_SENDS = 4;           // a press not confirmed is sent again with its id, at most this often in all
const PRESS_MEMORY_MS = 120000;  // how long a press id is kept for such a resend
const RESEND_PENDING_MS = 3000;  // after a `pending` frame: the server is slow, give it time (3-6 s)
const RESEND_UNAVAILABLE_MS = 1000; // after `unavailable`: it surely was not applied, try again soon (1-2 s)
const VISITOR_KEY = 'live-counter-visitor';

/** The server's rule for counter names (CounterNames). */
export const VALID_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** The server's rule for ids (common's Ids; IdRuleTest holds this copy to it). */
export const VALID_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** 32 random hex digits: visit ids, visitor ids, press ids. */
export function newId() {
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
    if (!id || !VALID_ID.test(id)) {
      id = newId();
      localStorage.setItem(VISITOR_KEY, id);
    }
    return id;
  } catch {
    return null;
  }
}

/** What an error frame means to a reader, in a sentence: the page's note and the widget's message. */
export function explain(error) {
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
 * When to try again after a socket closed, and what to call the wait: { delay (ms), state }.
 * failures: consecutive attempts that did not get live (this one included); everLive: this client was live once;
 * code: the close code; online: navigator.onLine; givenUpDelayMs: see open(); random: Math.random or a test's.
 */
export function nextRetry({ failures, everLive, code, online = true, givenUpDelayMs = 0 }, random = Math.random) {
  const givenUp = !everLive && failures >= OFFLINE_AFTER;
  let delay;
  if (givenUp && givenUpDelayMs) {
    // refused (an origin not on the allowed list gets HTTP 403, seen here only as a failed socket) or the
    // server is down: only look again now and then, not in a fast loop against a refusing server
    delay = givenUpDelayMs * (0.5 + random());
  } else if (SOON.has(code) && failures <= 1) {
    delay = 100 + random() * 900;  // our replica left or is busy: the next one will do
  } else {
    // exponential backoff with full jitter: anywhere in [0, min(cap, base * 2^n))
    delay = random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(failures, 1));
  }
  return { delay, state: givenUp || !online ? 'offline' : (everLive ? 'reconnecting' : 'connecting') };
}

/**
 * Presses sent on one client, each with an id of its own that it keeps when it is sent again: the server applies an
 * id once however often it arrives, so a press the server could not confirm (a `pending` frame: it may still count)
 * or surely did not apply (`unavailable`) is sent again, a few times at most, and never counts twice.
 */
function pressSender(send) {
  const presses = new Map(); // press id -> { action, sends }

  function sendPress(id) {
    const entry = presses.get(id);
    if (entry && send({ action: entry.action, id })) entry.sends += 1;
  }

  /** Whether the press `id` will be sent again, after base to twice base ms. */
  function resend(id, baseMs) {
    const entry = typeof id === 'string' ? presses.get(id) : undefined;
    if (!entry || entry.sends >= PRESS_SENDS) return false;
    setTimeout(() => sendPress(id), baseMs + Math.random() * baseMs);
    return true;
  }

  return {
    press(action) {
      const id = newId();
      presses.set(id, { action, sends: 0 });
      setTimeout(() => presses.delete(id), PRESS_MEMORY_MS);
      sendPress(id);
      return id;
    },
    pending: (frame) => resend(frame.id, RESEND_PENDING_MS),
    unavailable: (frame) => frame.code === 'unavailable' && resend(frame.id, RESEND_UNAVAILABLE_MS),
  };
}

/**
 * Opens the counter's socket at `endpoint` (an http(s) URL of /ws; ws: or wss: is picked from its scheme) and
 * keeps it open. One visit id per call: a reconnect is not a new visit. counter '': a socket that counts nothing
 * (`/ws?counter=`, no visit or visitor id), only for table subscriptions; it is live as soon as it is open.
 *
 * handlers: state(next) with 'connecting' | 'live' | 'reconnecting' | 'offline'; count(frame) for each count
 * frame newer than any shown, across reconnects; live() once per socket after its first count (frames may have
 * been missed while away; on a socket without a counter, once it is open); pending(frame) when a press is not
 * confirmed yet (it is sent again by itself: not a failure); error(frame) for the error frames left to the
 * reader (not a table subscription's, not an `unavailable` press about to be sent again). Each is optional.
 * options.givenUpDelayMs: once offline without ever having been live, retry only this slowly (the widget, on a
 * site a server refuses); without it the usual backoff goes on. options.retryWhenVisible: reconnect at once when
 * the tab comes back into view.
 *
 * Returns { press(action) -> its id, or null when not live; send(message) -> whether it went out; state();
 * subscribe(spec, handlers) -> handle }: see subscriptions.js; its subscriptions are sent again on every socket.
 */
export function open(endpoint, counter, handlers, options = {}) {
  const counted = counter !== '';
  const scheme = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
  let url = `${scheme}//${endpoint.host}${endpoint.pathname}?counter=${encodeURIComponent(counter)}`;
  if (counted) {
    const visitor = visitorId();
    url += `&visit=${newId()}${visitor ? `&visitor=${visitor}` : ''}`;
  }

  let socket = null;
  let state = '';
  let shownVersion = -1;  // frames not above this are dropped, across reconnects too
  let failures = 0;       // consecutive attempts that did not get live
  let everLive = false;
  let retryTimer = 0;
  const tables = tableSubscriptions(send);
  const presses = pressSender(send);

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
        // the server could not confirm the press in time; it may still count: the same id again counts once
        presses.pending(frame);
        if (handlers.pending) handlers.pending(frame);
      } else if (tables.frame(frame)) {
        // a table subscription's: handled there (an error naming a subscribe's ref too)
      } else if (frame.type === 'error') {
        if (!presses.unavailable(frame) && handlers.error) handlers.error(frame);
      }
    };

    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      tables.closed();
      if (!gotLive) failures += 1;
      const retry = nextRetry({
        failures, everLive, code: event.code, online: navigator.onLine, givenUpDelayMs: options.givenUpDelayMs,
      });
      setState(retry.state);
      retryTimer = setTimeout(connect, retry.delay);
    };
  }

  function retryNowIfWaiting() {
    if (!socket && document.visibilityState === 'visible' && navigator.onLine) connect();
  }

  window.addEventListener('online', retryNowIfWaiting);
  window.addEventListener('offline', () => { if (!socket) setState('offline'); });
  if (options.retryWhenVisible) document.addEventListener('visibilitychange', retryNowIfWaiting);
  connect();

  return {
    press: (action) => (state === 'live' ? presses.press(action) : null),
    send,
    state: () => state,
    subscribe: tables.subscribe,
  };
}

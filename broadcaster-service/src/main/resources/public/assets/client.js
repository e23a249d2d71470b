// Live Counter client core: what the page (assets/app.js) and the widget for other sites share. It owns the
// socket: its URL with the visit and visitor ids, reconnects with exponential backoff and full jitter, parsing
// the frames and dropping those not newer than the one shown, and what an error frame means to a reader.
// Rendering is the caller's. Protocol: README.md ("The protocol").
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
   * Opens the counter's socket at `endpoint` (an http(s) URL of /ws; ws: or wss: is picked from its scheme) and
   * keeps it open. One visit id per call: a reconnect is not a new visit.
   *
   * handlers: state(next) with 'connecting' | 'live' | 'reconnecting' | 'offline'; count(frame) for each count
   * frame newer than any shown, across reconnects; live() once per socket after its first count (frames may have
   * been missed while away); pending(frame) and error(frame) as they come.
   * options.givenUpDelayMs: once offline without ever having been live, retry only this slowly (the widget, on a
   * site a server refuses); without it the usual backoff goes on. options.retryWhenVisible: reconnect at once when
   * the tab comes back into view.
   *
   * Returns { send(message) -> whether it went out, state() }.
   */
  function open(endpoint, counter, handlers, options = {}) {
    const visitor = visitorId();
    const scheme = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${scheme}//${endpoint.host}${endpoint.pathname}?counter=${encodeURIComponent(counter)}`
      + `&visit=${newId()}` + (visitor ? `&visitor=${visitor}` : '');

    let socket = null;
    let state = '';
    let shownVersion = -1;  // frames not above this are dropped, across reconnects too
    let failures = 0;       // consecutive attempts that did not get live
    let everLive = false;
    let retryTimer = 0;

    function setState(next) {
      if (next === state) return;
      state = next;
      handlers.state(next);
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

      ws.onmessage = (event) => {
        let frame;
        try { frame = JSON.parse(event.data); } catch { return; }
        if (!frame || typeof frame !== 'object') return;
        if (frame.type === 'count') {
          const first = !gotLive;
          if (first) {      // the snapshot arrives at once on open: now the numbers are current
            gotLive = true;
            everLive = true;
            failures = 0;
            setState('live');
          }
          if (frame.counter === counter && frame.version > shownVersion) { // else stale or not ours
            shownVersion = frame.version;
            handlers.count(frame);
          }
          if (first && handlers.live) handlers.live();
        } else if (frame.type === 'pending') {
          if (handlers.pending) handlers.pending(frame);
        } else if (frame.type === 'error') {
          handlers.error(frame);
        }
      };

      ws.onclose = (event) => {
        if (socket !== ws) return;
        socket = null;
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

    return {
      send(message) {
        if (!socket || socket.readyState !== WebSocket.OPEN) return false;
        socket.send(JSON.stringify(message));
        return true;
      },
      state: () => state,
    };
  }

  return { open, explain, newId, chartVisits, VALID_NAME };
})();

// Live Counter page: one WebSocket to this page's own origin, rendered with textContent only.
// Protocol: README.md ("The protocol"). Widget for other sites: widget.js.
(() => {
  'use strict';

  const BASE_DELAY_MS = 500;       // first retry within 0.5-1 s, doubling each failure
  const MAX_DELAY_MS = 30000;      // cap of the exponential backoff
  const OFFLINE_AFTER = 4;         // failed attempts without ever being live before saying "offline"
  const NOTE_MS = 4000;            // how long a server error stays in the status line
  const SOON = new Set([1001, 1013]); // replica going away / try again later: another replica can take us
  const VALID_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/; // the server's rule (CounterNames)
  const PRESS_SENDS = 4;           // a press not confirmed is sent again with its id, at most this often in all
  const PRESS_MEMORY_MS = 120000;  // how long a press id is kept for such a resend

  const params = new URLSearchParams(location.search);
  const counter = params.get('counter') || 'home';
  const visit = newVisitId();      // once per page load: a reconnect is not a new visit
  const visitor = visitorId();     // once per browser (localStorage): a visitor counts once a day and per bucket
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${location.host}/ws?counter=${encodeURIComponent(counter)}&visit=${visit}`
    + (visitor ? `&visitor=${visitor}` : '');

  const $ = (id) => document.getElementById(id);
  const ui = {
    state: $('state'), visits: $('visits'), online: $('online'), value: $('value'), uniqueToday: $('unique-today'),
    plus: $('plus'), minus: $('minus'), note: $('note'),
  };
  const format = new Intl.NumberFormat();

  let socket = null;
  let state = '';
  let shownVersion = -1;  // frames not above this are dropped, across reconnects too
  let failures = 0;       // consecutive attempts that did not get live
  let everLive = false;
  let retryTimer = 0;
  let noteTimer = 0;
  const presses = new Map(); // press id -> { action, sends }: recent presses, so one can be sent again by its id

  function newId() {
    return newVisitId();
  }

  /**
   * An anonymous random id this browser keeps in localStorage (no cookie; the server stores no address), so the
   * server can count a visitor once per day and per bucket. Without storage (blocked, private mode) there is none:
   * the visit still counts, the visitor does not.
   */
  function visitorId() {
    const KEY = 'live-counter-visitor';
    try {
      let id = localStorage.getItem(KEY);
      if (!id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
        id = newVisitId();
        localStorage.setItem(KEY, id);
      }
      return id;
    } catch {
      return null;
    }
  }

  function newVisitId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes); // works on plain http too, unlike crypto.randomUUID
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function setState(next) {
    if (next === state) return;
    state = next;
    ui.state.dataset.state = next;
    ui.state.textContent = next;
    document.body.dataset.state = next;
    const live = next === 'live';
    ui.plus.disabled = !live;
    ui.minus.disabled = !live;
  }

  function render(frame) {
    if (frame.counter !== counter || !(frame.version > shownVersion)) return; // stale or not ours
    shownVersion = frame.version;
    ui.visits.textContent = format.format(frame.visits);
    ui.online.textContent = format.format(frame.online);
    ui.value.textContent = format.format(frame.value);
    if (typeof frame.uniqueToday === 'number') ui.uniqueToday.textContent = format.format(frame.uniqueToday);
    visitsChart.frame(frame);
  }

  function showNote(text) {
    ui.note.textContent = text;
    ui.note.hidden = false;
    clearTimeout(noteTimer);
    noteTimer = setTimeout(() => { ui.note.hidden = true; ui.note.textContent = ''; }, NOTE_MS);
  }

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

  function connect() {
    clearTimeout(retryTimer);
    if (socket) return;
    if (!state) setState('connecting');
    const ws = new WebSocket(url);
    let gotLive = false;
    socket = ws;

    ws.onmessage = (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch { return; }
      if (!frame || typeof frame !== 'object') return;
      if (frame.type === 'count') {
        const first = !gotLive;
        if (!gotLive) {      // the snapshot arrives at once on open: now the numbers are current
          gotLive = true;
          everLive = true;
          failures = 0;
          setState('live');
        }
        render(frame);
        // our own visit is counted before the first frame: the history read after it holds it; after a
        // reconnect frames may have been missed, so the chart is read again
        if (first) visitsChart.load();
      } else if (frame.type === 'pending') {
        // the server could not confirm the press in time; it may still count: send the same id again, which
        // counts once either way, rather than saying it failed
        showNote('That press is taking a while; it will count once.');
        resendPress(frame.id, 3000);
      } else if (frame.type === 'error') {
        if (frame.code === 'unavailable' && resendPress(frame.id, 1000)) return;
        showNote(explain(frame));
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
    let delay;
    if (SOON.has(code) && failures <= 1) {
      delay = 100 + Math.random() * 900;  // our replica left or is busy: the next one will do
    } else {
      // exponential backoff with full jitter: anywhere in [0, min(cap, base * 2^n))
      delay = Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(failures, 1));
    }
    if (!navigator.onLine || (!everLive && failures >= OFFLINE_AFTER)) {
      setState('offline');
    } else {
      setState(everLive ? 'reconnecting' : 'connecting');
    }
    retryTimer = setTimeout(connect, delay);
  }

  function press(action) {
    if (state === 'live' && socket && socket.readyState === WebSocket.OPEN) {
      const id = newId();
      presses.set(id, { action, sends: 0 });
      setTimeout(() => presses.delete(id), PRESS_MEMORY_MS);
      sendPress(id);
    }
  }

  function sendPress(id) {
    const entry = presses.get(id);
    if (!entry || !socket || socket.readyState !== WebSocket.OPEN) return;
    entry.sends += 1;
    socket.send(JSON.stringify({ action: entry.action, id }));
  }

  // true when the press will be sent again (with its id, so it never counts twice)
  function resendPress(id, baseMs) {
    const entry = typeof id === 'string' ? presses.get(id) : undefined;
    if (!entry || entry.sends >= PRESS_SENDS) return false;
    setTimeout(() => sendPress(id), baseMs + Math.random() * baseMs);
    return true;
  }

  function retryNowIfWaiting() {
    if (!socket && document.visibilityState === 'visible' && navigator.onLine) connect();
  }

  ui.plus.addEventListener('click', () => press('plus'));
  ui.minus.addEventListener('click', () => press('minus'));
  window.addEventListener('online', retryNowIfWaiting);
  window.addEventListener('offline', () => { if (!socket) setState('offline'); });
  document.addEventListener('visibilitychange', retryNowIfWaiting);

  const visitsChart = window.LiveCounterHistory.attach(counter);

  $('counter-name').textContent = counter;
  $('snippet').textContent = `<script src="${location.origin}/widget.js" data-counter="${counter}" async></script>`;
  if (VALID_NAME.test(counter)) {
    connect();
  } else {
    setState('offline');
    ui.note.textContent = 'Counter names are 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit.';
    ui.note.hidden = false;
  }
})();

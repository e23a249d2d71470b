// Live Counter page: one WebSocket to this page's own origin (client.js keeps it), rendered with textContent only.
// Protocol: README.md ("The protocol"). Widget for other sites: widget.js, on the same core.
(() => {
  'use strict';

  const NOTE_MS = 4000;            // how long a server error stays in the status line
  const PRESS_SENDS = 4;           // a press not confirmed is sent again with its id, at most this often in all
  const PRESS_MEMORY_MS = 120000;  // how long a press id is kept for such a resend

  const params = new URLSearchParams(location.search);
  const counter = params.get('counter') || 'home';

  const $ = (id) => document.getElementById(id);
  const ui = {
    state: $('state'), visits: $('visits'), online: $('online'), value: $('value'), uniqueToday: $('unique-today'),
    plus: $('plus'), minus: $('minus'), note: $('note'),
  };
  const format = new Intl.NumberFormat();

  let client = null;
  let noteTimer = 0;
  const presses = new Map(); // press id -> { action, sends }: recent presses, so one can be sent again by its id

  function setState(next) {
    ui.state.dataset.state = next;
    ui.state.textContent = next;
    document.body.dataset.state = next;
    const live = next === 'live';
    ui.plus.disabled = !live;
    ui.minus.disabled = !live;
  }

  function render(frame) {
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

  function press(action) {
    if (client && client.state() === 'live') {
      const id = LiveCounterClient.newId();
      presses.set(id, { action, sends: 0 });
      setTimeout(() => presses.delete(id), PRESS_MEMORY_MS);
      sendPress(id);
    }
  }

  function sendPress(id) {
    const entry = presses.get(id);
    if (entry && client.send({ action: entry.action, id })) entry.sends += 1;
  }

  // true when the press will be sent again (with its id, so it never counts twice)
  function resendPress(id, baseMs) {
    const entry = typeof id === 'string' ? presses.get(id) : undefined;
    if (!entry || entry.sends >= PRESS_SENDS) return false;
    setTimeout(() => sendPress(id), baseMs + Math.random() * baseMs);
    return true;
  }

  ui.plus.addEventListener('click', () => press('plus'));
  ui.minus.addEventListener('click', () => press('minus'));

  const visitsChart = window.LiveCounterHistory.attach(counter);

  $('counter-name').textContent = counter;
  $('snippet').textContent = `<script src="${location.origin}/widget.js" data-counter="${counter}" async></script>`;
  if (LiveCounterClient.VALID_NAME.test(counter)) {
    client = LiveCounterClient.open(new URL('/ws', location.href), counter, {
      state: setState,
      count: render,
      // our own visit is counted before the first frame: the history read after it holds it; after a
      // reconnect frames may have been missed, so the chart is read again
      live: () => visitsChart.load(),
      pending: (frame) => {
        // the server could not confirm the press in time; it may still count: send the same id again, which
        // counts once either way, rather than saying it failed
        showNote('That press is taking a while; it will count once.');
        resendPress(frame.id, 3000);
      },
      error: (frame) => {
        if (frame.code === 'unavailable' && resendPress(frame.id, 1000)) return;
        showNote(LiveCounterClient.explain(frame));
      },
    }, { retryWhenVisible: true });
  } else {
    setState('offline');
    ui.note.textContent = 'Counter names are 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit.';
    ui.note.hidden = false;
  }
})();

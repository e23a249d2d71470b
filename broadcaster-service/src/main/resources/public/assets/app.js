// Live Counter page: one WebSocket to this page's own origin (client.js keeps it, and sends a press again while
// the server could not confirm it), rendered with textContent only; the visits chart is history.js's.
// Protocol: README.md ("The protocol"). Widget for other sites: widget/widget.js, on the same core.
import { VALID_NAME, explain, open } from './client.js';
import { attach } from './history.js';

const NOTE_MS = 4000;            // how long a server error stays in the status line

const params = new URLSearchParams(location.search);
const counter = params.get('counter') || 'home';

const $ = (id) => document.getElementById(id);
const ui = {
  state: $('state'), visits: $('visits'), online: $('online'), value: $('value'), uniqueToday: $('unique-today'),
  plus: $('plus'), minus: $('minus'), note: $('note'),
};
const format = new Intl.NumberFormat();
const visitsChart = attach(counter);

let client = null;
let noteTimer = 0;

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

ui.plus.addEventListener('click', () => { if (client) client.press('plus'); });
ui.minus.addEventListener('click', () => { if (client) client.press('minus'); });

$('counter-name').textContent = counter;
$('snippet').textContent = `<script src="${location.origin}/widget.js" data-counter="${counter}" async></script>`;
if (VALID_NAME.test(counter)) {
  client = open(new URL('/ws', location.href), counter, {
    state: setState,
    count: render,
    // our own visit is counted before the first frame: the history read after it holds it; after a
    // reconnect frames may have been missed, so the chart is read again
    live: () => visitsChart.load(),
    // not a failure: the core sends the same id again, which counts once either way
    pending: () => showNote('That press is taking a while; it will count once.'),
    error: (frame) => showNote(explain(frame)),
  }, { retryWhenVisible: true });
} else {
  setState('offline');
  ui.note.textContent = 'Counter names are 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit.';
  ui.note.hidden = false;
}

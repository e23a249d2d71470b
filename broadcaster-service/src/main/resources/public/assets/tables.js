// Streamed tables page (/tables): the whole `orders` table, live, over a socket that counts no visit (client.js keeps
// it and the subscription), rendered with textContent only; a row picked is edited through the demo write endpoint,
// and the change comes back like anyone else's, through the stream. Protocol: the streamed tables' spec (issue 21).
import { explain, open } from './client.js';

const TABLE = 'orders';
const KEY_ATTRIBUTES = ['customer', 'orderId'];   // partition key, sort key
const COLUMNS = [                                  // attribute -> cell class (ids and classes: see the report/README)
  ['customer', 'col-customer'], ['orderId', 'col-order-id'], ['item', 'col-item'],
  ['status', 'col-status'], ['total', 'col-total'], ['updatedAt', 'col-updated-at'],
];
const FLASH_MS = 1600;     // how long a changed row stays lit (style.css's row-flash runs as long)
const LEAVE_MS = 900;      // how long a removed row fades before it goes (style.css's .row-removed transition)
const NOTE_MS = 6000;
const RETRY_CODES = new Set(['unavailable', 'rate_limited']); // a subscribe refused for now, not for good

const $ = (id) => document.getElementById(id);
const ui = {
  state: $('state'), count: $('orders-count'), note: $('note'), rows: $('orders-rows'), empty: $('orders-empty'),
  form: $('edit-form'), key: $('edit-key'), status: $('edit-status'), total: $('edit-total'), save: $('edit-save'),
  result: $('edit-result'),
};
const time = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

const rows = new Map();     // key -> { tr, item, json, flashTimer }: the rows shown for the items
const leaving = new Map();  // key -> { tr, item, timer }: rows of removed items, fading out
let selected = null;        // the key of the row being edited
let shown = false;          // a first snapshot was drawn: later differences are changes and light up
let noteTimer = 0;
let saving = false;

function setState(next) {
  ui.state.dataset.state = next;
  ui.state.textContent = next;
  document.body.dataset.state = next;
}

function showNote(message, sticky = false) {
  ui.note.textContent = message;
  ui.note.hidden = false;
  clearTimeout(noteTimer);
  if (!sticky) noteTimer = setTimeout(() => { ui.note.hidden = true; ui.note.textContent = ''; }, NOTE_MS);
}

function text(value) {
  if (value === undefined || value === null) return '–';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function fillCell(td, name, value) {
  td.dataset.value = value === undefined || value === null ? '' : text(value);
  if (name === 'updatedAt' && typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
    const at = document.createElement('time');
    at.dateTime = value;
    at.title = value;
    at.textContent = time.format(new Date(value));
    td.replaceChildren(at);
  } else {
    td.textContent = text(value);
  }
}

function fillRow(row, item) {
  row.item = item;
  row.json = JSON.stringify(item);
  row.tr.dataset.customer = text(item.customer);
  row.tr.dataset.orderId = text(item.orderId);
  COLUMNS.forEach(([name], i) => fillCell(row.tr.children[i], name, item[name]));
}

function newRow(key) {
  const tr = document.createElement('tr');
  tr.className = 'row';
  tr.dataset.key = key;
  tr.tabIndex = 0;
  tr.setAttribute('aria-selected', 'false');
  for (const [, cls] of COLUMNS) {
    const td = document.createElement('td');
    td.className = cls;
    tr.append(td);
  }
  tr.addEventListener('click', () => select(key));
  tr.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      select(key);
    }
  });
  return { tr, item: null, json: '', flashTimer: 0 };
}

function flash(row) {
  row.tr.classList.remove('row-changed');
  void row.tr.offsetWidth; // restart the animation when a row changes again while still lit
  row.tr.classList.add('row-changed');
  clearTimeout(row.flashTimer);
  row.flashTimer = setTimeout(() => row.tr.classList.remove('row-changed'), FLASH_MS);
}

function leave(key, row) {
  clearTimeout(row.flashTimer);
  row.tr.classList.remove('row-changed', 'row-selected');
  row.tr.classList.add('row-removed');
  row.tr.setAttribute('aria-hidden', 'true');
  row.tr.tabIndex = -1;
  const timer = setTimeout(() => {
    row.tr.remove();
    leaving.delete(key);
  }, LEAVE_MS);
  leaving.set(key, { tr: row.tr, item: row.item, timer });
  if (selected === key) {
    deselect();
    setResult('That order was removed.', 'removed');
  }
}

function compareItems(a, b) {
  for (const name of KEY_ATTRIBUTES) {
    const c = text(a[name]).localeCompare(text(b[name]), undefined, { numeric: true });
    if (c) return c;
  }
  return 0;
}

/** Rows in key order, the fading ones where they were; only rows out of place move (a move restarts a flash). */
function placeRows() {
  const all = [...rows.values(), ...leaving.values()].sort((a, b) => compareItems(a.item, b.item));
  let next = ui.rows.firstChild;
  for (const { tr } of all) {
    if (tr === next) next = next.nextSibling;
    else ui.rows.insertBefore(tr, next);
  }
}

function render(items) {
  for (const [key, item] of items) {
    const gone = leaving.get(key);
    if (gone) {              // back before it faded out: a new row takes its place
      clearTimeout(gone.timer);
      gone.tr.remove();
      leaving.delete(key);
    }
    let row = rows.get(key);
    const json = JSON.stringify(item);
    if (!row) {
      row = newRow(key);
      rows.set(key, row);
      fillRow(row, item);
      if (shown) flash(row);
    } else if (row.json !== json) {
      fillRow(row, item);
      flash(row);
      // while editing, someone else's change: say so (the own save's echo is no news)
      if (selected === key && ui.form.dataset.state === 'editing') {
        setResult('Someone changed this order just now; the form keeps what you typed.', 'changed');
      }
    }
  }
  for (const [key, row] of rows) {
    if (!items.has(key)) {
      rows.delete(key);
      leave(key, row);
    }
  }
  placeRows();
  shown = true;
  ui.count.textContent = items.size === 1 ? '1 order' : `${items.size} orders`;
  ui.empty.hidden = items.size > 0;
}

function setResult(message, result) {
  ui.result.textContent = message;
  ui.result.dataset.result = result;
}

function setEditable(on) {
  ui.status.disabled = !on;
  ui.total.disabled = !on;
  ui.save.disabled = !on || saving;
}

function deselect() {
  const row = rows.get(selected);
  if (row) {
    row.tr.classList.remove('row-selected');
    row.tr.setAttribute('aria-selected', 'false');
  }
  selected = null;
  ui.key.textContent = 'Pick a row above.';
  ui.status.value = '';
  ui.total.value = '';
  setEditable(false);
}

function select(key) {
  const row = rows.get(key);
  if (!row) return;
  deselect();
  selected = key;
  row.tr.classList.add('row-selected');
  row.tr.setAttribute('aria-selected', 'true');
  ui.key.textContent = `customer ${text(row.item.customer)} · order ${text(row.item.orderId)}`;
  ui.status.value = typeof row.item.status === 'string' ? row.item.status : '';
  ui.total.value = typeof row.item.total === 'number' ? String(row.item.total) : '';
  setResult('', 'idle');
  ui.form.dataset.state = 'editing';
  setEditable(true);
  ui.status.focus();
}

async function save(event) {
  event.preventDefault(); // the CSP's form-action 'none' forbids a real submission anyway
  const row = rows.get(selected);
  if (!row || saving) return;
  const status = ui.status.value.trim();
  if (!status) {
    setResult('A status is needed.', 'invalid');
    return;
  }
  const set = { status, updatedAt: new Date().toISOString() };
  if (ui.total.value.trim() !== '') {
    const total = Number(ui.total.value);
    if (!Number.isFinite(total)) {
      setResult('The total must be a number.', 'invalid');
      return;
    }
    set.total = total;
  }
  const key = Object.fromEntries(KEY_ATTRIBUTES.map((name) => [name, row.item[name]]));
  saving = true;
  ui.save.disabled = true;
  ui.form.dataset.state = 'saving';
  setResult('Saving…', 'saving');
  try {
    const response = await fetch(new URL(`/tables/${encodeURIComponent(TABLE)}/items`, location.href), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ key, set }),
    });
    let body = null;
    try { body = await response.json(); } catch { body = null; }
    if (response.ok) {
      ui.form.dataset.state = 'saved';
      setResult('Saved. The row lights up when the change comes back through the table\'s stream.', 'saved');
    } else {
      ui.form.dataset.state = 'failed';
      const why = body && typeof body.message === 'string' ? body.message : `HTTP ${response.status}`;
      setResult(response.status === 403 ? `This table is read-only here (${why}).` : `Not saved: ${why}`, 'failed');
    }
  } catch {
    ui.form.dataset.state = 'failed';
    setResult('Not saved: the server could not be reached.', 'failed');
  } finally {
    saving = false;
    setEditable(selected !== null);
  }
}

ui.form.addEventListener('submit', save);
document.addEventListener('keydown', (event) => { if (event.key === 'Escape' && selected !== null) deselect(); });

const client = open(new URL('/ws', location.href), '', {
  state: setState,
  error: (frame) => showNote(explain(frame)),
}, { retryWhenVisible: true });

function start() {
  client.subscribe({ table: TABLE, keyAttributes: KEY_ATTRIBUTES }, {
    onItems: render,
    onError: (error) => {
      const why = typeof error.message === 'string' ? error.message : error.code;
      if (RETRY_CODES.has(error.code)) {
        showNote(`The table is not available just now (${why}); trying again shortly.`);
        setTimeout(start, 3000 + Math.random() * 4000);
      } else {
        ui.count.textContent = 'not available';
        showNote(`The table cannot be shown: ${why}`, true);
      }
    },
    onEnd: (reason) => {
      ui.count.textContent = 'stopped';
      showNote(`The server ended this table's updates (${reason}); reload the page to start again.`, true);
    },
  });
}
start();

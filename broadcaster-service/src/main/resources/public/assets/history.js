// Live Counter page: the "Visits over time" section. Reads the history once from the public API
// (/api/counters/{name}/history) and then counts the visits that live count frames add into the current bar:
// no polling. The data is visits.js's (liveVisits, shared with the widget's sparkline), drawn by chart.js; the
// numbers are also in a visually hidden table, and the chart's aria-label says what it shows.
import { drawChart } from './chart.js';
import { liveVisits, summary } from './visits.js';

const RANGES = {
  hour: { resolution: 'minute', what: 'Visits per minute, last 60 minutes', from: '60 min ago' },
  '48h': { resolution: 'hour', what: 'Visits per hour, last 48 hours', from: '48 h ago' },
  '30d': { resolution: 'day', what: 'Visits per day, last 30 days', from: '30 days ago' },
};
const TICK_MS = 5000;      // how often an empty new minute is opened by the clock alone
const TABLE_DELAY_MS = 500; // the hidden table is rebuilt at most this often

/** The section for `counter`: load() reads the history (on every live socket), frame(countFrame) adds its visits. */
export function attach(counter) {
  const $ = (id) => document.getElementById(id);
  const svg = $('chart');
  const format = new Intl.NumberFormat();
  let range = 'hour';
  let skewMs = 0;          // this clock minus the server's, so bars change at the server's minute
  let tableTimer = 0;

  const chart = liveVisits({ read, now: () => Date.now() - skewMs, show, failed });

  for (const button of document.querySelectorAll('.range')) {
    button.addEventListener('click', () => {
      if (button.dataset.range === range) return;
      range = button.dataset.range;
      for (const b of document.querySelectorAll('.range')) b.setAttribute('aria-pressed', String(b === button));
      $('chart-from').textContent = RANGES[range].from;
      $('chart-caption').textContent = RANGES[range].what;
      chart.load();
    });
  }
  setInterval(chart.tick, TICK_MS);

  async function read() {
    const url = `/api/counters/${encodeURIComponent(counter)}/history?resolution=${RANGES[range].resolution}`;
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = await response.json();
    const date = Date.parse(response.headers.get('Date') || '');
    skewMs = Number.isFinite(date) ? Math.round((Date.now() - date) / 1000) * 1000 : 0;
    return body;
  }

  function show(buckets) {
    drawChart(svg, buckets);
    describe(buckets);
    clearTimeout(tableTimer);
    tableTimer = setTimeout(() => fillTable(buckets), TABLE_DELAY_MS);
  }

  function failed() {
    svg.setAttribute('aria-label', `${RANGES[range].what}: not available right now`);
  }

  function describe(buckets) {
    const r = RANGES[range];
    const { total, top, current } = summary(buckets);
    let text = `${r.what}: ${format.format(total)} in total`;
    if (top.visits > 0) text += `, at most ${format.format(top.visits)} (${label(top.start)})`;
    text += `, ${format.format(current)} in the current ${r.resolution}`;
    svg.setAttribute('aria-label', text);
    $('chart-max').textContent = top.visits > 0 ? `max ${format.format(top.visits)}` : '';
  }

  function fillTable(buckets) {
    const rows = buckets.map((b) => {
      const tr = document.createElement('tr');
      for (const value of [label(b.start), format.format(b.visits), format.format(b.uniqueVisitors)]) {
        const td = document.createElement('td');
        td.textContent = value;
        tr.append(td);
      }
      return tr;
    });
    $('chart-rows').replaceChildren(...rows);
  }

  function label(start) {
    const iso = new Date(start).toISOString();
    return RANGES[range].resolution === 'day' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  }

  return { load: chart.load, frame: (countFrame) => chart.frame(countFrame.visits) };
}

// Live Counter page: the "Visits over time" section. Reads the history once from the public API
// (/api/counters/{name}/history) and then counts the visits that live count frames add into the current bar:
// no polling. The answer says which visits it holds; frames add only those beyond (LiveCounterClient.chartVisits).
// Drawn by chart.js; the numbers are also in a visually hidden table, and the chart's aria-label says what it shows.
(() => {
  'use strict';

  const RANGES = {
    hour: { resolution: 'minute', what: 'Visits per minute, last 60 minutes', from: '60 min ago' },
    '48h': { resolution: 'hour', what: 'Visits per hour, last 48 hours', from: '48 h ago' },
    '30d': { resolution: 'day', what: 'Visits per day, last 30 days', from: '30 days ago' },
  };
  const TICK_MS = 5000;      // how often an empty new minute is opened by the clock alone
  const TABLE_DELAY_MS = 500; // the hidden table is rebuilt at most this often

  function attach(counter) {
    const $ = (id) => document.getElementById(id);
    const svg = $('chart');
    const chart = window.LiveCounterChart.create(svg);
    const format = new Intl.NumberFormat();
    let range = 'hour';
    let loaded = false;
    const visits = LiveCounterClient.chartVisits(); // which frames' visits the bars do not hold yet
    let skewMs = 0;          // this clock minus the server's, so bars change at the server's minute
    let loading = 0;
    let tableTimer = 0;

    chart.onDraw((buckets) => {
      describe(buckets);
      clearTimeout(tableTimer);
      tableTimer = setTimeout(() => fillTable(buckets), TABLE_DELAY_MS);
    });

    for (const button of document.querySelectorAll('.range')) {
      button.addEventListener('click', () => {
        if (button.dataset.range === range) return;
        range = button.dataset.range;
        for (const b of document.querySelectorAll('.range')) b.setAttribute('aria-pressed', String(b === button));
        $('chart-from').textContent = RANGES[range].from;
        $('chart-caption').textContent = RANGES[range].what;
        load();
      });
    }
    setInterval(() => { if (loaded) chart.advance(Date.now() - skewMs); }, TICK_MS);

    async function load() {
      const mine = ++loading;
      const r = RANGES[range];
      visits.read();
      try {
        const response = await fetch(`/api/counters/${encodeURIComponent(counter)}/history?resolution=${r.resolution}`,
          { headers: { Accept: 'application/json' } });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const body = await response.json();
        if (mine !== loading) return; // a newer range was asked for meanwhile
        const date = Date.parse(response.headers.get('Date') || '');
        skewMs = Number.isFinite(date) ? Math.round((Date.now() - date) / 1000) * 1000 : 0;
        loaded = true;
        chart.setBuckets(body.resolution, body.buckets);
        chart.advance(Date.now() - skewMs);
        chart.add(visits.answer(body.visits), Date.now() - skewMs); // frames that came during the read
      } catch (error) {
        if (mine !== loading) return;
        svg.setAttribute('aria-label', `${r.what}: not available right now`);
      }
    }

    /** A count frame: the visits it adds beyond what the bars hold go into the current bar. */
    function frame(f) {
      const added = visits.frame(f.visits);
      if (loaded && added > 0) chart.add(added, Date.now() - skewMs);
    }

    function describe(buckets) {
      const r = RANGES[range];
      const total = buckets.reduce((sum, b) => sum + b.visits, 0);
      const top = buckets.reduce((best, b) => (b.visits > best.visits ? b : best), { visits: 0 });
      const current = buckets.length ? buckets[buckets.length - 1].visits : 0;
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

    return { load, frame };
  }

  window.LiveCounterHistory = { attach };
})();

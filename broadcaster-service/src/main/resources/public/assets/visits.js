// Live Counter's visits chart, as data: the buckets read from the history API, grown by live count frames and rolled
// forward by the clock. Written once for the page's chart (history.js, drawn by chart.js) and the widget's sparkline
// (widget/widget.js); each draws the buckets its own way. No DOM here.

export const UNIT_MS = { minute: 60000, hour: 3600000, day: 86400000 };

/** The start (ms, UTC) of the bucket holding t. */
export function bucketStart(resolution, t) {
  return Math.floor(t / UNIT_MS[resolution]) * UNIT_MS[resolution];
}

/**
 * Which visits of count frames a chart still has to add to the bars it drew from a history answer. An answer's
 * `visits` is the counter's total its buckets hold (read in one snapshot with them), so a frame's visits up to it are
 * in the bars already, and one beyond adds only what lies beyond both it and every frame counted since. A frame
 * before the answer is held and counted when the answer comes, by the same rule: frame first or answer first, the
 * bars come out the same.
 *
 * read(): a history read starts (frames from now on may be missing from its answer);
 * answer(total): its answer is drawn; frame(visits): a count frame came. Both return the visits to add now.
 */
export function chartVisits() {
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
 * A window of buckets [{start: ms, visits, uniqueVisitors}] that always ends at the current one: set() replaces them
 * (an API answer), advance(now) opens empty buckets up to the one holding `now` and drops as many of the oldest,
 * add(visits, now) counts visits into the current bucket.
 */
export function visitBuckets() {
  let resolution = 'minute';
  let buckets = [];

  /** Returns whether a bucket was opened. */
  function advance(now) {
    if (buckets.length === 0) return false;
    const current = bucketStart(resolution, now);
    const count = buckets.length;
    let opened = false;
    while (buckets[buckets.length - 1].start < current) {
      buckets.push({ start: buckets[buckets.length - 1].start + UNIT_MS[resolution], visits: 0, uniqueVisitors: 0 });
      opened = true;
    }
    if (opened) buckets = buckets.slice(-count);
    return opened;
  }

  return {
    set(res, list) {
      resolution = res;
      buckets = list.map((b) => ({ start: Date.parse(b.start), visits: b.visits, uniqueVisitors: b.uniqueVisitors || 0 }));
    },
    advance,
    /** Returns whether the buckets changed. */
    add(visits, now) {
      if (buckets.length === 0 || !(visits > 0)) return false;
      advance(now);
      buckets[buckets.length - 1].visits += visits;
      return true;
    },
    get buckets() { return buckets.map((b) => ({ ...b })); },
    get resolution() { return resolution; },
  };
}

/**
 * The chart's data, live: the history read once (again on load(): a reconnect, another range), then the visits count
 * frames add beyond its answer (chartVisits), into the current bucket; tick() opens a new bucket when the clock
 * passes into it. An answer that comes after a newer read began is dropped.
 *
 * read(): a promise of the API's answer {resolution, visits, buckets}; now(): the server's time, ms;
 * show(buckets, resolution): the buckets changed; failed(error): the newest read failed.
 * Returns { load(), frame(visits), tick() }.
 */
export function liveVisits({ read, now = Date.now, show, failed = () => {} }) {
  const series = visitBuckets();
  const visits = chartVisits();
  let loaded = false;
  let loads = 0;

  const shown = () => show(series.buckets, series.resolution);

  async function load() {
    const mine = ++loads;
    visits.read();
    let body;
    try {
      body = await read();
    } catch (error) {
      if (mine === loads) failed(error);
      return;
    }
    if (mine !== loads) return;
    loaded = true;
    series.set(body.resolution, body.buckets);
    series.advance(now());
    series.add(visits.answer(body.visits), now()); // frames that came during the read
    shown();
  }

  return {
    load,
    frame(total) {
      const added = visits.frame(total);
      if (loaded && series.add(added, now())) shown();
    },
    tick() {
      if (loaded && series.advance(now())) shown();
    },
  };
}

/** What a chart says of its buckets: the sum, the bucket with the most visits (visits 0 when none), the current one's. */
export function summary(buckets) {
  return {
    total: buckets.reduce((sum, b) => sum + b.visits, 0),
    top: buckets.reduce((best, b) => (b.visits > best.visits ? b : best), { start: 0, visits: 0 }),
    current: buckets.length ? buckets[buckets.length - 1].visits : 0,
  };
}

/** The bars to draw, [{index, height}] for each bucket with visits, scaled so the highest is `height`, none below `min`. */
export function bars(buckets, height, min) {
  const max = Math.max(1, ...buckets.map((b) => b.visits));
  const out = [];
  buckets.forEach((b, index) => {
    if (b.visits > 0) out.push({ index, height: Math.max(min, (b.visits / max) * height) });
  });
  return out;
}

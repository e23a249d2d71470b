// Live Counter's visits chart: bars drawn as plain SVG (no library), sized by the stylesheet, so nothing moves
// when data arrives. Used by app.js (the page) as window.LiveCounterChart; the widget draws its own sparkline.
(() => {
  'use strict';

  const SVG = 'http://www.w3.org/2000/svg';
  const UNIT_MS = { minute: 60000, hour: 3600000, day: 86400000 };

  /** The start (ms, UTC) of the bucket holding t. */
  function bucketStart(resolution, t) {
    return Math.floor(t / UNIT_MS[resolution]) * UNIT_MS[resolution];
  }

  /**
   * A bar chart of buckets [{start, visits, uniqueVisitors}] in an <svg> whose viewBox is one unit per bucket.
   * setBuckets replaces them (from the API); add() counts live visits into the bucket of `now`, opening new
   * buckets (and dropping the oldest) as time passes, so the window always ends at the current one.
   */
  function create(svg) {
    let resolution = 'minute';
    let buckets = [];   // [{start: ms, visits, uniqueVisitors}]
    const listeners = [];

    function setBuckets(res, list) {
      resolution = res;
      buckets = list.map((b) => ({ start: Date.parse(b.start), visits: b.visits, uniqueVisitors: b.uniqueVisitors }));
      draw();
    }

    /** Opens empty buckets up to the one holding `now`; returns whether any was opened. */
    function advance(now) {
      if (buckets.length === 0) return false;
      const current = bucketStart(resolution, now);
      let opened = false;
      const count = buckets.length;
      while (buckets[buckets.length - 1].start < current) {
        buckets.push({ start: buckets[buckets.length - 1].start + UNIT_MS[resolution], visits: 0, uniqueVisitors: 0 });
        opened = true;
      }
      if (opened) {
        buckets = buckets.slice(-count);
        draw();
      }
      return opened;
    }

    function add(visits, now) {
      if (buckets.length === 0 || !(visits > 0)) return;
      advance(now);
      buckets[buckets.length - 1].visits += visits;
      draw();
    }

    function draw() {
      const n = Math.max(buckets.length, 1);
      const max = Math.max(1, ...buckets.map((b) => b.visits));
      svg.setAttribute('viewBox', `0 0 ${n} 100`);
      svg.setAttribute('preserveAspectRatio', 'none');
      while (svg.firstChild) svg.firstChild.remove();
      const base = document.createElementNS(SVG, 'line');
      base.setAttribute('class', 'chart-base');
      for (const [k, v] of [['x1', 0], ['x2', n], ['y1', 99.5], ['y2', 99.5]]) base.setAttribute(k, v);
      svg.append(base);
      buckets.forEach((b, i) => {
        if (b.visits <= 0) return;
        const h = Math.max(2, (b.visits / max) * 96);
        const bar = document.createElementNS(SVG, 'rect');
        bar.setAttribute('class', i === buckets.length - 1 ? 'chart-bar chart-bar-now' : 'chart-bar');
        bar.setAttribute('x', String(i + 0.12));
        bar.setAttribute('width', '0.76');
        bar.setAttribute('y', String(100 - h));
        bar.setAttribute('height', String(h));
        svg.append(bar);
      });
      listeners.forEach((f) => f(buckets.slice(), resolution));
    }

    return {
      setBuckets,
      add,
      advance,
      onDraw: (f) => listeners.push(f),
      get buckets() { return buckets.slice(); },
      get resolution() { return resolution; },
    };
  }

  window.LiveCounterChart = { create, bucketStart };
})();

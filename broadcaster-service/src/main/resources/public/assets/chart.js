// Live Counter's visits chart on the page: bars drawn as plain SVG (no library), sized by the stylesheet, so nothing
// moves when data arrives. The buckets and their bar heights are visits.js's, which the widget's sparkline shares.
import { bars } from './visits.js';

const SVG = 'http://www.w3.org/2000/svg';

/** Draws buckets [{visits}] into an <svg> whose viewBox is one unit per bucket; the current one is the last. */
export function drawChart(svg, buckets) {
  const n = Math.max(buckets.length, 1);
  svg.setAttribute('viewBox', `0 0 ${n} 100`);
  svg.setAttribute('preserveAspectRatio', 'none');
  while (svg.firstChild) svg.firstChild.remove();
  const base = document.createElementNS(SVG, 'line');
  base.setAttribute('class', 'chart-base');
  for (const [k, v] of [['x1', 0], ['x2', n], ['y1', 99.5], ['y2', 99.5]]) base.setAttribute(k, v);
  svg.append(base);
  for (const { index, height } of bars(buckets, 96, 2)) {
    const bar = document.createElementNS(SVG, 'rect');
    bar.setAttribute('class', index === buckets.length - 1 ? 'chart-bar chart-bar-now' : 'chart-bar');
    bar.setAttribute('x', String(index + 0.12));
    bar.setAttribute('width', '0.76');
    bar.setAttribute('y', String(100 - height));
    bar.setAttribute('height', String(height));
    svg.append(bar);
  }
}

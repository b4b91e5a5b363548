// Boards per hour (bars) and yield (line) over the day's hours, as inline SVG.
import { h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attributes, text) {
  const element = document.createElementNS(SVG, tag);
  Object.entries(attributes).forEach(([k, v]) => element.setAttribute(k, v));
  if (text !== undefined) element.textContent = text;
  return element;
}

export function shiftChart(hours) {
  const shown = hours.slice(-12);
  const width = 240;
  const height = 60;
  const max = Math.max(1, ...shown.map(x => x.passed + x.failed));
  const step = width / Math.max(1, shown.length);
  const svg = s('svg', { viewBox: `0 0 ${width} ${height + 12}`, class: 'chart', role: 'img',
    'aria-label': 'boards per hour and yield over the last hours' });
  const points = [];
  shown.forEach((hour, i) => {
    const total = hour.passed + hour.failed;
    const bar = total / max * height;
    svg.append(s('rect', { x: i * step + 2, y: height - bar, width: step - 4, height: bar, class: 'bar' },));
    svg.lastChild.append(s('title', {}, `${new Date(hour.start).getHours()}:00 — ${total} boards`));
    if (total) points.push(`${i * step + step / 2},${height - hour.passed / total * height}`);
    if (i % 3 === 0) {
      svg.append(s('text', { x: i * step + 2, y: height + 11, class: 'tick' }, `${new Date(hour.start).getHours()}h`));
    }
  });
  if (points.length > 1) svg.append(s('polyline', { points: points.join(' '), class: 'yield' }));
  return h('figure.figure.chart-box', {}, svg, h('figcaption.label', {}, 'boards/hour ▮ · yield ─'));
}

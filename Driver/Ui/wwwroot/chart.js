// An SVG line chart of the scale history: task queue depth and executor count (summed over managers) against time.
const NS = 'http://www.w3.org/2000/svg';
const W = 900, H = 240, PAD = { left: 44, right: 44, top: 12, bottom: 26 };

function el(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// The series: at each decision time, the queue depth seen and the executors of every manager (each manager's latest).
export function series(history) {
  const latest = new Map();
  const points = [];
  for (const r of history) {
    latest.set(r.managerId, r);
    const at = new Date(r.at).getTime();
    const executors = [...latest.values()].reduce((n, x) => n + x.executors, 0);
    points.push({ at, queue: r.queueDepth, executors });
  }
  return points;
}

export function drawChart(history, minutes) {
  const points = series(history);
  const svg = el('svg', { id: 'scale-chart', class: 'chart', viewBox: `0 0 ${W} ${H}`, width: W, height: H, 'data-points': points.length });
  // The window asked for, but no wider than the history it holds (a minute at least): a fresh platform's chart is not a sliver.
  const now = Date.now();
  const span = points.length ? Math.min(minutes * 60000, Math.max(60000, now - points[0].at + 5000)) : minutes * 60000;
  const from = now - span;
  const x = t => PAD.left + (t - from) / (now - from) * (W - PAD.left - PAD.right);
  const maxQueue = Math.max(1, ...points.map(p => p.queue));
  const maxExecutors = Math.max(1, ...points.map(p => p.executors));
  const yQueue = v => H - PAD.bottom - v / maxQueue * (H - PAD.top - PAD.bottom);
  const yExecutors = v => H - PAD.bottom - v / maxExecutors * (H - PAD.top - PAD.bottom);
  svg.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: H - PAD.bottom, y2: H - PAD.bottom, stroke: '#b0bec5' }));
  svg.append(el('text', { x: 4, y: PAD.top + 10 }, String(maxQueue)), el('text', { x: 4, y: H - PAD.bottom }, '0'));
  svg.append(el('text', { x: W - PAD.right + 6, y: PAD.top + 10 }, String(maxExecutors)), el('text', { x: W - PAD.right + 6, y: H - PAD.bottom }, '0'));
  const ago = span >= 3600000 ? `${(span / 3600000).toFixed(1)} h ago` : span >= 60000 ? `${Math.round(span / 60000)} min ago` : `${Math.round(span / 1000)} s ago`;
  svg.append(el('text', { x: PAD.left, y: H - 6 }, ago), el('text', { x: W - PAD.right - 24, y: H - 6 }, 'now'));
  if (points.length === 0) {
    svg.append(el('text', { x: W / 2 - 90, y: H / 2 }, 'No scale decisions in this window.'));
    return svg;
  }
  // Steps, not slopes: a value holds until the next decision, and the last one holds until now.
  const step = (value, y) => {
    const coords = [];
    points.forEach((p, i) => {
      if (i > 0) coords.push(`${x(p.at).toFixed(1)},${y(value(points[i - 1])).toFixed(1)}`);
      coords.push(`${x(p.at).toFixed(1)},${y(value(p)).toFixed(1)}`);
    });
    coords.push(`${x(now).toFixed(1)},${y(value(points[points.length - 1])).toFixed(1)}`);
    return coords.join(' ');
  };
  svg.append(el('polyline', { class: 'queue', 'data-series': 'queue', points: step(p => p.queue, yQueue) }));
  svg.append(el('polyline', { class: 'executors', 'data-series': 'executors', points: step(p => p.executors, yExecutors) }));
  return svg;
}

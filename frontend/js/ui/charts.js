// Small SVG charts built with DOM calls (no library, no inline style: the CSP forbids it).
// Every chart carries a text alternative: a <title>, and the numbers next to each mark.
const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/// Horizontal bars around zero: [{ label, value, note }]; negative left (harsher), positive
/// right (more lenient). `format` turns a value into text.
export function divergingBars(items, { title, format = (v) => v.toFixed(1), rowHeight = 26, width = 640 } = {}) {
  const labelW = 180;
  const valueW = 70;
  const plotW = width - labelW - valueW;
  const max = Math.max(1, ...items.map((i) => Math.abs(i.value)));
  const mid = labelW + plotW / 2;
  const height = items.length * rowHeight + 24;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img' }, s('title', {}, title));
  svg.append(s('line', { x1: mid, x2: mid, y1: 0, y2: height - 18, class: 'chart-axis' }));
  items.forEach((item, i) => {
    const y = i * rowHeight + 4;
    const w = (Math.abs(item.value) / max) * (plotW / 2 - 4);
    const x = item.value < 0 ? mid - w : mid;
    svg.append(
      s('text', { x: labelW - 8, y: y + rowHeight / 2, class: 'chart-label', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, item.label),
      s('rect', { x, y: y + 4, width: Math.max(w, 1), height: rowHeight - 10, rx: 3, class: item.value < 0 ? 'chart-bar chart-bar-neg' : 'chart-bar' },
        s('title', {}, `${item.label}: ${format(item.value)}${item.note ? ` (${item.note})` : ''}`)),
      s('text', { x: width - valueW + 6, y: y + rowHeight / 2, class: 'chart-value', 'dominant-baseline': 'middle' }, format(item.value)));
  });
  return svg;
}

/// One row of dots per group on a 0–100 axis, with the group's median marked:
/// [{ label, values: [number] }].
export function stripPlot(groups, { title, width = 640, rowHeight = 34, domain = [0, 100] } = {}) {
  const labelW = 120;
  const plotW = width - labelW - 20;
  const height = groups.length * rowHeight + 30;
  const x = (v) => labelW + ((v - domain[0]) / (domain[1] - domain[0] || 1)) * plotW;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img' }, s('title', {}, title));
  for (let tick = domain[0]; tick <= domain[1]; tick += (domain[1] - domain[0]) / 4) {
    svg.append(s('line', { x1: x(tick), x2: x(tick), y1: 0, y2: height - 22, class: 'chart-grid' }),
      s('text', { x: x(tick), y: height - 6, class: 'chart-value', 'text-anchor': 'middle' }, String(Math.round(tick))));
  }
  groups.forEach((g, i) => {
    const cy = i * rowHeight + rowHeight / 2;
    svg.append(s('text', { x: labelW - 8, y: cy, class: 'chart-label', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, `${g.label} (${g.values.length})`));
    g.values.forEach((v, j) => {
      // A small deterministic jitter keeps equal scores visible.
      const dy = ((j * 7) % 11) - 5;
      svg.append(s('circle', { cx: x(v), cy: cy + dy, r: 3.2, class: 'chart-dot' }));
    });
    if (g.values.length) {
      const sorted = [...g.values].sort((a, b) => a - b);
      const m = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
      svg.append(s('line', { x1: x(m), x2: x(m), y1: cy - 12, y2: cy + 12, class: 'chart-median' }, s('title', {}, `${g.label}: median ${m.toFixed(1)}`)));
    }
  });
  return svg;
}

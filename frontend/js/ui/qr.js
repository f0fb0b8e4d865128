// A QR code drawn as SVG from the server's module matrix ({size, rows: ['0101…']}): no image
// service, no inline script or style. Used by two-factor enrolment, the day's sign-in links and
// the audience vote.
import { h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const QUIET = 4;

/// The QR matrix as one SVG path of dark squares, with the standard quiet zone.
export function qrSvg(qr, label) {
  const size = qr.size + 2 * QUIET;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('class', 'qr');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  const bg = document.createElementNS(SVG, 'rect');
  for (const [k, v] of Object.entries({ width: size, height: size, fill: '#fff' })) bg.setAttribute(k, v);
  const path = document.createElementNS(SVG, 'path');
  let d = '';
  qr.rows.forEach((row, y) => {
    for (let x = 0; x < row.length; x += 1) if (row[x] === '1') d += `M${x + QUIET} ${y + QUIET}h1v1h-1z`;
  });
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(bg, path);
  return svg;
}

/// A printable QR card: the code and what it is for.
export function qrCard(qr, label, ...below) {
  return h('figure.qr-card', qrSvg(qr, label), h('figcaption', below));
}

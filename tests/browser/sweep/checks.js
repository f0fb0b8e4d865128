// The sweep's checks on the page as it is shown (run by WebDriver's execute/async, so the app's
// CSP does not apply). Arguments: the set of i18n keys, the raw codes that must not show on a
// ko/zh page ({code: what it is}), the page language, and the WebDriver callback. Calls back
// with a list of problems, one readable line each; axe-core must already be on the page.
const [keys, codes, lang, done] = arguments;
const keySet = new Set(keys);
// A missing key comes back from t() as itself: dotted, in one of the files' namespaces.
const spaces = new Set(keys.map((k) => k.split('.')[0]));
const KEY_LIKE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
const problems = [];
const seen = new Set();
const report = (p) => {
  if (!seen.has(p)) {
    seen.add(p);
    problems.push(p);
  }
};
const short = (s) => (s.length > 60 ? `${s.slice(0, 57)}…` : s);
const where = (el) => {
  const parts = [];
  for (let e = el; e && e !== document.body && parts.length < 3; e = e.parentElement) {
    parts.unshift(e.id ? `#${e.id}` : e.tagName.toLowerCase() + (e.classList[0] ? `.${e.classList[0]}` : ''));
  }
  return parts.join(' > ');
};
const BROKEN = /null|undefined|\bNaN\b|\[object /;
const GENERIC_CODE = /^[a-z][a-z_.]*[a-z]$/;
const COUNTRY = /^[A-Z]{2}$/;

// What a person reads or hears: rendered text nodes (visually hidden ones too) and the
// labelling attributes.
function checkText(text, el, how) {
  const found = text.match(BROKEN);
  if (found) report(`shows "${found[0]}" in ${how} of ${where(el)}: "${short(text)}"`);
  for (const token of text.split(/[\s·,:;()/]+/)) {
    if (keySet.has(token)) report(`shows the i18n key "${token}" in ${how} of ${where(el)}`);
    else if (KEY_LIKE.test(token) && spaces.has(token.split('.')[0])) report(`shows the missing i18n key "${token}" in ${how} of ${where(el)}`);
  }
  // Codes a person must type (CSV columns) are marked translate="no" and stay codes.
  if (lang === 'en' || el.closest('[translate="no"]')) return;
  for (const token of text.split(/[\s·,:;()/|]+/)) {
    if (token in codes) report(`shows the raw ${codes[token]} code "${token}" in ${how} of ${where(el)}: "${short(text)}"`);
  }
  if (GENERIC_CODE.test(text) && !(text in codes)) report(`shows the code-like word "${text}" in ${how} of ${where(el)}`);
  if (COUNTRY.test(text)) report(`shows the code "${text}" standing alone in ${how} of ${where(el)}`);
}

const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const text = node.nodeValue.trim();
  const el = node.parentElement;
  if (!text || !el || el.closest('script, style, noscript, option, template')) continue;
  if (!el.getClientRects().length) continue; // not rendered (hidden, closed details, …)
  checkText(text, el, 'text');
}
for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt], [data-label]')) {
  if (!el.getClientRects().length) continue;
  for (const attr of ['aria-label', 'title', 'placeholder', 'alt', 'data-label']) {
    const v = el.getAttribute(attr);
    if (v && v.trim()) checkText(v.trim(), el, attr);
  }
}
for (const el of document.body.querySelectorAll('select')) {
  const opt = el.selectedOptions[0];
  if (opt && el.getClientRects().length && opt.textContent.trim()) checkText(opt.textContent.trim(), el, 'selected option');
}

// Sideways scrolling of the whole page.
const root = document.documentElement;
if (root.scrollWidth > root.clientWidth + 1) {
  const wide = [...document.body.querySelectorAll('*')]
    .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1 && !e.closest('.table-scroll'))
    .slice(0, 2)
    .map(where);
  report(`scrolls sideways: page ${root.scrollWidth} px wide in a ${root.clientWidth} px viewport (${wide.join('; ')})`);
}

// A table cell whose words break one character per line (a column squeezed to nothing).
for (const cell of document.body.querySelectorAll('td, th')) {
  if (!cell.getClientRects().length) continue;
  const cw = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = cw.nextNode(); node; node = cw.nextNode()) {
    const chars = node.nodeValue.replace(/\s/g, '').length;
    if (chars < 3) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    if (lines.size >= 3 && lines.size * 2 >= chars) {
      report(`table cell wraps one character per line: "${short(node.nodeValue.trim())}" in ${where(cell)} (${lines.size} lines)`);
      break;
    }
  }
}

// axe-core: every rule it runs by default (WCAG A/AA and best practice), and the one that
// checks a control's name holds its visible text (experimental, so off by default).
window.axe
  .run(document, { resultTypes: ['violations'], rules: { 'label-content-name-mismatch': { enabled: true } } })
  .then((r) => {
    for (const v of r.violations) {
      const nodes = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
      report(`axe ${v.id} (${v.impact}): ${v.help}; ${v.nodes.length} node(s): ${nodes}`);
    }
    done(problems);
  })
  .catch((e) => done([...problems, `axe failed: ${e}`]));

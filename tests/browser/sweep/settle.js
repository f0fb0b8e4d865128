// Waits until the screen for the current URL is rendered (a new [data-screen] child of #main,
// not the one FOLLOW marked as seen, and no aria-busy) and the page is quiet: no fetch in
// flight and no DOM change for 250 ms. Calls back with the screen's name, or null after 15 s.
const done = arguments[arguments.length - 1];
if (!window.__sweep) {
  window.__sweep = { inflight: 0, last: performance.now() };
  const f = window.fetch;
  window.fetch = (...a) => { window.__sweep.inflight++; return f(...a).finally(() => { window.__sweep.inflight--; window.__sweep.last = performance.now(); }); };
  new MutationObserver(() => { window.__sweep.last = performance.now(); }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
}
const started = performance.now();
(function poll() {
  const main = document.getElementById('main');
  const ready = !main.hasAttribute('aria-busy') && main.firstElementChild?.dataset.screen && !main.firstElementChild.dataset.sweepSeen;
  const quiet = window.__sweep.inflight === 0 && performance.now() - window.__sweep.last > 250;
  if ((ready && quiet) || performance.now() - started > 15000) done(ready ? main.firstElementChild.dataset.screen : null);
  else setTimeout(poll, 50);
})();

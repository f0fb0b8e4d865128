// History-API routing. Same-origin <a> clicks are intercepted (not /api/, downloads, new tabs
// or same-page #anchors); the server answers every page path with index.html, so deep links
// survive a reload.
//
// route('/path/:id', screen, { auth, roles }) where `screen` is either a screen object
// ({ name, title, render }) or a loader `() => import('./screens/x.js')` so a screen's code is
// fetched only when it is first opened (the first page stays small).
const routes = [];
let render = () => {};

export function route(pattern, screen, { auth = false, roles = null } = {}) {
  const keys = [];
  const re = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, k) => (keys.push(k), '([^/]+)'))}/?$`);
  routes.push({ re, keys, screen, auth: auth || !!roles, roles });
}

export function match(path) {
  for (const r of routes) {
    const m = path.match(r.re);
    if (m) return { ...r, params: Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1])])) };
  }
  return null;
}

/// Resolves a route's screen: a screen object, or the default export of a lazily loaded module.
export async function load(screen) {
  if (typeof screen !== 'function') return screen;
  const mod = await screen();
  return mod.default || mod;
}

export function onNavigate(fn) {
  render = fn;
}

let guard = null;
let here = location.pathname + location.search + location.hash;

/// `fn()` resolves false to keep the visitor on the page (a form with input not yet saved).
export function setLeaveGuard(fn) {
  guard = fn;
}

async function mayLeave(to) {
  return !guard || to === here || (await guard());
}

export async function navigate(to, { replace = false, force = false } = {}) {
  if (!force && !(await mayLeave(to))) return undefined;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  here = location.pathname + location.search + location.hash;
  return render({ moved: true });
}

/// Only local paths ("/x", not "//host" or "https://…") are safe targets for ?next=.
export function safeNext(next, fallback = '/') {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback;
}

function intercept(e) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download') || a.dataset.external !== undefined) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  // A same-page anchor (the skip link, a table of contents) moves focus to its target, which
  // browsers do not all do by themselves; the page is not re-rendered.
  if (url.hash && url.pathname === location.pathname && url.search === location.search) {
    const target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
    if (target) {
      e.preventDefault();
      if (target.tabIndex < 0 && !target.hasAttribute('tabindex')) target.tabIndex = -1;
      target.focus();
      target.scrollIntoView({ block: 'start' });
    }
    return;
  }
  e.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}

export function start() {
  here = location.pathname + location.search + location.hash;
  window.addEventListener('popstate', async () => {
    const to = location.pathname + location.search + location.hash;
    // Back/forward has already moved the address: put it back if the visitor stays.
    if (!(await mayLeave(to))) {
      history.pushState(null, '', here);
      return;
    }
    here = to;
    render({ moved: true });
  });
  document.addEventListener('click', intercept);
  return render({ moved: false });
}

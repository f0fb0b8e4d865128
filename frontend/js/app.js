// Boot: language, session restore through the refresh cookie, header, routes, rendering.
// Screens are { name, title, render(params, ctx) → Promise<Node> }; see routes.js.
import * as api from './api.js';
import { initialLocale, setLocale, getLocale, t } from './i18n.js';
import { match, load, onNavigate, navigate, start, safeNext, setLeaveGuard } from './router.js';
import { h } from './ui/dom.js';
import { hasUnsaved, flushAll, forgetUnsaved, confirmDialog } from './ui/forms.js';
import { NAV, notFound } from './routes.js';

/// The signed-in user (Me) or null; screens read it from ctx.session.
export const session = { user: null };
const AUTH_CODES = ['unauthorized', 'token_expired', 'invalid_token'];
const main = document.getElementById('main');
let started = false;
let generation = 0;

function renderHeader() {
  const user = session.user;
  const here = location.pathname;
  document.getElementById('topnav').replaceChildren(
    ...(user ? NAV[user.role] || [] : NAV.anonymous).map(([href, key]) =>
      h('a', { href, 'aria-current': here === href ? 'page' : null }, t(key))),
  );
  const who = document.getElementById('whoami');
  who.hidden = !user;
  who.textContent = user ? user.name : '';
  who.title = user ? user.email : '';
  document.getElementById('logout').hidden = !user;
  document.getElementById('notif-link').hidden = !user;
  if (user) refreshUnread();
  document.getElementById('login-link').hidden = !!user || here === '/login';
  document.getElementById('lang-switch').value = getLocale();
}

/// The unread count beside the bell; at most one request in flight, refreshed on navigation,
/// every two minutes and when the notifications screen marks everything read.
let unreadBusy = false;
async function refreshUnread() {
  if (unreadBusy || !session.user) return;
  unreadBusy = true;
  try {
    const { unread } = await api.get('/me/notifications/unread');
    const badge = document.getElementById('notif-count');
    badge.hidden = !unread;
    badge.textContent = unread > 99 ? '99+' : String(unread);
    // The accessible name holds the count exactly as shown ("99+"), so what is heard matches
    // what is seen; with nothing unread the hidden "Notifications" text names the bell.
    const link = document.getElementById('notif-link');
    if (unread) link.setAttribute('aria-label', t('notifications.unread', { count: badge.textContent }));
    else link.removeAttribute('aria-label');
  } catch {
    /* the bell simply shows no count */
  } finally {
    unreadBusy = false;
  }
}
document.addEventListener('notificationsseen', refreshUnread);
setInterval(() => document.hidden || refreshUnread(), 120000);

function toLogin() {
  const next = location.pathname + location.search;
  return navigate(`/login?next=${encodeURIComponent(next)}`, { replace: true, force: true });
}

function errorScreen(error) {
  const retry = h('button.btn', { type: 'button' }, t('common.retry'));
  retry.addEventListener('click', () => render({ moved: false }));
  return h('section.card.narrow', { dataset: { screen: 'error' } },
    h('h1', t('error.title')),
    h('div.alert.alert-error', { role: 'alert' }, api.errorMessage(error)),
    h('div.actions', retry, h('a.btn.btn-ghost', { href: '/' }, t('notfound.home'))));
}

/// Form values by element id, so a language switch re-renders without losing what was typed.
function snapshot() {
  const values = new Map();
  for (const el of main.querySelectorAll('input[id], textarea[id], select[id]')) {
    if (el.type === 'file') continue;
    values.set(el.id, el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value);
  }
  return values;
}

function restore(values) {
  for (const [id, value] of values) {
    const el = document.getElementById(id);
    if (!el || !main.contains(el)) continue;
    if (typeof value === 'boolean') el.checked = value;
    else el.value = value;
  }
}

/// Shows the screen for the current URL. Later calls win over slower earlier ones.
async function render({ moved = false, keep = null, missing = false } = {}) {
  const mine = ++generation;
  const found = match(location.pathname);
  if (found?.auth && !session.user) return toLogin();
  renderHeader();
  main.setAttribute('aria-busy', 'true');
  const slow = setTimeout(() => document.body.classList.add('is-loading'), 150);
  let screen = notFound;
  let node;
  try {
    const allowed = found && !missing && (!found.roles || found.roles.includes(session.user?.role));
    if (allowed) screen = await load(found.screen);
    const params = { ...(found?.params || {}), query: new URLSearchParams(location.search) };
    node = await screen.render(params, { session, navigate });
  } catch (e) {
    if (mine !== generation) return;
    if (AUTH_CODES.includes(e.code) && !session.user) return toLogin();
    if (e.code === 'not_found' && !missing) return render({ moved, keep, missing: true });
    if (!(e instanceof api.ApiError)) console.error(e);
    screen = { name: 'error', title: 'error.title' };
    node = errorScreen(e);
  } finally {
    clearTimeout(slow);
  }
  if (mine !== generation) return;
  document.body.classList.remove('is-loading');
  node.dataset.screen = screen.name;
  main.replaceChildren(node);
  main.removeAttribute('aria-busy');
  if (keep) restore(keep);
  document.title = `${t(screen.title || 'app.title')} · Jury`;
  if (moved) {
    window.scrollTo(0, 0);
    const heading = main.querySelector('h1');
    if (heading) heading.tabIndex = -1;
    (heading || main).focus({ preventScroll: true });
  }
}

api.onSessionChange((user) => {
  session.user = user;
  if (started) renderHeader();
  if (started) checkTwoFactor(user);
});

// With JURY_REQUIRE_ADMIN_2FA an administrator without two-factor sign-in may only enrol: send
// them there as soon as they are signed in, not only once an admin call is refused (the
// first screen may need none).
async function checkTwoFactor(user) {
  if (!user || user.role !== 'admin') return;
  try {
    const status = await api.get('/me/2fa');
    if (status.required && !status.enabled) document.dispatchEvent(new CustomEvent('twofactorrequired'));
  } catch {
    // A refused admin call still redirects through api.js.
  }
}

// An administrator who must enrol in two-factor sign-in first lands on its section.
document.addEventListener('twofactorrequired', () => {
  if (started && location.pathname !== '/account') navigate('/account?required=1#two-factor');
});

document.addEventListener('localechange', async () => {
  if (!started) return;
  await flushAll();
  render({ keep: snapshot() });
});

// Leaving a form whose input the server has not accepted: try to save it first, then ask.
setLeaveGuard(async () => {
  if (!hasUnsaved()) return true;
  await flushAll();
  if (!hasUnsaved()) return true;
  return confirmDialog({ title: t('leave.title'), body: t('leave.body'), confirm: t('leave.confirm') });
});

document.getElementById('lang-switch').addEventListener('change', async (e) => {
  const lang = e.target.value;
  await setLocale(lang);
  if (session.user && session.user.locale !== lang) {
    try {
      api.setSessionUser(await api.patch('/me', { locale: lang }));
    } catch {
      /* the choice still holds in this browser */
    }
  }
});

const logoutButton = document.getElementById('logout');
logoutButton.addEventListener('click', async () => {
  if (hasUnsaved()) {
    await flushAll();
    if (hasUnsaved() && !(await confirmDialog({ title: t('nav.logout'), body: t('logout.unsaved'), confirm: t('nav.logout'), danger: true }))) return;
  }
  logoutButton.disabled = true;
  const who = session.user?.id;
  await api.logout();
  if (who) forgetUnsaved(who);
  logoutButton.disabled = false;
  navigate('/login', { force: true });
});

onNavigate(render);

(async () => {
  await setLocale(initialLocale(), { remember: false });
  if (api.mayHaveSession() && (await api.refresh())) {
    try {
      session.user = await api.get('/me');
      if (session.user.locale && session.user.locale !== getLocale()) await setLocale(session.user.locale);
    } catch {
      session.user = null;
    }
  }
  started = true;
  // A signed-in visitor opening /login (an old bookmark) goes where it would have led.
  if (session.user && location.pathname === '/login') {
    history.replaceState(null, '', safeNext(new URLSearchParams(location.search).get('next')));
  }
  start();
  checkTwoFactor(session.user);
})();

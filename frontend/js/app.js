// Boot: language, session restore through the refresh cookie, header, routes.
import * as api from './api.js';
import { initialLocale, setLocale, getLocale, t } from './i18n.js';
import { route, match, onNavigate, navigate, start } from './router.js';
import { h, mount } from './ui/dom.js';
import login from './screens/login.js';
import setup from './screens/setup.js';
import home from './screens/home.js';
import notFound from './screens/notfound.js';
import { contestList, contestLanding } from './screens/contest.js';
import { register, verify, forgot, reset } from './screens/account.js';
import application from './screens/application.js';
import { adminContests, adminApplications } from './screens/admin-applications.js';

export const session = { user: null };

route('/', home);
route('/login', login);
route('/setup', setup);
route('/contests', contestList);
route('/contests/:id', contestLanding);
route('/register', register);
route('/verify-email', verify);
route('/forgot-password', forgot);
route('/reset-password', reset);
route('/applications/:id', application, { auth: true });
route('/admin/contests', adminContests, { auth: true });
route('/admin/contests/:id/applications', adminApplications, { auth: true });

const NAV = {
  admin: [['/', 'nav.dashboard'], ['/admin/contests', 'nav.contests']],
  judge: [['/', 'nav.reviews']],
  applicant: [['/', 'nav.application'], ['/contests', 'nav.contests']],
  anonymous: [['/contests', 'nav.contests']],
};

function renderHeader() {
  const user = session.user;
  const nav = document.getElementById('topnav');
  nav.replaceChildren(
    ...(user ? NAV[user.role] || [] : NAV.anonymous).map(([href, key]) =>
      h('a', { href, 'data-link': true, 'aria-current': location.pathname === href ? 'page' : null }, t(key)),
    ),
  );
  const who = document.getElementById('whoami');
  who.hidden = !user;
  who.textContent = user ? user.name : '';
  document.getElementById('logout').hidden = !user;
  document.getElementById('lang-switch').value = getLocale();
}

async function render() {
  const path = location.pathname;
  const found = match(path);
  const screen = found ? found.screen : notFound;
  if (found?.auth && !session.user) {
    navigate(`/login?next=${encodeURIComponent(path + location.search)}`, { replace: true });
    return;
  }
  renderHeader();
  const params = { ...(found?.params || {}), query: new URLSearchParams(location.search) };
  const main = mount(h('div', { dataset: { screen: screen.name || 'screen' } }, h('p.loading', '…')));
  try {
    const node = await screen.render(params, { session, navigate });
    node.dataset.screen = screen.name;
    main.replaceChildren(node);
  } catch (e) {
    main.replaceChildren(h('div.alert.alert-error', { role: 'alert', dataset: { screen: 'error' } }, t(`error.${e.code || 'unknown'}`)));
  }
  document.title = `${t(screen.title || 'app.title')} · Jury`;
}

api.onSessionChange((user) => {
  session.user = user;
  renderHeader();
});

document.getElementById('lang-switch').addEventListener('change', async (e) => {
  const lang = e.target.value;
  await setLocale(lang);
  if (session.user) {
    try {
      const me = await api.patch('/me', { locale: lang });
      session.user = me;
    } catch {
      /* the choice still holds in this browser */
    }
  }
  render();
});

document.getElementById('logout').addEventListener('click', async () => {
  await api.logout();
  navigate('/login');
});

onNavigate(render);

(async () => {
  await setLocale(initialLocale(), { remember: false });
  if (await api.refresh()) {
    try {
      session.user = await api.get('/me');
      if (session.user.locale && session.user.locale !== getLocale()) await setLocale(session.user.locale);
    } catch {
      session.user = null;
    }
  }
  start();
})();

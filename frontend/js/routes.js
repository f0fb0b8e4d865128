// Every page of the app, and the header navigation per role. Adding a screen: write
// js/screens/<name>.js (default export { name, title, render }), add one route() line here
// (lazy `() => import(…)` unless it is part of the first page), add its i18n keys.
//
// Options: { auth: true } sends signed-out visitors to /login?next=…; { roles: ['admin'] }
// also limits it to those roles (others see "not found", as the API answers 404 too).
import { route } from './router.js';
import home from './screens/home.js';
import login from './screens/login.js';
import notFound from './screens/notfound.js';

const contest = () => import('./screens/contest.js');
const account = () => import('./screens/account.js');
const admin = () => import('./screens/admin-applications.js');

route('/', home);
route('/login', login);
route('/setup', () => import('./screens/setup.js'));
route('/register', () => account().then((m) => m.register));
route('/verify-email', () => account().then((m) => m.verify));
route('/forgot-password', () => account().then((m) => m.forgot));
route('/reset-password', () => account().then((m) => m.reset));
route('/contests', () => contest().then((m) => m.contestList));
route('/contests/:id', () => contest().then((m) => m.contestLanding));
route('/applications/:id', () => import('./screens/application.js'), { auth: true });
route('/admin/contests', () => admin().then((m) => m.adminContests), { roles: ['admin'] });
route('/admin/contests/:id/applications', () => admin().then((m) => m.adminApplications), { roles: ['admin'] });

export { notFound };

/// Header links per role: [path, i18n key]. The current page is marked aria-current.
export const NAV = {
  admin: [['/', 'nav.dashboard'], ['/admin/contests', 'nav.contests']],
  judge: [['/', 'nav.reviews']],
  applicant: [['/', 'nav.application'], ['/contests', 'nav.contests']],
  anonymous: [['/contests', 'nav.contests']],
};

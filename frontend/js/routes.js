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
const judge = () => import('./screens/judge.js');
const rounds = () => import('./screens/admin-rounds.js');
const judges = () => import('./screens/admin-judges.js');
const results = () => import('./screens/results.js');
const JUDGE = { roles: ['judge'] };
const ADMIN = { roles: ['admin'] };

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
route('/contests/:id/results', () => results().then((m) => m.publicResults));
route('/day', () => import('./screens/day.js'));
route('/vote/:key', () => import('./screens/vote.js'));
route('/accept-invitation', () => judge().then((m) => m.acceptInvitation));
route('/judge', () => judge().then((m) => m.queue), JUDGE);
route('/judge/profile', () => judge().then((m) => m.profile), JUDGE);
route('/judge/entries', () => import('./screens/judge-entries.js'), JUDGE);
route('/judge/assignments/:id', () => import('./screens/scoring.js'), JUDGE);
route('/judge/live/:id', () => import('./screens/live-judge.js'), JUDGE);
route('/admin/contests', () => admin().then((m) => m.adminContests), ADMIN);
route('/admin/contests/new', () => import('./screens/admin-contest.js'), ADMIN);
route('/admin/contests/:id/edit', () => import('./screens/admin-contest.js'), ADMIN);
route('/admin/contests/:id/applications', () => admin().then((m) => m.adminApplications), ADMIN);
route('/admin/contests/:id/rounds', () => rounds().then((m) => m.adminRounds), ADMIN);
route('/admin/contests/:id/judges', () => judges().then((m) => m.adminJudges), ADMIN);
route('/admin/contests/:id/conflicts', () => judges().then((m) => m.adminConflicts), ADMIN);
route('/admin/contests/:id/announcements', () => import('./screens/admin-announcements.js'), ADMIN);
route('/admin/contests/:id/day-links', () => import('./screens/admin-day-links.js'), ADMIN);
route('/admin/contests/:id/organisations', () => import('./screens/admin-organisations.js'), ADMIN);
route('/admin/rounds/:id', () => rounds().then((m) => m.adminRound), ADMIN);
route('/admin/rounds/:id/audience-vote', () => import('./screens/admin-audience-vote.js'), ADMIN);
route('/admin/rounds/:id/live', () => import('./screens/live-board.js'), ADMIN);
route('/live/display/:token', () => import('./screens/live-display.js'));
route('/admin/outbox', () => import('./screens/admin-outbox.js'), ADMIN);
route('/admin/audit', () => import('./screens/admin-audit.js'), ADMIN);
route('/account/data', () => import('./screens/privacy.js').then((m) => m.myData), { auth: true });
route('/notifications', () => import('./screens/notifications.js'), { auth: true });
route('/account/password', () => import('./screens/password.js'), { auth: true });
route('/account', () => import('./screens/two-factor.js'), { auth: true });

export { notFound };

/// Header links per role: [path, i18n key]. The current page is marked aria-current.
export const NAV = {
  admin: [['/', 'nav.dashboard'], ['/admin/contests', 'nav.contests'], ['/account', 'nav.account']],
  judge: [['/judge', 'nav.reviews'], ['/judge/profile', 'nav.profile'], ['/account/data', 'nav.my_data'], ['/account', 'nav.account']],
  applicant: [['/', 'nav.application'], ['/contests', 'nav.contests'], ['/account/data', 'nav.my_data']],
  anonymous: [['/contests', 'nav.contests']],
};

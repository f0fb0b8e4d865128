import * as api from '../api.js';
import { t, pick, formatDate } from '../i18n.js';
import { h, empty } from '../ui/dom.js';
import { contestCard } from './contest.js';

const ADMIN_TILES = [
  ['contests', 'home.admin.contests', '/admin/contests'],
  ['applications', 'home.admin.applications', '/admin/contests'],
  ['judges', 'home.admin.judges', '/admin/contests'],
  ['rounds', 'home.admin.rounds', '/admin/contests'],
  ['outbox', 'home.admin.outbox', '/admin/outbox'],
  ['audit', 'home.admin.audit', null],
];

async function applicantHome(user) {
  const [mine, contests] = await Promise.all([api.get('/me/applications'), api.get('/contests')]);
  const started = new Set(mine.map((a) => a.contest_id));
  const open = contests.filter((c) => c.phase === 'open' && !started.has(c.id));
  const names = Object.fromEntries(contests.map((c) => [c.id, pick(c.name)]));
  return h('section',
    h('h1', t('home.applicant.title')), h('p.lead', t('home.greeting', { name: user.name })),
    mine.length
      ? h('div.grid', mine.map((a) => h('article.card.tile', { dataset: { application: a.id } },
          h('h3', h('a', { href: `/applications/${a.id}`, 'data-link': true }, a.company_name || t('application.untitled'))),
          h('p.muted', names[a.contest_id] || ''),
          h('p', h('span.badge', t(`status.${a.status}`)), ' ', t('application.percent_complete', { percent: a.completeness.percent })),
          h('progress', { max: '100', value: String(a.completeness.percent), 'aria-label': t('application.completeness') }),
          h('p.muted', t('contest.deadline', { date: formatDate(a.closes_at), zone: '' })))))
      : empty(t('home.applicant.empty'), t('home.applicant.next')),
    open.length ? [h('h2', t('contest.open_now')), h('div.grid', open.map(contestCard))] : null);
}

export default {
  name: 'home',
  title: 'app.title',
  async render(params, ctx) {
    const { session } = ctx;
    const user = session.user;
    if (!user) {
      const contests = await api.get('/contests').catch(() => []);
      return h('section',
        h('h1', t('home.welcome')),
        h('p.lead', t('home.anonymous')),
        contests.length ? h('div.grid', contests.map(contestCard)) : empty(t('contest.none'), t('contest.none_next')),
        h('div.actions', h('a.btn', { href: '/register', 'data-link': true }, t('register.title')), h('a.btn.btn-ghost', { href: '/login', 'data-link': true }, t('login.title'))));
    }
    if (user.role === 'admin') {
      return h('section',
        h('h1', t('home.admin.title')),
        h('p.lead', t('home.greeting', { name: user.name })),
        h('div.grid', ADMIN_TILES.map(([key, label, href]) =>
          h('div.card.tile', { dataset: { tile: key } },
            h('h3', href ? h('a', { href, 'data-link': true }, t(label)) : t(label)), h('p.muted', t(`${label}.empty`))))));
    }
    if (user.role === 'judge') {
      const { queue } = await import('./judge.js');
      return queue.render(params, ctx);
    }
    return applicantHome(user);
  },
};

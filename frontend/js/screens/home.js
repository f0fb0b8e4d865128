import { t } from '../i18n.js';
import { h, empty } from '../ui/dom.js';

const ADMIN_TILES = [
  ['contests', 'home.admin.contests'],
  ['applications', 'home.admin.applications'],
  ['judges', 'home.admin.judges'],
  ['rounds', 'home.admin.rounds'],
  ['outbox', 'home.admin.outbox'],
  ['audit', 'home.admin.audit'],
];

export default {
  name: 'home',
  title: 'app.title',
  async render(_params, { session }) {
    const user = session.user;
    if (!user) {
      return h('section.card.narrow',
        h('h1', t('home.welcome')),
        h('p.lead', t('home.anonymous')),
        h('div.actions', h('a.btn', { href: '/login', 'data-link': true }, t('login.title'))));
    }
    if (user.role === 'admin') {
      return h('section',
        h('h1', t('home.admin.title')),
        h('p.lead', t('home.greeting', { name: user.name })),
        h('div.grid', ADMIN_TILES.map(([key, label]) =>
          h('div.card.tile', { dataset: { tile: key } }, h('h3', t(`${label}`)), h('p.muted', t(`${label}.empty`))))));
    }
    if (user.role === 'judge') {
      return h('section', h('h1', t('home.judge.title')), h('p.lead', t('home.greeting', { name: user.name })), empty(t('home.judge.empty'), t('home.judge.next')));
    }
    return h('section', h('h1', t('home.applicant.title')), h('p.lead', t('home.greeting', { name: user.name })), empty(t('home.applicant.empty'), t('home.applicant.next')));
  },
};

import * as api from '../api.js';
import { t, pick, formatDate, formatNumber } from '../i18n.js';
import { meter } from '../ui/forms.js';
import { h, empty } from '../ui/dom.js';
import { contestCard } from './contest.js';

const ADMIN_TILES = [
  ['contests', 'home.admin.contests', '/admin/contests'],
  ['applications', 'home.admin.applications', '/admin/contests'],
  ['judges', 'home.admin.judges', '/admin/contests'],
  ['rounds', 'home.admin.rounds', '/admin/contests'],
  ['outbox', 'home.admin.outbox', '/admin/outbox'],
  ['audit', 'home.admin.audit', '/admin/audit'],
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
          h('h2', h('a', { href: `/applications/${a.id}`, 'data-link': true }, a.company_name || t('application.untitled'))),
          h('p.muted', names[a.contest_id] || ''),
          h('p', h('span.badge', t(`status.${a.status}`)), ' ', t('application.percent_complete', { percent: a.completeness.percent })),
          h('progress', { max: '100', value: String(a.completeness.percent), 'aria-label': t('application.completeness') }),
          h('p.muted', t('contest.deadline', { date: formatDate(a.closes_at), zone: '' })))))
      : empty(t('home.applicant.empty'), t('home.applicant.next')),
    open.length ? [h('h2', t('contest.open_now')), h('div.grid', open.map((c) => contestCard(c, 'h3')))] : null);
}

/// The edition's steps in order, each done, next (the first not done) or waiting for the step
/// before it, with a link to the screen where it is done.
function checklist(c, { judges, rounds, submitted, progress }) {
  // The round the edition is busy with: the first one not published, else the last.
  let i = rounds.findIndex((r) => r.state !== 'published');
  if (i < 0) i = rounds.length - 1;
  const round = rounds[i] || null;
  const after = (state) => round && ['setup', 'judging', 'closed', 'published'].indexOf(round.state) >= ['setup', 'judging', 'closed', 'published'].indexOf(state);
  const roundLink = (tab) => (round ? `/admin/rounds/${round.id}?tab=${tab}` : `/admin/contests/${c.id}/rounds`);
  const steps = [
    ['created', true, `/admin/contests/${c.id}/edit`],
    ['tracks', c.tracks.length > 0, `/admin/contests/${c.id}/edit`],
    ['open', c.published && c.phase !== 'upcoming', `/admin/contests/${c.id}/edit`],
    ['applications', submitted > 0, `/admin/contests/${c.id}/applications`],
    ['judges', judges > 0, `/admin/contests/${c.id}/judges`],
    ['round', rounds.length > 0, `/admin/contests/${c.id}/rounds`],
    ['rubric', !!round && round.criteria > 0, roundLink('rubric')],
    ['assignments', !!round && (progress[i]?.assignments ?? 0) > 0, roundLink('assignments')],
    ['judging', after('judging'), roundLink('settings')],
    ['closed', after('closed'), roundLink('settings')],
    ['awards', (c.awards || []).length > 0, `/admin/contests/${c.id}/edit`],
    ['published', after('published'), roundLink('results')],
  ];
  let next = null;
  const items = steps.map(([key, done, href], n) => {
    let state = 'done';
    if (!done) {
      state = next === null ? 'next' : 'blocked';
      if (next === null) next = n;
    }
    const label = h('a', { href }, t(`checklist.${key}`));
    return h(`li.step.step-${state}`, { dataset: { step: key, state } },
      h('span.step-mark', { 'aria-hidden': 'true' }, state === 'done' ? '✓' : state === 'next' ? '→' : '·'),
      label, ' ', h('span.muted', t(`checklist.state.${state}`, { step: next === null ? '' : t(`checklist.${steps[next][0]}`) })));
  });
  return h('details.checklist-box', { open: next !== null },
    h('summary', t('checklist.title', { done: steps.filter(([, d]) => d).length, total: steps.length })),
    h('ol.steps-list', items));
}

/// Per contest: the edition's checklist, applications submitted and in draft, the deadline,
/// and each round's state with a progress meter while it is being judged.
/// Organiser staff (issue 22) work in their organisation's contest only.
async function adminOverview(user) {
  const all = await api.get('/contests').catch(() => []);
  const organisation = user.organisation_id ? await api.get(`/organisations/${user.organisation_id}`).catch(() => null) : null;
  const contests = user.organisation_id ? all.filter((c) => c.id === organisation?.contest_id) : all;
  if (!contests.length) return null;
  const cards = await Promise.all(contests.map(async (c) => {
    const count = (status) => api.get(`/contests/${c.id}/applications?per_page=1&status=${status}`).then((r) => r.total).catch(() => 0);
    const [submitted, drafts, rounds, judges] = await Promise.all([count('submitted'), count('draft'), api.get(`/contests/${c.id}/rounds`).catch(() => []),
      api.get(`/contests/${c.id}/judges`).then((j) => j.length).catch(() => 0)]);
    const progress = await Promise.all(rounds.map((r) => (r.state !== 'published' ? api.get(`/rounds/${r.id}/progress`).catch(() => null) : null)));
    return h('article.card', { dataset: { contest: c.id } },
      h('div.page-head', h('h2', h('a', { href: `/admin/contests/${c.id}/rounds` }, pick(c.name))), h('span.badge', t(`contest.phase.${c.phase}`))),
      h('div.figures',
        h('div.figure', h('strong', formatNumber(submitted)), h('span.muted', t('home.admin.submitted'))),
        h('div.figure', h('strong', formatNumber(drafts)), h('span.muted', t('home.admin.drafts'))),
        h('div.figure', h('strong', formatDate(c.closes_at, { withTime: false })), h('span.muted', t('home.admin.deadline')))),
      checklist(c, { judges, rounds, submitted, progress }),
      rounds.map((r, i) => h('div.round-line', { dataset: { round: r.id } },
        h('p', h('a', { href: `/admin/rounds/${r.id}` }, pick(r.name)), ' ', h('span.badge', t(`round.state.${r.state}`))),
        progress[i] && r.state === 'judging' ? meter(Math.round(progress[i].percent), t('progress.overall', { done: progress[i].submitted, total: progress[i].assignments, drafts: progress[i].drafts })) : null)));
  }));
  return h('div.overview', cards);
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
        contests.length ? h('div.grid', contests.map((c) => contestCard(c))) : empty(t('contest.none'), t('contest.none_next')),
        h('div.actions', h('a.btn', { href: '/register', 'data-link': true }, t('register.title')), h('a.btn.btn-ghost', { href: '/login', 'data-link': true }, t('login.title'))));
    }
    if (user.role === 'admin') {
      const overview = await adminOverview(user);
      return h('section',
        h('div.page-head', h('h1', t('home.admin.title')),
          user.organisation_id ? null : h('a.btn#new-contest', { href: '/admin/contests/new' }, t('contest.form.new'))),
        h('p.lead', t('home.greeting', { name: user.name })),
        overview,
        h('div.grid', ADMIN_TILES.map(([key, label, href]) =>
          h('div.card.tile', { dataset: { tile: key } },
            h('h3', href ? h('a', { href, 'data-link': true }, t(label)) : t(label)),
            // With a contest running, say what the page is for; before, what to do first.
            h('p.muted', t(overview ? `${label}.desc` : `${label}.empty`))))));
    }
    if (user.role === 'judge') {
      const { queue } = await import('./judge.js');
      return queue.render(params, ctx);
    }
    return applicantHome(user);
  },
};

// Public contest pages: the list of open editions and one edition's landing page.
import * as api from '../api.js';
import { t, pick, formatDate } from '../i18n.js';
import { h, empty, toast } from '../ui/dom.js';

export function phaseBadge(phase) {
  const cls = { open: 'span.badge.badge-ok', upcoming: 'span.badge', closed: 'span.badge.badge-bad' }[phase] || 'span.badge';
  return h(cls, t(`contest.phase.${phase}`));
}

export function contestCard(c) {
  return h('article.card.tile', { dataset: { contest: c.id } },
    h('h3', h('a', { href: `/contests/${c.id}`, 'data-link': true }, pick(c.name)), ' ', phaseBadge(c.phase)),
    h('p.muted', t('contest.deadline', { date: formatDate(c.closes_at, { timeZone: c.timezone }), zone: c.timezone })));
}

export const contestList = {
  name: 'contests',
  title: 'contest.list_title',
  async render() {
    const contests = await api.get('/contests');
    return h('section', h('h1', t('contest.list_title')),
      contests.length ? h('div.grid', contests.map(contestCard)) : empty(t('contest.none'), t('contest.none_next')));
  },
};

async function startApplication(contest, session, navigate) {
  if (!session.user) {
    navigate(`/register?contest=${contest.id}`);
    return;
  }
  try {
    const app = await api.post(`/contests/${contest.id}/applications`, {});
    navigate(`/applications/${app.id}`);
  } catch (e) {
    if (e.code === 'application_exists') {
      const mine = await api.get('/me/applications');
      const existing = mine.find((a) => a.contest_id === contest.id);
      if (existing) return navigate(`/applications/${existing.id}`);
    }
    toast(api.errorMessage(e));
  }
}

export const contestLanding = {
  name: 'contest',
  title: 'contest.list_title',
  async render({ id }, { session, navigate }) {
    const c = await api.get(`/contests/${id}`);
    const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const when = (iso) => [
      formatDate(iso, { timeZone: c.timezone }), ` (${c.timezone})`,
      local !== c.timezone ? h('br') : null,
      local !== c.timezone ? h('span.muted', t('contest.your_time', { time: formatDate(iso) })) : null,
    ];
    const rules = [];
    if (c.eligibility.founded_within_years) rules.push(t('contest.rule_founded', { years: c.eligibility.founded_within_years }));
    if (c.eligibility.allowed_countries.length) rules.push(t('contest.rule_countries', { list: c.eligibility.allowed_countries.join(', ') }));
    const canApply = c.phase === 'open' && (!session.user || session.user.role === 'applicant');
    const apply = h('button.btn', { type: 'button', id: 'apply', disabled: !canApply }, t(session.user ? 'contest.apply' : 'contest.apply_register'));
    apply.addEventListener('click', () => startApplication(c, session, navigate));
    return h('section',
      h('p', phaseBadge(c.phase)),
      h('h1', pick(c.name)),
      pick(c.description) ? h('p.lead', pick(c.description)) : null,
      h('div.card',
        h('h2', t('contest.timeline')),
        h('dl.timeline', h('dt', t('contest.opens')), h('dd', when(c.opens_at)), h('dt', t('contest.closes')), h('dd', when(c.closes_at)))),
      h('h2', t('contest.tracks')),
      h('ul.chips', c.tracks.map((tr) => h('li', pick(tr.name)))),
      h('h2', t('contest.rules')),
      rules.length ? h('ul', rules.map((r) => h('li', r))) : h('p.muted', t('contest.rules_none')),
      h('div.actions', apply));
  },
};

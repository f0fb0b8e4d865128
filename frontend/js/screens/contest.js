// Public contest pages: the list of open editions and one edition's landing page.
import * as api from '../api.js';
import { t, pick, formatDate } from '../i18n.js';
import { h, empty, toast } from '../ui/dom.js';
import { countryName } from '../ui/words.js';

export function phaseBadge(phase) {
  const cls = { open: 'span.badge.badge-ok', upcoming: 'span.badge', closed: 'span.badge.badge-bad' }[phase] || 'span.badge';
  return h(cls, t(`contest.phase.${phase}`));
}

/// A contest as a tile; `level` is its heading's tag, one below the section it sits in.
export function contestCard(c, level = 'h2') {
  return h('article.card.tile', { dataset: { contest: c.id } },
    h(level, h('a', { href: `/contests/${c.id}`, 'data-link': true }, pick(c.name)), ' ', phaseBadge(c.phase)),
    h('p.muted', t('contest.deadline', { date: formatDate(c.closes_at, { timeZone: c.timezone }), zone: c.timezone })));
}

export const contestList = {
  name: 'contests',
  title: 'contest.list_title',
  async render() {
    const contests = await api.get('/contests');
    return h('section', h('h1', t('contest.list_title')),
      contests.length ? h('div.grid', contests.map((c) => contestCard(c))) : empty(t('contest.none'), t('contest.none_next')));
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
    if (c.eligibility.allowed_countries.length) rules.push(t('contest.rule_countries', { list: c.eligibility.allowed_countries.map(countryName).join(', ') }));
    const applicant = session.user?.role === 'applicant';
    const [mine, published] = await Promise.all([
      applicant ? api.get('/me/applications').catch(() => []) : [],
      c.phase === 'closed' ? api.get(`/contests/${c.id}/results`).catch(() => []) : [],
    ]);
    const existing = mine.find((a) => a.contest_id === c.id);
    // A disabled button always says why; an applicant who applied goes to their application.
    let why = null;
    if (c.phase === 'upcoming') why = t('contest.why.upcoming', { date: formatDate(c.opens_at, { timeZone: c.timezone }), zone: c.timezone });
    else if (c.phase === 'closed') why = t('contest.why.closed', { date: formatDate(c.closes_at, { timeZone: c.timezone }), zone: c.timezone });
    else if (session.user && !applicant) why = t('contest.why.staff');
    const apply = existing
      ? h('a.btn#apply', { href: `/applications/${existing.id}` }, t('contest.open_application'))
      : h('button.btn', { type: 'button', id: 'apply', disabled: !!why, 'aria-describedby': why ? 'apply-why' : null }, t(session.user ? 'contest.apply' : 'contest.apply_register'));
    if (!existing) apply.addEventListener('click', () => startApplication(c, session, navigate));
    const results = published.length
      ? h('p#contest-results-link', h('a.btn.btn-ghost', { href: `/contests/${c.id}/results` }, t('contest.see_results')))
      : null;
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
      h('div.actions', apply), why && !existing ? h('p.muted#apply-why', why) : null,
      results);
  },
};

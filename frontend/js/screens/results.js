// Published results: the public page of a contest (every published round, the applications
// that went through or, in the final, the awards and their winners, and the snapshot's SHA-256
// so anyone can check nothing changed), and the applicant's own result card (award, rank,
// score, feedback) for the application screen.
import * as api from '../api.js';
import { t, pick, formatDate, formatNumber } from '../i18n.js';
import { h, empty } from '../ui/dom.js';
import { trackName } from '../ui/words.js';

const entry = (contest, e) => h('li', h('span.rank', e.rank ? `${e.rank}` : '—'), h('strong', e.company_name), ' ', h('span.badge', trackName(contest, e.track)));

export const publicResults = {
  name: 'public-results',
  title: 'results.public_title',
  async render({ id }) {
    const [contest, rounds] = await Promise.all([api.get(`/contests/${id}`), api.get(`/contests/${id}/results`)]);
    return h('section',
      h('p.muted', h('a', { href: `/contests/${id}` }, pick(contest.name))),
      h('h1', t('results.public_title')),
      rounds.length
        ? rounds.map((r) => h('article.card', { dataset: { round: r.round_id } },
            h('h2', pick(r.round_name)),
            h('p.muted', t('results.published_on', { date: formatDate(r.published_at), entries: r.entries })),
            r.final_round && r.awards.some((a) => a.winners.length)
              ? r.awards.filter((a) => a.winners.length).map((a) => h('section.award-tier', { dataset: { award: a.key } },
                  h('h3', pick(a.name)), a.prize ? h('p.muted', pick(a.prize)) : null,
                  h('ul.results-list', a.winners.map((e) => entry(contest, e)))))
              : r.advanced.length
                ? h('ol.results-list', r.advanced.map((e) => entry(contest, e)))
                : h('p', t(r.final_round ? 'results.final_no_awards' : 'results.none_advanced')),
            h('details', h('summary', t('results.digest')), h('p.hint', t('results.digest_hint')), h('code.digest', r.sha256))))
        : empty(t('results.public_none'), t('results.public_none_next')));
  },
};

function outcome(r) {
  if (r.award) return h('span.badge.badge-ok', t('results.awarded'));
  if (r.advanced) return h('span.badge.badge-ok', t('results.advanced'));
  return h('span.badge', t(r.final_round ? 'results.final_placed' : 'results.not_advanced'));
}

/// The applicant's result for one application, or null before anything is published.
export async function myResultCard(applicationId) {
  const results = await api.get(`/applications/${applicationId}/result`).catch(() => null);
  const list = Array.isArray(results) ? results : results ? [results] : [];
  if (!list.length) return null;
  return h('div.card#my-result', list.map((r) => h('div', { dataset: { round: r.round_id } },
    h('h2', t('results.mine', { round: pick(r.round_name) })),
    r.award ? h('p.award-won', h('strong', t('results.award_won', { award: pick(r.award.name) })), r.award.prize ? h('span.muted', ` · ${pick(r.award.prize)}`) : null) : null,
    h('p', outcome(r),
      r.rank ? ` ${t('results.rank_of', { rank: r.rank, entries: r.entries })}` : '',
      r.score !== null && r.score !== undefined ? ` · ${t('results.score', { score: formatNumber(Math.round(r.score * 10) / 10) })}` : ''),
    r.feedback.length ? [h('h3', t('results.feedback')), h('ul.feedback', r.feedback.map((f) => h('li.prewrap', f)))] : null)));
}

// The round's progress: overall completion, each judge's bar (least finished first), the
// entries still missing reviews, and reminders to judges with unfinished reviews (the server
// sends at most one per judge per day and honours each judge's opt-out). Refreshes itself
// every 15 seconds while the tab is visible, so admins watch it move.
import * as api from '../api.js';
import { t, formatNumber } from '../i18n.js';
import { h, empty, toast } from '../ui/dom.js';
import { meter, onClick } from '../ui/forms.js';
import { regionName } from '../ui/words.js';

function content(p) {
  const judges = [...p.judges].sort((a, b) => a.submitted / (a.assigned || 1) - b.submitted / (b.assigned || 1) || a.name.localeCompare(b.name));
  const short = p.applications.filter((a) => a.submitted < a.assigned || a.open_seats > 0);
  return [
    meter(Math.round(p.percent), t('progress.overall', { done: p.submitted, total: p.assignments, drafts: p.drafts })),
    h('h3', t('progress.judges')),
    judges.length
      ? h('div.bars#progress-judges', judges.map((j) =>
          h('div.bar-row', { dataset: { judge: j.judge_id, submitted: j.submitted } },
            h('span.bar-label', j.name, ' ', h('span.muted', regionName(j.region))),
            h('progress', { max: String(Math.max(j.assigned, 1)), value: String(j.submitted), 'aria-label': t('progress.judge_of', { name: j.name }) }),
            h('span.bar-value', t('progress.judge_value', { done: j.submitted, total: j.assigned, drafts: j.drafts })))))
      : empty(t('progress.no_assignments'), t('progress.no_assignments_next')),
    h('h3', t('progress.applications', { count: short.length })),
    short.length
      ? h('table.table.table-cards',
          h('thead', h('tr', h('th', t('assign.application')), h('th', t('progress.col.reviews')), h('th', t('progress.col.open')))),
          h('tbody', short.slice(0, 200).map((a) => h('tr', { dataset: { application: a.application_id } },
            h('td', { 'data-label': t('assign.application') }, a.company_name),
            h('td', { 'data-label': t('progress.col.reviews') }, `${formatNumber(a.submitted)} / ${formatNumber(a.assigned)}`),
            h('td', { 'data-label': t('progress.col.open') }, formatNumber(a.open_seats))))))
      : h('p.muted', t('progress.all_done')),
  ];
}

export default async function progressTab(round) {
  const p = await api.get(`/rounds/${round.id}/progress`);
  const body = h('div#progress-body', content(p));
  const remind = h('button.btn#send-reminders', { type: 'button', disabled: round.state !== 'judging' }, t('progress.remind'));
  onClick(remind, async () => {
    const r = await api.post(`/rounds/${round.id}/reminders`);
    toast(t('progress.reminded', { queued: r.queued, skipped: r.skipped }), { kind: 'ok' });
  });
  const card = h('div.card', h('div.page-head', h('h2', t('round.tab.progress')), remind), h('p.hint', t('progress.remind_hint')), body);
  const timer = setInterval(async () => {
    if (!card.isConnected) return clearInterval(timer);
    if (document.hidden) return;
    try {
      body.replaceChildren(...content(await api.get(`/rounds/${round.id}/progress`)));
    } catch {
      /* the next tick tries again */
    }
  }, 15000);
  return card;
}

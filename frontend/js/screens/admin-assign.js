// The round's assignments: one-button optimal assignment (preview the figures and the diff,
// then apply), the panel matrix (applications × seats, judges as chips that can be moved or
// removed), judge load bars, and adding a pair by hand. Refusals come back with the API's
// localized reason (conflict of interest, panel full, judge at capacity…).
import * as api from '../api.js';
import { t, formatNumber } from '../i18n.js';
import { h, empty, toast } from '../ui/dom.js';
import { openDialog } from '../ui/dialog.js';
import { onClick } from '../ui/forms.js';
import { regionName, reviewStatusName } from '../ui/words.js';

const PAGE = 25;

function figures(r) {
  const item = (key, value) => h('div.figure', h('strong', formatNumber(value)), h('span.muted', t(`assign.fig.${key}`)));
  return h('div.figures',
    item('reviews', r.objective.reviews), item('regions', r.objective.regions_covered), item('affinity', r.objective.affinity),
    item('added', r.added.length), item('removed', r.removed.length), item('locked', r.locked), item('unfilled', r.unfilled.length));
}

function preview(round, result, apply) {
  const box = h('div.card#assign-preview', { 'aria-live': 'polite' },
    h('h3', result.dry_run ? t('assign.preview') : t('assign.applied')),
    figures(result),
    result.capacity_shortfall > 0 ? h('p.alert', t('assign.shortfall', { count: result.capacity_shortfall })) : null,
    result.unfilled.length
      ? h('details', h('summary', t('assign.unfilled', { count: result.unfilled.length })),
          h('ul', result.unfilled.slice(0, 100).map((u) => h('li', t('assign.unfilled_row', { application: u.application_id, missing: u.missing }), ' — ', u.reason))))
      : null,
    result.explanations?.length
      ? h('details', h('summary', t('assign.why')),
          h('ul', result.explanations.slice(0, 50).map((e) => h('li', e.text))))
      : null);
  if (result.dry_run && (result.added.length || result.removed.length)) {
    const b = h('button.btn#assign-apply', { type: 'button' }, t('assign.apply', { added: result.added.length, removed: result.removed.length }));
    onClick(b, apply);
    box.append(h('div.actions', b));
  } else if (result.dry_run) {
    box.append(h('p.muted', t('assign.nothing_to_change')));
  }
  return box;
}

function loadBars(judges, byJudge) {
  const rows = judges.filter((j) => j.status !== 'disabled').map((j) => {
    const load = byJudge.get(j.id) || 0;
    const cap = j.profile.capacity || 0;
    return h('div.bar-row', { dataset: { judge: j.id } },
      h('span.bar-label', j.name, ' ', h('span.muted', regionName(j.profile.region))),
      h('progress', { max: String(Math.max(cap, load, 1)), value: String(load), 'aria-label': t('assign.load_of', { name: j.name }) }),
      h('span.bar-value', `${load} / ${cap}`));
  });
  return rows.length ? h('div.bars', rows) : null;
}

export default async function assignmentsTab(round, { reload, query, navigate }) {
  const [list, progress, judges] = await Promise.all([
    api.get(`/rounds/${round.id}/assignments`),
    api.get(`/rounds/${round.id}/progress`),
    api.get(`/contests/${round.contest_id}/judges`),
  ]);
  const editable = round.state === 'setup' || round.state === 'judging';
  const byApp = new Map();
  const byJudge = new Map();
  for (const a of list) {
    if (!byApp.has(a.application_id)) byApp.set(a.application_id, []);
    byApp.get(a.application_id).push(a);
    byJudge.set(a.judge_id, (byJudge.get(a.judge_id) || 0) + 1);
  }

  const run = h('button.btn#assign-run', { type: 'button', disabled: !editable }, t('assign.run'));
  const out = h('div');
  onClick(run, async () => {
    out.replaceChildren(h('p.muted', { role: 'status' }, h('progress', { 'aria-label': t('assign.running') }), ' ', t('assign.running')));
    const result = await api.post(`/rounds/${round.id}/assignments/auto`, { dry_run: true });
    out.replaceChildren(preview(round, result, async () => {
      const applied = await api.post(`/rounds/${round.id}/assignments/auto`, { dry_run: false });
      toast(t('assign.applied_toast', { added: applied.added.length, removed: applied.removed.length }), { kind: 'ok' });
      reload();
    }));
  }, {
    onError: (err) => {
      out.replaceChildren(h('div.alert.alert-error', { role: 'alert' }, api.errorMessage(err)));
      return true;
    },
  });

  const chip = (a) => {
    const b = h('button.chip', { type: 'button', disabled: !editable || a.review_status === 'submitted', dataset: { assignment: a.id, region: a.judge_region } },
      a.judge_name, ' ', h('span.muted', regionName(a.judge_region)), ' ', h('span.badge', reviewStatusName(a.review_status)));
    b.addEventListener('click', () => editChip(a));
    return b;
  };
  const judgeOptions = (exclude) => judges.filter((j) => j.status !== 'disabled' && !exclude.has(j.id))
    .map((j) => h('option', { value: j.id }, `${j.name} · ${regionName(j.profile.region)} · ${byJudge.get(j.id) || 0}/${j.profile.capacity}`));
  async function editChip(a) {
    const panel = new Set((byApp.get(a.application_id) || []).map((x) => x.judge_id));
    const sel = h('select#move-judge', h('option', { value: '' }, t('common.choose')), judgeOptions(panel));
    const choice = await openDialog({
      title: t('assign.edit', { judge: a.judge_name, company: a.company_name }),
      content: [h('div.field', h('label', { for: 'move-judge' }, t('assign.move_to')), sel)],
      focus: sel,
      buttons: [{ label: t('assign.move'), value: 'move' }, { label: t('assign.remove'), value: 'remove', kind: 'danger' }],
    });
    try {
      if (choice === 'move' && sel.value) await api.post(`/assignments/${a.id}/move`, { judge_id: Number(sel.value) });
      else if (choice === 'remove') await api.del(`/assignments/${a.id}`);
      else return;
      toast(t('assign.changed'), { kind: 'ok' });
      reload();
    } catch (err) {
      toast(api.errorMessage(err), { kind: 'error', timeout: 10000 });
    }
  }

  // The matrix: one row per entry, one column per seat, paged.
  const filter = (query.get('q') || '').toLowerCase();
  const entries = progress.applications.filter((p) => !filter || p.company_name.toLowerCase().includes(filter));
  const page = Math.max(1, Number(query.get('page') || 1));
  const pages = Math.max(1, Math.ceil(entries.length / PAGE));
  const k = round.reviews_per_application;
  const rows = entries.slice((page - 1) * PAGE, page * PAGE).map((p) => {
    const panel = byApp.get(p.application_id) || [];
    const seats = [];
    for (let i = 0; i < Math.max(k, panel.length); i += 1) {
      seats.push(h('td', { 'data-label': t('assign.seat', { n: i + 1 }) }, panel[i] ? chip(panel[i]) : h('span.seat-open', t('assign.open_seat'))));
    }
    const add = h('select', { 'aria-label': t('assign.add_to', { company: p.company_name }), disabled: !editable || panel.length >= k, dataset: { addFor: p.application_id } },
      h('option', { value: '' }, t('assign.add')), judgeOptions(new Set(panel.map((x) => x.judge_id))));
    add.addEventListener('change', async () => {
      if (!add.value) return;
      try {
        await api.post(`/rounds/${round.id}/assignments`, { judge_id: Number(add.value), application_id: p.application_id });
        toast(t('assign.changed'), { kind: 'ok' });
        reload();
      } catch (err) {
        add.value = '';
        toast(api.errorMessage(err), { kind: 'error', timeout: 10000 });
      }
    });
    return h('tr', { dataset: { application: p.application_id } }, h('th', { scope: 'row' }, p.company_name), seats, h('td', add));
  });
  const search = h('input#assign-search', { type: 'search', value: query.get('q') || '', placeholder: t('assign.search') });
  search.addEventListener('change', () => navigate(`/admin/rounds/${round.id}?tab=assignments&q=${encodeURIComponent(search.value)}`, { replace: true }));
  const pager = pages > 1 ? h('nav.pager', { 'aria-label': t('admin.applications.pages') },
    page > 1 ? h('a.btn.btn-ghost', { href: `/admin/rounds/${round.id}?tab=assignments&page=${page - 1}&q=${encodeURIComponent(filter)}` }, t('common.previous')) : null,
    h('span', t('admin.applications.page', { page, pages })),
    page < pages ? h('a.btn.btn-ghost', { href: `/admin/rounds/${round.id}?tab=assignments&page=${page + 1}&q=${encodeURIComponent(filter)}` }, t('common.next')) : null) : null;

  return h('div',
    h('div.card', h('h2', t('assign.auto')), h('p.muted', t('assign.auto_lead')), h('div.actions', run), out),
    h('div.card', h('h2', t('assign.matrix')),
      h('p.muted', t('assign.matrix_summary', { assigned: list.length, seats: progress.applications.length * k, open: progress.applications.reduce((n, p) => n + p.open_seats, 0) })),
      progress.applications.length
        ? [h('div.field', h('label.visually-hidden', { for: 'assign-search' }, t('assign.search')), search),
            h('div.table-scroll', { tabindex: '0' }, h('table.table.table-cards#assign-matrix',
              h('thead', h('tr', h('th', t('assign.application')), Array.from({ length: k }, (_, i) => h('th', t('assign.seat', { n: i + 1 }))), h('th', t('assign.add')))),
              h('tbody', rows))), pager]
        : empty(t('round.no_entries'), null)),
    h('div.card', h('h2', t('assign.loads')), loadBars(judges, byJudge) || empty(t('home.admin.judges.empty'), t('judges.empty_next'))));
}

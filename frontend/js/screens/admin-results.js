// The round's results for administrators: the ranked table with every method side by side,
// dispersion and flags; reliability; judge severity and per-track distributions as charts;
// the fragility (sensitivity) report; a per-application breakdown of each judge's scores;
// CSV downloads; advancing to the next round; in a final, the award places; publishing once,
// with its SHA-256 digest, after a dialog that counts who will be told what (ui/publish.js).
import * as api from '../api.js';
import { t, pick, formatNumber } from '../i18n.js';
import { h, busy, empty, toast } from '../ui/dom.js';
import { openDialog } from '../ui/dialog.js';
import { divergingBars, stripPlot } from '../ui/charts.js';
import { trackName } from '../ui/words.js';
import { publishRound, awardsPanel } from '../ui/publish.js';

const METHODS = ['raw', 'trimmed', 'zscore'];
const num = (v, digits = 1) => (v === null || v === undefined ? '—' : formatNumber(Math.round(v * 10 ** digits) / 10 ** digits));

async function download(path, name) {
  try {
    await api.download(path, name);
  } catch (err) {
    toast(api.errorMessage(err), { kind: 'error' });
  }
}

/// reviews.csv → Map(application id → Map(judge id → { criterion: score, total })).
async function breakdowns(roundId) {
  const text = (await (await api.blob(`/rounds/${roundId}/reviews.csv`)).text()).replace(/^\uFEFF/, '');
  const [head, ...lines] = text.trim().split(/\r?\n/);
  const cols = head.split(',');
  const ix = Object.fromEntries(cols.map((c, i) => [c, i]));
  const out = new Map();
  for (const line of lines) {
    const f = line.split(',');
    const app = Number(f[ix.application_id]);
    const judge = Number(f[ix.judge_id]);
    if (!out.has(app)) out.set(app, new Map());
    const per = out.get(app);
    if (!per.has(judge)) per.set(judge, { scores: {}, sum: 0, weights: 0 });
    const r = per.get(judge);
    const [s, w, min, max] = ['score', 'weight', 'min', 'max'].map((c) => Number(f[ix[c]]));
    r.scores[f[ix.criterion]] = s;
    r.sum += w * ((s - min) / (max - min || 1));
    r.weights += w;
  }
  return out;
}

function rankedTable(res, contest, onBreakdown, pickable) {
  const cell = (key, ...c) => h('td', { 'data-label': t(key) }, ...c);
  return h('div.table-scroll', { tabindex: '0' }, h('table.table.table-cards#results-table',
    h('thead', h('tr', pickable ? h('th', h('span.visually-hidden', t('results.pick'))) : null, h('th', t('results.col.rank')), h('th', t('assign.application')), h('th', t('application.field.track')),
      METHODS.map((m) => h('th', { 'aria-sort': m === res.method ? 'descending' : null }, t(`round.method.${m}`))),
      h('th', t('results.col.dispersion')), h('th', t('results.col.reviews')), h('th', t('results.col.flags')))),
    h('tbody', res.rows.map((r) => {
      const open = h('button.link', { type: 'button' }, r.company_name);
      open.addEventListener('click', () => onBreakdown(r));
      const pick = pickable
        ? cell('results.pick', h('input', { type: 'checkbox', checked: r.advanced, dataset: { pick: r.application_id }, 'aria-label': t('results.pick_one', { company: r.company_name }) }))
        : null;
      return h('tr', { dataset: { application: r.application_id, rank: r.rank ?? '' } },
        pick,
        cell('results.col.rank', r.rank ? `${r.rank}${r.tied ? ' =' : ''}` : '—'),
        cell('assign.application', open),
        cell('application.field.track', trackName(contest, r.track)),
        METHODS.map((m) => cell(`round.method.${m}`, m === res.method ? h('strong', num(r[m])) : num(r[m]))),
        cell('results.col.dispersion', num(r.dispersion)),
        cell('results.col.reviews', String(r.reviews)),
        cell('results.col.flags',
          r.tied ? h('span.badge', t('results.tied')) : null,
          r.disagreement ? h('span.badge.badge-warn', t('results.disagreement')) : null,
          r.advanced ? h('span.badge.badge-ok', t('results.advanced')) : null));
    }))));
}

function advanceForm(round, res, reload) {
  const mode = h('select#advance-mode', ['top', 'top_per_track', 'manual'].map((m) => h('option', { value: m }, t(`results.advance.${m}`))));
  const n = h('input#advance-n', { type: 'number', min: 1, value: Math.min(10, res.rows.length || 1) });
  const go = h('button.btn#advance-go', { type: 'button', disabled: round.state !== 'closed' }, t('results.advance.go'));
  go.addEventListener('click', async () => {
    const body = { mode: mode.value };
    if (mode.value === 'manual') {
      body.application_ids = [...document.querySelectorAll('#results-table [data-pick]:checked')].map((c) => Number(c.dataset.pick));
    } else body.n = Number(n.value);
    busy(go, true);
    try {
      const r = await api.post(`/rounds/${round.id}/advance`, body);
      toast(t('results.advance.done', { count: r.advanced.length }), { kind: 'ok' });
      reload();
    } catch (err) {
      toast(api.errorMessage(err), { kind: 'error' });
    } finally {
      busy(go, false);
    }
  });
  const nField = h('div.field', h('label', { for: 'advance-n' }, t('results.advance.n')), n);
  mode.addEventListener('change', () => {
    nField.hidden = mode.value === 'manual';
  });
  return h('div',
    h('p.hint', t('results.advance.hint')),
    h('div.inline-form', h('div.field', h('label', { for: 'advance-mode' }, t('results.advance.mode')), mode), nField, go));
}

export default async function resultsTab(round, { reload }) {
  if (round.state === 'setup' || round.state === 'judging') {
    return h('div.card', empty(t('results.not_yet'), t('results.not_yet_next')));
  }
  const [res, sens, contest, preview] = await Promise.all([
    api.get(`/rounds/${round.id}/results`),
    api.get(`/rounds/${round.id}/sensitivity`).catch(() => []),
    api.get(`/contests/${round.contest_id}`),
    api.get(`/rounds/${round.id}/publish-preview`),
  ]);
  let scores = null;
  let criteria = null;
  const names = new Map(res.severity.map((s) => [s.judge_id, s.judge_name]));
  const showBreakdown = async (row) => {
    scores ??= await breakdowns(round.id);
    criteria ??= await api.get(`/rounds/${round.id}/rubric`).then((r) => r.criteria).catch(() => []);
    const per = [...(scores.get(row.application_id) || new Map())];
    const keys = [...new Set(per.flatMap(([, r]) => Object.keys(r.scores)))];
    await openDialog({
      title: t('results.breakdown', { company: row.company_name }),
      cancelLabel: t('common.close'),
      content: per.length
        ? h('div.table-scroll', { tabindex: '0' }, h('table.table', h('thead', h('tr', h('th', t('results.judge')), keys.map((k) => h('th', pick(criteria.find((c) => c.key === k)?.name) || k)), h('th', t('results.total')))),
            h('tbody', per.map(([judge, r]) => h('tr', h('td', names.get(judge) || `#${judge}`), keys.map((k) => h('td', String(r.scores[k] ?? '—'))), h('td', num((100 * r.sum) / (r.weights || 1))))))))
        : h('p', t('results.no_reviews')),
    });
  };

  const publish = h('button.btn#publish', { type: 'button', disabled: round.state !== 'closed' }, t('results.publish'));
  publish.addEventListener('click', async () => {
    busy(publish, true);
    try {
      await publishRound(round, { reload });
    } catch (err) {
      toast(api.errorMessage(err), { kind: 'error' });
    } finally {
      if (publish.isConnected) busy(publish, false);
    }
  });
  const csv = (name) => {
    const b = h('button.btn.btn-ghost', { type: 'button', dataset: { csv: name } }, t(name === 'results.csv' ? 'results.download_results' : 'results.download_reviews'));
    b.addEventListener('click', () => download(`/rounds/${round.id}/${name}`, `round-${round.id}-${name}`));
    return b;
  };

  const tracks = new Map();
  for (const r of res.rows) {
    const v = r[res.method] ?? r.raw;
    if (v === null || v === undefined) continue;
    if (!tracks.has(r.track)) tracks.set(r.track, []);
    tracks.get(r.track).push(v);
  }
  const severity = [...res.severity].sort((a, b) => a.severity - b.severity);
  return h('div',
    h('div.card',
      h('div.page-head', h('h2', t('results.title')), h('div.actions', csv('results.csv'), csv('reviews.csv'), publish)),
      h('div.figures',
        h('div.figure', h('strong', t(`round.method.${res.method}`)), h('span.muted', t('round.method'))),
        h('div.figure', h('strong', num(res.round_mean)), h('span.muted', t('results.mean'))),
        h('div.figure', h('strong', num(res.round_sd)), h('span.muted', t('results.sd'))),
        h('div.figure', h('strong', res.alpha === null || res.alpha === undefined ? '—' : num(res.alpha, 2)), h('span.muted', t('results.alpha')))),
      h('p.hint', t('results.alpha_hint')),
      res.rows.length ? rankedTable(res, contest, showBreakdown, round.state === 'closed') : empty(t('results.no_reviews'), null),
      h('h3', t('results.advance.title')), advanceForm(round, res, reload)),
    preview.final_round ? awardsPanel(round, preview, [...res.rows].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9))) : null,
    h('div.card', h('h2', t('results.severity')), h('p.hint', t('results.severity_hint')),
      severity.length
        ? divergingBars(severity.map((s) => ({ label: s.judge_name, value: s.severity, note: t('results.n_reviews', { count: s.reviews }) })), { title: t('results.severity') })
        : empty(t('results.no_reviews'), null)),
    h('div.card', h('h2', t('results.distribution')),
      tracks.size ? stripPlot([...tracks].map(([key, values]) => ({ label: trackName(contest, key), values })), { title: t('results.distribution') }) : empty(t('results.no_reviews'), null)),
    h('div.card', h('h2', t('results.fragility')), h('p.hint', t('results.fragility_hint')),
      sens.length
        ? h('table.table.table-cards#fragility-table',
            h('thead', h('tr', h('th', t('results.col.rank')), h('th', t('assign.application')), METHODS.map((m) => h('th', t(`round.method.${m}`))), h('th', t('results.worst')))),
            h('tbody', sens.map((f) => h('tr', { dataset: { application: f.application_id } },
              h('td', String(f.rank)), h('td', f.company_name),
              METHODS.map((m) => h('td', String(f[`rank_${m}`] ?? '—'))),
              h('td', f.worst_rank_leave_one_out > f.rank + 2 ? h('strong.text-warn', String(f.worst_rank_leave_one_out)) : String(f.worst_rank_leave_one_out),
                f.worst_without_judge ? h('span.muted', ` ${t('results.without', { judge: names.get(f.worst_without_judge) || `#${f.worst_without_judge}` })}`) : null)))))
        : empty(t('results.no_reviews'), null)));
}

// Administrators: a contest's rounds (create, open) and one round's page with tabs: settings
// and state, rubric, assignments, progress, results. Each tab lives in its own module.
import * as api from '../api.js';
import { t, pick, formatDate } from '../i18n.js';
import { h, field, empty, toast } from '../ui/dom.js';
import { confirmDialog, meter, keptForm, onSubmit } from '../ui/forms.js';
import { routingCard, stageField } from './round-routing.js';

const METHODS = ['raw', 'trimmed', 'zscore'];
export const STATE_BADGE = { setup: 'span.badge', judging: 'span.badge.badge-warn', closed: 'span.badge', published: 'span.badge.badge-ok' };

export function stateBadge(state) {
  return h(STATE_BADGE[state] || 'span.badge', t(`round.state.${state}`));
}

/// "2026-12-01T09:00:00Z" ⇄ the value of an <input type=datetime-local> in local time.
function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}
function fromLocalInput(value) {
  return value ? new Date(value).toISOString() : null;
}

/// The settings form, for a new round (round = null) or an existing one.
function roundForm(round, onSave, { stage = null } = {}) {
  const r = round || { name: {}, reviews_per_application: 3, blind: false, blind_shows_deck: true, ranking_method: 'zscore', feedback_to_applicants: true, tie_break: [] };
  const names = ['en', 'ko', 'zh'].map((lang) => field(`round-name-${lang}`, t(`round.name_${lang}`), { value: r.name[lang] || '', maxlength: 200, required: lang === 'en' }));
  const [kField, k] = field('round-k', t('round.k'), { type: 'number', min: 1, max: 20, value: r.reviews_per_application }, t('round.k_hint'));
  const [opensField, opens] = field('round-opens', t('round.opens'), { type: 'datetime-local', value: toLocalInput(r.judging_opens_at) });
  const [closesField, closes] = field('round-closes', t('round.closes'), { type: 'datetime-local', value: toLocalInput(r.judging_closes_at) });
  const method = h('select#round-method', METHODS.map((m) => h('option', { value: m }, t(`round.method.${m}`))));
  method.value = r.ranking_method;
  const blind = h('input#round-blind', { type: 'checkbox', checked: r.blind });
  const deck = h('input#round-blind-deck', { type: 'checkbox', checked: r.blind_shows_deck });
  const feedback = h('input#round-feedback', { type: 'checkbox', checked: r.feedback_to_applicants });
  const [tieField, tie] = field('round-tie', t('round.tie_break'), { value: (r.tie_break || []).join(', ') }, t('round.tie_break_hint'));
  const submit = h('button.btn#round-save', { type: 'submit' }, round ? t('round.save') : t('round.create'));
  const form = h('form.round-form', { novalidate: true },
    h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
    h('div.grid.grid-tight', names.map(([w]) => w)),
    h('div.grid.grid-tight', kField, opensField, closesField,
      h('div.field', h('label', { for: 'round-method' }, t('round.method')), method, h('p.hint', t('round.method_hint')))),
    h('div.checks', h('label.check', blind, t('round.blind')), h('label.check', deck, t('round.blind_deck')), h('label.check', feedback, t('round.feedback'))),
    tieField,
    stage ? stage[0] : null,
    h('div.actions', submit));
  // Not kept in the browser (a short form), but leaving it changed and unsaved asks first.
  const changes = keptForm({ key: null, form, read: () => null });
  onSubmit(form, submit, async () => {
    changes.saved();
    const name = Object.fromEntries(['en', 'ko', 'zh'].map((l, i) => [l, names[i][1].value.trim()]).filter(([, v]) => v));
    try {
      await onSave({
        name,
        reviews_per_application: Number(k.value),
        judging_opens_at: fromLocalInput(opens.value),
        judging_closes_at: fromLocalInput(closes.value),
        ranking_method: method.value,
        blind: blind.checked,
        blind_shows_deck: deck.checked,
        feedback_to_applicants: feedback.checked,
        tie_break: tie.value.split(',').map((s) => s.trim()).filter(Boolean),
        ...(stage && stage[1]() !== null ? { stage: stage[1]() } : {}),
      });
    } catch (err) {
      changes.changed();
      throw err;
    }
  }, { fields: { name: 'round-name-en', 'name.en': 'round-name-en', reviews_per_application: 'round-k', judging_closes_at: 'round-closes', judging_opens_at: 'round-opens', tie_break: 'round-tie', stage: 'round-stage' } });
  return form;
}

export const adminRounds = {
  name: 'admin-rounds',
  title: 'round.list_title',
  async render({ id }, { navigate, session }) {
    const [contest, rounds] = await Promise.all([api.get(`/contests/${id}`), api.get(`/contests/${id}/rounds`)]);
    // Organiser staff (issue 22) run the rounds the owners set up for them.
    const owner = !session.user?.organisation_id;
    const list = rounds.map((r) =>
      h('article.card.tile', { dataset: { round: r.id } },
        h('h2', h('a', { href: `/admin/rounds/${r.id}` }, pick(r.name))),
        h('p', stateBadge(r.state), ' ', h('span.muted', t('round.summary', { k: r.reviews_per_application, entries: r.entries, criteria: r.criteria }))),
        r.judging_closes_at ? h('p.muted', t('round.closes_at', { date: formatDate(r.judging_closes_at) })) : null,
        owner ? h('p.links', h('a', { href: `/admin/rounds/${r.id}/audience-vote` }, t('vote.link'))) : null));
    const create = owner && h('details.card', !rounds.length ? { open: true } : {},
      h('summary', h('strong', t('round.new'))),
      roundForm(null, async (body) => {
        const r = await api.post(`/contests/${id}/rounds`, body);
        toast(t('round.created'), { kind: 'ok' });
        navigate(`/admin/rounds/${r.id}?tab=rubric`);
      }, { stage: rounds.length ? stageField(rounds) : null }));
    return h('section',
      h('p.muted', h('a', { href: '/admin/contests' }, t('admin.contests.title')), ' · ', pick(contest.name)),
      h('div.page-head', h('h1', t('round.list_title')),
        h('div.actions',
          h('a.btn.btn-ghost', { href: `/admin/contests/${id}/judges` }, t('judges.title')),
          owner ? h('a.btn.btn-ghost', { href: `/admin/contests/${id}/conflicts` }, t('conflicts.title')) : null,
          owner ? h('a.btn.btn-ghost', { href: `/admin/contests/${id}/day-links` }, t('day.link')) : null)),
      rounds.length ? h('div.grid', list) : empty(t('round.none'), t('round.none_next')),
      create || null);
  },
};

const TABS = ['settings', 'rubric', 'assignments', 'progress', 'results'];
const TAB_MODULES = {
  rubric: () => import('./admin-rubric.js'),
  assignments: () => import('./admin-assign.js'),
  progress: () => import('./admin-progress.js'),
  results: () => import('./admin-results.js'),
};

/// The buttons that move a round on, each asking first when it cannot be undone.
function transitions(round, reload) {
  const go = async (to, confirmText) => {
    if (confirmText && !(await confirmDialog({ title: t(`round.to.${to}`), body: confirmText, confirm: t(`round.to.${to}`), danger: to !== 'judging' }))) return;
    try {
      await api.post(`/rounds/${round.id}/transition`, { to, confirm: true });
      toast(t('round.moved', { state: t(`round.state.${to}`) }), { kind: 'ok' });
      reload();
    } catch (err) {
      toast(api.errorMessage(err), { kind: 'error', timeout: 10000 });
    }
  };
  const buttons = [];
  if (round.state === 'setup') {
    const b = h('button.btn#to-judging', { type: 'button' }, t('round.to.judging'));
    b.addEventListener('click', () => go('judging', t('round.to_judging_confirm', { entries: round.entries })));
    buttons.push(b);
  }
  if (round.state === 'judging') {
    const b = h('button.btn.btn-danger#to-closed', { type: 'button' }, t('round.to.closed'));
    b.addEventListener('click', async () => {
      const p = await api.get(`/rounds/${round.id}/progress`).catch(() => null);
      const open = p ? p.assignments - p.submitted : 0;
      go('closed', open ? t('round.close_unfinished', { count: open }) : t('round.close_confirm'));
    });
    buttons.push(b);
  }
  return h('div.actions', buttons);
}

export const adminRound = {
  name: 'admin-round',
  title: 'round.title',
  async render({ id, query }, { navigate, session }) {
    const round = await api.get(`/rounds/${id}`);
    const tab = TABS.includes(query.get('tab')) ? query.get('tab') : 'settings';
    const reload = () => navigate(location.pathname + location.search, { replace: true });
    let body;
    if (tab === 'settings') {
      body = h('div',
        h('div.card', h('h2', t('round.state_title')), h('p', stateBadge(round.state)), h('p.muted', t(`round.state_help.${round.state}`)),
          transitions(round, reload)),
        h('div.card', h('h2', t('round.settings')),
          roundForm(round, async (b) => {
            await api.patch(`/rounds/${id}`, b);
            toast(t('round.saved'), { kind: 'ok' });
            reload();
          })),
        // The owner decides who runs a first-stage round and what it takes.
        !session.user?.organisation_id && round.stage === 1 ? await routingCard(round, reload) : null);
    } else {
      const mod = await TAB_MODULES[tab]();
      body = await mod.default(round, { navigate, reload, query, userId: session.user?.id });
    }
    const p = round.entries ? null : h('div.alert', { role: 'status' }, t('round.no_entries'));
    return h('section',
      h('p.muted', h('a', { href: `/admin/contests/${round.contest_id}/rounds` }, t('round.list_title'))),
      h('div.page-head', h('h1', pick(round.name)), stateBadge(round.state)),
      h('p.muted', t('round.summary', { k: round.reviews_per_application, entries: round.entries, criteria: round.criteria })),
      p,
      // The live final is run by the contest owners.
      session.user?.organisation_id ? null : h('p', h('a', { href: `/admin/rounds/${id}/live`, dataset: { link: 'live' } }, t('live.board.open'))),
      h('nav.tabs', { 'aria-label': t('round.tabs') }, TABS.map((name) =>
        h('a.tab', { href: `/admin/rounds/${id}?tab=${name}`, 'aria-current': name === tab ? 'page' : null, dataset: { tab: name } }, t(`round.tab.${name}`)))),
      body);
  },
};

export { meter };

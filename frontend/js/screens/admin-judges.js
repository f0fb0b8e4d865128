// Administrators: a contest's judges (invite one, import a CSV with a per-row report, re-send,
// deactivate and reactivate) and its conflicts of interest (declared, added, detected, lifted).
import * as api from '../api.js';
import { t, pick, formatDate } from '../i18n.js';
import { h, field, showError, busy, empty, toast } from '../ui/dom.js';
import { confirmDialog, onClick } from '../ui/forms.js';
import { regionName, trackName } from '../ui/words.js';

const REGIONS = ['KR', 'CN', 'OTHER'];
const JUDGE_BADGE = { active: 'span.badge.badge-ok', invited: 'span.badge.badge-warn', disabled: 'span.badge.badge-bad' };

function inviteForm(contest, onDone) {
  const [nameField, name] = field('invite-judge-name', t('field.name'), { required: true, maxlength: 200 });
  const [emailField, email] = field('invite-judge-email', t('field.email'), { type: 'email', required: true });
  const [orgField, org] = field('invite-judge-org', t('judge.profile.organization'), { maxlength: 200 });
  const region = h('select#invite-judge-region', REGIONS.map((r) => h('option', { value: r }, regionName(r))));
  const [capField, cap] = field('invite-judge-capacity', t('judge.profile.capacity'), { type: 'number', min: 0, max: 500, value: 10 });
  const expertise = (contest.tracks || []).map((tr) => {
    const sel = h('select', { id: `invite-exp-${tr.key}`, dataset: { track: tr.key } }, [0, 1, 2, 3].map((v) => h('option', { value: v }, t(`judge.expertise.${v}`))));
    return h('div.field', h('label', { for: `invite-exp-${tr.key}` }, pick(tr.name)), sel);
  });
  const submit = h('button.btn#invite-judge-send', { type: 'submit' }, t('judges.invite_send'));
  const form = h('form', { novalidate: true },
    h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
    h('div.grid.grid-tight', nameField, emailField, orgField,
      h('div.field', h('label', { for: 'invite-judge-region' }, t('judge.profile.region')), region), capField),
    expertise.length ? h('fieldset', h('legend', t('judge.profile.expertise')), h('div.grid.grid-tight', expertise)) : null,
    h('div.actions', submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    busy(submit, true);
    try {
      const report = await api.post(`/contests/${contest.id}/judges/invitations`, {
        judges: [{
          name: name.value.trim(), email: email.value.trim(), organization: org.value.trim(), region: region.value, capacity: Number(cap.value),
          expertise: Object.fromEntries([...form.querySelectorAll('[data-track]')].map((s) => [s.dataset.track, Number(s.value)])),
        }],
      });
      const row = report.rows[0];
      if (row?.status === 'error') {
        showError(form, { code: 'validation_failed', fields: row.errors || {} }, { name: 'invite-judge-name', email: 'invite-judge-email', organization: 'invite-judge-org', capacity: 'invite-judge-capacity' });
        return;
      }
      toast(t(`judges.row.${row?.status || 'invited'}`, { email: email.value.trim() }), { kind: 'ok' });
      onDone();
    } catch (err) {
      showError(form, err);
    } finally {
      busy(submit, false);
    }
  });
  return form;
}

function importForm(contest, onDone) {
  const file = h('input#judges-csv', { type: 'file', accept: '.csv,text/csv' });
  const progress = h('progress#import-progress', { max: '1', value: '0', hidden: true, 'aria-label': t('judges.import') });
  const report = h('div#import-report', { 'aria-live': 'polite' });
  const submit = h('button.btn#judges-import', { type: 'submit' }, t('judges.import'));
  const form = h('form', { novalidate: true },
    h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
    h('div.field', h('label', { for: 'judges-csv' }, t('judges.csv_file')), file, h('p.hint', t('judges.csv_hint'), ' ', h('code', { translate: 'no' }, `name, email, organization, region, capacity, ${(contest.tracks || []).map((tr) => tr.key).join(', ')}`), ' · ', h('code', { translate: 'no' }, REGIONS.join(', ')))),
    h('div.actions', submit), progress, report);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = file.files[0];
    if (!f) return showError(form, { code: 'validation_failed', fields: { 'judges-csv': 'required' } });
    busy(submit, true);
    progress.hidden = false;
    progress.removeAttribute('value');
    try {
      const body = await api.post(`/contests/${contest.id}/judges/import`, new Blob([await f.text()], { type: 'text/csv' }));
      progress.value = 1;
      report.replaceChildren(
        h('p', h('strong', t('judges.import_done', { invited: body.invited, failed: body.failed }))),
        h('table.table', h('thead', h('tr', h('th', '#'), h('th', t('field.email')), h('th', t('judges.col.status')))),
          h('tbody', body.rows.map((r) => h('tr', { dataset: { status: r.status } }, h('td', String(r.row)), h('td', r.email),
            h('td', r.status === 'error'
              ? h('span.badge.badge-bad', Object.entries(r.errors || {}).map(([k, c]) => `${k}: ${api.fieldMessage(c)}`).join('; '))
              : h('span.badge.badge-ok', t(`judges.row.${r.status}`, { email: r.email }))))))));
      if (body.invited) onDone({ keep: true });
    } catch (err) {
      progress.hidden = true;
      showError(form, err);
    } finally {
      busy(submit, false);
    }
  });
  return form;
}

function judgeRow(j, reload, contest) {
  const actions = [];
  const act = (label, fn, danger) => {
    const b = h(danger ? 'button.btn.btn-ghost.btn-small.btn-danger-text' : 'button.btn.btn-ghost.btn-small', { type: 'button' }, label);
    b.addEventListener('click', fn);
    actions.push(b);
  };
  if (j.status === 'disabled') {
    act(t('judges.reactivate'), async () => {
      await api.post(`/judges/${j.id}/reactivate`).catch((e) => toast(api.errorMessage(e), { kind: 'error' }));
      reload();
    });
  } else {
    act(t('judges.deactivate'), async () => {
      if (!(await confirmDialog({ title: t('judges.deactivate'), body: t('judges.deactivate_confirm', { name: j.name }), confirm: t('judges.deactivate'), danger: true }))) return;
      await api.post(`/judges/${j.id}/deactivate`).catch((e) => toast(api.errorMessage(e), { kind: 'error' }));
      reload();
    }, true);
  }
  if (j.status === 'active') {
    act(t('judges.end_sessions'), async () => {
      if (!(await confirmDialog({ title: t('judges.end_sessions'), body: t('judges.end_sessions_confirm', { name: j.name }), confirm: t('judges.end_sessions'), danger: true }))) return;
      try {
        await api.post(`/admin/users/${j.id}/sessions/end`);
        toast(t('judges.sessions_ended', { name: j.name }), { kind: 'ok' });
      } catch (e) {
        toast(api.errorMessage(e), { kind: 'error' });
      }
    }, true);
    actions[actions.length - 1].classList.add('end-sessions');
  }
  const cell = (key, ...c) => h('td', { 'data-label': t(key) }, ...c);
  return h('tr', { dataset: { judge: j.id, status: j.status } },
    cell('judges.col.name', h('strong', j.name), h('div.muted', j.email)),
    cell('judges.col.organization', j.profile.organization || '—'),
    cell('judges.col.region', regionName(j.profile.region)),
    cell('judges.col.expertise', Object.entries(j.profile.expertise).filter(([, v]) => v > 0).map(([k, v]) => `${trackName(contest, k)} ${v}`).join(', ') || '—'),
    cell('judges.col.load', `${j.assigned} / ${j.profile.capacity}`),
    cell('judges.col.status', h(JUDGE_BADGE[j.status] || 'span.badge', t(`judges.status.${j.status}`)),
      j.status === 'invited' ? h('div.muted', formatDate(j.invited_at)) : null),
    cell('judges.col.actions', actions));
}

export const adminJudges = {
  name: 'admin-judges',
  title: 'judges.title',
  async render({ id }, { navigate, session }) {
    const [contest, judges] = await Promise.all([api.get(`/contests/${id}`), api.get(`/contests/${id}/judges`)]);
    const reload = () => navigate(location.pathname, { replace: true });
    // Organiser staff (issue 22) invite and manage their own judges; conflicts and the CSV
    // import are the owners'.
    const owner = !session.user?.organisation_id;
    const counts = { KR: 0, CN: 0, OTHER: 0 };
    for (const j of judges) if (j.status !== 'disabled') counts[j.profile.region] = (counts[j.profile.region] || 0) + 1;
    return h('section',
      h('p.muted', h('a', { href: `/admin/contests/${id}/rounds` }, t('round.list_title')), ' · ', pick(contest.name)),
      h('div.page-head', h('h1', t('judges.title')), owner ? h('a.btn.btn-ghost', { href: `/admin/contests/${id}/conflicts` }, t('conflicts.title')) : null),
      judges.length ? h('p.muted', t('judges.summary', { total: judges.length, kr: counts.KR, cn: counts.CN, other: counts.OTHER })) : null,
      judges.length
        ? h('table.table.table-cards#judges-table',
            h('thead', h('tr', ['name', 'organization', 'region', 'expertise', 'load', 'status', 'actions'].map((c) => h('th', t(`judges.col.${c}`))))),
            h('tbody', judges.map((j) => judgeRow(j, reload, contest))))
        : empty(t('home.admin.judges.empty'), t('judges.empty_next')),
      h('details.card', { open: !judges.length }, h('summary', h('strong', t('judges.invite'))), inviteForm(contest, reload)),
      owner ? h('details.card', h('summary', h('strong', t('judges.import'))), importForm(contest, ({ keep } = {}) => (keep ? null : reload()))) : null);
  },
};

export const adminConflicts = {
  name: 'admin-conflicts',
  title: 'conflicts.title',
  async render({ id }, { navigate }) {
    const [contest, conflicts, judges, apps] = await Promise.all([
      api.get(`/contests/${id}`), api.get(`/contests/${id}/conflicts`), api.get(`/contests/${id}/judges`),
      api.get(`/contests/${id}/applications?status=submitted&per_page=100`),
    ]);
    const reload = () => navigate(location.pathname, { replace: true });
    const judgeSel = h('select#conflict-judge', h('option', { value: '' }, t('common.choose')), judges.map((j) => h('option', { value: j.id }, `${j.name} (${j.profile.organization || j.email})`)));
    const appSel = h('select#conflict-application', h('option', { value: '' }, t('common.choose')), apps.items.map((a) => h('option', { value: a.id }, a.company_name || `#${a.id}`)));
    const [reasonField, reason] = field('conflict-reason', t('conflicts.reason'), { maxlength: 500 });
    const submit = h('button.btn#conflict-add', { type: 'submit' }, t('conflicts.add'));
    const form = h('form', { novalidate: true }, h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
      h('div.grid.grid-tight',
        h('div.field', h('label', { for: 'conflict-judge' }, t('conflicts.judge')), judgeSel),
        h('div.field', h('label', { for: 'conflict-application' }, t('conflicts.application')), appSel), reasonField),
      h('div.actions', submit));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      busy(submit, true);
      try {
        await api.post(`/contests/${id}/conflicts`, { judge_id: Number(judgeSel.value), application_id: Number(appSel.value), reason: reason.value.trim() });
        toast(t('conflicts.added'), { kind: 'ok' });
        reload();
      } catch (err) {
        showError(form, err, { judge_id: 'conflict-judge', application_id: 'conflict-application', reason: 'conflict-reason' });
      } finally {
        busy(submit, false);
      }
    });
    const detect = h('button.btn.btn-ghost#conflicts-detect', { type: 'button' }, t('conflicts.detect'));
    onClick(detect, async () => {
      const found = await api.post(`/contests/${id}/conflicts/detect`);
      toast(t('conflicts.detected', { count: found.found }), { kind: 'ok' });
      reload();
    });
    const rows = conflicts.map((c) => {
      const lift = h('button.btn.btn-ghost.btn-small', { type: 'button' }, t('conflicts.lift'));
      lift.addEventListener('click', async () => {
        if (!(await confirmDialog({ title: t('conflicts.lift'), body: t('conflicts.lift_confirm', { judge: c.judge_name, company: c.company_name }), confirm: t('conflicts.lift') }))) return;
        await api.del(`/conflicts/${c.id}`).catch((e) => toast(api.errorMessage(e), { kind: 'error' }));
        reload();
      });
      const cell = (key, ...x) => h('td', { 'data-label': t(key) }, ...x);
      return h('tr', { dataset: { conflict: c.id } },
        cell('conflicts.judge', c.judge_name), cell('conflicts.application', c.company_name),
        cell('conflicts.source', h('span.badge', t(`conflicts.from.${c.source}`))), cell('conflicts.reason', c.reason || '—'),
        cell('conflicts.when', formatDate(c.created_at)), cell('judges.col.actions', lift));
    });
    return h('section',
      h('p.muted', h('a', { href: `/admin/contests/${id}/judges` }, t('judges.title')), ' · ', pick(contest.name)),
      h('div.page-head', h('h1', t('conflicts.title')), detect),
      conflicts.length
        ? h('table.table.table-cards#conflicts-table',
            h('thead', h('tr', ['judge', 'application', 'source', 'reason', 'when'].map((c) => h('th', t(`conflicts.${c}`))), h('th', t('judges.col.actions')))),
            h('tbody', rows))
        : empty(t('conflicts.none'), t('conflicts.none_next')),
      h('div.card', h('h2', t('conflicts.add')), form));
  },
};

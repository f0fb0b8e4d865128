// Administrators, on the day of the final: one-time sign-in links for the contest's judges, as
// an alternative to their passwords. Issue a link per judge or for every judge of a round at
// once, optionally mailed; print or show the QR codes (the secrets are shown only here, right
// after issuing); see each judge's newest link as issued, used, expired or revoked; revoke.
import * as api from '../api.js';
import { t, pick, formatDate } from '../i18n.js';
import { h, field, empty, toast } from '../ui/dom.js';
import { onSubmit, onClick, confirmDialog } from '../ui/forms.js';
import { qrCard } from '../ui/qr.js';

const STATES = ['issued', 'used', 'expired', 'revoked'];

function stateBadge(state) {
  const word = STATES.includes(state) ? t(`day.state.${state}`) : t('day.state.none');
  const tone = { issued: '.badge-ok', expired: '.badge-warn', revoked: '.badge-bad' }[state] || '';
  return h(`span.badge${tone}`, { dataset: { state: state || 'none' } }, word);
}

/// The cards of freshly issued links: QR code, judge, expiry, address; printable.
function issuedSheet(links) {
  const print = h('button.btn#day-print', { type: 'button' }, t('day.print'));
  print.addEventListener('click', () => window.print());
  return h('section.card.day-sheet#day-issued', { 'aria-labelledby': 'day-issued-title' },
    h('div.page-head', h('h2#day-issued-title', t('day.issued_title', { count: links.length })), print),
    h('p.muted', t('day.issued_lead')),
    h('div.qr-grid', links.map((l) => qrCard(l.qr, t('day.qr_label', { name: l.judge_name }),
      h('strong', l.judge_name),
      h('span.muted', t('day.expires', { date: formatDate(l.expires_at) })),
      l.mailed ? h('span.muted', t('day.mailed')) : null,
      h('code.link-text', { translate: 'no' }, l.url)))));
}

function judgesTable(rows, { issueOne, revoke }) {
  if (!rows.length) return empty(t('day.no_judges'), t('day.no_judges_next'));
  const cell = (key, ...c) => h('td', { 'data-label': t(key) }, ...c);
  return h('div.table-scroll', { tabindex: '0' }, h('table.table.table-cards#day-table',
    h('thead', h('tr', ['judge', 'state', 'expires', 'actions'].map((c) => h('th', t(`day.col.${c}`))))),
    h('tbody', rows.map((r) => {
      const issue = h('button.btn.btn-ghost', { type: 'button', dataset: { issue: r.judge_id } }, t('day.issue_one'));
      onClick(issue, () => issueOne(r.judge_id));
      const actions = [r.disabled ? h('span.muted', t('day.disabled')) : issue];
      if (r.latest?.state === 'issued') {
        const rv = h('button.btn.btn-ghost.btn-danger', { type: 'button', dataset: { revoke: r.latest.id } }, t('day.revoke'));
        onClick(rv, () => revoke(r));
        actions.push(rv);
      }
      return h('tr', { dataset: { judge: r.judge_id } },
        cell('day.col.judge', h('strong', r.name), h('br'), h('span.muted', r.email)),
        cell('day.col.state', stateBadge(r.latest?.state)),
        cell('day.col.expires', r.latest ? formatDate(r.latest.expires_at) : '—'),
        cell('day.col.actions', h('div.actions', actions)));
    }))));
}

export default {
  name: 'admin-day-links',
  title: 'day.admin_title',
  async render({ id }) {
    const [contest, rounds] = await Promise.all([api.get(`/contests/${id}`), api.get(`/contests/${id}/rounds`)]);
    const [roundField, round] = field('day-round', t('day.round'), { tag: 'select' }, t('day.round_hint'));
    round.append(...rounds.map((r) => h('option', { value: r.id }, pick(r.name))));
    const [hoursField, hours] = field('day-hours', t('day.valid_hours'), { type: 'number', min: '1', max: '48', value: '12', inputmode: 'numeric' }, t('day.valid_hours_hint'));
    const mail = h('input#day-email', { type: 'checkbox' });
    const submit = h('button.btn#day-issue-round', { type: 'submit' }, t('day.issue_round'));
    const form = h('form.card', { novalidate: true },
      h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
      roundField, hoursField,
      h('label.check', mail, t('day.send_email')),
      h('div.actions', submit));
    const sheet = h('div#day-sheet-slot');
    const list = h('div#day-list');
    const options = () => ({ valid_minutes: Math.round(Number(hours.value || 12) * 60), send_email: mail.checked });

    const reload = async () => {
      const rows = await api.get(`/contests/${id}/day-links`);
      list.replaceChildren(judgesTable(rows, { issueOne, revoke }));
    };
    const issued = async (body) => {
      const res = await api.post(`/contests/${id}/day-links`, body);
      sheet.replaceChildren(issuedSheet(res.links));
      toast(t('day.issued_toast', { count: res.links.length }), { kind: 'ok' });
      await reload();
      sheet.querySelector('h2')?.setAttribute('tabindex', '-1');
      sheet.querySelector('h2')?.focus();
    };
    const issueOne = (judge) => issued({ judge_ids: [judge], ...options() });
    const revoke = async (r) => {
      const ok = await confirmDialog({ title: t('day.revoke_title'), body: t('day.revoke_body', { name: r.name }), confirm: t('day.revoke'), danger: true });
      if (!ok) return;
      await api.post(`/day-links/${r.latest.id}/revoke`);
      toast(t('day.revoked_toast'), { kind: 'ok' });
      await reload();
    };
    onSubmit(form, submit, () => issued({ round_id: Number(round.value), ...options() }),
      { fields: { valid_minutes: 'day-hours', judge_ids: 'day-round', round_id: 'day-round' } });
    if (!rounds.length) form.hidden = true;
    await reload();
    return h('section',
      h('p.muted', h('a', { href: '/admin/contests' }, t('admin.contests.title')), ' · ', pick(contest.name)),
      h('div.page-head', h('h1', t('day.admin_title'))),
      h('p.lead', t('day.admin_lead')),
      form, sheet, h('h2', t('day.judges_title')), list);
  },
};

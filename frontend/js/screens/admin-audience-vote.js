// Administrators: the audience vote of a round (People's Choice), a separate award never mixed
// into the judges' ranking. Turn it on with a mode (ticket codes, or verified email), add ticket
// codes (generated: printed or downloaded now, as only their hashes are kept; or uploaded from
// a list), show the QR code of the public vote page, open and close voting, and read and
// publish the count, ties shown as ties.
import * as api from '../api.js';
import { t, pick, formatDate, formatNumber } from '../i18n.js';
import { h, field, toast } from '../ui/dom.js';
import { onSubmit, onClick, confirmDialog } from '../ui/forms.js';
import { qrCard } from '../ui/qr.js';

const MODES = ['tickets', 'email'];

function modeForm(current, save) {
  const radios = MODES.map((m) => h('label.check', h('input', { type: 'radio', name: 'vote-mode', value: m, checked: m === (current || 'tickets') }), t(`vote.mode.${m}`)));
  const submit = h('button.btn#vote-save-mode', { type: 'submit' }, current ? t('vote.change_mode') : t('vote.enable'));
  const form = h('form.card#vote-mode-form', { novalidate: true },
    h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
    h('fieldset', h('legend', t('vote.mode')), h('div.checks', radios), h('p.hint', t('vote.mode_hint'))),
    h('div.actions', submit));
  onSubmit(form, submit, () => save(form.querySelector('input[name="vote-mode"]:checked')?.value || 'tickets'));
  return form;
}

/// Generated codes, shown once: print or download as CSV.
function codesSheet(codes) {
  const csv = `ticket\n${codes.join('\n')}\n`;
  const download = h('a.btn.btn-ghost#vote-codes-csv', { href: URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' })), download: 'tickets.csv' }, t('vote.download_csv'));
  const print = h('button.btn#vote-codes-print', { type: 'button' }, t('vote.print'));
  print.addEventListener('click', () => window.print());
  return h('section.card.day-sheet#vote-codes', h('h3', t('vote.codes_title', { count: codes.length })), h('p.muted', t('vote.codes_once')),
    h('div.actions', print, download),
    h('ol.ticket-list', codes.map((c) => h('li', h('code', { translate: 'no' }, c)))));
}

function ticketsForm(roundId, vote, after) {
  const [countField, count] = field('vote-generate', t('vote.generate_count'), { type: 'number', min: '1', max: '5000', value: '100', inputmode: 'numeric' });
  const [fileField, file] = field('vote-upload', t('vote.upload'), { type: 'file', accept: '.csv,.txt,text/csv,text/plain' }, t('vote.upload_hint'));
  const submit = h('button.btn#vote-add-tickets', { type: 'submit' }, t('vote.add_tickets'));
  const slot = h('div');
  const form = h('form.card#vote-tickets-form', { novalidate: true },
    h('h2', t('vote.tickets_title')), h('p.muted', t('vote.tickets_count', { count: vote.tickets })),
    h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }), countField, fileField, h('div.actions', submit), slot);
  onSubmit(form, submit, async () => {
    const codes = file.files[0] ? (await file.files[0].text()).split(/[\r\n,;]+/).map((c) => c.trim()).filter((c) => c && c.toLowerCase() !== 'ticket') : [];
    const body = codes.length ? { codes } : { generate: Number(count.value) };
    const res = await api.post(`/rounds/${roundId}/audience-vote/tickets`, body);
    toast(t('vote.tickets_added', { count: res.added }), { kind: 'ok' });
    await after(res.codes.length ? codesSheet(res.codes) : null);
  }, { fields: { codes: 'vote-upload', generate: 'vote-generate' } });
  return [form, slot];
}

function resultTable(result) {
  if (!result.ballots) return h('p.muted#vote-no-ballots', t('vote.no_ballots'));
  const cell = (key, ...c) => h('td', { 'data-label': t(key) }, ...c);
  return h('div',
    result.tie ? h('p.alert.alert-warn#vote-tie', t('vote.tie', { count: result.winners.length })) : null,
    h('div.table-scroll', { tabindex: '0' }, h('table.table.table-cards#vote-result',
      h('thead', h('tr', ['rank', 'finalist', 'track', 'votes'].map((c) => h('th', t(`vote.col.${c}`))))),
      h('tbody', result.finalists.map((f) => h('tr', { dataset: { application: f.application_id } },
        cell('vote.col.rank', formatNumber(f.rank), result.winners.includes(f.application_id) ? [' ', h('span.badge.badge-ok', t('vote.winner'))] : null),
        cell('vote.col.finalist', f.company_name),
        cell('vote.col.track', pick(f.track_name) || '—'),
        cell('vote.col.votes', formatNumber(f.votes))))))));
}

export default {
  name: 'admin-audience-vote',
  title: 'vote.admin_title',
  async render({ id }) {
    const round = await api.get(`/rounds/${id}`);
    const root = h('div#vote-admin');
    const page = h('section',
      h('p.muted', h('a', { href: `/admin/rounds/${id}` }, pick(round.name))),
      h('div.page-head', h('h1', t('vote.admin_title'))),
      h('p.lead', t('vote.admin_lead')), root);

    const draw = async (codes = null) => {
      // null while the round has no vote.
      const vote = await api.get(`/rounds/${id}/audience-vote`);
      const save = async (mode) => {
        await api.put(`/rounds/${id}/audience-vote`, { mode });
        toast(t('vote.saved'), { kind: 'ok' });
        await draw();
      };
      if (!vote) {
        root.replaceChildren(h('p', t('vote.off')), modeForm(null, save));
        return;
      }
      const result = await api.get(`/rounds/${id}/audience-vote/result`);
      const step = (to, key, confirmKey) => {
        const b = h(`button.btn#vote-${to}`, { type: 'button' }, t(key));
        onClick(b, async () => {
          if (confirmKey && !(await confirmDialog({ title: t(key), body: t(confirmKey, { count: vote.ballots }), confirm: t(key) }))) return;
          if (to === 'publish') await api.post(`/rounds/${id}/audience-vote/publish`);
          else await api.post(`/rounds/${id}/audience-vote/transition`, { to });
          toast(t('vote.saved'), { kind: 'ok' });
          await draw();
        });
        return b;
      };
      const actions = [];
      if (vote.state !== 'open' && !vote.published_at) actions.push(step('open', 'vote.open'));
      if (vote.state === 'open') actions.push(step('closed', 'vote.close', 'vote.close_confirm'));
      if (vote.state === 'closed' && !vote.published_at) actions.push(step('publish', 'vote.publish', 'vote.publish_confirm'));
      const status = h('section.card#vote-status',
        h('p', h('strong', t('vote.state_label')), ' ', h('span.badge#vote-state', { dataset: { state: vote.state } }, t(`vote.state.${vote.state}`)),
          ' · ', t(`vote.mode.${vote.mode}`)),
        h('p.muted', t('vote.counts', { tickets: formatNumber(vote.tickets), ballots: formatNumber(vote.ballots) })),
        vote.published_at ? h('p', h('span.badge.badge-ok', t('vote.published', { date: formatDate(vote.published_at) }))) : null,
        h('div.actions', actions),
        qrCard(vote.qr, t('vote.qr_label'), h('strong', t('vote.scan')), h('code.link-text#vote-url', { translate: 'no' }, vote.vote_url)));
      const parts = [status];
      if (vote.state === 'setup') parts.push(modeForm(vote.mode, save));
      if (vote.mode === 'tickets' && vote.state !== 'closed') {
        const [form, slot] = ticketsForm(id, vote, (sheet) => draw(sheet));
        if (codes) slot.append(codes);
        parts.push(form);
      }
      parts.push(h('section.card', h('h2', t('vote.result_title')), h('p.muted', t('vote.separate')), resultTable(result)));
      root.replaceChildren(...parts);
    };
    await draw();
    return page;
  },
};

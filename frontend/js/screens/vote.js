// The public vote page (no account), reached by the QR code in the hall: the finalists by name
// and track as large choices, then a ticket code (ticket mode) or a one-time link mailed to the
// voter's address (email mode; the link brings them back here with #token=… in the fragment).
// One vote per ticket or address; refusals are said in words. Phone first.
import * as api from '../api.js';
import { t, pick, formatNumber } from '../i18n.js';
import { h, field, busy, showError } from '../ui/dom.js';

const alertBox = () => h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' });

function results(result) {
  return h('section.card#vote-public-result', h('h2', t('vote.public_result')),
    result.tie ? h('p.alert.alert-warn', t('vote.tie', { count: result.winners.length })) : null,
    h('ol.vote-results', result.finalists.map((f) => h('li', { dataset: { application: f.application_id } },
      h('strong', f.company_name), ' ', h('span.muted', pick(f.track_name)), ' — ',
      t('vote.votes_count', { count: f.votes, n: formatNumber(f.votes) }),
      result.winners.includes(f.application_id) ? [' ', h('span.badge.badge-ok', t('vote.winner'))] : null))));
}

function finalistChoices(finalists) {
  return h('fieldset.vote-choices', h('legend', t('vote.choose')),
    finalists.map((f) => h('label.vote-choice', { dataset: { application: f.application_id } },
      h('input', { type: 'radio', name: 'finalist', value: f.application_id, required: true }),
      h('span.vote-choice-text', h('strong', f.company_name),
        f.company_name_native && f.company_name_native !== f.company_name ? h('span', f.company_name_native) : null,
        h('span.muted', pick(f.track_name))))));
}

function thanks() {
  return h('div.alert.alert-ok#vote-thanks', { role: 'status', tabindex: '-1' }, t('vote.thanks'));
}

export default {
  name: 'vote',
  title: 'vote.title',
  async render({ key }) {
    const token = new URLSearchParams(location.hash.slice(1)).get('token') || '';
    if (location.hash) history.replaceState(history.state, '', location.pathname);
    const vote = await api.get(`/votes/${encodeURIComponent(key)}`);
    const head = [h('p.muted', pick(vote.contest_name), ' · ', pick(vote.round_name)), h('h1', t('vote.title')), h('p.lead', t('vote.lead'))];
    const section = h('section.card.narrow.vote-page#vote-page', head);
    if (vote.published) {
      section.append(results(await api.get(`/votes/${encodeURIComponent(key)}/result`)));
      return section;
    }
    if (vote.state !== 'open') {
      section.append(h('p.alert.alert-warn#vote-closed', t(vote.state === 'setup' ? 'vote.not_yet' : 'vote.closed')));
      return section;
    }
    const needsEmail = vote.mode === 'email' && !token;
    if (needsEmail) {
      const [emailField, email] = field('vote-email', t('field.email'), { type: 'email', autocomplete: 'email', required: true }, t('vote.email_hint'));
      const send = h('button.btn.btn-block#vote-send-link', { type: 'submit' }, t('vote.send_link'));
      const form = h('form#vote-email-form', { novalidate: true }, alertBox(), emailField, send);
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        busy(send, true);
        try {
          await api.post(`/votes/${encodeURIComponent(key)}/email`, { email: email.value, locale: document.documentElement.lang.startsWith('zh') ? 'zh' : document.documentElement.lang.slice(0, 2) });
          form.replaceWith(h('p.alert.alert-ok#vote-check-email', { role: 'status' }, t('vote.check_email')));
        } catch (err) {
          showError(form, err, { email: 'vote-email' });
        } finally {
          busy(send, false);
        }
      });
      section.append(form);
      return section;
    }
    const [ticketField, ticket] = field('vote-ticket', t('vote.ticket'), { autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', required: true, maxlength: '40' }, t('vote.ticket_hint'));
    const submit = h('button.btn.btn-block#vote-submit', { type: 'submit' }, t('vote.submit'));
    const form = h('form#vote-form', { novalidate: true }, alertBox(), finalistChoices(vote.finalists),
      vote.mode === 'tickets' ? ticketField : null, submit);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const chosen = form.querySelector('input[name="finalist"]:checked');
      if (!chosen) {
        showError(form, { code: 'vote_choose' });
        return;
      }
      busy(submit, true);
      try {
        const body = { application_id: Number(chosen.value) };
        if (vote.mode === 'tickets') body.ticket = ticket.value;
        else body.token = token;
        await api.post(`/votes/${encodeURIComponent(key)}/ballots`, body);
        const done = thanks();
        form.replaceWith(done);
        done.focus();
      } catch (err) {
        showError(form, err, { ticket: 'vote-ticket' });
      } finally {
        busy(submit, false);
      }
    });
    section.append(form);
    return section;
  },
};

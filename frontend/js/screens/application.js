// The application form: sections with autosave, a completeness meter, the pitch-deck upload
// with progress, the submit checklist, and the submitted / withdrawn / disqualified states.
import * as api from '../api.js';
import { t, pick, formatDate, getLocale, formatNumber } from '../i18n.js';
import { h, field, showError, busy, toast } from '../ui/dom.js';
import { autosave, confirmDialog, meter, upload } from '../ui/forms.js';
import { myResultCard } from './results.js';
import { adminPanel } from './privacy.js';

const COUNTRIES = ['KR', 'CN', 'JP', 'SG', 'HK', 'TW', 'VN', 'TH', 'MY', 'ID', 'PH', 'IN', 'US', 'CA', 'GB', 'DE', 'FR', 'NL', 'SE', 'FI', 'IL', 'AU', 'NZ', 'AE'];
const STAGES = ['idea', 'prototype', 'mvp', 'revenue', 'growth'];
const TEXT = ['company_name', 'company_name_native', 'city', 'website', 'video_url', 'summary', 'problem', 'solution', 'market', 'traction'];
const SELECT = ['country', 'stage', 'track'];
const NUMBER = ['founded_year', 'team_size'];

function countryName(code) {
  try {
    return new Intl.DisplayNames([getLocale() === 'zh' ? 'zh-Hans' : getLocale()], { type: 'region' }).of(code);
  } catch {
    return code;
  }
}

function statusBanner(app, contest) {
  const deadline = formatDate(app.closes_at, { timeZone: contest.timezone });
  if (app.status === 'submitted') {
    return h('div.alert.alert-ok', { role: 'status', dataset: { status: 'submitted' } },
      t('application.submitted_banner', { date: formatDate(app.submitted_at) }), ' ', app.editable ? t('application.edit_until', { date: deadline, zone: contest.timezone }) : '');
  }
  if (app.status === 'withdrawn') return h('div.alert.alert-warn', { dataset: { status: 'withdrawn' } }, t('application.withdrawn_banner'));
  if (app.status === 'disqualified') {
    return h('div.alert.alert-error', { dataset: { status: 'disqualified' } }, t('application.disqualified_banner', { reason: app.status_reason || '' }));
  }
  return h('div.alert.alert-warn', { dataset: { status: 'draft' } }, app.editable ? t('application.draft_banner', { date: deadline, zone: contest.timezone }) : t('application.closed_banner'));
}

export default {
  name: 'application',
  title: 'application.title',
  async render({ id }, { navigate, session }) {
    let app = await api.get(`/applications/${id}`);
    const contest = await api.get(`/contests/${app.contest_id}`);
    const root = h('section');
    const alert = h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' });
    const inputs = {};
    let dirty = {};

    const saver = autosave(async () => {
      const body = { ...dirty, version: app.version };
      dirty = {};
      try {
        app = await api.patch(`/applications/${id}`, body);
        refreshSide();
      } catch (e) {
        if (e.code === 'edit_conflict') {
          alert.textContent = t('application.conflict');
          alert.hidden = false;
        } else if (e.code === 'validation_failed') {
          showError(form, e, Object.fromEntries(Object.keys(e.fields).map((k) => [k, `app-${k}`])), { focus: false });
          Object.assign(dirty, body);
          delete dirty.version;
        } else throw e;
      }
    });

    const mark = (name, value) => {
      dirty[name] = value;
      saver.touch();
    };

    const make = (name, attrs = {}, hint) => {
      const [wrap, input] = field(`app-${name}`, t(`application.field.${name}`), attrs, hint);
      inputs[name] = input;
      const value = app[name];
      if (input.tagName !== 'SELECT') input.value = value ?? '';
      input.addEventListener('input', () => {
        let v = input.value;
        if (NUMBER.includes(name)) v = v === '' ? null : Number(v);
        mark(name, v);
      });
      input.addEventListener('change', () => input.dispatchEvent(new Event('input')));
      return wrap;
    };
    const select = (name, options) => {
      const wrap = make(name, { tag: 'select' });
      const input = inputs[name];
      input.append(h('option', { value: '' }, t('common.choose')), ...options.map(([v, label]) => h('option', { value: v }, label)));
      input.value = app[name] || '';
      return wrap;
    };

    const team = h('div#team');
    const teamRows = () => [...team.querySelectorAll('.team-row')].map((row) => ({
      name: row.querySelector('[data-k=name]').value, role: row.querySelector('[data-k=role]').value, email: row.querySelector('[data-k=email]').value,
    })).filter((m) => m.name || m.role || m.email);
    const addMember = (m = { name: '', role: '', email: '' }) => {
      const n = team.children.length;
      const input = (k, type = 'text') => {
        const el = h('input', { type, 'data-k': k, value: m[k], id: `team-${n}-${k}`, 'aria-label': t(`application.team.${k}`), placeholder: t(`application.team.${k}`) });
        el.addEventListener('input', () => mark('team', teamRows()));
        return el;
      };
      const remove = h('button.btn.btn-ghost', { type: 'button', 'aria-label': t('application.team.remove') }, '×');
      const row = h('div.team-row', input('name'), input('role'), input('email', 'email'), remove);
      remove.addEventListener('click', () => {
        row.remove();
        mark('team', teamRows());
      });
      team.append(row);
    };
    (app.team.length ? app.team : [undefined]).forEach((m) => addMember(m));
    const addButton = h('button.btn.btn-ghost', { type: 'button', id: 'add-member' }, t('application.team.add'));
    addButton.addEventListener('click', () => addMember());

    // The pitch deck.
    const deckInfo = h('p#deck-info.muted');
    const progress = h('progress#deck-progress', { max: '100', value: '0', hidden: true, 'aria-label': t('application.deck.progress') });
    const progressText = h('p.muted', { 'aria-live': 'polite' });
    const deckError = h('p#app-deck-error.field-error', { hidden: true });
    const deckInput = h('input#app-deck', { type: 'file', accept: 'application/pdf,.pdf', 'aria-describedby': 'app-deck-error' });
    const showDeck = () => {
      deckInfo.replaceChildren(app.deck
        ? h('span', t('application.deck.current', { name: app.deck.original_name, size: formatNumber(app.deck.size_bytes / 1048576, { maximumFractionDigits: 1 }) }))
        : t('application.deck.none'));
    };
    deckInput.addEventListener('change', async () => {
      const file = deckInput.files[0];
      if (!file) return;
      deckError.hidden = true;
      progress.hidden = false;
      try {
        await saver.flush();
        const doc = await upload(`/api/v1/applications/${id}/documents`, file, api.token(), (sent, total) => {
          progress.value = Math.round((sent / total) * 100);
          progressText.textContent = t('application.deck.sent', { sent: formatNumber(sent / 1048576, { maximumFractionDigits: 1 }), total: formatNumber(total / 1048576, { maximumFractionDigits: 1 }) });
        });
        app = await api.get(`/applications/${id}`);
        progressText.textContent = t('application.deck.uploaded', { name: doc.original_name });
        showDeck();
        refreshSide();
      } catch (e) {
        deckError.textContent = e.fields?.file ? api.fieldMessage(e.fields.file) : api.errorMessage(e);
        deckError.hidden = false;
      } finally {
        progress.hidden = true;
        deckInput.value = '';
      }
    });

    const submit = h('button.btn#submit-application', { type: 'button' }, t('application.submit'));
    const withdraw = h('button.btn.btn-ghost#withdraw', { type: 'button' }, t('application.withdraw'));
    const side = h('div');
    function refreshSide() {
      side.replaceChildren(
        meter(app.completeness.percent, t('application.completeness')),
        h('ul.checklist', ['company_name', 'country', 'city', 'founded_year', 'team_size', 'stage', 'track', 'summary', 'problem', 'solution', 'market', 'team', 'deck']
          .map((k) => h(app.completeness.missing.includes(k) ? 'li' : 'li.done', t(`application.field.${k}`)))));
      submit.hidden = app.status !== 'draft';
      submit.disabled = !app.editable || app.completeness.missing.length > 0;
      withdraw.hidden = !['draft', 'submitted'].includes(app.status);
      banner.replaceWith((banner = statusBanner(app, contest)));
    }
    let banner = statusBanner(app, contest);

    submit.addEventListener('click', async () => {
      busy(submit, true);
      try {
        await saver.flush();
        app = await api.post(`/applications/${id}/submit`);
        toast(t('application.submitted_toast'));
        refreshSide();
      } catch (e) {
        showError(form, e, Object.fromEntries(Object.keys(e.fields || {}).map((k) => [k, `app-${k}`])));
      } finally {
        busy(submit, false);
      }
    });
    withdraw.addEventListener('click', async () => {
      const reason = await confirmDialog({ title: t('application.withdraw'), body: t('application.withdraw_confirm'), confirm: t('application.withdraw'), danger: true, input: t('application.withdraw_reason') });
      if (reason === false) return;
      app = await api.post(`/applications/${id}/withdraw`, { reason });
      navigate(`/applications/${id}`, { replace: true });
    });

    const form = h('form', { novalidate: true },
      alert,
      h('h2.section-title', t('application.section.company')),
      h('div.form-grid',
        make('company_name', { maxlength: 120 }), make('company_name_native', { maxlength: 120 }),
        select('country', COUNTRIES.map((c) => [c, countryName(c)]).sort((a, b) => a[1].localeCompare(b[1]))),
        make('city', { maxlength: 80 }),
        make('founded_year', { type: 'number', min: 1900, max: new Date().getFullYear() }),
        make('team_size', { type: 'number', min: 1 }),
        select('stage', STAGES.map((s) => [s, t(`application.stage.${s}`)])),
        select('track', contest.tracks.map((tr) => [tr.key, pick(tr.name)])),
        make('website', { type: 'url', placeholder: 'https://' }), make('video_url', { type: 'url', placeholder: 'https://' })),
      h('h2.section-title', t('application.section.pitch')),
      make('summary', { tag: 'textarea', maxlength: 600 }, t('application.hint.summary')),
      make('problem', { tag: 'textarea', maxlength: 3000 }), make('solution', { tag: 'textarea', maxlength: 3000 }),
      make('market', { tag: 'textarea', maxlength: 3000 }), make('traction', { tag: 'textarea', maxlength: 3000 }),
      h('h2.section-title', t('application.field.team')), h('p#app-team-error.field-error', { hidden: true }), team, addButton,
      h('h2.section-title', t('application.field.deck')),
      h('div.field', h('label', { for: 'app-deck' }, t('application.deck.choose')), deckInput, h('p.hint', t('application.deck.hint')), deckError),
      progress, progressText, deckInfo);
    // Administrators open the same screen to read an application; only its applicant edits.
    const readOnly = !app.editable || session.user?.role !== 'applicant';
    if (readOnly) for (const el of form.querySelectorAll('input, select, textarea, button')) el.disabled = true;
    if (session.user?.role !== 'applicant') {
      submit.hidden = true;
      withdraw.hidden = true;
    }
    showDeck();
    refreshSide();
    const result = app.status === 'submitted' ? await myResultCard(id) : null;
    root.append(
      h('p', h('a', { href: `/contests/${contest.id}`, 'data-link': true }, pick(contest.name))),
      h('h1', app.company_name || t('application.title')),
      banner, session.user?.role === 'admin' ? adminPanel(app, navigate) : null, result, side, form,
      h('div.sticky-bar', saver.status, h('div.actions', withdraw, submit)));
    return root;
  },
};

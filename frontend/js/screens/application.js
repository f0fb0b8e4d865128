// The application form: sections with autosave, a completeness meter, the pitch-deck upload
// with progress, the contest's own questions (ui/questions-form.js), the submit checklist, and the submitted / withdrawn / disqualified states.
import * as api from '../api.js';
import { t, pick, formatDate, getLocale, formatBytes } from '../i18n.js';
import { h, field, showError, busy, toast } from '../ui/dom.js';
import { autosave, restoredNotice, confirmDialog, meter } from '../ui/forms.js';
import { myResultCard } from './results.js';
import { adminPanel } from '../ui/privacy-panel.js';
import { questionsForm, answerId } from '../ui/questions-form.js';
import { COUNTRIES } from '../ui/words.js';

const STAGES = ['idea', 'prototype', 'mvp', 'revenue', 'growth'];
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

/// Where the API's field names show their errors.
const fieldId = (name) => (name.startsWith('answers.') ? answerId(name.slice(8)) : `app-${name.split('.')[0]}`);

/// The autosave's fields as the API takes them: `answers.<key>` go together under `answers`.
function wire(changes) {
  const body = {};
  for (const [k, v] of Object.entries(changes)) {
    if (k.startsWith('answers.')) (body.answers ??= {})[k.slice(8)] = v;
    else body[k] = v;
  }
  return body;
}

export default {
  name: 'application',
  title: 'application.title',
  async render({ id }, { navigate, session }) {
    let app = await api.get(`/applications/${id}`);
    const contest = await api.get(`/contests/${app.contest_id}`);
    const rules = await api.get('/documents/rules').catch(() => null);
    const mine = session.user?.role === 'applicant';
    const admin = session.user?.role === 'admin';
    const rounds = admin ? await api.get(`/contests/${app.contest_id}/rounds`).catch(() => []) : [];
    const contestOver = new Date(app.closes_at) <= new Date() && rounds.every((r) => ['closed', 'published'].includes(r.state));
    const alert = h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' });
    const notice = h('div');
    const inputs = {};

    const slot = (name) => form.querySelector(`#${CSS.escape(fieldId(name))}-error`);
    const setFieldError = (name, code) => {
      const el = slot(name);
      const input = form.querySelector(`#${CSS.escape(fieldId(name))}`);
      if (!el) return;
      el.textContent = api.fieldMessage(code);
      el.hidden = false;
      input?.setAttribute('aria-invalid', 'true');
    };
    const clearFieldError = (name) => {
      const el = slot(name);
      if (el) {
        el.hidden = true;
        el.textContent = '';
      }
      form.querySelector(`#${CSS.escape(fieldId(name))}`)?.removeAttribute('aria-invalid');
    };

    // The server's version of every field the visitor is not editing right now.
    const showServer = () => {
      for (const [name, input] of Object.entries(inputs)) {
        if (name in saver.refusedFields() || document.activeElement === input) continue;
        input.value = app[name] ?? '';
      }
      questions.refill(app.answers, (name) => name in saver.refusedFields());
    };

    const saver = autosave({
      key: mine ? `${session.user.id}:application:${id}` : null,
      label: (name) => questions.label(name) || t(`application.field.${name}`),
      async save(changes) {
        try {
          app = await api.patch(`/applications/${id}`, { ...wire(changes), version: app.version });
        } catch (e) {
          if (e.code !== 'edit_conflict') throw e;
          // Changed in another window: keep what was typed here, on top of the latest version.
          app = await api.get(`/applications/${id}`);
          app = await api.patch(`/applications/${id}`, { ...wire(changes), version: app.version });
          notice.replaceChildren(h('div.alert.alert-warn', { role: 'status' }, t('application.conflict_merged')));
          showServer();
        }
        alert.hidden = true;
        refreshSide();
      },
      onRefused(fields) {
        for (const [name, code] of Object.entries(fields)) setFieldError(name, code);
      },
      onAccepted(changes) {
        for (const name of Object.keys(changes)) clearFieldError(name);
      },
    });

    const questions = questionsForm(contest, app.answers || {}, (name, value) => saver.change(name, value));

    const make = (name, attrs = {}, hint) => {
      const [wrap, input] = field(fieldId(name), t(`application.field.${name}`), attrs, hint);
      inputs[name] = input;
      if (input.tagName !== 'SELECT') input.value = app[name] ?? '';
      const changed = () => {
        let v = input.value;
        if (NUMBER.includes(name)) v = v === '' ? null : Number(v);
        saver.change(name, v);
      };
      input.addEventListener('input', changed);
      input.addEventListener('change', changed);
      return wrap;
    };
    const select = (name, options) => {
      const wrap = make(name, { tag: 'select' });
      const input = inputs[name];
      input.append(h('option', { value: '' }, t('common.choose')), ...options.map(([v, label]) => h('option', { value: v }, label)));
      input.value = app[name] || '';
      if (name === 'track') input.addEventListener('change', () => questions.show(input.value));
      return wrap;
    };

    const team = h('div#team');
    const teamRows = () => [...team.querySelectorAll('.team-row')].map((row) => ({
      name: row.querySelector('[data-k=name]').value, role: row.querySelector('[data-k=role]').value, email: row.querySelector('[data-k=email]').value,
    })).filter((m) => m.name || m.role || m.email);
    let rowSeq = 0;
    const addMember = (m = { name: '', role: '', email: '' }) => {
      const n = rowSeq++;
      const input = (k, type = 'text') => {
        const el = h('input', { type, 'data-k': k, value: m[k] ?? '', id: `team-${n}-${k}`, 'aria-label': t(`application.team.${k}`), placeholder: t(`application.team.${k}`) });
        el.addEventListener('input', () => saver.change('team', teamRows()));
        return el;
      };
      const remove = h('button.btn.btn-ghost', { type: 'button', 'aria-label': t('application.team.remove') }, '×');
      const row = h('div.team-row', input('name'), input('role'), input('email', 'email'), remove);
      remove.addEventListener('click', () => {
        row.remove();
        saver.change('team', teamRows());
      });
      team.append(row);
    };
    const showTeam = (members) => {
      team.replaceChildren();
      (members.length ? members : [undefined]).forEach((m) => addMember(m));
    };
    showTeam(app.team);
    const addButton = h('button.btn.btn-ghost', { type: 'button', id: 'add-member' }, t('application.team.add'));
    addButton.addEventListener('click', () => addMember());

    // The pitch deck: size and type are checked before a byte is sent.
    const deckInfo = h('p#deck-info.muted');
    const progress = h('progress#deck-progress', { max: '100', value: '0', hidden: true, 'aria-label': t('application.deck.progress') });
    const progressText = h('p.muted', { 'aria-live': 'polite' });
    const deckError = h('p#app-deck-error.field-error', { hidden: true });
    const deckInput = h('input#app-deck', { type: 'file', accept: 'application/pdf,.pdf', 'aria-describedby': 'app-deck-hint app-deck-error' });
    const showDeck = () => {
      deckInfo.replaceChildren(app.deck
        ? h('span', t('application.deck.current', { name: app.deck.original_name, size: formatBytes(app.deck.size_bytes) }))
        : t('application.deck.none'));
    };
    const refuseFile = (file) => {
      const pdf = file.type === 'application/pdf' || /\.pdf$/i.test(file.name);
      if (!pdf) return t('field.not_pdf_file');
      if (rules && file.size > rules.max_bytes) return t('field.too_large_file', { size: formatBytes(file.size), max: formatBytes(rules.max_bytes) });
      return null;
    };
    deckInput.addEventListener('change', async () => {
      const file = deckInput.files[0];
      if (!file) return;
      deckError.hidden = true;
      progressText.textContent = '';
      const refused = refuseFile(file);
      if (refused) {
        deckError.textContent = refused;
        deckError.hidden = false;
        deckInput.value = '';
        return;
      }
      progress.hidden = false;
      progress.value = 0;
      try {
        await saver.flush();
        const doc = await api.upload(`/applications/${id}/documents`, file, (sent, total) => {
          progress.value = Math.round((sent / (total || 1)) * 100);
          progressText.textContent = t('application.deck.sent', { sent: formatBytes(sent), total: formatBytes(total) });
        });
        app = await api.get(`/applications/${id}`);
        progressText.textContent = t('application.deck.uploaded', { name: doc.original_name });
        showDeck();
        refreshSide();
      } catch (e) {
        progressText.textContent = '';
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
    let banner = statusBanner(app, contest);
    function refreshSide() {
      side.replaceChildren(
        meter(app.completeness.percent, t('application.completeness')),
        h('ul.checklist', ['company_name', 'country', 'city', 'founded_year', 'team_size', 'stage', 'track', 'summary', 'problem', 'solution', 'market', 'team', 'deck']
          .map((k) => h(app.completeness.missing.includes(k) ? 'li' : 'li.done', t(`application.field.${k}`))), questions.checklist(app)));
      questions.show(inputs.track?.value ?? app.track);
      // Offered only when the API would accept it now.
      submit.hidden = !mine || app.status !== 'draft' || !app.actions.edit;
      submit.disabled = !app.actions.submit;
      withdraw.hidden = !mine || !app.actions.withdraw;
      const next = statusBanner(app, contest);
      banner.replaceWith(next);
      banner = next;
    }

    submit.addEventListener('click', async () => {
      busy(submit, true);
      try {
        await saver.flush();
        // A value the server refused is still on screen: submitting the older stored one would
        // not be what the person sees.
        const refused = saver.refusedFields();
        if (Object.keys(refused).length) {
          showError(form, { code: 'validation_failed', fields: refused }, Object.fromEntries(Object.keys(refused).map((k) => [k, fieldId(k)])));
          return;
        }
        app = await api.post(`/applications/${id}/submit`);
        alert.hidden = true;
        toast(t('application.submitted_toast'));
        refreshSide();
      } catch (e) {
        showError(form, e, Object.fromEntries(Object.keys(e.fields || {}).map((k) => [k, fieldId(k)])));
      } finally {
        busy(submit, false);
      }
    });
    withdraw.addEventListener('click', async () => {
      const reason = await confirmDialog({ title: t('application.withdraw'), body: t('application.withdraw_confirm'), confirm: t('application.withdraw'), danger: true, input: t('application.withdraw_reason') });
      if (reason === false) return;
      try {
        app = await api.post(`/applications/${id}/withdraw`, { reason });
        saver.discard();
      } catch (e) {
        toast(api.errorMessage(e), { kind: 'error' });
      }
      navigate(`/applications/${id}`, { replace: true, force: true });
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
      questions.el,
      h('h2.section-title', t('application.field.deck')),
      h('div.field', h('label', { for: 'app-deck' }, t('application.deck.choose')), deckInput,
        h('p.hint#app-deck-hint', t('application.deck.hint', { max: formatBytes(rules?.max_bytes ?? 20971520) })), deckError),
      progress, progressText, deckInfo);
    // Administrators open the same screen to read an application; only its applicant edits.
    const readOnly = !app.actions.edit || !mine;
    if (readOnly) for (const el of form.querySelectorAll('input, select, textarea, button')) el.disabled = true;

    // Input an earlier visit typed and the server never accepted comes back, and is sent again.
    if (!readOnly && saver.restored) {
      const kept = saver.restored.pending;
      for (const [name, value] of Object.entries(kept)) {
        if (name === 'team' && Array.isArray(value)) showTeam(value);
        else if (inputs[name]) inputs[name].value = value ?? '';
        else if (!questions.restore(name, value)) continue;
        saver.change(name, value);
      }
      notice.append(restoredNotice(saver.restored, () => {
        saver.discard();
        navigate(`/applications/${id}`, { replace: true, force: true });
      }));
      saver.flush().catch(() => {});
    } else if (readOnly && saver.restored) saver.discard();

    showDeck();
    refreshSide();
    const result = app.status === 'submitted' ? await myResultCard(id) : null;
    // h() skips empty parts; Element.append would print them as "null".
    return h('section',
      h('p', h('a', { href: `/contests/${contest.id}`, 'data-link': true }, pick(contest.name))),
      h('h1', app.company_name || t('application.title')),
      banner, notice, admin ? adminPanel(app, navigate, { contestOver }) : null, result, side, form,
      h('div.sticky-bar', saver.status, h('div.actions', withdraw, submit)));
  },
};

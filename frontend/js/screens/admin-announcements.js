// Administrators: a message to a chosen group of the contest's people — applicants by status,
// round, track or result, judges (of a round), or everyone — written in three languages, with
// a live count of who it reaches and the mail each language gets, sent after a confirmation
// naming the count; and the announcements sent so far.
import * as api from '../api.js';
import { t, pick, formatDate, formatNumber } from '../i18n.js';
import { h, field, empty, showError } from '../ui/dom.js';
import { onSubmit, confirmDialog } from '../ui/forms.js';
import { applicationStatusName, languageName, trackName } from '../ui/words.js';

const LANGS = ['en', 'ko', 'zh'];
const GROUPS = ['applicants', 'judges', 'everyone'];
const STATUSES = ['submitted', 'draft', 'withdrawn', 'disqualified'];
const RESULTS = ['advanced', 'not_advanced', 'awarded'];
const LIMITS = { subject: 200, body: 10000 };
const langAttr = (l) => (l === 'zh' ? 'zh-Hans' : l);
/// The screen's own words for the API's audience refusals (field:code).
const ERRORS = {
  'audience:no_recipients': 'ann.error.no_recipients',
  'result:not_published': 'ann.error.not_published',
  'round_id:required': 'ann.error.result_needs_round',
  'track:unknown_track': 'ann.error.unknown_track',
};
const errorWord = (name, code) => ERRORS[`${name}:${code}`];

/// The audience in words: "Applicants · Submitted · Screening · AI · Advanced".
function describe(a, contest, rounds) {
  const parts = [t(`ann.group.${a.group}`)];
  if (a.group !== 'judges') parts.push(...(a.statuses || []).map(applicationStatusName));
  if (a.round_id) parts.push(pick(rounds.find((r) => r.id === a.round_id)?.name) || '—');
  if (a.group !== 'judges' && a.track) parts.push(trackName(contest, a.track));
  if (a.group !== 'judges' && a.result) parts.push(t(`ann.result.${a.result}`));
  return parts.join(' · ');
}

function sentList(items, contest, rounds) {
  if (!items.length) return empty(t('ann.empty'), t('ann.empty_next'));
  const cell = (key, ...c) => h('td', { 'data-label': t(key) }, ...c);
  return h('div.table-scroll', { tabindex: '0' }, h('table.table.table-cards#ann-table',
    h('thead', h('tr', ['when', 'subject', 'audience', 'recipients'].map((c) => h('th', t(`ann.col.${c}`))))),
    h('tbody', items.map((a) => h('tr', { dataset: { announcement: a.id } },
      cell('ann.col.when', formatDate(a.created_at)),
      cell('ann.col.subject', pick(a.subject)),
      cell('ann.col.audience', describe(a.audience, contest, rounds)),
      cell('ann.col.recipients', formatNumber(a.recipients)))))));
}

/// Three language tabs over the subject and body fields (WAI-ARIA tabs: arrows move between them).
function languageTabs(onSelect) {
  const texts = {};
  const tabs = LANGS.map((l) => h('button.tab', { type: 'button', role: 'tab', id: `ann-tab-${l}`, 'aria-controls': `ann-panel-${l}`, dataset: { lang: l } },
    languageName(l)));
  const panels = LANGS.map((l) => {
    const [subjectField, subject] = field(`ann-subject-${l}`, t('ann.subject'), { maxlength: LIMITS.subject, lang: langAttr(l), required: l === 'en' });
    const [bodyField, body] = field(`ann-body-${l}`, t('ann.body'), { tag: 'textarea', rows: 8, maxlength: LIMITS.body, lang: langAttr(l), required: l === 'en' },
      l === 'en' ? t('ann.english_required') : t('ann.other_language_hint'));
    texts[l] = { subject, body };
    return h('div.tab-panel', { role: 'tabpanel', id: `ann-panel-${l}`, 'aria-labelledby': `ann-tab-${l}`, dataset: { lang: l } }, subjectField, bodyField);
  });
  let current = 'en';
  const select = (lang, focus = false) => {
    current = lang;
    tabs.forEach((tab, i) => {
      const on = LANGS[i] === lang;
      tab.setAttribute('aria-selected', on ? 'true' : 'false');
      tab.tabIndex = on ? 0 : -1;
      panels[i].hidden = !on;
      if (on && focus) tab.focus();
    });
    onSelect(lang);
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(LANGS[i]));
    tab.addEventListener('keydown', (e) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (!step) return;
      e.preventDefault();
      select(LANGS[(i + step + LANGS.length) % LANGS.length], true);
    });
  });
  const read = (part) => Object.fromEntries(LANGS.map((l) => [l, texts[l][part].value.trim()]).filter(([, v]) => v));
  return {
    el: [h('div.tabs', { role: 'tablist', 'aria-label': t('ann.languages') }, tabs), panels],
    read: () => ({ subject: read('subject'), body: read('body') }),
    select,
    current: () => current,
  };
}

export default {
  name: 'admin-announcements',
  title: 'ann.title',
  async render({ id }) {
    const [contest, rounds, sent] = await Promise.all([
      api.get(`/contests/${id}`), api.get(`/contests/${id}/rounds`), api.get(`/contests/${id}/announcements`)]);

    const [groupField, group] = field('ann-group', t('ann.group'), { tag: 'select' });
    group.append(...GROUPS.map((g) => h('option', { value: g }, t(`ann.group.${g}`))));
    const statuses = h('fieldset.filter-set#ann-statuses', { 'aria-describedby': 'ann-statuses-hint' }, h('legend', t('ann.statuses')),
      h('div.checks', STATUSES.map((s) => h('label.check', h('input', { type: 'checkbox', name: 'status', value: s, checked: s === 'submitted' }), applicationStatusName(s)))),
      h('p.hint#ann-statuses-hint', t('ann.statuses_hint')));
    const [roundField, round] = field('ann-round', t('ann.round'), { tag: 'select' }, t('ann.round_hint'));
    round.append(h('option', { value: '' }, t('ann.round.any')), ...rounds.map((r) => h('option', { value: r.id }, pick(r.name))));
    const [trackField, track] = field('ann-track', t('ann.track'), { tag: 'select' });
    track.append(h('option', { value: '' }, t('ann.track.any')), ...contest.tracks.map((tr) => h('option', { value: tr.key }, pick(tr.name))));
    const [resultField, result] = field('ann-result', t('ann.result'), { tag: 'select' }, t('ann.result_hint'));
    result.append(h('option', { value: '' }, t('ann.result.any')), ...RESULTS.map((r) => h('option', { value: r }, t(`ann.result.${r}`))));
    const applicantOnly = [statuses, trackField, resultField];

    const audience = () => {
      const a = { group: group.value, statuses: [] };
      if (a.group !== 'judges') {
        a.statuses = [...statuses.querySelectorAll('input:checked')].map((c) => c.value);
        if (track.value) a.track = track.value;
        if (result.value) a.result = result.value;
      }
      if (round.value) a.round_id = Number(round.value);
      return a;
    };

    const count = h('p#ann-count', { 'aria-live': 'polite' }, t('common.loading'));
    const languages = h('p.muted#ann-languages');
    const previewSubject = h('p#ann-preview-subject', h('strong'));
    const previewText = h('pre.prewrap#ann-preview-text');
    const fallbackNote = h('p.hint#ann-fallback', { hidden: true });
    let last = null;
    const showPreview = () => {
      if (!last) return;
      const lang = tabs.current();
      previewSubject.firstChild.textContent = last.rendered[lang].subject || t('ann.no_subject');
      previewText.textContent = last.rendered[lang].text;
      previewText.lang = langAttr(last.fallback.includes(lang) ? 'en' : lang);
      fallbackNote.hidden = !last.fallback.includes(lang);
      fallbackNote.textContent = t('ann.fallback_note', { language: languageName(lang) });
    };
    const tabs = languageTabs(showPreview);
    const previewHeading = h('h2#ann-preview-title', t('ann.preview'));

    const request = () => ({ audience: audience(), ...tabs.read() });
    let seq = 0;
    let timer = null;
    const refresh = async () => {
      const mine = ++seq;
      try {
        const p = await api.post(`/contests/${id}/announcements/preview`, request());
        if (mine !== seq) return;
        last = p;
        count.textContent = t('ann.recipients', { count: p.recipients });
        languages.textContent = LANGS.map((l) => `${languageName(l)} ${formatNumber(p.by_language[l])}`).join(' · ');
        showPreview();
      } catch (err) {
        if (mine !== seq) return;
        const key = Object.entries(err.fields || {}).map(([name, code]) => errorWord(name, code)).find(Boolean);
        count.textContent = key ? t(key) : api.errorMessage(err);
        languages.textContent = '';
      }
    };
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    };
    const showGroup = () => {
      for (const el of applicantOnly) el.hidden = group.value === 'judges';
    };
    group.addEventListener('change', showGroup);

    const send = h('button.btn#ann-send', { type: 'submit' }, t('ann.send'));
    const status = h('p#ann-status', { role: 'status' });
    const listSlot = h('div#ann-list', sentList(sent, contest, rounds));
    const form = h('form#ann-form', { novalidate: true },
      h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
      h('h2.section-title', t('ann.audience')),
      h('div.grid.grid-tight', groupField, roundField),
      statuses,
      h('div.grid.grid-tight', trackField, resultField),
      h('h2.section-title', t('ann.message')),
      tabs.el,
      h('div.card#ann-preview', { 'aria-labelledby': 'ann-preview-title' }, previewHeading, count, languages, fallbackNote, previewSubject, previewText),
      h('div.actions', send),
      status);
    form.addEventListener('input', later);
    form.addEventListener('change', later);

    // API field → element: per-language texts, the audience's filters, and the audience as a whole.
    const fields = { audience: 'ann-group', round_id: 'ann-round', track: 'ann-track', result: 'ann-result', statuses: 'ann-statuses' };
    for (const l of LANGS) Object.assign(fields, { [`subject.${l}`]: `ann-subject-${l}`, [`body.${l}`]: `ann-body-${l}` });
    const explain = (err) => {
      // A text error may sit on a hidden tab: show that tab first, so focus can reach the field.
      const text = Object.keys(err.fields || {}).find((f) => /^(subject|body)\./.test(f));
      if (text) tabs.select(text.split('.')[1]);
      showError(form, err, fields);
      for (const [name, code] of Object.entries(err.fields || {})) {
        const slot = form.querySelector(`#${fields[name] || name}-error`);
        if (slot && errorWord(name, code)) slot.textContent = t(errorWord(name, code));
      }
      return true;
    };
    onSubmit(form, send, async () => {
      status.textContent = '';
      const p = await api.post(`/contests/${id}/announcements/preview`, request());
      if (!p.recipients) throw new api.ApiError(422, { error: 'validation_failed', fields: { audience: 'no_recipients' } });
      const ok = await confirmDialog({ title: t('ann.confirm_title'), body: t('ann.confirm_body', { count: p.recipients }), confirm: t('ann.send_now') });
      if (!ok) return;
      const r = await api.post(`/contests/${id}/announcements`, request());
      status.textContent = t('ann.sent', { count: r.recipients });
      const items = await api.get(`/contests/${id}/announcements`);
      listSlot.replaceChildren(sentList(items, contest, rounds));
    }, { fields, check: () => {
      const text = tabs.read();
      const refused = {};
      if (!text.subject.en) refused['subject.en'] = 'required';
      if (!text.body.en) refused['body.en'] = 'required';
      if (Object.keys(refused).length) tabs.select('en');
      return refused;
    }, onError: explain });

    tabs.select('en');
    showGroup();
    refresh();
    return h('section',
      h('p.muted', h('a', { href: `/admin/contests/${id}/rounds` }, t('round.list_title')), ' · ', pick(contest.name)),
      h('div.page-head', h('h1', t('ann.title'))),
      h('p.hint', t('ann.intro')),
      form,
      h('h2.section-title', t('ann.sent_title')),
      listSlot);
  },
};

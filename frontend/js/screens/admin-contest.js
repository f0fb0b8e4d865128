// Administrators: create or edit a contest — slug, names and description in three languages,
// time zone and application window (entered on the contest's clock, also shown in Shanghai and
// on this computer's clock), tracks (add, rename, reorder, remove), eligibility and listing,
// award tiers, the contest's own questions. Server errors appear at their field; "open now" and "close now" move the
// window; extending, archiving and copying the edition are in ui/edition.js.
import * as api from '../api.js';
import { t, pick, formatDate } from '../i18n.js';
import { h, field, toast } from '../ui/dom.js';
import { onSubmit, keptForm, restoredNotice } from '../ui/forms.js';
import { COUNTRIES, countryName } from '../ui/words.js';
import { toZonedInput, fromZonedInput, timeZones } from '../ui/zoned.js';
import { rowTools, reorderable } from '../ui/rows.js';
import { awardTiers } from '../ui/award-tiers.js';
import { questionsEditor } from '../ui/questions-editor.js';
import { editionActions } from '../ui/edition.js';

const LANGS = ['en', 'ko', 'zh'];
const DAY = 86400000;
let seq = 0;

function blank() {
  const opens = new Date(Math.ceil(Date.now() / DAY) * DAY);
  return {
    slug: '', name: {}, description: {}, timezone: 'Asia/Seoul', published: false,
    tracks: [{ key: '', name: {} }],
    opens_at: opens.toISOString(), closes_at: new Date(opens.getTime() + 30 * DAY).toISOString(),
    eligibility: { founded_within_years: null, allowed_countries: [] },
    awards: [],
    questions: [],
  };
}

function trackRow(track) {
  const n = ++seq;
  const input = (name, value, attrs = {}) => {
    const id = `track-${n}-${name}`;
    return [h('input', { id, name, value: value ?? '', ...attrs }), id];
  };
  const [key, keyId] = input('key', track.key, { maxlength: 32, pattern: '[a-z0-9_\\-]+', required: true, autocapitalize: 'off', spellcheck: 'false' });
  const names = LANGS.map((l) => input(`name-${l}`, track.name?.[l], { maxlength: 100, lang: l === 'zh' ? 'zh-Hans' : l, required: l === 'en' }));
  const cell = (label, el, id) => h('div.field', h('label', { for: id }, label), el);
  const tools = rowTools({ up: 'contest.form.track.move_up', down: 'contest.form.track.move_down', remove: 'contest.form.track.remove' });
  return h('fieldset.track-edit', { dataset: { track: track.key || '' } },
    h('legend', pick(track.name) || t('contest.form.track.new')),
    h('div.grid.grid-tight', cell(t('contest.form.track.key'), key, keyId), names.map(([el, id], i) => cell(t(`contest.form.name_${LANGS[i]}`), el, id))),
    tools);
}

function readTrack(row) {
  const v = (name) => row.querySelector(`[name="${name}"]`).value.trim();
  return { key: v('key'), name: Object.fromEntries(LANGS.map((l) => [l, v(`name-${l}`)]).filter(([, s]) => s)) };
}

/// "Closes 31 Jan 2027, 18:00 in Asia/Seoul · 17:00 in Shanghai · 10:00 on this computer".
function instants(iso, zone) {
  if (!iso) return '';
  const at = (timeZone) => formatDate(iso, { timeZone });
  const parts = [t('contest.form.at_zone', { time: at(zone), zone })];
  if (zone !== 'Asia/Shanghai') parts.push(t('contest.form.at_zone', { time: at('Asia/Shanghai'), zone: 'Asia/Shanghai' }));
  parts.push(t('contest.form.at_local', { time: formatDate(iso) }));
  return parts.join(' · ');
}

export default {
  name: 'admin-contest',
  title: 'contest.form.edit_title',
  async render({ id }, { navigate, session }) {
    const editing = !!id;
    const c = editing ? await api.get(`/contests/${id}`) : blank();
    const loadedAt = Date.now();
    const [slugField, slug] = field('contest-slug', t('contest.form.slug'), { value: c.slug, maxlength: 40, required: true, autocapitalize: 'off', spellcheck: 'false' }, t('contest.form.slug_hint'));
    const names = LANGS.map((l) => field(`contest-name-${l}`, t(`contest.form.name_${l}`), { value: c.name[l] || '', maxlength: 200, required: l === 'en', lang: l === 'zh' ? 'zh-Hans' : l }));
    const descriptions = LANGS.map((l) => field(`contest-description-${l}`, t(`contest.form.description_${l}`), { tag: 'textarea', maxlength: 5000, rows: 3, lang: l === 'zh' ? 'zh-Hans' : l }));
    descriptions.forEach(([, el], i) => { el.value = c.description[LANGS[i]] || ''; });
    const [zoneField, zone] = field('contest-timezone', t('contest.form.timezone'), { tag: 'select' }, t('contest.form.timezone_hint'));
    zone.append(...timeZones().map((z) => h('option', { value: z }, z)));
    zone.value = c.timezone;
    const [opensField, opens] = field('contest-opens', t('contest.form.opens'), { type: 'datetime-local', required: true });
    const [closesField, closes] = field('contest-closes', t('contest.form.closes'), { type: 'datetime-local', required: true });
    const opensAt = h('p.hint#contest-opens-at', { 'aria-live': 'polite' });
    const closesAt = h('p.hint#contest-closes-at', { 'aria-live': 'polite' });
    opensField.append(opensAt);
    closesField.append(closesAt);
    const showInstants = () => {
      opensAt.textContent = instants(fromZonedInput(opens.value, zone.value), zone.value);
      closesAt.textContent = instants(fromZonedInput(closes.value, zone.value), zone.value);
    };
    opens.value = toZonedInput(c.opens_at, c.timezone);
    closes.value = toZonedInput(c.closes_at, c.timezone);
    for (const el of [opens, closes]) el.addEventListener('input', showInstants);
    // A different zone keeps the same wall-clock times: "18:00" stays 18:00, in the new zone.
    zone.addEventListener('change', showInstants);
    showInstants();

    const tracks = h('div.tracks#contest-tracks', c.tracks.map(trackRow));
    const tracksError = h('p.field-error#contest-tracks-error', { hidden: true });
    const addTrack = h('button.btn.btn-ghost#add-track', { type: 'button' }, t('contest.form.track.add'));
    addTrack.addEventListener('click', () => {
      const row = trackRow({ key: '', name: {} });
      tracks.append(row);
      row.querySelector('input').focus();
    });
    reorderable(tracks);

    const [yearsField, years] = field('contest-founded-within', t('contest.form.founded_within'), { type: 'number', min: 1, max: 100, value: c.eligibility.founded_within_years ?? '' }, t('contest.form.founded_within_hint'));
    const countries = h('div.checks.country-checks', COUNTRIES.map((code) => [code, countryName(code)]).sort((a, b) => a[1].localeCompare(b[1]))
      .map(([code, label]) => h('label.check', h('input', { type: 'checkbox', name: 'country', value: code, checked: c.eligibility.allowed_countries.includes(code) }), label)));
    const eligibilityError = h('p.field-error#contest-eligibility-error', { hidden: true });
    const published = h('input#contest-published', { type: 'checkbox', checked: c.published });
    const awards = awardTiers(c.awards || []);
    const questions = questionsEditor(c.questions || []);

    const submit = h('button.btn#contest-save', { type: 'submit' }, editing ? t('contest.form.save') : t('contest.form.create'));
    const form = h('form.contest-form', { novalidate: true },
      h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
      h('h2.section-title', t('contest.form.section.identity')),
      slugField,
      h('div.grid.grid-tight', names.map(([w]) => w)),
      descriptions.map(([w]) => w),
      h('h2.section-title', t('contest.form.section.window')),
      zoneField,
      h('div.grid.grid-tight', opensField, closesField),
      h('h2.section-title', t('contest.form.section.tracks')),
      h('p.hint', t('contest.form.tracks_hint')), tracksError, tracks, h('div.actions', addTrack),
      h('h2.section-title', t('contest.form.section.eligibility')),
      yearsField,
      h('fieldset#contest-eligibility', h('legend', t('contest.form.countries')), h('p.hint', t('contest.form.countries_hint')), countries),
      eligibilityError,
      h('label.check', published, t('contest.form.published')),
      h('h2.section-title', t('awards.title')),
      awards.el,
      h('h2.section-title', t('questions.title')),
      questions.el,
      h('div.actions', submit));
    // An archived edition is read-only until it is restored.
    if (c.archived_at) {
      for (const el of form.querySelectorAll('input, select, textarea, button')) el.disabled = true;
      submit.hidden = true;
    }
    // Until it is saved, what was typed stays in this browser and comes back after a reload.
    const changes = keptForm({ key: `${session.user.id}:contest:${id || 'new'}`, form, read: () => body() });
    const notice = h('div');
    const fill = (v) => {
      slug.value = v.slug ?? '';
      LANGS.forEach((l, i) => {
        names[i][1].value = v.name?.[l] ?? '';
        descriptions[i][1].value = v.description?.[l] ?? '';
      });
      zone.value = v.timezone || 'Asia/Seoul';
      opens.value = toZonedInput(v.opens_at, zone.value);
      closes.value = toZonedInput(v.closes_at, zone.value);
      tracks.replaceChildren(...(v.tracks?.length ? v.tracks : [{ key: '', name: {} }]).map(trackRow));
      years.value = v.eligibility?.founded_within_years ?? '';
      for (const el of countries.querySelectorAll('input')) el.checked = (v.eligibility?.allowed_countries || []).includes(el.value);
      published.checked = !!v.published;
      awards.fill(v.awards || []);
      questions.fill(v.questions || []);
      showInstants();
    };

    // The pickers show minutes; an untouched one keeps the stored instant to the second, so
    // "open now" and "close now" within one minute do not read back as the same time.
    const instant = (input, stored) => (editing && zone.value === c.timezone && input.value === toZonedInput(stored, c.timezone)
      ? stored
      : fromZonedInput(input.value, zone.value));
    const body = () => ({
      slug: slug.value.trim(),
      name: Object.fromEntries(LANGS.map((l, i) => [l, names[i][1].value.trim()]).filter(([, v]) => v)),
      description: Object.fromEntries(LANGS.map((l, i) => [l, descriptions[i][1].value.trim()]).filter(([, v]) => v)),
      timezone: zone.value,
      tracks: [...tracks.querySelectorAll('fieldset')].map(readTrack),
      opens_at: instant(opens, c.opens_at),
      closes_at: instant(closes, c.closes_at),
      eligibility: {
        founded_within_years: years.value === '' ? null : Number(years.value),
        allowed_countries: [...countries.querySelectorAll('input:checked')].map((el) => el.value),
      },
      published: published.checked,
      awards: awards.read(),
      questions: questions.read(),
    });
    const fields = {
      slug: 'contest-slug', name: 'contest-name-en', description: 'contest-description-en', timezone: 'contest-timezone',
      opens_at: 'contest-opens', closes_at: 'contest-closes', tracks: 'contest-tracks', eligibility: 'contest-eligibility',
      awards: 'contest-awards', questions: 'contest-questions',
    };
    if (changes.restored) {
      fill(changes.restored.pending.value);
      changes.changed();
      notice.append(restoredNotice(changes.restored, () => {
        changes.discard();
        fill(c);
      }));
    }
    onSubmit(form, submit, async () => {
      const b = body();
      if (!b.opens_at || !b.closes_at) throw { code: 'validation_failed', fields: { [b.opens_at ? 'closes_at' : 'opens_at']: 'required' } };
      let saved;
      try {
        saved = editing ? await api.patch(`/contests/${id}`, b) : await api.post('/contests', b);
      } catch (err) {
        // A removed track that applications use: the reason belongs at the tracks.
        if (err.code === 'track_in_use') err.fields = { tracks: 'track_in_use' };
        if (err.code === 'question_answered') err.fields = { questions: 'question_answered' };
        throw err;
      }
      changes.saved();
      toast(t(editing ? 'contest.form.saved' : 'contest.form.created', { name: pick(saved.name) }), { kind: 'ok' });
      navigate(editing ? `/admin/contests/${id}/edit` : `/admin/contests/${saved.id}/rounds`, { replace: editing, force: true });
    }, { fields });

    // Moving the window now, on the server's clock, each with its own confirmation-free save.
    const move = async (patch, message) => {
      try {
        await api.patch(`/contests/${id}`, patch);
        toast(t(message), { kind: 'ok' });
        navigate(`/admin/contests/${id}/edit`, { replace: true, force: true });
      } catch (err) {
        toast(api.errorMessage(err), { kind: 'error' });
      }
    };
    // The server's clock as of now: its time when the page loaded plus what has passed since.
    const now = () => new Date(Date.parse(c.server_time) + (Date.now() - loadedAt)).toISOString();
    const windowActions = editing && !c.archived_at ? h('div.actions#contest-window-actions',
      c.phase === 'upcoming' ? h('button.btn.btn-ghost#contest-open-now', { type: 'button', onclick: () => move({ opens_at: now() }, 'contest.form.opened') }, t('contest.form.open_now')) : null,
      c.phase === 'open' ? h('button.btn.btn-ghost#contest-close-now', { type: 'button', onclick: () => move({ closes_at: now() }, 'contest.form.closed_now') }, t('contest.form.close_now')) : null) : null;

    return h('section.narrow-wide',
      h('p.muted', h('a', { href: '/admin/contests' }, t('admin.contests.title'))),
      h('div.page-head', h('h1', editing ? pick(c.name) : t('contest.form.new_title')),
        editing ? h('span.badge', t(`contest.phase.${c.phase}`)) : null),
      editing ? h('p.muted', t('contest.form.window_summary', { opens: formatDate(c.opens_at, { timeZone: c.timezone }), closes: formatDate(c.closes_at, { timeZone: c.timezone }), zone: c.timezone })) : null,
      windowActions,
      editing ? editionActions(c, { navigate }) : null,
      notice,
      h('div.card', form));
  },
};

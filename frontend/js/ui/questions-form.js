// The contest's own questions on the application form, after the standard fields. Each answer
// is autosaved as the field `answers.<key>` (the screen sends them as `{answers: {key: …}}`),
// its error shows at the question, and only the questions asked in the chosen track show.
import { t, pick } from '../i18n.js';
import { h, field } from './dom.js';

/// Where an answer's input and its error line are: `#app-answer-<key>`, `…-error`.
export const answerId = (key) => `app-answer-${key}`;

const applies = (q, track) => !q.tracks?.length || !track || q.tracks.includes(track);

function input(q, value) {
  const id = answerId(q.key);
  const label = pick(q.label) + (q.required ? ' *' : '');
  const hint = q.help ? pick(q.help) : undefined;
  const text = (attrs) => {
    const [wrap, el] = field(id, label, attrs, hint);
    el.value = value ?? '';
    return [wrap, () => el.value, (v) => { el.value = v ?? ''; }, el];
  };
  switch (q.kind) {
    case 'long_text': return text({ tag: 'textarea', maxlength: 3000, rows: 4 });
    case 'url': return text({ type: 'url', maxlength: 300, placeholder: 'https://' });
    case 'number': {
      const [wrap, , set, el] = text({ type: 'number', step: 'any', min: q.min ?? null, max: q.max ?? null, inputmode: 'decimal' });
      return [wrap, () => (el.value === '' ? null : Number(el.value)), set, el];
    }
    case 'single_choice':
    case 'yes_no': {
      const choices = q.kind === 'yes_no'
        ? [['true', t('questions.yes')], ['false', t('questions.no')]]
        : q.options.map((o) => [o.key, pick(o.label)]);
      const [wrap, el] = field(id, label, { tag: 'select' }, hint);
      el.append(h('option', { value: '' }, t('common.choose')), ...choices.map(([v, l]) => h('option', { value: v }, l)));
      const set = (v) => { el.value = v === null || v === undefined ? '' : String(v); };
      set(value);
      const get = () => (q.kind === 'yes_no' && el.value !== '' ? el.value === 'true' : el.value || null);
      return [wrap, get, set, el];
    }
    case 'multiple_choice': {
      const boxes = q.options.map((o) => h('input', { type: 'checkbox', value: o.key, id: `${id}-${o.key}`, checked: (value || []).includes(o.key) }));
      const error = h('p.field-error', { id: `${id}-error`, hidden: true });
      const wrap = h('fieldset.field.checks', { id, 'aria-describedby': `${id}-error` },
        h('legend', label), hint ? h('p.hint', hint) : null,
        boxes.map((b, i) => h('label.check', { for: b.id }, b, pick(q.options[i].label))), error);
      const set = (v) => boxes.forEach((b) => { b.checked = (v || []).includes(b.value); });
      return [wrap, () => boxes.filter((b) => b.checked).map((b) => b.value), set, wrap];
    }
    default: return text({ maxlength: 200 });
  }
}

/// `{ el, show(track), refill(answers), checklist(app), label(field) }` for the questions of
/// `contest`; `change(field, value)` is the autosave's.
export function questionsForm(contest, answers, change) {
  const questions = contest.questions || [];
  const rows = questions.map((q) => {
    const [wrap, get, set, el] = input(q, answers[q.key]);
    const changed = () => change(`answers.${q.key}`, get());
    el.addEventListener('input', changed);
    el.addEventListener('change', changed);
    return { q, wrap, set, el };
  });
  const el = h('div#app-questions', questions.length ? h('h2.section-title', t('questions.form_title')) : null, rows.map((r) => r.wrap));
  return {
    el,
    /// Shows the questions asked in `track` (all while no track is chosen).
    show(track) {
      for (const r of rows) r.wrap.hidden = !applies(r.q, track);
    },
    /// The server's answers, except where the visitor is typing.
    refill(next = {}, skip = () => false) {
      for (const r of rows) if (!skip(`answers.${r.q.key}`) && !r.wrap.contains(document.activeElement)) r.set(next[r.q.key]);
    },
    /// Checklist lines of the required questions asked in the application's track.
    checklist(app) {
      return questions.filter((q) => q.required && applies(q, app.track))
        .map((q) => h(app.completeness.missing.includes(`answers.${q.key}`) ? 'li' : 'li.done', pick(q.label)));
    },
    /// The question's label for the field `answers.<key>`, else null.
    label(name) {
      const q = name.startsWith('answers.') && questions.find((x) => `answers.${x.key}` === name);
      return q ? pick(q.label) : null;
    },
    /// Sets a kept (restored) value; true when it was one of these questions.
    restore(name, value) {
      const r = rows.find((x) => `answers.${x.q.key}` === name);
      r?.set(value);
      return !!r;
    },
  };
}

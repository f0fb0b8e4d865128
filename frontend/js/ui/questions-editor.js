// The contest's own questions on the application form, in form order: key, kind, label and
// help in three languages, the choices of a choice question, required or not, the tracks it is
// asked in and whether it says who the applicant is. Added, reordered and removed like tracks.
// Once an application answered a question only its wording may change (the server says 409).
import { t, pick } from '../i18n.js';
import { h } from './dom.js';
import { rowTools, rowList } from './rows.js';

const LANGS = ['en', 'ko', 'zh'];
export const KINDS = ['short_text', 'long_text', 'single_choice', 'multiple_choice', 'number', 'url', 'yes_no'];
const isChoice = (kind) => kind === 'single_choice' || kind === 'multiple_choice';
const lang = (l) => (l === 'zh' ? 'zh-Hans' : l);
let seq = 0;

function optionLine(option, n) {
  const m = ++seq;
  const cell = (name, label, value, attrs = {}) => {
    const id = `question-${n}-option-${m}-${name}`;
    return h('div.field', h('label', { for: id }, label), h('input', { id, name, value: value ?? '', ...attrs }));
  };
  const remove = h('button.btn.btn-ghost.btn-small.option-remove', { type: 'button', 'aria-label': t('questions.option_remove'), title: t('questions.option_remove') }, '×');
  const line = h('div.grid.grid-tight.question-option',
    cell('option-key', t('questions.option_key'), option.key, { maxlength: 40, pattern: '[a-z0-9_\\-]+', required: true, autocapitalize: 'off', spellcheck: 'false' }),
    LANGS.map((l) => cell(`option-${l}`, t(`questions.option_label_${l}`), option.label?.[l], { maxlength: 200, lang: lang(l), required: l === 'en' })),
    remove);
  remove.addEventListener('click', () => {
    const list = line.parentElement;
    line.remove();
    list?.dispatchEvent(new Event('input', { bubbles: true }));
  });
  return line;
}

function questionRow(q) {
  const n = ++seq;
  const id = (name) => `question-${n}-${name}`;
  const cell = (name, label, value, attrs = {}) =>
    h('div.field', h('label', { for: id(name) }, label), h('input', { id: id(name), name, value: value ?? '', ...attrs }));
  const check = (name, label, checked) => h('label.check', h('input', { type: 'checkbox', id: id(name), name, checked: !!checked }), label);
  const kind = h('select', { id: id('kind'), name: 'kind' }, KINDS.map((k) => h('option', { value: k, selected: k === q.kind }, t(`questions.kind.${k}`))));
  const options = h('div.question-options', (q.options || []).map((o) => optionLine(o, n)));
  const addOption = h('button.btn.btn-ghost.btn-small', { type: 'button' }, t('questions.option_add'));
  addOption.addEventListener('click', () => {
    const line = optionLine({ key: '', label: {} }, n);
    options.append(line);
    line.querySelector('input').focus();
  });
  const choices = h('div.question-choices', h('p.hint', t('questions.options_hint')), options, h('div.actions', addOption));
  const range = h('div.grid.grid-tight.question-range',
    cell('min', t('questions.min'), q.min, { type: 'number', step: 'any' }),
    cell('max', t('questions.max'), q.max, { type: 'number', step: 'any' }));
  const showKind = () => {
    choices.hidden = !isChoice(kind.value);
    range.hidden = kind.value !== 'number';
  };
  kind.addEventListener('change', showKind);
  const row = h('fieldset.track-edit.question-edit', { dataset: { question: q.key || '' } },
    h('legend', pick(q.label) || t('questions.new')),
    h('div.grid.grid-tight',
      cell('key', t('questions.key'), q.key, { maxlength: 40, pattern: '[a-z0-9_\\-]+', required: true, autocapitalize: 'off', spellcheck: 'false' }),
      h('div.field', h('label', { for: id('kind') }, t('questions.kind_label')), kind),
      cell('tracks', t('questions.tracks'), (q.tracks || []).join(', '), { autocapitalize: 'off', spellcheck: 'false', placeholder: t('questions.tracks_all') })),
    h('div.grid.grid-tight',
      LANGS.map((l) => cell(`label-${l}`, t(`questions.label_${l}`), q.label?.[l], { maxlength: 300, lang: lang(l), required: l === 'en' })),
      LANGS.map((l) => cell(`help-${l}`, t(`questions.help_${l}`), q.help?.[l], { maxlength: 1000, lang: lang(l) }))),
    choices, range,
    h('div.checks', check('required', t('questions.required'), q.required), check('identifying', t('questions.identifying'), q.identifying)),
    rowTools({ up: 'questions.move_up', down: 'questions.move_down', remove: 'questions.remove' }));
  showKind();
  return row;
}

function readQuestion(row) {
  const v = (name, scope = row) => scope.querySelector(`[name="${name}"]`).value.trim();
  const texts = (prefix, scope = row) => Object.fromEntries(LANGS.map((l) => [l, v(`${prefix}-${l}`, scope)]).filter(([, s]) => s));
  const kind = v('kind');
  const help = texts('help');
  const number = (name) => (v(name) === '' ? {} : { [name]: Number(v(name)) });
  return {
    key: v('key'),
    kind,
    label: texts('label'),
    ...(Object.keys(help).length ? { help } : {}),
    options: isChoice(kind)
      ? [...row.querySelectorAll('.question-option')].map((line) => ({ key: v('option-key', line), label: texts('option', line) }))
      : [],
    required: row.querySelector('[name="required"]').checked,
    tracks: v('tracks').split(/[,\s]+/).filter(Boolean),
    identifying: row.querySelector('[name="identifying"]').checked,
    ...(kind === 'number' ? { ...number('min'), ...number('max') } : {}),
  };
}

/// `{ el, read, fill }`: the editor (its error line is `#contest-questions-error`), the
/// questions as the API takes them, and a way to show others (a restored draft).
export function questionsEditor(questions = []) {
  return rowList({
    id: 'contest-questions', items: questions, row: questionRow, read: readQuestion,
    blank: () => ({ key: '', kind: 'short_text', label: {}, options: [] }),
    rows: 'fieldset.question-edit',
    hint: t('questions.hint'), addId: 'add-question', addLabel: t('questions.add'), emptyText: t('questions.empty'),
  });
}

// The contest's own questions outside the form: the answers on the judge's scoring screen (a
// blind round already left out the identifying ones) and the administrators' list filter.
import { t, pick } from '../i18n.js';
import { h } from './dom.js';

/// One answer as words: choices by their labels, yes/no in the reader's language.
function answerText(a) {
  const label = (key) => pick(a.options?.find((o) => o.key === key)?.label) || key;
  if (a.kind === 'yes_no') return t(a.value ? 'questions.yes' : 'questions.no');
  if (Array.isArray(a.value)) return a.value.map(label).join(', ');
  if (a.kind === 'single_choice') return label(a.value);
  return String(a.value);
}

/// The answers a judge may read, in form order (`view.application.answers`).
export function answersPane(answers = []) {
  if (!answers.length) return null;
  return h('section.app-section#scoring-answers', h('h2', t('questions.answers_title')),
    h('dl.facts.answer-list', answers.map((a) => [
      h('dt', pick(a.label)),
      h('dd', { dataset: { answer: a.key } }, a.kind === 'url'
        ? h('a', { href: a.value, rel: 'noopener noreferrer', target: '_blank' }, a.value)
        : h(a.kind === 'long_text' ? 'span.prewrap' : 'span', answerText(a))),
    ])));
}

/// The "question" and "answer" filter fields of the applications list (`?question=&answer=`):
/// a choice question offers its choices as suggestions.
export function answerFilter(contest, query) {
  const questions = contest.questions || [];
  if (!questions.length) return null;
  const question = h('select#filter-question', { name: 'question' }, h('option', { value: '' }, t('admin.applications.any')),
    questions.map((q) => h('option', { value: q.key }, pick(q.label))));
  question.value = query.get('question') || '';
  const suggestions = h('datalist#filter-answer-choices');
  const answer = h('input#filter-answer', { name: 'answer', list: 'filter-answer-choices', value: query.get('answer') || '', placeholder: t('questions.filter_any_answer') });
  const suggest = () => {
    const q = questions.find((x) => x.key === question.value);
    const choices = q?.kind === 'yes_no' ? [['true', t('questions.yes')], ['false', t('questions.no')]] : (q?.options || []).map((o) => [o.key, pick(o.label)]);
    suggestions.replaceChildren(...choices.map(([v, l]) => h('option', { value: v, label: l })));
  };
  question.addEventListener('change', suggest);
  suggest();
  return [
    h('div.field', h('label', { for: 'filter-question' }, t('questions.filter_question')), question),
    h('div.field', h('label', { for: 'filter-answer' }, t('questions.filter_answer')), answer, suggestions),
  ];
}

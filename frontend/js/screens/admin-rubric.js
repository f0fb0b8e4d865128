// The rubric builder: criteria with a key, names and guidance in three languages, a weight and
// an integer scale; reordered with buttons (keyboard friendly), saved as a whole. Once a review
// is submitted the server freezes the rubric and the builder shows it read-only with the reason.
import * as api from '../api.js';
import { t, pick } from '../i18n.js';
import { h, showError, clearErrors, busy, empty, toast } from '../ui/dom.js';
import { keptForm, restoredNotice } from '../ui/forms.js';
import { rowTools, reorderable } from '../ui/rows.js';

const LANGS = ['en', 'ko', 'zh'];
let seq = 0;

function input(attrs) {
  const id = `c${++seq}-${attrs.name}`;
  const el = h('input', { id, ...attrs });
  return [el, id];
}

function criterionRow(c, frozen) {
  const row = h('fieldset.criterion-edit', { dataset: { criterion: c.key || '' } });
  const cell = (label, el, id) => h('div.field', h('label', { for: id }, label), el);
  const [key, keyId] = input({ name: 'key', value: c.key || '', pattern: '[a-z0-9_]+', maxlength: 40, required: true, disabled: frozen });
  const names = LANGS.map((l) => input({ name: `name-${l}`, value: c.name?.[l] || '', maxlength: 200, disabled: frozen, lang: l === 'zh' ? 'zh-Hans' : l }));
  const guidance = LANGS.map((l) => {
    const id = `c${++seq}-guidance-${l}`;
    return [h('textarea', { id, name: `guidance-${l}`, rows: 2, maxlength: 2000, disabled: frozen }, c.guidance?.[l] || ''), id];
  });
  const [weight, weightId] = input({ name: 'weight', type: 'number', step: '0.1', min: '0', value: c.weight ?? 1, disabled: frozen });
  const [min, minId] = input({ name: 'min', type: 'number', step: '1', value: c.min ?? 1, disabled: frozen });
  const [max, maxId] = input({ name: 'max', type: 'number', step: '1', value: c.max ?? 5, disabled: frozen });
  const tools = frozen ? null : rowTools({ up: 'rubric.move_up', down: 'rubric.move_down', remove: 'rubric.remove' });
  row.append(...[
    h('legend', pick(c.name) || t('rubric.new_criterion')),
    h('div.grid.grid-tight', cell(t('rubric.key'), key, keyId), cell(t('rubric.weight'), weight, weightId), cell(t('rubric.min'), min, minId), cell(t('rubric.max'), max, maxId)),
    h('div.grid.grid-tight', names.map(([el, id], i) => cell(t(`rubric.name_${LANGS[i]}`), el, id))),
    h('div.grid.grid-tight', guidance.map(([el, id], i) => cell(t(`rubric.guidance_${LANGS[i]}`), el, id))),
    h('p.field-error', { hidden: true }),
    tools].filter(Boolean));
  return row;
}

function read(row) {
  const v = (name) => row.querySelector(`[name="${name}"]`).value.trim();
  const texts = (prefix) => Object.fromEntries(LANGS.map((l) => [l, v(`${prefix}-${l}`)]).filter(([, s]) => s));
  return { key: v('key'), name: texts('name'), guidance: texts('guidance'), weight: Number(v('weight')), min: Number(v('min')), max: Number(v('max')) };
}

/// The builder's criteria as the API shapes them, for keeping unsaved work in the browser.
function toCriterion(c) {
  return { key: c.key, name: c.name, guidance: c.guidance, weight: c.weight, min: c.min, max: c.max };
}

export default async function rubricTab(round, { userId = 0 } = {}) {
  const rubric = await api.get(`/rounds/${round.id}/rubric`);
  const frozen = rubric.frozen;
  const list = h('div.criteria', rubric.criteria.map((c) => criterionRow(c, frozen)));
  const alert = h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' });
  const form = h('form', { novalidate: true }, alert, list);
  const refreshEmpty = () => {
    list.querySelector('.empty')?.remove();
    if (!list.querySelector('fieldset')) list.append(empty(t('rubric.empty'), t('rubric.empty_next')));
  };
  refreshEmpty();
  reorderable(list, { onRemove: refreshEmpty });
  if (frozen) {
    return h('div.card', h('h2', t('rubric.title')), h('div.alert', { role: 'status' }, t('error.rubric_frozen')), form);
  }
  const kept = keptForm({ key: `${userId}:rubric:${round.id}`, form, read: () => [...list.querySelectorAll('fieldset')].map(read).map(toCriterion) });
  const notice = h('div');
  if (kept.restored) {
    list.replaceChildren(...kept.restored.pending.value.map((c) => criterionRow(c, false)));
    refreshEmpty();
    kept.changed();
    notice.append(restoredNotice(kept.restored, () => {
      kept.discard();
      list.replaceChildren(...rubric.criteria.map((c) => criterionRow(c, false)));
      refreshEmpty();
    }));
  }
  const add = h('button.btn.btn-ghost#add-criterion', { type: 'button' }, t('rubric.add'));
  add.addEventListener('click', () => {
    list.querySelector('.empty')?.remove();
    const row = criterionRow({}, false);
    list.append(row);
    row.querySelector('input').focus();
    kept.changed();
  });
  const save = h('button.btn#save-rubric', { type: 'submit' }, t('rubric.save'));
  form.append(h('div.actions', add, save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    busy(save, true);
    alert.hidden = true;
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    const rows = [...list.querySelectorAll('fieldset')];
    try {
      const saved = await api.put(`/rounds/${round.id}/rubric`, { criteria: rows.map(read) });
      kept.saved();
      // The old errors go with the problem: "saved" never stands next to a stale error.
      clearErrors(form);
      notice.replaceChildren();
      toast(t('rubric.saved', { count: saved.criteria.length }), { kind: 'ok' });
      rows.forEach((row, i) => {
        row.querySelector('legend').textContent = pick(saved.criteria[i]?.name) || t('rubric.new_criterion');
      });
    } catch (err) {
      showError(form, err, {}, { focus: false });
      // Field names look like "criteria.2.max": mark that input of that row.
      for (const [name, code] of Object.entries(err.fields || {})) {
        const m = /^criteria\.(\d+)\.(\w+)/.exec(name);
        const row = m && rows[Number(m[1])];
        if (!row) continue;
        const el = row.querySelector(`[name="${m[2]}"]`) || row.querySelector('[name="name-en"]');
        el?.setAttribute('aria-invalid', 'true');
        const slot = row.querySelector('.field-error');
        slot.textContent = `${t(`rubric.${m[2]}`, {})}: ${api.fieldMessage(code)}`;
        slot.hidden = false;
      }
      (form.querySelector('[aria-invalid]') || alert).focus();
    } finally {
      busy(save, false);
    }
  });
  return h('div.card', h('h2', t('rubric.title')), h('p.muted', t('rubric.lead')), notice, form);
}

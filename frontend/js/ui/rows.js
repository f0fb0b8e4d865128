// Lists of editable rows (rubric criteria, contest tracks) reordered and removed with buttons,
// so the keyboard does everything a mouse could.
import { t } from '../i18n.js';
import { h } from './dom.js';

/// The ↑ ↓ × buttons of one row; `labels` are the i18n keys of their accessible names.
export function rowTools({ up, down, remove }) {
  return h('div.actions.row-tools',
    ...[['up', '↑', up], ['down', '↓', down], ['remove', '×', remove]].map(([act, icon, label]) =>
      h('button.btn.btn-ghost.btn-small', { type: 'button', dataset: { act }, 'aria-label': t(label), title: t(label) }, icon)));
}

/// Moves or removes the `<fieldset>` row whose tool was pressed, keeps focus in the list, and
/// fires `input` so the form knows it changed; `onRemove()` runs after a row went.
export function reorderable(list, { onRemove = () => {} } = {}) {
  list.addEventListener('click', (e) => {
    const button = e.target.closest('button[data-act]');
    if (!button) return;
    const row = button.closest('fieldset');
    const act = button.dataset.act;
    if (act === 'remove') {
      (row.nextElementSibling || row.previousElementSibling)?.querySelector('input')?.focus();
      row.remove();
      onRemove();
    } else if (act === 'up' && row.previousElementSibling) row.previousElementSibling.before(row);
    else if (act === 'down' && row.nextElementSibling) row.nextElementSibling.after(row);
    if (act !== 'remove') button.focus();
    list.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/// An editable list of `<fieldset>` rows under a hint, with "add", an empty state and an error
/// line `#<id>-error`: `{ el, read, fill }` for the form that owns it. `row(item)` draws one
/// row, `read(fieldset)` reads one back, `blank` is the item "add" starts from.
export function rowList({ id, items = [], row, read, blank, rows = 'fieldset', hint, addId, addLabel, emptyText }) {
  const list = h(`div.tracks#${id}`, items.map(row));
  const error = h(`p.field-error#${id}-error`, { hidden: true });
  const add = h(`button.btn.btn-ghost#${addId}`, { type: 'button' }, addLabel);
  const empty = h(`p.muted#${id}-empty`, emptyText);
  const showEmpty = () => { empty.hidden = list.children.length > 0; };
  add.addEventListener('click', () => {
    const fresh = row(blank());
    list.append(fresh);
    showEmpty();
    fresh.querySelector('input').focus();
  });
  reorderable(list, { onRemove: showEmpty });
  showEmpty();
  return {
    el: h('div', h('p.hint', hint), error, empty, list, h('div.actions', add)),
    read: () => [...list.querySelectorAll(rows)].map(read),
    fill: (next = []) => {
      list.replaceChildren(...next.map(row));
      showEmpty();
    },
  };
}

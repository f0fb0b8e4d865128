// Modal dialogs on the native <dialog> element: focus is trapped by the browser, Escape
// cancels, and focus returns to whatever opened the dialog.
import { t } from '../i18n.js';
import { h } from './dom.js';

let counter = 0;

/// Opens a modal and resolves with the `value` of the button pressed, or `null` when the
/// dialog is cancelled (Escape, the cancel button). `content` is nodes or text;
/// `buttons` is [{ label, value, kind: 'primary' | 'danger' | 'ghost' }], the first
/// non-ghost one being the form's submit. `onSubmit(value)` may return false to keep it open.
export function openDialog({ title, content = [], buttons = [], focus = null, onSubmit = null, cancelLabel = t('common.cancel') }) {
  return new Promise((resolve) => {
    const titleId = `dialog-title-${++counter}`;
    const opener = document.activeElement;
    const cancel = h('button.btn.btn-ghost', { type: 'button', value: '' }, cancelLabel);
    let submitValue = null;
    const actionButtons = buttons.map((b) => {
      const cls = { danger: 'button.btn.btn-danger', ghost: 'button.btn.btn-ghost' }[b.kind] || 'button.btn';
      const el = h(cls, { type: 'submit' }, b.label);
      el.addEventListener('click', () => {
        submitValue = b.value;
      });
      return el;
    });
    const form = h('form', { method: 'dialog', novalidate: true }, h('h2', { id: titleId }, title), content, h('div.actions', actionButtons, cancel));
    const dialog = h('dialog.dialog', { 'aria-labelledby': titleId }, form);
    let finished = false;
    const done = (value) => {
      if (finished) return;
      finished = true;
      dialog.close();
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(value);
    };
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const value = submitValue ?? buttons[0]?.value ?? true;
      if (onSubmit && (await onSubmit(value)) === false) return;
      done(value);
    });
    cancel.addEventListener('click', () => done(null));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      done(null);
    });
    document.body.append(dialog);
    dialog.showModal();
    (focus || actionButtons[0] || cancel).focus();
  });
}

/// A confirmation naming the consequence ("312 applicants will be emailed"). Resolves true when
/// confirmed, false otherwise; with `input` (a label) it asks for text too and resolves with it.
export async function confirmDialog({ title, body, confirm, danger = false, input = null }) {
  const area = input ? h('textarea', { id: 'dialog-input' }) : null;
  const content = [h('p', body), area ? h('div.field', h('label', { for: 'dialog-input' }, input), area) : null];
  const value = await openDialog({ title, content, focus: area, buttons: [{ label: confirm, value: true, kind: danger ? 'danger' : 'primary' }] });
  if (value === null) return false;
  return area ? area.value : true;
}

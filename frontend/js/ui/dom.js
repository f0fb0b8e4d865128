// DOM helpers. Text goes in with textContent only: user data never becomes HTML.
import { t } from '../i18n.js';
import { errorMessage, fieldMessage } from '../api.js';

/// h('div.card#id', {attrs}, ...children): strings and numbers become text nodes, arrays are
/// flattened, null/false/undefined are skipped. `on<event>` attributes add listeners, `dataset`
/// fills data-*, `text` sets textContent; `true` gives an empty attribute, false/null none.
export function h(tag, attrs = {}, ...children) {
  const [name, ...rest] = tag.split(/(?=[.#])/);
  const el = document.createElement(name || 'div');
  for (const part of rest) {
    if (part.startsWith('.')) el.classList.add(part.slice(1));
    else el.id = part.slice(1);
  }
  if (attrs === null || typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs)) {
    children.unshift(attrs);
    attrs = {};
  }
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function mount(screen) {
  const main = document.getElementById('main');
  main.replaceChildren(screen);
  return main;
}

/// A short message in the polite live region at the bottom; `kind` is 'info', 'ok' or 'error'.
export function toast(message, { kind = 'info', timeout = 6000 } = {}) {
  const box = document.getElementById('toasts');
  const close = h('button.toast-close', { type: 'button', 'aria-label': t('common.close') }, '×');
  const el = h(`div.toast.toast-${kind}`, h('span', message), close);
  const remove = () => el.remove();
  close.addEventListener('click', remove);
  box.append(el);
  if (timeout) setTimeout(remove, timeout);
  return el;
}

/// A labelled input with slots for a hint and its error; returns [wrapper, input].
/// attrs.tag picks 'textarea' or 'select'; other attrs go on the control.
export function field(id, label, attrs = {}, hint) {
  const { tag = 'input', ...rest } = attrs;
  const described = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  const input = h(tag, { id, name: id, ...rest, 'aria-describedby': described });
  const error = h('p.field-error', { id: `${id}-error`, hidden: true });
  const wrap = h('div.field',
    h('label', { for: id }, label),
    input,
    hint ? h('p.hint', { id: `${id}-hint` }, hint) : null,
    error);
  // An error goes as soon as the value is valid again (the server checks once more on save).
  const recheck = () => {
    if (error.hidden || (input.validity && !input.validity.valid)) return;
    error.hidden = true;
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    const form = input.form;
    if (form && !form.querySelector('[aria-invalid="true"]')) {
      const alert = form.querySelector('.alert-error');
      if (alert) alert.hidden = true;
    }
  };
  input.addEventListener('input', recheck);
  input.addEventListener('change', recheck);
  return [wrap, input];
}

/// Clears what showError put on a form.
export function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) {
    el.hidden = true;
    el.textContent = '';
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const alert = form.querySelector('.alert-error');
  if (alert) {
    alert.hidden = true;
    alert.textContent = '';
  }
}

/// Shows an API error: the localized message for each named field next to that field (API
/// field name → element id through `fieldIds`, default the same name), and a summary in the
/// form's `.alert-error` (role=alert). Focus moves to the first invalid field, else the alert,
/// unless `focus: false` (autosave must not pull the caret away while someone types).
export function showError(form, error, fieldIds = {}, { focus = true } = {}) {
  clearErrors(form);
  const alert = form.querySelector('.alert-error');
  let first = null;
  for (const [name, code] of Object.entries(error.fields || {})) {
    const id = fieldIds[name] || name;
    const input = form.querySelector(`#${CSS.escape(id)}`);
    const slot = form.querySelector(`#${CSS.escape(id)}-error`);
    if (!input || !slot) continue;
    input.setAttribute('aria-invalid', 'true');
    slot.textContent = fieldMessage(code);
    slot.hidden = false;
    first ??= input;
  }
  if (alert) {
    alert.textContent = first ? t('error.validation_failed') : errorMessage(error);
    alert.hidden = false;
  }
  // The first invalid field as the form shows them, not as the API happened to list them.
  first = form.querySelector('[aria-invalid="true"]') || first;
  if (focus) (first || alert)?.focus();
}

export function busy(button, on) {
  button.disabled = on;
  button.setAttribute('aria-busy', on ? 'true' : 'false');
}

/// An empty state: what is missing, and what to do next.
export function empty(title, next, ...actions) {
  return h('div.empty', h('strong', title), next ? h('span', next) : null,
    actions.length ? h('div.actions.actions-center', actions) : null);
}

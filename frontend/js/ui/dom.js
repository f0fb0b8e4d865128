// DOM helpers. Text goes in with textContent only: user data never becomes HTML.
import { t } from '../i18n.js';

/// h('div.card#id', {attrs}, ...children) — strings become text nodes.
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
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
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

export function toast(message) {
  const box = document.getElementById('toasts');
  const el = h('div.toast', { role: 'status' }, message);
  box.append(el);
  setTimeout(() => el.remove(), 5000);
}

/// A labelled input with a slot for its error; returns [wrapper, input].
export function field(id, label, attrs = {}, hint) {
  const input = h(attrs.tag || 'input', { id, name: id, ...attrs, tag: undefined, 'aria-describedby': `${id}-error` });
  const wrap = h('div.field', h('label', { for: id }, label), input, hint ? h('p.hint', hint) : null, h('p.field-error', { id: `${id}-error`, hidden: true }));
  return [wrap, input];
}

/// Shows an API error: next to each named field, otherwise in the form's alert.
export function showError(form, error, fieldIds = {}) {
  for (const el of form.querySelectorAll('.field-error')) {
    el.hidden = true;
    el.textContent = '';
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const alert = form.querySelector('.alert-error');
  let placed = false;
  for (const [name, code] of Object.entries(error.fields || {})) {
    const id = fieldIds[name] || name;
    const input = form.querySelector(`#${CSS.escape(id)}`);
    const slot = form.querySelector(`#${CSS.escape(id)}-error`);
    if (input && slot) {
      input.setAttribute('aria-invalid', 'true');
      slot.textContent = t(`field.${code}`);
      slot.hidden = false;
      placed = true;
    }
  }
  if (alert) {
    alert.textContent = placed ? t('error.validation_failed') : t(`error.${error.code}`) === `error.${error.code}` ? t('error.unknown') : t(`error.${error.code}`);
    alert.hidden = false;
    if (!placed) alert.focus?.();
  }
}

export function busy(button, on) {
  button.disabled = on;
  button.setAttribute('aria-busy', on ? 'true' : 'false');
}

export function empty(title, next) {
  return h('div.empty', h('strong', title), next ? h('span', next) : null);
}

// Form pieces shared by screens: autosave with a visible state, a confirm dialog, a progress
// meter, and uploads that report bytes sent.
import { t } from '../i18n.js';
import { h } from './dom.js';

/// Debounced saving with "Saving… / Saved 12:04 / Offline — will retry" in an aria-live region.
export function autosave(save, { delay = 800 } = {}) {
  const status = h('p.autosave.muted', { 'aria-live': 'polite', role: 'status' });
  let timer = null;
  let pending = false;
  let running = null;
  const set = (key, params) => {
    status.textContent = t(key, params);
    status.dataset.state = key.split('.').pop();
  };
  async function flush() {
    clearTimeout(timer);
    if (!pending) return running;
    pending = false;
    set('autosave.saving');
    running = save()
      .then(() => set('autosave.saved', { time: new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) }))
      .catch((e) => {
        if (e.code === 'network_error' || e.code === 'service_unavailable') {
          pending = true;
          set('autosave.offline');
          timer = setTimeout(flush, 5000);
        } else {
          set('autosave.failed');
          throw e;
        }
      });
    return running;
  }
  return {
    status,
    touch() {
      pending = true;
      set('autosave.unsaved');
      clearTimeout(timer);
      timer = setTimeout(() => flush().catch(() => {}), delay);
    },
    flush,
  };
}

/// A modal confirmation naming the consequence; resolves true when confirmed. Escape cancels.
export function confirmDialog({ title, body, confirm, danger = false, input = null }) {
  return new Promise((resolve) => {
    const field = input ? h('textarea', { id: 'dialog-input', 'aria-label': input }) : null;
    const ok = h(danger ? 'button.btn.btn-danger' : 'button.btn', { type: 'submit' }, confirm);
    const cancel = h('button.btn.btn-ghost', { type: 'button' }, t('common.cancel'));
    const form = h('form', { method: 'dialog' }, h('h2', title), h('p', body), field, h('div.actions', ok, cancel));
    const dialog = h('dialog.dialog', { 'aria-label': title }, form);
    const done = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      done(input ? field.value : true);
    });
    cancel.addEventListener('click', () => done(false));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      done(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    (field || ok).focus();
  });
}

export function meter(percent, label) {
  return h('div.meter', h('div.meter-label', h('span', label), h('strong', `${percent}%`)),
    h('progress', { max: '100', value: String(percent), 'aria-label': label }));
}

/// Uploads with XMLHttpRequest so progress (bytes) can be shown; resolves with the JSON body.
export function upload(url, file, token, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.addEventListener('progress', (e) => e.lengthComputable && onProgress(e.loaded, e.total));
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject({ status: xhr.status, code: body?.error || 'unknown', fields: body?.fields || {} });
    });
    xhr.addEventListener('error', () => reject({ status: 0, code: 'network_error', fields: {} }));
    const data = new FormData();
    data.append('file', file);
    xhr.send(data);
  });
}

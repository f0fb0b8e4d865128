// Form pieces shared by screens: autosave with a visible state, a progress meter, and uploads
// that report bytes sent.
import { t, formatTime } from '../i18n.js';
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
      .then(() => set('autosave.saved', { time: formatTime() }))
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

/// Confirmations live in dialog.js; re-exported here for screens that import them from forms.
export { confirmDialog } from './dialog.js';

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

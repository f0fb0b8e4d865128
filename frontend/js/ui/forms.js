// Form pieces shared by screens: autosave that never claims more than the server accepted and
// never loses what was typed, a progress meter, the submit and click helpers and the leave guard.
import { t, formatTime } from '../i18n.js';
import { errorMessage } from '../api.js';
import { h, busy, showError, clearErrors, toast } from './dom.js';

const STORE = 'jury.unsaved.';
const savers = new Set();

function readStore(key) {
  try {
    const raw = key && localStorage.getItem(STORE + key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null; // storage disabled or a corrupt entry: nothing to restore
  }
}

function writeStore(key, pending) {
  if (!key) return;
  try {
    if (Object.keys(pending).length) localStorage.setItem(STORE + key, JSON.stringify({ pending, at: Date.now() }));
    else localStorage.removeItem(STORE + key);
  } catch {
    /* storage full or disabled: the page still holds the input until it is saved */
  }
}

/// Forgets every form's kept input of one user (sign-out on a shared computer).
export function forgetUnsaved(userId) {
  try {
    for (const k of Object.keys(localStorage)) if (k.startsWith(`${STORE}${userId}:`)) localStorage.removeItem(k);
  } catch {
    /* nothing kept */
  }
}

// A saver whose screen is gone but which still retries (offline input) must not overwrite what
// the same form's new screen keeps in the browser.
function ownsStore(saver, key) {
  if (saver.isConnected()) return true;
  for (const s of savers) if (s !== saver && s.key === key && s.isConnected()) return false;
  return true;
}

/// True while any live form holds input the server has not accepted.
export function hasUnsaved() {
  for (const s of savers) if (!s.isConnected() && !s.unsaved()) savers.delete(s);
  for (const s of savers) if (s.isConnected() && s.unsaved()) return true;
  return false;
}

/// Tries to save every live form now; resolves once they have settled.
export async function flushAll() {
  await Promise.all([...savers].filter((s) => s.isConnected()).map((s) => s.flush().catch(() => {})));
}

window.addEventListener('beforeunload', (e) => {
  if (!hasUnsaved()) return;
  e.preventDefault();
  e.returnValue = '';
});
window.addEventListener('online', () => {
  for (const s of savers) if (s.isConnected()) s.flush().catch(() => {});
});

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const OFFLINE = ['network_error', 'service_unavailable', 'request_timeout', 'rate_limited'];

/// Saves a form's changes field by field, honestly.
///
/// - `save(changes)` sends `{field: value}` and resolves once the server accepted them (the
///   screen adds its version and handles an edit conflict); `changes` never holds a field the
///   server refused until that field is edited again.
/// - "Saved" is shown only when nothing typed is waiting; a 422 keeps the refused fields (at the
///   field through `onRefused(fields)`, and in the status by name through `label(field)`), and the
///   other fields are saved without them.
/// - With `key` (`<user id>:<form>:<id>`) the waiting changes are kept in localStorage until the
///   server accepts them: `restored` holds them after a reload or crash.
/// - Offline (or the server busy) it says so and retries every 5 s and when the network returns.
export function autosave({ key = null, save, delay = 800, label = (f) => f, onRefused = () => {}, onAccepted = () => {} }) {
  const status = h('p.autosave.muted', { 'aria-live': 'polite', role: 'status' });
  const kept = readStore(key);
  const pending = {};
  const refused = {};
  let timer = null;
  let running = null;
  let offline = false;
  let failed = null;
  let savedAt = null;

  const set = (state, text) => {
    status.textContent = text;
    status.dataset.state = state;
  };
  const show = () => {
    if (running) return set('saving', t('autosave.saving'));
    if (offline) return set('offline', t('autosave.offline'));
    const names = Object.keys(refused);
    if (names.length) return set('refused', t('autosave.refused', { fields: names.map(label).join(', ') }));
    if (failed) return set('failed', t('autosave.failed_reason', { reason: failed }));
    if (Object.keys(pending).length) return set('unsaved', t('autosave.unsaved'));
    if (savedAt) return set('saved', t('autosave.saved', { time: formatTime(savedAt) }));
    return set('idle', '');
  };

  async function send(batch) {
    try {
      await save(batch);
      for (const [k, v] of Object.entries(batch)) if (k in pending && same(pending[k], v)) delete pending[k];
      if (ownsStore(saver, key)) writeStore(key, pending);
      offline = false;
      failed = null;
      savedAt = new Date();
      onAccepted(batch);
    } catch (e) {
      if (OFFLINE.includes(e.code)) {
        offline = true;
        clearTimeout(timer);
        timer = setTimeout(() => flush().catch(() => {}), 5000);
        return;
      }
      // "team.0.email" refuses the field "team"; "answers.funding" is a field of its own.
      const owner = (f) => (f in batch ? f : f.split('.')[0]);
      const mine = Object.entries(e.fields || {}).filter(([f]) => owner(f) in batch);
      if (e.code === 'validation_failed' && mine.length) {
        for (const [f, code] of mine) refused[owner(f)] = code;
        offline = false;
        onRefused(e.fields);
        const rest = Object.fromEntries(Object.entries(batch).filter(([k]) => !(k in refused)));
        if (Object.keys(rest).length) await send(rest);
        return;
      }
      failed = errorMessage(e);
      throw e;
    }
  }

  async function flush() {
    clearTimeout(timer);
    if (running) await running.catch(() => {});
    const batch = Object.fromEntries(Object.entries(pending).filter(([k]) => !(k in refused)));
    if (!Object.keys(batch).length) return show();
    running = send(batch);
    show();
    try {
      await running;
    } finally {
      running = null;
      show();
    }
    // Typed while that request was on its way: send the rest too.
    if (!offline && Object.keys(pending).some((k) => !(k in refused))) return flush();
    return undefined;
  }

  const saver = {
    key,
    status,
    /// What an earlier visit typed that the server never accepted (or null).
    restored: kept && Object.keys(kept.pending || {}).length ? kept : null,
    /// A field changed: keep it (also in the browser), say "not saved yet", save soon.
    change(field, value) {
      pending[field] = value;
      delete refused[field];
      failed = null;
      writeStore(key, pending);
      show();
      clearTimeout(timer);
      timer = setTimeout(() => flush().catch(() => {}), delay);
    },
    flush,
    unsaved: () => !!running || Object.keys(pending).length > 0,
    refusedFields: () => ({ ...refused }),
    /// Forgets the kept input (the "Discard" of the restore notice).
    discard() {
      for (const k of Object.keys(pending)) delete pending[k];
      for (const k of Object.keys(refused)) delete refused[k];
      writeStore(key, pending);
      show();
    },
    isConnected: () => status.isConnected,
  };
  savers.add(saver);
  return saver;
}

/// A form saved with a button (the rubric): from the first change until `saved()` it counts as
/// unsaved (leaving asks first) and `read()` is kept in this browser under `key`; `restored`
/// holds what an earlier visit kept ({ pending: { value }, at }).
export function keptForm({ key, form, read }) {
  const kept = readStore(key);
  let dirty = false;
  const tracker = {
    restored: kept?.pending?.value !== undefined ? kept : null,
    changed() {
      dirty = true;
      writeStore(key, { value: read() });
    },
    saved() {
      dirty = false;
      writeStore(key, {});
    },
    discard() {
      tracker.saved();
    },
    unsaved: () => dirty,
    flush: async () => {},
    isConnected: () => form.isConnected,
  };
  form.addEventListener('input', () => tracker.changed());
  form.addEventListener('change', () => tracker.changed());
  savers.add(tracker);
  return tracker;
}

/// The notice for input restored from this browser, with a way to throw it away.
export function restoredNotice(kept, onDiscard) {
  const discard = h('button.btn.btn-ghost.btn-small#discard-restored', { type: 'button' }, t('autosave.discard'));
  const note = h('div.alert.alert-warn#restored-notice', { role: 'status' },
    h('span', t('autosave.restored', { time: formatTime(new Date(kept.at)) })), ' ', discard);
  discard.addEventListener('click', () => {
    note.remove();
    onDiscard();
  });
  return note;
}

/// Runs a form's submit, the one way every screen does it: the button is busy meanwhile,
/// `check()` may refuse first without a request ({field: code}), API errors go to the form (at
/// the fields named by the API, through `fields`: API name → element id), and old errors are
/// cleared once the action succeeded. `onError(err)` may handle an error itself (return true).
export function onSubmit(form, button, action, { fields = {}, check = null, onError = null } = {}) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const refused = check ? check() : null;
    if (refused && Object.keys(refused).length) {
      showError(form, { code: 'validation_failed', fields: refused }, fields);
      return;
    }
    busy(button, true);
    try {
      await action();
      clearErrors(form);
    } catch (err) {
      if (!(onError && onError(err))) showError(form, err, fields);
    } finally {
      busy(button, false);
    }
  });
}

/// Runs a button's action, the one way every screen does it: the button is busy meanwhile, and
/// an API error is shown as a toast unless `onError(err)` handles it (return true).
export function onClick(button, action, { onError = null } = {}) {
  button.addEventListener('click', async (e) => {
    busy(button, true);
    try {
      await action(e);
    } catch (err) {
      if (!(onError && onError(err))) toast(errorMessage(err), { kind: 'error' });
    } finally {
      busy(button, false);
    }
  });
}

/// Confirmations live in dialog.js; re-exported here for screens that import them from forms.
export { confirmDialog } from './dialog.js';

export function meter(percent, label) {
  return h('div.meter', h('div.meter-label', h('span', label), h('strong', `${percent}%`)),
    h('progress', { max: '100', value: String(percent), 'aria-label': label }));
}

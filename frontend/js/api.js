// The API client for /api/v1: JSON in and out, the access token kept in memory only (never in
// storage), one silent refresh through the HttpOnly cookie when the token has expired, then one
// retry. Failures are thrown as ApiError { status, code, message, fields }.
import { t, has } from './i18n.js';

const BASE = '/api/v1';
const RETRY_CODES = ['token_expired', 'invalid_token'];
let accessToken = null;
let refreshing = null;
const listeners = new Set();

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.error || (status === 0 ? 'network_error' : 'unknown');
    this.fields = body?.fields || {};
  }
}

/// The localized message for an error code (`error.<code>`), else the generic one.
export function errorMessage(error) {
  const key = `error.${error?.code || 'unknown'}`;
  return has(key) ? t(key) : t('error.unknown');
}

/// The localized message for a field's code (`field.<code>`), else the generic "not valid".
export function fieldMessage(code) {
  return has(`field.${code}`) ? t(`field.${code}`) : t('field.invalid');
}

/// Called with the signed-in user (or null) whenever the session starts, refreshes or ends.
export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// Whether this browser may hold a refresh cookie (it is HttpOnly, so unreadable here): set
// while signed in, so a visitor who never signed in is not greeted by a failing refresh call.
const HINT = 'jury.session';
function hint(on) {
  try {
    if (on) localStorage.setItem(HINT, '1');
    else localStorage.removeItem(HINT);
  } catch {
    /* storage disabled: refresh is always tried */
  }
}

/// Whether a session may be restored through the refresh cookie.
export function mayHaveSession() {
  try {
    return localStorage.getItem(HINT) !== null;
  } catch {
    return true;
  }
}

/// Takes a login-style body ({access_token, user}) or null (signed out).
export function setSession(body) {
  accessToken = body?.access_token || null;
  hint(!!accessToken);
  const user = accessToken ? body.user || null : null;
  for (const fn of listeners) fn(user);
}

/// The signed-in user changed (PATCH /me answered a new Me); the token stays.
export function setSessionUser(user) {
  if (!accessToken || !user) return;
  for (const fn of listeners) fn(user);
}

async function send(method, path, body, headers = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin' };
  if (accessToken) init.headers.Authorization = `Bearer ${accessToken}`;
  if (body instanceof FormData) init.body = body;
  else if (body instanceof Blob) {
    init.headers['Content-Type'] = body.type || 'application/octet-stream';
    init.body = body;
  }
  else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(BASE + path, init);
  } catch {
    throw new ApiError(0, { error: 'network_error' });
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const error = new ApiError(res.status, data);
    // JURY_REQUIRE_ADMIN_2FA: app.js sends the administrator to the enrolment section.
    if (error.code === 'two_factor_setup_required') document.dispatchEvent(new CustomEvent('twofactorrequired'));
    throw error;
  }
  return data;
}

/// Exchanges the refresh cookie for a new access token; concurrent callers share one request.
/// Resolves true when a session is (still) active. A network failure keeps the current state.
export function refresh() {
  refreshing ??= send('POST', '/auth/refresh', undefined, { 'X-Jury-CSRF': '1' })
    .then((body) => {
      setSession(body);
      return true;
    })
    .catch((e) => {
      if (e.status === 0) return false;
      hint(false);
      if (accessToken) setSession(null);
      return false;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}


/// Runs `attempt()` (which sends with the current token); on an expired token refreshes once
/// and tries again. JSON calls, uploads and downloads all go through it.
async function withRefresh(attempt) {
  const sentToken = accessToken;
  try {
    return await attempt();
  } catch (e) {
    if (!(sentToken && e.status === 401 && RETRY_CODES.includes(e.code))) throw e;
    // Another request may have refreshed meanwhile; otherwise refresh once.
    if (accessToken === sentToken && !(await refresh())) throw e;
    return attempt();
  }
}

export function api(method, path, body) {
  return withRefresh(() => send(method, path, body));
}

/// A file from the API as a Blob (a deck to show in a frame), through the refresh path.
export function blob(path) {
  return withRefresh(async () => {
    let res;
    try {
      res = await fetch(path.startsWith(BASE) ? path : BASE + path, {
        headers: accessToken ? { Authorization: `Bearer ${accessToken}` } : {},
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError(0, { error: 'network_error' });
    }
    if (!res.ok) {
      let body = null;
      try {
        body = await res.json();
      } catch {
        body = null;
      }
      throw new ApiError(res.status, body);
    }
    return res.blob();
  });
}

/// Fetches a file through the refresh path and hands it to the browser as a download.
export async function download(path, filename) {
  const url = URL.createObjectURL(await blob(path));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/// Uploads `file` as the multipart part `file` with XMLHttpRequest, so the bytes sent can be
/// reported (`onProgress(sent, total)`); resolves with the JSON answer. Through the refresh path.
export function upload(path, file, onProgress = () => {}) {
  const once = () => new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path.startsWith(BASE) ? path : BASE + path);
    xhr.setRequestHeader('Accept', 'application/json');
    if (accessToken) xhr.setRequestHeader('Authorization', `Bearer ${accessToken}`);
    xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size));
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, { error: 'network_error' })));
    const data = new FormData();
    data.append('file', file);
    xhr.send(data);
  });
  return withRefresh(once);
}

/// Follows a Server-Sent Events stream through fetch (so the bearer token goes in a header,
/// never in the address): calls `onMessage` with each `data:` message parsed as JSON, resolves
/// when the stream ends, rejects on a network error or an error answer (ApiError).
export function stream(path, onMessage, signal) {
  return withRefresh(async () => {
    const headers = { Accept: 'text/event-stream' };
    if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
    let res;
    try {
      res = await fetch(BASE + path, { headers, credentials: 'same-origin', cache: 'no-store', signal });
    } catch {
      throw new ApiError(0, { error: 'network_error' });
    }
    if (!res.ok) {
      let data = null;
      try { data = await res.json(); } catch { data = null; }
      throw new ApiError(res.status, data);
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch {
        throw new ApiError(0, { error: 'network_error' });
      }
      if (chunk.done) return;
      buf += decoder.decode(chunk.value, { stream: true });
      let end;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const data = frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (data) onMessage(JSON.parse(data));
      }
    }
  });
}

export const get = (p) => api('GET', p);
export const post = (p, b) => api('POST', p, b ?? {});
export const patch = (p, b) => api('PATCH', p, b);
export const put = (p, b) => api('PUT', p, b);
export const del = (p) => api('DELETE', p);

/// Ends this session (or every session of the user); the UI is signed out even if the call fails.
export async function logout(all = false) {
  try {
    await api('POST', '/auth/logout', { all });
  } catch {
    /* the server session may already be gone; forget it here regardless */
  } finally {
    setSession(null);
  }
}

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

/// Takes a login-style body ({access_token, user}) or null (signed out).
export function setSession(body) {
  accessToken = body?.access_token || null;
  const user = accessToken ? body.user || null : null;
  for (const fn of listeners) fn(user);
}

/// The signed-in user changed (PATCH /me answered a new Me); the token stays.
export function setSessionUser(user) {
  if (!accessToken || !user) return;
  for (const fn of listeners) fn(user);
}

export function token() {
  return accessToken;
}

async function send(method, path, body, headers = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin' };
  if (accessToken) init.headers.Authorization = `Bearer ${accessToken}`;
  if (body instanceof FormData) init.body = body;
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
      if (accessToken) setSession(null);
      return false;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

export async function api(method, path, body) {
  const sentToken = accessToken;
  try {
    return await send(method, path, body);
  } catch (e) {
    if (!(sentToken && e.status === 401 && RETRY_CODES.includes(e.code))) throw e;
    // Another request may have refreshed meanwhile; otherwise refresh once.
    if (accessToken === sentToken && !(await refresh())) throw e;
    return send(method, path, body);
  }
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

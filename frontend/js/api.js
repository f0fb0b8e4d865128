// The API client: JSON in and out, the access token kept in memory only, one silent refresh
// through the HttpOnly cookie on an expired token, then one retry.
let accessToken = null;
let refreshing = null;
const listeners = new Set();

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error || (status === 0 ? 'network_error' : 'unknown');
    this.fields = body?.fields || {};
  }
}

export function onSessionChange(fn) {
  listeners.add(fn);
}

function announce(user) {
  for (const fn of listeners) fn(user);
}

export function setSession(body) {
  accessToken = body?.access_token || null;
  announce(body?.user || null);
}

export function token() {
  return accessToken;
}

export function hasSession() {
  return accessToken !== null;
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
    res = await fetch(`/api/v1${path}`, init);
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
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/// Exchanges the refresh cookie for a new access token; concurrent callers share one request.
export function refresh() {
  refreshing ??= send('POST', '/auth/refresh', undefined, { 'X-Jury-CSRF': '1' })
    .then((body) => {
      setSession(body);
      return true;
    })
    .catch(() => {
      setSession(null);
      return false;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

export async function api(method, path, body) {
  try {
    return await send(method, path, body);
  } catch (e) {
    const retry = e.status === 401 && ['token_expired', 'invalid_token'].includes(e.code) && accessToken && !path.startsWith('/auth/');
    if (retry && (await refresh())) return send(method, path, body);
    throw e;
  }
}

export const get = (p) => api('GET', p);
export const post = (p, b) => api('POST', p, b ?? {});
export const patch = (p, b) => api('PATCH', p, b);
export const put = (p, b) => api('PUT', p, b);

export async function logout(all = false) {
  try {
    await send('POST', '/auth/logout', { all });
  } finally {
    setSession(null);
  }
}

// Talking to the desk server: JSON requests with the session's CSRF token, the login dialog when a session is
// missing or has expired (the request is then retried, so a half-typed form is never lost), and the live
// status stream (server-sent events).
import { t, translatePage } from './i18n.js';
import { setServerNow } from './util.js';

export class ApiError extends Error {
  constructor(status, e) {
    super(e.message || `HTTP ${status}`);
    Object.assign(this, { status, kind: e.kind, path: e.path || '', where: e.where || '', hint: e.hint || '', text: e.text || '' });
  }
}

let session = null;
let meta = null;
let snapshot = null;
const statusListeners = new Set();
const sessionListeners = new Set();

export function currentSession() { return session; }
export function currentMeta() { return meta; }
export function currentSnapshot() { return snapshot; }
export function onStatus(fn) { statusListeners.add(fn); return () => statusListeners.delete(fn); }
export function onSession(fn) { sessionListeners.add(fn); }

async function raw(method, path, body, contentType) {
  const headers = {};
  if (session && method !== 'GET') headers['X-CSRF-Token'] = session.csrf;
  if (body !== undefined) headers['Content-Type'] = contentType || 'application/json';
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin', cache: 'no-store',
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) throw new ApiError(res.status, (data && data.error) || { message: `HTTP ${res.status}` });
  return data;
}

// A request; on 401 asks the person to sign in again and retries once.
export async function api(method, path, body, contentType) {
  try {
    return await raw(method, path, body, contentType);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401 || path === '/api/login') throw e;
    await requireLogin(t('login.expired'));
    return raw(method, path, body, contentType);
  }
}

// ---- login ----
let pendingLogin = null;
export function requireLogin(why) {
  if (pendingLogin) return pendingLogin;
  const dialog = document.getElementById('login');
  const form = document.getElementById('login-form');
  const error = document.getElementById('login-error');
  document.getElementById('login-why').textContent = why || t('login.first');
  error.textContent = '';
  translatePage(dialog);
  pendingLogin = new Promise((resolve) => {
    const submit = async (ev) => {
      ev.preventDefault();
      error.textContent = '';
      try {
        session = await raw('POST', '/api/login', { username: form.username.value, password: form.password.value });
        form.password.value = '';
        form.removeEventListener('submit', submit);
        dialog.close();
        pendingLogin = null;
        for (const fn of sessionListeners) fn(session);
        resolve(session);
      } catch (e) {
        error.textContent = e.status === 401 ? (document.documentElement.lang === 'en' ? 'Wrong user name or password.' : '用户名或密码错误。') : e.message;
      }
    };
    form.addEventListener('submit', submit);
    dialog.addEventListener('cancel', (ev) => ev.preventDefault());  // no way around the login
    if (!dialog.open) dialog.showModal();
    form.username.focus();
  });
  return pendingLogin;
}

export async function start() {
  try {
    session = await raw('GET', '/api/session');
  } catch (e) {
    if (e.status !== 401) throw e;
    await requireLogin();
  }
  for (const fn of sessionListeners) fn(session);
  meta = await api('GET', '/api/meta');
  connectEvents();
  return session;
}

export async function logout() {
  await raw('POST', '/api/logout').catch(() => {});
  session = null;
  location.hash = '#/board';
  location.reload();
}

// ---- live status ----
let source = null;
let liveCb = () => {};
export function onLive(fn) { liveCb = fn; }
function connectEvents() {
  if (source) source.close();
  source = new EventSource('/api/events');
  source.addEventListener('status', (ev) => {
    snapshot = JSON.parse(ev.data);
    setServerNow(snapshot.now);
    liveCb(true);
    for (const fn of statusListeners) fn(snapshot);
  });
  source.onopen = () => liveCb(true);
  source.onerror = async () => {
    liveCb(false);
    // An event stream cannot tell an expired session from a dropped line: ask.
    try {
      await raw('GET', '/api/session');
    } catch (e) {
      if (e.status === 401) {
        source.close();
        await requireLogin(t('login.expired'));
        connectEvents();
      }
    }
  };
}

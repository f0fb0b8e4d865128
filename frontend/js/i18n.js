// Translations: flat dotted keys in i18n/{en,ko,zh}.json, `{name}` placeholders, plural forms
// as `key.one` / `key.other` (any Intl.PluralRules category) chosen by `params.count`.
// A missing key shows as the key itself (so a gap is visible, not blank; the sweep test fails on it).
// The choice is remembered in localStorage; app.js also stores it on the signed-in user.
export const SUPPORTED = ['en', 'ko', 'zh'];
const HTML_LANG = { en: 'en', ko: 'ko', zh: 'zh-Hans' };
const STORE = 'jury.locale';
let locale = 'en';
let strings = {};
let fallback = {};
const cache = new Map();

function load(lang) {
  if (!cache.has(lang)) {
    cache.set(lang, fetch(`/i18n/${lang}.json`).then((r) => (r.ok ? r.json() : {})).catch(() => ({})));
  }
  return cache.get(lang);
}

function stored() {
  try {
    return localStorage.getItem(STORE);
  } catch {
    return null; // storage can be disabled; the choice then lasts for this page only
  }
}

/// The language for a first paint: the stored choice, else the browser's languages, else English.
export function initialLocale() {
  const saved = stored();
  if (SUPPORTED.includes(saved)) return saved;
  for (const tag of navigator.languages || [navigator.language || 'en']) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (SUPPORTED.includes(base)) return base;
  }
  return 'en';
}

/// Switches language: loads the strings, sets <html lang>, translates static `data-i18n`
/// elements and fires `localechange` on document (detail: the locale) for screens to re-render.
export async function setLocale(lang, { remember = true } = {}) {
  if (!SUPPORTED.includes(lang)) lang = 'en';
  // Every language has every key (a test checks), so only the chosen one is fetched.
  strings = await load(lang);
  fallback = lang === 'en' ? strings : {};
  const changed = lang !== locale;
  locale = lang;
  if (remember) {
    try {
      localStorage.setItem(STORE, lang);
    } catch {
      /* see stored() */
    }
  }
  document.documentElement.lang = HTML_LANG[lang];
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  if (changed) document.dispatchEvent(new CustomEvent('localechange', { detail: lang }));
}

export function getLocale() {
  return locale;
}

/// The BCP 47 tag for Intl and <html lang>: en, ko, zh-Hans.
export function langTag(lang = locale) {
  return HTML_LANG[lang] || 'en';
}

export function has(key) {
  return key in strings || key in fallback;
}

export function t(key, params = {}) {
  let text = strings[key];
  if (text === undefined && typeof params.count === 'number') {
    const form = new Intl.PluralRules(langTag()).select(params.count);
    text = strings[`${key}.${form}`] ?? strings[`${key}.other`];
  }
  if (text === undefined) text = fallback[key];
  if (text === undefined && typeof params.count === 'number') {
    const form = new Intl.PluralRules('en').select(params.count);
    text = fallback[`${key}.${form}`] ?? fallback[`${key}.other`];
  }
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/// Text entered in several languages: the user's, then English, then whatever exists.
export function pick(map) {
  if (!map) return '';
  return map[locale] || map.en || Object.values(map).find(Boolean) || '';
}

export function formatDate(iso, { timeZone, withTime = true } = {}) {
  if (!iso) return '';
  const opts = withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' };
  if (timeZone) opts.timeZone = timeZone;
  return new Intl.DateTimeFormat(langTag(), opts).format(new Date(iso));
}

export function formatTime(date = new Date()) {
  return new Intl.DateTimeFormat(langTag(), { hour: '2-digit', minute: '2-digit' }).format(date);
}

export function formatNumber(n, opts = {}) {
  return new Intl.NumberFormat(langTag(), opts).format(n);
}

/// "3 days ago", "in 2 hours": for deadlines and activity.
export function formatRelative(iso, now = Date.now()) {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const units = [['year', 31536000], ['month', 2592000], ['day', 86400], ['hour', 3600], ['minute', 60]];
  const rtf = new Intl.RelativeTimeFormat(langTag(), { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(Math.round(seconds), 'second');
}

/// A file size in the unit that reads best: "820 kB", "4.2 MB".
export function formatBytes(bytes) {
  const mb = bytes / 1048576;
  if (mb >= 1) return formatNumber(mb, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 });
  return formatNumber(Math.max(1, Math.ceil(bytes / 1024)), { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 });
}

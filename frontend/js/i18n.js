// Translations: flat dotted keys in i18n/{en,ko,zh}.json, `{name}` placeholders, plural forms
// as `key.one` / `key.other` chosen with Intl.PluralRules. The choice is remembered in
// localStorage and, once signed in, on the user.
const SUPPORTED = ['en', 'ko', 'zh'];
const HTML_LANG = { en: 'en', ko: 'ko', zh: 'zh-Hans' };
const STORE = 'jury.locale';
let locale = 'en';
let strings = {};
let fallback = {};
const cache = new Map();

async function load(lang) {
  if (!cache.has(lang)) {
    cache.set(lang, fetch(`/i18n/${lang}.json`).then((r) => (r.ok ? r.json() : {})).catch(() => ({})));
  }
  return cache.get(lang);
}

export function initialLocale() {
  const saved = localStorage.getItem(STORE);
  if (SUPPORTED.includes(saved)) return saved;
  for (const tag of navigator.languages || [navigator.language || 'en']) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (SUPPORTED.includes(base)) return base;
  }
  return 'en';
}

export async function setLocale(lang, { remember = true } = {}) {
  if (!SUPPORTED.includes(lang)) lang = 'en';
  [strings, fallback] = await Promise.all([load(lang), load('en')]);
  locale = lang;
  if (remember) localStorage.setItem(STORE, lang);
  document.documentElement.lang = HTML_LANG[lang];
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  document.dispatchEvent(new CustomEvent('localechange', { detail: lang }));
}

export function getLocale() {
  return locale;
}

export function t(key, params = {}) {
  let text = strings[key] ?? fallback[key];
  if (text === undefined && typeof params.count === 'number') {
    const form = new Intl.PluralRules(HTML_LANG[locale]).select(params.count);
    text = strings[`${key}.${form}`] ?? strings[`${key}.other`] ?? fallback[`${key}.other`];
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
  return new Intl.DateTimeFormat(HTML_LANG[locale], opts).format(new Date(iso));
}

export function formatNumber(n, opts = {}) {
  return new Intl.NumberFormat(HTML_LANG[locale], opts).format(n);
}

// Words, not codes: the API speaks in codes (track keys, ISO countries, stages, states, roles,
// regions, audit actions); people read these names in their own language. Every screen that
// shows one of them goes through here, so a code never reaches the page by accident.
import { get } from '../api.js';
import { t, has, pick, langTag } from '../i18n.js';

/// A track by its contest-defined name in the user's language (`tracks`: a contest, or its
/// tracks array); an unknown key shows as a dash rather than as a code.
export function trackName(contest, key) {
  if (!key) return '—';
  const tracks = Array.isArray(contest) ? contest : contest?.tracks || [];
  return pick(tracks.find((tr) => tr.key === key)?.name) || '—';
}

/// Every track of the contests this user can see, for screens whose data names a track by its
/// key alone (a judge's queue and review); keys do not clash within the contests one judges.
export async function visibleTracks() {
  const contests = await get('/contests').catch(() => []);
  return contests.flatMap((c) => c.tracks || []);
}

/// The countries the forms offer (ISO 3166 alpha-2): applying, eligibility, routing.
export const COUNTRIES = ['KR', 'CN', 'JP', 'SG', 'HK', 'TW', 'VN', 'TH', 'MY', 'ID', 'PH', 'IN', 'US', 'CA', 'GB', 'DE', 'FR', 'NL', 'SE', 'FI', 'IL', 'AU', 'NZ', 'AE'];

const regionNames = new Map();
/// A country's name from its ISO 3166 code, in the user's language.
export function countryName(code) {
  if (!code) return '—';
  const lang = langTag();
  if (!regionNames.has(lang)) {
    try {
      regionNames.set(lang, new Intl.DisplayNames([lang], { type: 'region' }));
    } catch {
      regionNames.set(lang, null);
    }
  }
  try {
    return regionNames.get(lang)?.of(String(code).toUpperCase()) || code;
  } catch {
    return code; // not a valid region code: show what was entered
  }
}

/// `t(prefix + code)` when that key exists, else a dash (never the code or the key).
function word(prefix, code) {
  if (code === null || code === undefined || code === '') return '—';
  return has(`${prefix}${code}`) ? t(`${prefix}${code}`) : '—';
}

export const stageName = (stage) => word('application.stage.', stage);
export const roleName = (role) => word('role.', role);
export const roundStateName = (state) => word('round.state.', state);
export const reviewStatusName = (status) => word('review.status.', status);
export const applicationStatusName = (status) => word('status.', status);
export const regionName = (region) => word('region.', region);
export const entityName = (entity) => word('audit.entity.', entity);
/// A mail template ("judge_invitation") by what it is for.
export const templateName = (name) => (has(`mail.template.${name}`) ? t(`mail.template.${name}`) : String(name).replace(/_/g, ' '));

/// A language ("ko") by its name in the user's language.
export function languageName(code) {
  try {
    return new Intl.DisplayNames([langTag()], { type: 'language' }).of(code) || code;
  } catch {
    return code;
  }
}

/// An audit action ("round.published") as a phrase; an action added later without its words
/// reads as its parts rather than as a dotted code.
export function auditActionName(action) {
  return has(`audit.action.${action}`) ? t(`audit.action.${action}`) : String(action).replace(/[._]/g, ' ');
}

/// The label of a field in audit details.
export function auditFieldName(field) {
  return has(`audit.field.${field}`) ? t(`audit.field.${field}`) : String(field).replace(/_/g, ' ');
}

/// A rubric criterion as the rubric builder saves it.
const isCriterion = (v) => v && typeof v === 'object' && typeof v.key === 'string' && v.name && typeof v.name === 'object' && 'weight' in v;

/// A value in audit details, in words where it is a code.
export function auditValue(field, value, entity) {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  // A list of changed fields names them as the audit table does.
  if (field === 'fields' && Array.isArray(value)) return value.map(auditFieldName).join(', ');
  if (Array.isArray(value)) return value.map((v) => auditValue(field, v, entity)).join(', ');
  if (typeof value === 'object' && isCriterion(value)) {
    return t('audit.criterion', { name: pick(value.name), weight: value.weight, min: value.min, max: value.max });
  }
  if (typeof value === 'object') {
    return Object.entries(value).map(([k, v]) => `${auditFieldName(k)} ${auditValue(k, v, entity)}`).join(', ');
  }
  if (field === 'ranking_method') return word('round.method.', value);
  if (field === 'mode' && has(`results.advance.${value}`)) return t(`results.advance.${value}`);
  if (field === 'mode' && has(`vote.mode.${value}`)) return t(`vote.mode.${value}`);
  if (field === 'region') return regionName(value);
  if (field === 'country') return countryName(value);
  if (field === 'countries') return countryName(value);
  // A round's stage is its place in the line of rounds; an application's, the start-up's.
  if (field === 'stage') return entity === 'round' ? String(value) : stageName(value);
  if (field === 'role') return roleName(value);
  if ((field === 'from' || field === 'to' || field === 'state') && entity === 'round') return roundStateName(value);
  if (field === 'status' && entity === 'application') return applicationStatusName(value);
  if (entity === 'announcement' && field === 'statuses') return applicationStatusName(value);
  if (entity === 'announcement' && (field === 'group' || field === 'result')) return word(`ann.${field}.`, value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    return new Intl.DateTimeFormat(langTag(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
  }
  return String(value);
}

/// Audit details as [field, old, new] rows: `{from, to}` is one change of state, a value
/// `{old, new}` (or `{from, to}`) a change of that field, anything else a new value.
export function auditRows(details, entity) {
  let d = details;
  if (typeof d === 'string') {
    try {
      d = JSON.parse(d);
    } catch {
      return [[t('audit.field.note'), '—', d]];
    }
  }
  if (!d || typeof d !== 'object' || Array.isArray(d)) return d === null || d === undefined ? [] : [[t('audit.field.note'), '—', auditValue('', d, entity)]];
  const change = (v) => v && typeof v === 'object' && !Array.isArray(v) && (('old' in v && 'new' in v) || ('from' in v && 'to' in v));
  if ('from' in d && 'to' in d && !change(d.from)) {
    const rest = Object.entries(d).filter(([k]) => k !== 'from' && k !== 'to');
    return [[auditFieldName('state'), auditValue('from', d.from, entity), auditValue('to', d.to, entity)],
      ...rest.map(([k, v]) => [auditFieldName(k), '—', auditValue(k, v, entity)])];
  }
  // A rubric change is keyed by the criterion's key; its name reads better than the key.
  const label = (k, v) => {
    const c = v.new ?? v.old;
    return c && isCriterion(c) && c.key === k ? pick(c.name) : auditFieldName(k);
  };
  return Object.entries(d).map(([k, v]) => (change(v)
    ? [label(k, v), auditValue(k, v.old ?? v.from, entity), auditValue(k, v.new ?? v.to, entity)]
    : [auditFieldName(k), '—', auditValue(k, v, entity)]));
}

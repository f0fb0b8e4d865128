// An edition's life on the contest settings screen: extend the deadline (saying how many
// applicants with a draft will be emailed), archive or restore it, and copy it as the next
// edition (tracks, eligibility, awards, rounds and rubrics; optionally inviting its judges).
import * as api from '../api.js';
import { t, pick, formatDate } from '../i18n.js';
import { h, field, toast, showError } from './dom.js';
import { openDialog, confirmDialog } from './dialog.js';
import { toZonedInput, fromZonedInput } from './zoned.js';

const LANGS = ['en', 'ko', 'zh'];
const DAY = 86400000;

/// "gsc-2026" → "gsc-2027"; "Contest 2026" → "Contest 2027"; otherwise unchanged (slug: "-next").
function nextYear(text, fallback = null) {
  const out = String(text || '').replace(/(19|20)\d\d/g, (y) => String(Number(y) + 1));
  return out === text && fallback !== null ? fallback : out;
}

const later = (iso, days) => new Date(Date.parse(iso) + days * DAY).toISOString();

async function extend(c, done) {
  const zone = c.timezone;
  const base = Math.max(Date.parse(c.closes_at), Date.now());
  const [wrap, input] = field('extend-closes', t('edition.extend.new_deadline', { zone }), { type: 'datetime-local', required: true });
  input.value = toZonedInput(new Date(base + 7 * DAY).toISOString(), zone);
  const note = h('p.hint#extend-drafts', c.drafts
    ? t('edition.extend.drafts', { count: c.drafts })
    : t('edition.extend.no_drafts'));
  const content = [h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
    h('p', t('edition.extend.current', { when: formatDate(c.closes_at, { timeZone: zone }), zone })), wrap, note];
  const saved = await openDialog({
    title: t('edition.extend.title'),
    content,
    focus: input,
    buttons: [{ label: t('edition.extend.confirm'), value: true }],
    onSubmit: async () => {
      const closes = fromZonedInput(input.value, zone);
      if (!closes || Date.parse(closes) <= Date.parse(c.closes_at)) {
        showError(input.form, { code: 'validation_failed', fields: { closes_at: 'not_later' } }, { closes_at: 'extend-closes' });
        return false;
      }
      try {
        await api.patch(`/contests/${c.id}`, { closes_at: closes });
        return true;
      } catch (err) {
        showError(input.form, err, { closes_at: 'extend-closes' });
        return false;
      }
    },
  });
  if (saved) done(t(c.drafts ? 'edition.extend.done_mailed' : 'edition.extend.done', { count: c.drafts }));
}

async function archive(c, done) {
  if (c.archived_at) {
    await api.post(`/contests/${c.id}/restore`);
    return done(t('edition.restored'));
  }
  if (!(await confirmDialog({ title: t('edition.archive.title'), body: t('edition.archive.body'), confirm: t('edition.archive.confirm') }))) return;
  await api.post(`/contests/${c.id}/archive`);
  done(t('edition.archived'));
}

async function copy(c, navigate) {
  const judges = await api.get(`/contests/${c.id}/judges`).catch(() => []);
  const usable = judges.filter((j) => j.status !== 'disabled').length;
  const zone = c.timezone;
  const [slugWrap, slug] = field('copy-slug', t('contest.form.slug'), { value: nextYear(c.slug, `${c.slug}-next`), maxlength: 40, required: true, autocapitalize: 'off', spellcheck: 'false' });
  const names = LANGS.map((l) => field(`copy-name-${l}`, t(`contest.form.name_${l}`), { value: nextYear(c.name[l] || ''), maxlength: 200, required: l === 'en', lang: l === 'zh' ? 'zh-Hans' : l }));
  const [opensWrap, opens] = field('copy-opens', t('contest.form.opens'), { type: 'datetime-local', required: true });
  const [closesWrap, closes] = field('copy-closes', t('contest.form.closes'), { type: 'datetime-local', required: true });
  opens.value = toZonedInput(later(c.opens_at, 365), zone);
  closes.value = toZonedInput(later(c.closes_at, 365), zone);
  const invite = h('input#copy-invite', { type: 'checkbox', checked: usable > 0, disabled: usable === 0 });
  const content = [
    h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
    h('p.hint', t('edition.copy.what')),
    slugWrap, names.map(([w]) => w),
    h('p.hint', t('edition.copy.zone', { zone })),
    h('div.grid.grid-tight', opensWrap, closesWrap),
    h('label.check', invite, usable ? t('edition.copy.invite', { count: usable }) : t('edition.copy.no_judges')),
  ];
  let made = null;
  await openDialog({
    title: t('edition.copy.title'),
    content,
    focus: slug,
    buttons: [{ label: t('edition.copy.confirm'), value: true }],
    onSubmit: async () => {
      const body = {
        slug: slug.value.trim(),
        name: Object.fromEntries(LANGS.map((l, i) => [l, names[i][1].value.trim()]).filter(([, v]) => v)),
        opens_at: fromZonedInput(opens.value, zone),
        closes_at: fromZonedInput(closes.value, zone),
        invite_judges: invite.checked,
      };
      const ids = { slug: 'copy-slug', name: 'copy-name-en', opens_at: 'copy-opens', closes_at: 'copy-closes' };
      if (!body.opens_at || !body.closes_at) {
        showError(slug.form, { code: 'validation_failed', fields: { [body.opens_at ? 'closes_at' : 'opens_at']: 'required' } }, ids);
        return false;
      }
      try {
        made = await api.post(`/contests/${c.id}/copy`, body);
        return true;
      } catch (err) {
        showError(slug.form, err, ids);
        return false;
      }
    },
  });
  if (!made) return;
  toast(t('edition.copy.done', { name: pick(made.contest.name), rounds: made.rounds, judges: made.judges_invited }), { kind: 'ok', timeout: 10000 });
  navigate(`/admin/contests/${made.contest.id}/edit`);
}

/// The buttons, and for an archived edition the banner saying it is read-only.
export function editionActions(c, { navigate }) {
  const reload = (message) => {
    toast(message, { kind: 'ok' });
    navigate(`/admin/contests/${c.id}/edit`, { replace: true, force: true });
  };
  const run = (button, action) => button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await action();
    } catch (err) {
      toast(api.errorMessage(err), { kind: 'error' });
    } finally {
      button.disabled = false;
    }
  });
  const buttons = [];
  if (!c.archived_at) {
    const b = h('button.btn.btn-ghost#contest-extend', { type: 'button' }, t('edition.extend.button'));
    run(b, () => extend(c, reload));
    buttons.push(b);
  }
  if (c.phase === 'closed' || c.archived_at) {
    const b = h('button.btn.btn-ghost#contest-archive', { type: 'button' }, t(c.archived_at ? 'edition.restore' : 'edition.archive.button'));
    run(b, () => archive(c, reload));
    buttons.push(b);
  }
  const copyButton = h('button.btn.btn-ghost#contest-copy', { type: 'button' }, t('edition.copy.button'));
  run(copyButton, () => copy(c, navigate));
  buttons.push(copyButton);
  return h('div',
    c.archived_at ? h('div.alert.alert-warn#contest-archived', { role: 'status' }, t('edition.archived_banner', { when: formatDate(c.archived_at) })) : null,
    h('div.actions#contest-edition-actions', buttons));
}

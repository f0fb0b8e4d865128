// Judges: the review queue (progress, filters, a stable per-judge order from the server), the
// invitation acceptance and the judge's own profile (expertise, languages, reminders).
import * as api from '../api.js';
import { t, pick, formatDate, setLocale, getLocale } from '../i18n.js';
import { h, field, showError, busy, empty, toast } from '../ui/dom.js';
import { meter } from '../ui/forms.js';

export const STATUS_BADGE = { none: 'span.badge', draft: 'span.badge.badge-warn', submitted: 'span.badge.badge-ok' };

export function reviewBadge(status) {
  return h(STATUS_BADGE[status] || 'span.badge', t(`review.status.${status}`));
}

/// What a judge sees of an application's name: the company, or "Application #12" when blind.
export function entryName(item) {
  return item.company_name || t('review.blind_name', { id: item.application_id ?? item.id });
}

export const queue = {
  name: 'judge-queue',
  title: 'judge.queue.title',
  async render({ query }, { navigate }) {
    const all = await api.get('/me/assignments');
    const status = query.get('status') || '';
    const track = query.get('track') || '';
    const items = all.items.filter((i) => (!status || i.review_status === status) && (!track || i.track === track));
    const percent = all.total ? Math.round((100 * all.submitted) / all.total) : 0;
    const tracks = [...new Set(all.items.map((i) => i.track))].sort();

    const select = (name, options) => {
      const sel = h('select', { id: `queue-${name}`, name },
        h('option', { value: '' }, t('judge.queue.all')),
        options.map(([v, l]) => h('option', { value: v }, l)));
      sel.value = query.get(name) || '';
      sel.addEventListener('change', () => {
        const next = new URLSearchParams(query);
        if (sel.value) next.set(name, sel.value);
        else next.delete(name);
        navigate(`/judge${next.size ? `?${next}` : ''}`, { replace: true });
      });
      return h('div.field', h('label', { for: `queue-${name}` }, t(`judge.queue.filter.${name}`)), sel);
    };
    const closes = all.items.map((i) => i.judging_closes_at).filter(Boolean).sort()[0];
    const rows = items.map((i) =>
      h('li.queue-item', { dataset: { assignment: i.assignment_id, status: i.review_status } },
        h('div.queue-main',
          h('a.queue-link', { href: `/judge/assignments/${i.assignment_id}` }, h('strong', entryName(i))),
          h('p.muted.clamp', i.summary)),
        h('div.queue-meta',
          reviewBadge(i.review_status),
          h('span.badge', i.track),
          h('span.muted', i.country),
          h('span.muted', pick(i.round_name)))));

    return h('section',
      h('div.page-head',
        h('h1', t('judge.queue.title')),
        h('a.btn.btn-ghost', { href: '/judge/profile' }, t('judge.profile.title'))),
      all.total
        ? [
            meter(percent, t('judge.queue.progress', { done: all.submitted, total: all.total })),
            closes ? h('p.muted', t('judge.queue.closes', { date: formatDate(closes) })) : null,
            h('div.filters', select('status', ['none', 'draft', 'submitted'].map((s) => [s, t(`review.status.${s}`)])),
              select('track', tracks.map((tr) => [tr, tr]))),
            items.length
              ? h('ol.queue', rows)
              : empty(t('judge.queue.none_match'), t('judge.queue.none_match_next')),
          ]
        : empty(t('home.judge.empty'), t('home.judge.next')));
  },
};

export const acceptInvitation = {
  name: 'accept-invitation',
  title: 'invitation.title',
  async render({ query }, { navigate }) {
    const tokenValue = query.get('token') || '';
    const [nameField, name] = field('invite-name', t('invitation.name'), { autocomplete: 'name', maxlength: 200 }, t('invitation.name_hint'));
    const [passField, password] = field('invite-password', t('field.password'), { type: 'password', autocomplete: 'new-password', required: true, minlength: 10 }, t('field.password_hint'));
    const [againField, again] = field('invite-password-again', t('invitation.password_again'), { type: 'password', autocomplete: 'new-password', required: true });
    const submit = h('button.btn.btn-block', { type: 'submit' }, t('invitation.submit'));
    const form = h('form', { novalidate: true }, h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }), nameField, passField, againField, submit);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (password.value !== again.value) {
        showError(form, { code: 'validation_failed', fields: { again: 'password_mismatch' } }, { again: 'invite-password-again' });
        return;
      }
      busy(submit, true);
      try {
        const body = await api.post('/auth/invitations/accept', { token: tokenValue, password: password.value, name: name.value.trim() || undefined });
        api.setSession(body);
        if (body.user.locale && body.user.locale !== getLocale()) await setLocale(body.user.locale);
        toast(t('invitation.welcome'), { kind: 'ok' });
        navigate('/judge/profile?welcome=1', { replace: true });
      } catch (err) {
        showError(form, err, { password: 'invite-password', name: 'invite-name' });
      } finally {
        busy(submit, false);
      }
    });
    if (!tokenValue) {
      return h('section.card.narrow', h('h1', t('invitation.title')), h('div.alert.alert-error', { role: 'alert' }, t('error.invalid_token')));
    }
    return h('section.card.narrow', h('h1', t('invitation.title')), h('p.lead', t('invitation.lead')), form);
  },
};

const REGIONS = ['KR', 'CN', 'OTHER'];
const LANGUAGES = [['en', 'English'], ['ko', '한국어'], ['zh', '中文']];

export const profile = {
  name: 'judge-profile',
  title: 'judge.profile.title',
  async render({ query }) {
    const [me, contests] = await Promise.all([api.get('/me/judge-profile'), api.get('/contests').catch(() => [])]);
    const tracks = new Map();
    for (const c of contests) for (const tr of c.tracks || []) tracks.set(tr.key, pick(tr.name));
    for (const key of Object.keys(me.expertise)) if (!tracks.has(key)) tracks.set(key, key);

    const [orgField, org] = field('profile-organization', t('judge.profile.organization'), { value: me.organization, maxlength: 200 }, t('judge.profile.organization_hint'));
    const region = h('select', { id: 'profile-region' }, REGIONS.map((r) => h('option', { value: r }, t(`region.${r}`))));
    region.value = me.region;
    // Capacity is set by the organisers (it drives the assignment); judges see it only.
    const [capField] = field('profile-capacity', t('judge.profile.capacity'), { type: 'number', value: me.capacity, readonly: true }, t('judge.profile.capacity_hint'));
    const expertise = [...tracks].map(([key, label]) => {
      const sel = h('select', { id: `expertise-${key}`, dataset: { track: key } },
        [0, 1, 2, 3].map((v) => h('option', { value: v }, t(`judge.expertise.${v}`))));
      sel.value = String(me.expertise[key] ?? 0);
      return h('div.field', h('label', { for: `expertise-${key}` }, label), sel);
    });
    const langs = LANGUAGES.map(([code, label]) => h('label.check',
      h('input', { type: 'checkbox', value: code, name: 'languages', checked: me.languages.includes(code) }), label));
    const reminders = h('input#profile-reminders', { type: 'checkbox', checked: me.reminders });
    const submit = h('button.btn', { type: 'submit' }, t('judge.profile.save'));
    const form = h('form', { novalidate: true },
      h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
      orgField,
      h('div.field', h('label', { for: 'profile-region' }, t('judge.profile.region')), region),
      h('fieldset', h('legend', t('judge.profile.expertise')), h('p.hint', t('judge.profile.expertise_hint')), h('div.grid.grid-tight', expertise)),
      h('fieldset', h('legend', t('judge.profile.languages')), h('div.checks', langs)),
      capField,
      h('label.check', reminders, t('judge.profile.reminders')),
      h('div.actions', submit));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      busy(submit, true);
      try {
        await api.patch('/me/judge-profile', {
          organization: org.value.trim(),
          region: region.value,
          expertise: Object.fromEntries([...form.querySelectorAll('[data-track]')].map((s) => [s.dataset.track, Number(s.value)])),
          languages: [...form.querySelectorAll('[name=languages]:checked')].map((c) => c.value),
          reminders: reminders.checked,
        });
        toast(t('judge.profile.saved'), { kind: 'ok' });
      } catch (err) {
        showError(form, err, { organization: 'profile-organization' });
      } finally {
        busy(submit, false);
      }
    });
    return h('section.card.narrow',
      h('h1', t('judge.profile.title')),
      query.get('welcome') ? h('div.alert.alert-ok', { role: 'status' }, t('judge.profile.welcome')) : null,
      form,
      h('p', h('a', { href: '/judge' }, t('judge.profile.to_queue')), ' · ', h('a', { href: '/account/password' }, t('judge.profile.change_password'))));
  },
};

// Judges: the review queue (progress, filters, a stable per-judge order from the server), the
// invitation acceptance and the judge's own profile (organisations, expertise, languages,
// reminders).
import * as api from '../api.js';
import { t, pick, formatDate, setLocale, getLocale } from '../i18n.js';
import { h, field, empty, toast } from '../ui/dom.js';
import { meter, keptForm, onSubmit, restoredNotice } from '../ui/forms.js';
import { trackName, countryName, visibleTracks } from '../ui/words.js';
import { reviewBadge, entryName } from '../ui/review.js';
import { affiliations } from '../ui/affiliations.js';

export const queue = {
  name: 'judge-queue',
  title: 'judge.queue.title',
  async render({ query }, { navigate }) {
    const [all, trackList] = await Promise.all([api.get('/me/assignments'), visibleTracks()]);
    const status = query.get('status') || '';
    const track = query.get('track') || '';
    const items = all.items.filter((i) => (!status || i.review_status === status) && (!track || i.track === track));
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
    const row = (i) =>
      h('li.queue-item', { dataset: { assignment: i.assignment_id, status: i.review_status } },
        h('div.queue-main',
          h('a.queue-link', { href: `/judge/assignments/${i.assignment_id}` }, h('strong', entryName(i))),
          h('p.muted.clamp', i.summary)),
        h('div.queue-meta',
          reviewBadge(i.review_status),
          h('span.badge', trackName(trackList, i.track)),
          h('span.muted', countryName(i.country))));

    // One section per round: the rounds being judged first, each with its own deadline and
    // progress; finished rounds folded away below.
    const rounds = new Map();
    for (const i of all.items) {
      if (!rounds.has(i.round_id)) rounds.set(i.round_id, { id: i.round_id, name: i.round_name, state: i.round_state, closes: i.judging_closes_at, all: [], shown: [] });
      rounds.get(i.round_id).all.push(i);
    }
    for (const i of items) rounds.get(i.round_id).shown.push(i);
    const order = [...rounds.values()].sort((x, y) => (x.state === 'judging' ? 0 : 1) - (y.state === 'judging' ? 0 : 1) || String(x.closes || '').localeCompare(String(y.closes || '')));
    const section = (r) => {
      const done = r.all.filter((i) => i.review_status === 'submitted').length;
      const percent = Math.round((100 * done) / r.all.length);
      const body = [
        meter(percent, t('judge.queue.progress', { done, total: r.all.length })),
        r.closes && r.state === 'judging' ? h('p.muted', t('judge.queue.closes', { date: formatDate(r.closes) })) : null,
        r.shown.length ? h('ol.queue', r.shown.map(row)) : h('p.muted', t('judge.queue.none_match')),
      ];
      if (r.state === 'judging') return h('section.queue-round', { dataset: { round: r.id, state: r.state } }, h('h2', pick(r.name)), body);
      return h('details.queue-round', { dataset: { round: r.id, state: r.state } },
        h('summary', h('h2.inline', pick(r.name)), ' ', h('span.muted', t('judge.queue.round_done', { done, total: r.all.length }))), body);
    };

    return h('section',
      h('div.page-head',
        h('h1', t('judge.queue.title')),
        h('div.actions',
          h('a.btn.btn-ghost#to-entries', { href: '/judge/entries' }, t('entries.link')),
          h('a.btn.btn-ghost', { href: '/judge/profile' }, t('judge.profile.title')))),
      all.total
        ? [
            h('div.filters', select('status', ['none', 'draft', 'submitted'].map((s) => [s, t(`review.status.${s}`)])),
              select('track', tracks.map((tr) => [tr, trackName(trackList, tr)]))),
            items.length
              ? order.map(section)
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
    onSubmit(form, submit, async () => {
      const body = await api.post('/auth/invitations/accept', { token: tokenValue, password: password.value, name: name.value.trim() || undefined });
      api.setSession(body);
      if (body.user.locale && body.user.locale !== getLocale()) await setLocale(body.user.locale);
      toast(t('invitation.welcome'), { kind: 'ok' });
      navigate('/judge/profile?welcome=1', { replace: true });
    }, {
      fields: { password: 'invite-password', name: 'invite-name', again: 'invite-password-again' },
      check: () => (password.value !== again.value ? { again: 'password_mismatch' } : null),
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
  async render({ query }, { session }) {
    const [me, contests] = await Promise.all([api.get('/me/judge-profile'), api.get('/contests').catch(() => [])]);
    const tracks = new Map();
    for (const c of contests) for (const tr of c.tracks || []) tracks.set(tr.key, pick(tr.name));
    for (const key of Object.keys(me.expertise)) if (!tracks.has(key)) tracks.set(key, key);

    const [orgField, org] = field('profile-organization', t('judge.profile.organization'), { value: me.organization, maxlength: 200 }, t('judge.profile.organization_hint'));
    const ties = affiliations(me.affiliations || []);
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
      h('fieldset', h('legend', t('judge.profile.affiliations')), ties.el),
      h('div.field', h('label', { for: 'profile-region' }, t('judge.profile.region')), region),
      h('fieldset', h('legend', t('judge.profile.expertise')), h('p.hint', t('judge.profile.expertise_hint')), h('div.grid.grid-tight', expertise)),
      h('fieldset', h('legend', t('judge.profile.languages')), h('div.checks', langs)),
      capField,
      h('label.check', reminders, t('judge.profile.reminders')),
      h('div.actions', submit));
    const body = () => ({
      organization: org.value.trim(),
      affiliations: ties.read(),
      region: region.value,
      expertise: Object.fromEntries([...form.querySelectorAll('[data-track]')].map((s) => [s.dataset.track, Number(s.value)])),
      languages: [...form.querySelectorAll('[name=languages]:checked')].map((c) => c.value),
      reminders: reminders.checked,
    });
    const fill = (v) => {
      org.value = v.organization ?? '';
      ties.fill(v.affiliations || []);
      region.value = v.region;
      for (const sel of form.querySelectorAll('[data-track]')) sel.value = String(v.expertise?.[sel.dataset.track] ?? 0);
      for (const c of form.querySelectorAll('[name=languages]')) c.checked = (v.languages || []).includes(c.value);
      reminders.checked = !!v.reminders;
    };
    // Kept in this browser until saved, like every form.
    const changes = keptForm({ key: `${session.user.id}:judge-profile`, form, read: body });
    const notice = h('div');
    if (changes.restored) {
      fill(changes.restored.pending.value);
      changes.changed();
      notice.append(restoredNotice(changes.restored, () => {
        changes.discard();
        fill(me);
      }));
    }
    onSubmit(form, submit, async () => {
      await api.patch('/me/judge-profile', body());
      changes.saved();
      toast(t('judge.profile.saved'), { kind: 'ok' });
    }, {
      fields: { organization: 'profile-organization', affiliations: 'profile-affiliations' },
      check: () => (ties.read().some((a) => !a.name) ? { affiliations: 'required' } : null),
    });
    return h('section.card.narrow',
      h('h1', t('judge.profile.title')),
      query.get('welcome') ? h('div.alert.alert-ok', { role: 'status' }, t('judge.profile.welcome')) : null,
      notice,
      form,
      h('p', h('a', { href: '/judge' }, t('judge.profile.to_queue')), ' · ', h('a', { href: '/judge/entries' }, t('entries.link')), ' · ', h('a', { href: '/account/password' }, t('judge.profile.change_password'))));
  },
};

// Contest owners (issue 22): which organisation runs a first-stage round, and which submitted
// applications it takes (countries, tracks), on the round's settings tab; and, when creating
// a round, the stage it stands in, so regional preliminaries run side by side.
import * as api from '../api.js';
import { t, pick } from '../i18n.js';
import { h, toast } from '../ui/dom.js';
import { onSubmit } from '../ui/forms.js';
import { COUNTRIES, countryName } from '../ui/words.js';


/// The owner's card on a first-stage round: organiser, countries, tracks.
export async function routingCard(round, reload) {
  const [contest, orgs] = await Promise.all([
    api.get(`/contests/${round.contest_id}`),
    api.get(`/contests/${round.contest_id}/organisations`),
  ]);
  const org = h('select#route-org',
    h('option', { value: '' }, t('round.routing.owners')),
    orgs.map((o) => h('option', { value: String(o.id) }, pick(o.name))));
  org.value = round.organisation_id ? String(round.organisation_id) : '';
  const allowed = contest.eligibility?.allowed_countries?.length ? contest.eligibility.allowed_countries : COUNTRIES;
  const route = round.route || { countries: [], tracks: [] };
  const countries = h('div.checks.country-checks', allowed.map((code) => [code, countryName(code)])
    .sort((a, b) => a[1].localeCompare(b[1]))
    .map(([code, label]) => h('label.check', h('input', { type: 'checkbox', name: 'route-country', value: code, checked: route.countries.includes(code) }), label)));
  const tracks = h('div.checks', (contest.tracks || []).map((tr) =>
    h('label.check', h('input', { type: 'checkbox', name: 'route-track', value: tr.key, checked: route.tracks.includes(tr.key) }), pick(tr.name))));
  const submit = h('button.btn#route-save', { type: 'submit' }, t('round.routing.save'));
  const form = h('form#route-form', { novalidate: true },
    h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
    h('div.field', h('label', { for: 'route-org' }, t('round.routing.organisation')), org),
    h('fieldset#route-countries', h('legend', t('round.routing.countries')), h('p.hint', t('round.routing.countries_hint')), countries),
    contest.tracks?.length ? h('fieldset#route-tracks', h('legend', t('round.routing.tracks')), h('p.hint', t('round.routing.tracks_hint')), tracks) : null,
    h('div.actions', submit));
  onSubmit(form, submit, async () => {
    const body = {
      route: {
        countries: [...countries.querySelectorAll('input:checked')].map((el) => el.value),
        tracks: [...tracks.querySelectorAll('input:checked')].map((el) => el.value),
      },
    };
    if (org.value) body.organisation_id = Number(org.value);
    await api.patch(`/rounds/${round.id}`, body);
    toast(t('round.routing.saved'), { kind: 'ok' });
    reload();
  }, { fields: { organisation_id: 'route-org', route: 'route-countries' } });
  return h('div.card#round-routing', h('h2', t('round.routing.title')), h('p.muted', t('round.routing.lead')), form);
}

/// For a new round: a new stage after the others (the default), or beside an existing one.
export function stageField(rounds) {
  const stages = new Map();
  for (const r of rounds) {
    if (!stages.has(r.stage)) stages.set(r.stage, []);
    stages.get(r.stage).push(pick(r.name));
  }
  const select = h('select#round-stage',
    h('option', { value: '' }, t('round.stage_new')),
    [...stages.entries()].sort((a, b) => a[0] - b[0]).map(([stage, names]) =>
      h('option', { value: String(stage) }, t('round.stage_beside', { stage, names: names.join(', ') }))));
  const wrap = h('div.field', h('label', { for: 'round-stage' }, t('round.stage')), select, h('p.hint', t('round.stage_hint')));
  return [wrap, () => (select.value ? Number(select.value) : null)];
}

// Joint organisers (issue 22). Owners: the contest's organisations (create, invite staff), the
// joint summary of every organisation's rounds and mail, and where each submitted application
// is routed (with a manual override). Staff: their own organisation's dashboard and routing.
import * as api from '../api.js';
import { t, pick } from '../i18n.js';
import { h, field, empty, toast } from '../ui/dom.js';
import { onSubmit, confirmDialog } from '../ui/forms.js';
import { stateBadge } from './admin-rounds.js';

const REGIONS = ['KR', 'CN', 'INTL'];

function organisationForm(contestId, reload) {
  const names = ['en', 'ko', 'zh'].map((lang) => field(`org-name-${lang}`, t(`org.name_${lang}`), { maxlength: 200, required: lang === 'en' }));
  const region = h('select#org-region', REGIONS.map((r) => h('option', { value: r }, t(`org.region.${r}`))));
  const submit = h('button.btn#org-create', { type: 'submit' }, t('org.create'));
  const form = h('form.card#org-form', { novalidate: true },
    h('h2', t('org.new')),
    h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
    h('div.grid.grid-tight', names.map(([w]) => w),
      h('div.field', h('label', { for: 'org-region' }, t('org.region')), region)),
    h('div.actions', submit));
  onSubmit(form, submit, async () => {
    const name = Object.fromEntries(['en', 'ko', 'zh'].map((l, i) => [l, names[i][1].value.trim()]).filter(([, v]) => v));
    await api.post(`/contests/${contestId}/organisations`, { name, region: region.value });
    toast(t('org.created'), { kind: 'ok' });
    reload();
  }, { fields: { name: 'org-name-en', 'name.en': 'org-name-en', region: 'org-region' } });
  return form;
}

function staffForm(org, reload) {
  const [emailField, email] = field(`staff-email-${org.id}`, t('org.staff_email'), { type: 'email', required: true });
  const [nameField, name] = field(`staff-name-${org.id}`, t('org.staff_name'), { required: true });
  const locale = h(`select#staff-locale-${org.id}`, [['en', 'English'], ['ko', '한국어'], ['zh', '中文']].map(([v, l]) => h('option', { value: v }, l)));
  const submit = h('button.btn.btn-small', { type: 'submit', id: `staff-invite-${org.id}` }, t('org.invite'));
  const form = h('form.inline-form', { novalidate: true },
    h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
    emailField, nameField,
    h('div.field', h('label', { for: `staff-locale-${org.id}` }, t('nav.language')), locale),
    h('div.actions', submit));
  onSubmit(form, submit, async () => {
    await api.post(`/organisations/${org.id}/staff`, { email: email.value.trim(), name: name.value.trim(), locale: locale.value });
    toast(t('org.invited'), { kind: 'ok' });
    reload();
  }, { fields: { email: `staff-email-${org.id}`, name: `staff-name-${org.id}` } });
  return form;
}

/// One organisation's rounds, their progress and its mail.
function dashboardCard(d, staff, owner, reload) {
  const org = d.organisation;
  const cell = (key, ...c) => h('td', { 'data-label': t(key) }, ...c);
  const rounds = d.rounds.length
    ? h('div.table-scroll', { tabindex: '0' }, h('table.table.table-cards', h('thead', h('tr',
        ['round', 'state', 'entries', 'reviews', 'advanced'].map((c) => h('th', t(`org.col.${c}`))))),
      h('tbody', d.rounds.map((r) => h('tr', { dataset: { round: r.id } },
        cell('org.col.round', h('a', { href: `/admin/rounds/${r.id}` }, pick(r.name))),
        cell('org.col.state', stateBadge(r.state)),
        cell('org.col.entries', String(r.entries)),
        cell('org.col.reviews', `${r.submitted_reviews} / ${r.assignments}`),
        cell('org.col.advanced', String(r.advanced)))))))
    : h('p.muted', t('org.no_rounds'));
  return h('article.card', { dataset: { organisation: org.id } },
    h('h2', pick(org.name), ' ', h('span.badge', t(`org.region.${org.region}`))),
    h('p.muted', t('org.figures', { judges: d.judges, staff: org.staff, sent: d.mail_sent, pending: d.mail_pending, failed: d.mail_failed })),
    rounds,
    staff ? h('details', h('summary', t('org.staff_title')),
      staff.length ? h('ul', staff.map((s) => h('li', `${s.name} · ${s.email} `, h(s.active ? 'span.badge.badge-ok' : 'span.badge.badge-warn', t(s.active ? 'org.active' : 'org.pending'))))) : h('p.muted', t('org.no_staff')),
      owner ? staffForm(org, reload) : null) : null);
}

function routingCard(routes, rounds, owner, reload) {
  const prelims = rounds.filter((r) => r.stage === Math.min(...rounds.map((x) => x.stage)));
  const name = (id) => { const r = rounds.find((x) => x.id === id); return r ? pick(r.name) : t('org.unrouted'); };
  const cell = (key, ...c) => h('td', { 'data-label': t(key) }, ...c);
  const rows = routes.map((r) => {
    let choose = null;
    if (owner) {
      choose = h('select', { id: `route-${r.application_id}`, 'aria-label': t('org.route_to') },
        h('option', { value: '' }, t('org.by_rule')), prelims.map((p) => h('option', { value: p.id }, pick(p.name))));
      choose.value = r.by === 'override' ? String(r.round_id) : '';
      choose.addEventListener('change', async () => {
        const reason = choose.value
          ? await confirmDialog({ title: t('org.route_to'), body: t('org.reroute_body', { id: r.application_id }), confirm: t('org.reroute'), input: t('org.reason') })
          : '';
        if (choose.value && !reason) { reload(); return; }
        try {
          await api.put(`/applications/${r.application_id}/route`, { round_id: choose.value ? Number(choose.value) : null, reason: reason || '' });
          toast(t('org.rerouted'), { kind: 'ok' });
        } catch (err) {
          toast(api.errorMessage(err), { kind: 'error' });
        }
        reload();
      });
    }
    return h('tr', { dataset: { application: r.application_id } },
      cell('org.col.application', h('a', { href: `/applications/${r.application_id}` }, `#${r.application_id}`)),
      cell('org.col.preliminary', name(r.round_id)),
      cell('org.col.by', t(`org.by.${r.by}`)),
      owner ? cell('org.col.override', choose) : null);
  });
  return h('section.card#routing', h('h2', t('org.routing')), h('p.hint', t('org.routing_hint')),
    routes.length
      ? h('div.table-scroll', { tabindex: '0' }, h('table.table.table-cards#routing-table',
          h('thead', h('tr', ['application', 'preliminary', 'by'].map((c) => h('th', t(`org.col.${c}`))), owner ? h('th', t('org.col.override')) : null)),
          h('tbody', rows)))
      : h('p.muted', t('org.no_routes')));
}

export default {
  name: 'admin-organisations',
  title: 'org.title',
  async render({ id }, { navigate }) {
    const me = await api.get('/me');
    const owner = !me.organisation_id;
    const reload = () => navigate(location.pathname, { replace: true, force: true });
    const [contest, orgs, rounds, routes] = await Promise.all([
      api.get(`/contests/${id}`), api.get(`/contests/${id}/organisations`),
      api.get(`/contests/${id}/rounds`), api.get(`/contests/${id}/routing`)]);
    let cards;
    if (owner) {
      const summary = await api.get(`/contests/${id}/organisations/summary`);
      const staff = await Promise.all(orgs.map((o) => api.get(`/organisations/${o.id}/staff`)));
      cards = summary.organisations.map((d, i) => dashboardCard(d, staff[i], true, reload));
      if (summary.joint_rounds.length) {
        cards.push(h('article.card#joint-rounds', h('h2', t('org.joint')),
          h('ul', summary.joint_rounds.map((r) => h('li', h('a', { href: `/admin/rounds/${r.id}` }, pick(r.name)), ' ', stateBadge(r.state),
            h('span.muted', ` ${t('org.joint_figures', { entries: r.entries, reviews: r.submitted_reviews, assignments: r.assignments })}`))))));
      }
    } else {
      const mine = await Promise.all(orgs.map((o) => Promise.all([api.get(`/organisations/${o.id}/dashboard`), api.get(`/organisations/${o.id}/staff`)])));
      cards = mine.map(([d, s]) => dashboardCard(d, s, false, reload));
    }
    return h('section',
      h('div.page-head', h('h1', t('org.title')), h('p.muted', pick(contest.name))),
      cards.length ? h('div#organisations', cards) : empty(t('org.empty'), t('org.empty_next')),
      routingCard(routes, rounds, owner, reload),
      owner ? organisationForm(id, reload) : null);
  },
};

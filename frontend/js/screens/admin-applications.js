// Administrators: contests overview and a contest's applications with filters, paging, CSV
// export and disqualification.
import * as api from '../api.js';
import { t, pick, formatDate } from '../i18n.js';
import { h, empty, toast } from '../ui/dom.js';
import { confirmDialog } from '../ui/forms.js';
import { contestCard } from './contest.js';
import { trackName, countryName, applicationStatusName } from '../ui/words.js';
import { answerFilter } from '../ui/questions-view.js';

export const adminContests = {
  name: 'admin-contests',
  title: 'admin.contests.title',
  async render(params, { session }) {
    // Organiser staff (issue 22) get the screens of their scope, in their organisation's
    // contest; the rest is the owners'.
    const orgId = session.user?.organisation_id;
    const owner = !orgId;
    const [all, organisation] = await Promise.all([api.get('/contests'), owner ? null : api.get(`/organisations/${orgId}`)]);
    const contests = owner ? all : all.filter((c) => c.id === organisation.contest_id);
    const card = (c) => {
      const el = contestCard(c);
      if (c.archived_at) el.querySelector('h2, h3')?.append(' ', h('span.badge', t('edition.archived_badge')));
      el.append(h('p.links',
        owner ? h('a', { href: `/admin/contests/${c.id}/edit` }, t('contest.form.edit')) : null,
        h('a', { href: `/admin/contests/${c.id}/applications`, 'data-link': true }, t('admin.applications.open')),
        h('a', { href: `/admin/contests/${c.id}/rounds` }, t('round.list_title')),
        h('a', { href: `/admin/contests/${c.id}/judges` }, t('judges.title')),
        owner ? h('a', { href: `/admin/contests/${c.id}/conflicts` }, t('conflicts.title')) : null,
        owner ? h('a', { href: `/admin/contests/${c.id}/announcements` }, t('ann.link')) : null,
        owner ? h('a', { href: `/admin/contests/${c.id}/day-links` }, t('day.link')) : null,
        h('a', { href: `/admin/contests/${c.id}/organisations` }, t('org.link')),
        h('a', { href: `/contests/${c.id}/results` }, t('results.public_title'))));
      return el;
    };
    // Archived editions are over and read-only: folded below the live ones.
    const live = contests.filter((c) => !c.archived_at);
    const archived = contests.filter((c) => c.archived_at);
    return h('section',
      h('div.page-head', h('h1', t('admin.contests.title')),
        owner ? h('a.btn#new-contest', { href: '/admin/contests/new' }, t('contest.form.new')) : null),
      live.length
        ? h('div.grid', live.map(card))
        : empty(t('home.admin.contests.empty'), null, h('a.btn', { href: '/admin/contests/new' }, t('contest.form.new'))),
      archived.length
        ? h('details.archived#archived-contests', h('summary', t('edition.archived_list', { count: archived.length })), h('div.grid', archived.map(card)))
        : null);
  },
};

const STATUSES = ['draft', 'submitted', 'withdrawn', 'disqualified'];
const STATUS_BADGE = { submitted: 'span.badge.badge-ok', draft: 'span.badge', withdrawn: 'span.badge.badge-warn', disqualified: 'span.badge.badge-bad' };

export const adminApplications = {
  name: 'admin-applications',
  title: 'admin.applications.title',
  async render({ id, query }, { navigate }) {
    const contest = await api.get(`/contests/${id}`);
    const params = new URLSearchParams(query);
    const page = Number(params.get('page') || 1);
    params.set('per_page', '25');
    const list = await api.get(`/contests/${id}/applications?${params}`);
    const pick2 = (name, options) => {
      const sel = h('select', { id: `filter-${name}`, name }, h('option', { value: '' }, t('admin.applications.any')), options.map(([v, l]) => h('option', { value: v }, l)));
      sel.value = query.get(name) || '';
      return h('div.field', h('label', { for: `filter-${name}` }, t(`admin.applications.filter.${name}`)), sel);
    };
    const search = h('input', { id: 'filter-q', name: 'q', type: 'search', value: query.get('q') || '' });
    const form = h('form.filters', { role: 'search' },
      pick2('status', STATUSES.map((s) => [s, t(`status.${s}`)])),
      pick2('track', contest.tracks.map((tr) => [tr.key, pick(tr.name)])),
      h('div.field', h('label', { for: 'filter-country' }, t('admin.applications.filter.country')), h('input', { id: 'filter-country', name: 'country', maxlength: 2, value: query.get('country') || '' })),
      h('div.field', h('label', { for: 'filter-q' }, t('admin.applications.filter.q')), search),
      answerFilter(contest, query),
      h('button.btn', { type: 'submit' }, t('admin.applications.apply')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const next = new URLSearchParams();
      for (const el of form.querySelectorAll('[name]')) if (el.value.trim()) next.set(el.name, el.value.trim().toUpperCase() === el.value.trim() || el.name !== 'country' ? el.value.trim() : el.value.trim().toUpperCase());
      navigate(`/admin/contests/${id}/applications?${next}`);
    });
    const exportBtn = h('button.btn.btn-ghost#export-csv', { type: 'button' }, t('admin.applications.export'));
    exportBtn.addEventListener('click', async () => {
      try {
        await api.download(`/contests/${id}/applications.csv?${query}`, `applications-${id}.csv`);
      } catch (err) {
        toast(api.errorMessage(err), { kind: 'error' });
      }
    });
    const rows = list.items.map((a) => {
      const dq = h('button.btn.btn-ghost', { type: 'button', hidden: a.status === 'disqualified' || a.status === 'withdrawn' }, t('admin.applications.disqualify'));
      dq.addEventListener('click', async () => {
        const reason = await confirmDialog({ title: t('admin.applications.disqualify'), body: t('admin.applications.disqualify_confirm', { name: a.company_name || `#${a.id}` }), confirm: t('admin.applications.disqualify'), danger: true, input: t('admin.applications.reason') });
        if (reason === false) return;
        try {
          await api.post(`/applications/${a.id}/disqualify`, { reason });
          toast(t('admin.applications.disqualified'));
          navigate(location.pathname + location.search, { replace: true });
        } catch (e) {
          toast(api.errorMessage(e));
        }
      });
      const cell = (key, ...content) => h('td', { 'data-label': t(key) }, ...content);
      return h('tr', { dataset: { application: a.id } },
        cell('admin.applications.col.company', h('a', { href: `/applications/${a.id}`, 'data-link': true }, h('strong', a.company_name || '—')), a.company_name_native ? h('div.muted', a.company_name_native) : null),
        cell('admin.applications.col.applicant', a.applicant_name, h('div.muted', a.applicant_email)),
        cell('admin.applications.col.track', trackName(contest, a.track)), cell('admin.applications.col.country', countryName(a.country)),
        cell('admin.applications.col.status', h(STATUS_BADGE[a.status], applicationStatusName(a.status)), a.erased_at ? [' ', h('span.badge', { dataset: { erased: '' } }, t('privacy.erased'))] : null, a.has_deck || a.erased_at ? '' : h('div.muted', t('admin.applications.no_deck'))),
        cell('admin.applications.col.updated', formatDate(a.updated_at)), cell('admin.applications.col.actions', dq));
    });
    const pages = Math.max(1, Math.ceil(list.total / list.per_page));
    const link = (p) => {
      const q = new URLSearchParams(query);
      q.set('page', String(p));
      return `/admin/contests/${id}/applications?${q}`;
    };
    return h('section',
      h('h1', t('admin.applications.title')), h('p.lead', pick(contest.name)),
      form,
      h('div.actions', h('span.muted#result-count', t("admin.applications.count", { count: list.total })), exportBtn),
      list.items.length
        ? h('table.responsive', h('thead', h('tr', ['company', 'applicant', 'track', 'country', 'status', 'updated', 'actions'].map((k) => h('th', t(`admin.applications.col.${k}`))))), h('tbody', rows))
        : empty(t('admin.applications.empty'), t('admin.applications.empty_next')),
      h('nav.pager', { 'aria-label': t('admin.applications.pages') },
        page > 1 ? h('a.btn.btn-ghost', { href: link(page - 1), 'data-link': true }, t('common.previous')) : null,
        h('span', t('admin.applications.page', { page, pages })),
        page < pages ? h('a.btn.btn-ghost', { href: link(page + 1), 'data-link': true }, t('common.next')) : null));
  },
};

// Administrators: the audit log, newest first, filtered by entity, id, actor or action, and a
// check of its hash chain that names the first broken entry if any. Actions and entities read
// as words; details as field / before / after rows (the raw JSON is what the chain hashes,
// not what a person should have to parse).
import * as api from '../api.js';
import { t, formatDate } from '../i18n.js';
import { h, empty } from '../ui/dom.js';
import { onClick } from '../ui/forms.js';
import { auditActionName, auditRows, entityName } from '../ui/words.js';

function detailsTable(r) {
  const rows = auditRows(r.details, r.entity);
  if (!rows.length) return h('span.muted', t('audit.no_details'));
  return h('table.audit-details',
    h('thead', h('tr', ['field', 'old', 'new'].map((c) => h('th', { scope: 'col' }, t(`audit.col.${c}`))))),
    h('tbody', rows.map(([field, before, after]) => h('tr', h('th', { scope: 'row' }, field), h('td', before), h('td', after)))));
}

const FILTERS = ['entity', 'entity_id', 'actor', 'action'];

export default {
  name: 'admin-audit',
  title: 'audit.title',
  async render({ query }, { navigate, session }) {
    // Organiser staff (issue 22) read their organisation's entries; checking the chain is the owners'.
    const owner = !session.user?.organisation_id;
    const page = Math.max(1, Number(query.get('page') || 1));
    const params = new URLSearchParams();
    for (const f of FILTERS) if (query.get(f)) params.set(f, query.get(f));
    params.set('page', String(page));
    const rows = await api.get(`/admin/audit?${params}`);
    const inputs = FILTERS.map((f) => h('input', { id: `audit-${f}`, name: f, value: query.get(f) || '', type: f === 'actor' ? 'number' : 'text' }));
    const form = h('form.filters', { role: 'search' },
      inputs.map((el, i) => h('div.field', h('label', { for: el.id }, t(`audit.filter.${FILTERS[i]}`)), el)),
      h('button.btn', { type: 'submit' }, t('admin.applications.apply')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const next = new URLSearchParams();
      for (const el of inputs) if (el.value.trim()) next.set(el.name, el.value.trim());
      navigate(`/admin/audit${next.size ? `?${next}` : ''}`);
    });
    const verdict = h('p#audit-verdict', { role: 'status' });
    const check = h('button.btn.btn-ghost#audit-verify', { type: 'button' }, t('audit.verify'));
    onClick(check, async () => {
      const r = await api.get('/admin/audit/verify');
      verdict.className = r.intact ? 'alert alert-ok' : 'alert alert-error';
      verdict.textContent = r.intact
        ? t('audit.intact', { count: r.entries })
        : t('audit.broken', { id: r.first_broken });
    }, {
      onError: (err) => {
        verdict.className = 'alert alert-error';
        verdict.textContent = api.errorMessage(err);
        return true;
      },
    });
    const cell = (key, ...c) => h('td', { 'data-label': t(key) }, ...c);
    const link = (p, label) => h('a.btn.btn-ghost', { href: `/admin/audit?${new URLSearchParams({ ...Object.fromEntries(params), page: String(p) })}` }, label);
    return h('section',
      h('div.page-head', h('h1', t('audit.title')), owner ? check : null),
      verdict,
      form,
      rows.length
        ? h('div.table-scroll', { tabindex: '0' }, h('table.table.table-cards#audit-table',
            h('thead', h('tr', ['when', 'actor', 'action', 'entity', 'details'].map((c) => h('th', t(`audit.col.${c}`))))),
            h('tbody', rows.map((r) => h('tr', { dataset: { audit: r.id } },
              cell('audit.col.when', formatDate(`${r.at}Z`)),
              cell('audit.col.actor', r.actor_id === null ? t('audit.system') : t('audit.actor', { id: r.actor_id })),
              cell('audit.col.action', h('span', { dataset: { action: r.action } }, auditActionName(r.action))),
              cell('audit.col.entity', `${entityName(r.entity)}${r.entity_id ? ` #${r.entity_id}` : ''}`),
              cell('audit.col.details', detailsTable(r)))))))
        : empty(t('audit.empty'), t('audit.empty_next')),
      h('nav.pager', page > 1 ? link(page - 1, t('common.previous')) : null, rows.length === 100 ? link(page + 1, t('common.next')) : null));
  },
};

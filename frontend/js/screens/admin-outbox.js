// Administrators: every email with its state and last error, filtered by status, retried one
// by one or all at once; and a preview of any template in any language with sample data.
import * as api from '../api.js';
import { t, formatDate } from '../i18n.js';
import { h, empty, toast } from '../ui/dom.js';
import { onClick } from '../ui/forms.js';
import { templateName, languageName } from '../ui/words.js';

const STATUSES = ['pending', 'sending', 'sent', 'failed'];
const BADGE = { sent: 'span.badge.badge-ok', failed: 'span.badge.badge-bad', pending: 'span.badge.badge-warn', sending: 'span.badge.badge-warn' };

async function previewPane() {
  const names = await api.get('/admin/mail/templates');
  const template = h('select#preview-template', names.map((n) => h('option', { value: n }, templateName(n))));
  const locale = h('select#preview-locale', [['en', 'English'], ['ko', '한국어'], ['zh', '中文']].map(([v, l]) => h('option', { value: v }, l)));
  const subject = h('p#preview-subject', h('strong'));
  const text = h('pre.prewrap#preview-text');
  const frame = h('iframe.deck-frame.mail-frame', { title: t('outbox.preview_html'), sandbox: '' });
  let url = null;
  const show = async () => {
    try {
      const r = await api.get(`/admin/mail/templates/${encodeURIComponent(template.value)}?locale=${locale.value}`);
      subject.firstChild.textContent = r.subject;
      text.textContent = r.text;
      if (url) URL.revokeObjectURL(url);
      url = URL.createObjectURL(new Blob([r.html], { type: 'text/html' }));
      frame.src = url;
    } catch (err) {
      toast(api.errorMessage(err), { kind: 'error' });
    }
  };
  template.addEventListener('change', show);
  locale.addEventListener('change', show);
  show();
  return h('div.card#mail-preview', h('h2', t('outbox.preview')), h('p.hint', t('outbox.preview_hint')),
    h('div.inline-form',
      h('div.field', h('label', { for: 'preview-template' }, t('outbox.template')), template),
      h('div.field', h('label', { for: 'preview-locale' }, t('nav.language')), locale)),
    subject, h('details', h('summary', t('outbox.preview_text')), text), frame);
}

export default {
  name: 'admin-outbox',
  title: 'outbox.title',
  async render({ query }, { navigate, session }) {
    // Organiser staff (issue 22) see their organisation's mail; retrying everything and the
    // template previews are the contest owners'.
    const owner = !session.user?.organisation_id;
    const status = STATUSES.includes(query.get('status')) ? query.get('status') : '';
    const page = Math.max(1, Number(query.get('page') || 1));
    const items = await api.get(`/admin/outbox?page=${page}${status ? `&status=${status}` : ''}`);
    const reload = () => navigate(location.pathname + location.search, { replace: true });
    const filter = h('select#outbox-status', h('option', { value: '' }, t('judge.queue.all')), STATUSES.map((s) => h('option', { value: s }, t(`outbox.status.${s}`))));
    filter.value = status;
    filter.addEventListener('change', () => navigate(`/admin/outbox${filter.value ? `?status=${filter.value}` : ''}`, { replace: true }));
    const retryAll = h('button.btn#retry-failed', { type: 'button' }, t('outbox.retry_all'));
    onClick(retryAll, async () => {
      const r = await api.post('/admin/outbox/retry-failed');
      toast(t('outbox.retried', { count: r.retried }), { kind: 'ok' });
      reload();
    });
    const cell = (key, ...c) => h('td', { 'data-label': t(key) }, ...c);
    const rows = items.map((m) => {
      let retry = null;
      if (m.status === 'failed') {
        retry = h('button.btn.btn-ghost.btn-small', { type: 'button' }, t('outbox.retry'));
        retry.addEventListener('click', async () => {
          await api.post(`/admin/outbox/${m.id}/retry`).catch((e) => toast(api.errorMessage(e), { kind: 'error' }));
          reload();
        });
      }
      return h('tr', { dataset: { mail: m.id, status: m.status } },
        cell('outbox.col.to', m.to_address, h('div.muted', `${templateName(m.template)} · ${languageName(m.locale)}`)),
        cell('outbox.col.subject', m.subject),
        cell('outbox.col.status', h(BADGE[m.status] || 'span.badge', t(`outbox.status.${m.status}`)), m.attempts ? h('div.muted', t('outbox.attempts', { count: m.attempts })) : null),
        cell('outbox.col.error', m.last_error ? h('code.prewrap', m.last_error) : '—'),
        cell('outbox.col.when', formatDate(m.sent_at || m.created_at)),
        cell('judges.col.actions', retry));
    });
    const pager = h('nav.pager', { 'aria-label': t('admin.applications.pages') },
      page > 1 ? h('a.btn.btn-ghost', { href: `/admin/outbox?page=${page - 1}${status ? `&status=${status}` : ''}` }, t('common.previous')) : null,
      items.length === 50 ? h('a.btn.btn-ghost', { href: `/admin/outbox?page=${page + 1}${status ? `&status=${status}` : ''}` }, t('common.next')) : null);
    return h('section',
      h('div.page-head', h('h1', t('outbox.title')), owner ? retryAll : null),
      h('div.filters', h('div.field', h('label', { for: 'outbox-status' }, t('outbox.col.status')), filter)),
      items.length
        ? h('div.table-scroll', { tabindex: '0' }, h('table.table.table-cards#outbox-table',
            h('thead', h('tr', ['to', 'subject', 'status', 'error', 'when'].map((c) => h('th', t(`outbox.col.${c}`))), h('th', t('judges.col.actions')))),
            h('tbody', rows)))
        : empty(t('outbox.empty'), t('outbox.empty_next')),
      pager,
      owner ? await previewPane() : null);
  },
};

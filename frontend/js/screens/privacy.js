// Personal data. "My data" (any signed-in user): download everything stored about me, and for
// applicants delete the account while nothing was submitted. (The administrators' erasure of an
// application is in ui/privacy-panel.js, shown on the application screen.)
import * as api from '../api.js';
import { t } from '../i18n.js';
import { h, field, toast } from '../ui/dom.js';
import { confirmDialog, onClick, onSubmit } from '../ui/forms.js';

function exportCard() {
  const button = h('button.btn#export-data', { type: 'button' }, t('privacy.export.button'));
  const status = h('p.muted#export-status', { role: 'status', 'aria-live': 'polite' });
  onClick(button, async () => {
    status.textContent = t('privacy.export.working');
    await api.download('/me/export', 'jury-personal-data.zip');
    status.textContent = t('privacy.export.done');
    status.dataset.state = 'done';
  }, {
    onError: (e) => {
      status.textContent = api.errorMessage(e);
      status.dataset.state = 'failed';
      return true;
    },
  });
  return h('section.card#export-card', h('h2', t('privacy.export.title')), h('p', t('privacy.export.body')), h('div.actions', button), status);
}

async function deleteCard(session, navigate) {
  const card = h('section.card#delete-card', h('h2', t('privacy.delete.title')));
  if (session.user?.role !== 'applicant') {
    card.append(h('p.muted#delete-unavailable', t('privacy.delete.staff')));
    return card;
  }
  const mine = await api.get('/me/applications');
  const kept = mine.find((a) => a.status !== 'draft' || a.submitted_at);
  if (kept) {
    card.append(h('p.alert.alert-warn#delete-unavailable', t('privacy.delete.blocked', { name: kept.company_name || `#${kept.id}` })));
    return card;
  }
  const [passField, password] = field('delete-password', t('field.password'), { type: 'password', autocomplete: 'current-password', required: true });
  const button = h('button.btn.btn-danger#delete-account', { type: 'submit' }, t('privacy.delete.button'));
  const alert = h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' });
  const form = h('form', { novalidate: true }, alert, passField, h('div.actions', button));
  onSubmit(form, button, async () => {
    const ok = await confirmDialog({
      title: t('privacy.delete.title'),
      body: t('privacy.delete.confirm', { drafts: mine.length }),
      confirm: t('privacy.delete.button'),
      danger: true,
    });
    if (!ok) return;
    await api.api('DELETE', '/me', { password: password.value });
    api.setSession(null);
    toast(t('privacy.delete.done'));
    navigate('/', { replace: true, force: true });
  }, { fields: { password: 'delete-password' } });
  card.append(h('p', t('privacy.delete.body')), h('ul', ['drafts', 'files', 'mail', 'sessions'].map((k) => h('li', t(`privacy.delete.item.${k}`)))), form);
  return card;
}

export const myData = {
  name: 'my-data',
  title: 'privacy.title',
  async render(_params, { session, navigate }) {
    return h('section.narrow', h('h1', t('privacy.title')), h('p.lead', t('privacy.lead')), exportCard(), await deleteCard(session, navigate));
  },
};

// Personal data. "My data" (any signed-in user): download everything stored about me, and for
// applicants delete the account while nothing was submitted. For administrators on an
// application: the upload scan's flags and "Erase personal data" once the contest is over.
import * as api from '../api.js';
import { t, formatDate } from '../i18n.js';
import { h, field, showError, busy, toast } from '../ui/dom.js';
import { confirmDialog } from '../ui/forms.js';

/// Fetches a file with the session token and hands it to the browser as a download.
async function download(path, filename) {
  const get = () => fetch(`/api/v1${path}`, { headers: { Authorization: `Bearer ${api.token()}` }, credentials: 'same-origin' });
  let res = await get();
  if (res.status === 401 && (await api.refresh())) res = await get();
  if (!res.ok) throw new api.ApiError(res.status, await res.json().catch(() => null));
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function exportCard() {
  const button = h('button.btn#export-data', { type: 'button' }, t('privacy.export.button'));
  const status = h('p.muted#export-status', { role: 'status', 'aria-live': 'polite' });
  button.addEventListener('click', async () => {
    busy(button, true);
    status.textContent = t('privacy.export.working');
    try {
      await download('/me/export', 'jury-personal-data.zip');
      status.textContent = t('privacy.export.done');
      status.dataset.state = 'done';
    } catch (e) {
      status.textContent = api.errorMessage(e);
      status.dataset.state = 'failed';
    } finally {
      busy(button, false);
    }
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
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const ok = await confirmDialog({
      title: t('privacy.delete.title'),
      body: t('privacy.delete.confirm', { drafts: mine.length }),
      confirm: t('privacy.delete.button'),
      danger: true,
    });
    if (!ok) return;
    busy(button, true);
    try {
      await api.api('DELETE', '/me', { password: password.value });
      api.setSession(null);
      toast(t('privacy.delete.done'));
      navigate('/', { replace: true });
    } catch (err) {
      showError(form, err, { password: 'delete-password' });
    } finally {
      busy(button, false);
    }
  });
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

/// What administrators see above an application: the deck's scan flags, the erased state, and
/// the erase action for a withdrawn or disqualified application.
export function adminPanel(app, navigate) {
  const parts = [];
  const flags = app.deck?.flags || [];
  if (flags.length) {
    parts.push(h('div.alert.alert-warn#deck-flags', { role: 'note' },
      h('strong', t('privacy.flags.title')), ' ',
      flags.map((f) => h('span.badge.badge-bad', { dataset: { flag: f } }, t(`privacy.flag.${f}`))), ' ',
      t('privacy.flags.advice')));
  }
  if (app.erased_at) {
    parts.push(h('div.alert#erased-banner', { dataset: { state: 'erased' } }, t('privacy.erased_banner', { date: formatDate(app.erased_at) })));
  } else if (['withdrawn', 'disqualified'].includes(app.status)) {
    const button = h('button.btn.btn-danger#erase-application', { type: 'button' }, t('privacy.erase.button'));
    button.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: t('privacy.erase.button'),
        body: t('privacy.erase.confirm', { name: app.company_name || `#${app.id}` }),
        confirm: t('privacy.erase.button'),
        danger: true,
      });
      if (!ok) return;
      busy(button, true);
      try {
        await api.post(`/admin/applications/${app.id}/erase`);
        toast(t('privacy.erase.done'));
        navigate(`/applications/${app.id}`, { replace: true });
      } catch (e) {
        toast(api.errorMessage(e), { kind: 'error' });
      } finally {
        busy(button, false);
      }
    });
    parts.push(h('div.actions#erase-actions', button, h('span.muted', t('privacy.erase.hint'))));
  }
  return parts.length ? h('div#admin-privacy', parts) : null;
}

// The administrators' panel above an application: the deck's scan flags, the erased state and
// the erasure of a withdrawn or disqualified application once the contest is over.
import * as api from '../api.js';
import { t, formatDate } from '../i18n.js';
import { h, busy, toast } from './dom.js';
import { confirmDialog } from './dialog.js';

/// What administrators see above an application: the deck's scan flags, the erased state, and
/// the erase action for a withdrawn or disqualified application.
/// `contestOver`: the window has closed and every round is closed or published; only then does
/// the API accept an erasure, so only then is the button enabled.
export function adminPanel(app, navigate, { contestOver = false } = {}) {
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
    const button = h('button.btn.btn-danger#erase-application', { type: 'button', disabled: !contestOver, 'aria-describedby': contestOver ? null : 'erase-hint' }, t('privacy.erase.button'));
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
    parts.push(h('div.actions#erase-actions', button, contestOver ? null : h('span.muted#erase-hint', t('privacy.erase.hint'))));
  }
  return parts.length ? h('div#admin-privacy', parts) : null;
}

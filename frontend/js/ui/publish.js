// Publishing a round, said exactly: the dialog counts who will be told they advanced, who wins
// which award and who did not advance, and a round that names nobody needs an explicit tick.
// In a final, the award places (filled by rank) can be changed by hand with a written reason.
import * as api from '../api.js';
import { t, pick } from '../i18n.js';
import { h, toast, showError, empty } from './dom.js';
import { openDialog } from './dialog.js';

/// Opens the publish dialog for a closed round; `reload()` after it was published.
export async function publishRound(round, { reload }) {
  const p = await api.get(`/rounds/${round.id}/publish-preview`);
  const confirm = p.needs_confirmation ? h('input#publish-confirm-none', { type: 'checkbox' }) : null;
  const lines = [
    p.advanced ? h('li#publish-count-advanced', t('publish.count.advanced', { count: p.advanced })) : null,
    ...p.awards.filter((a) => a.winners.length).map((a) => h('li', { dataset: { award: a.key } },
      t('publish.count.award', { count: a.winners.length, award: pick(a.name) }),
      ': ', a.winners.map((w) => w.company_name).join(', '))),
    h('li#publish-count-not-advanced', t(p.final_round ? 'publish.count.placed' : 'publish.count.not_advanced', { count: p.not_advanced })),
  ];
  const content = [
    h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
    h('p', t('publish.body', { count: p.entries })),
    h('ul.publish-counts', lines),
    p.final_round && !p.awards.length ? h('p.hint', t('publish.no_tiers')) : null,
    confirm ? h('label.check.text-warn', confirm, t(p.final_round ? 'publish.confirm_none_final' : 'publish.confirm_none')) : null,
    h('p.hint', t('publish.final_note')),
  ];
  let done = null;
  await openDialog({
    title: t('results.publish'),
    content,
    buttons: [{ label: t('publish.confirm', { count: p.entries }), value: true, kind: 'danger' }],
    onSubmit: async () => {
      const form = content[0].closest('form');
      if (confirm && !confirm.checked) {
        showError(form, { code: 'nobody_awarded' });
        confirm.focus();
        return false;
      }
      try {
        done = await api.post(`/rounds/${round.id}/publish${confirm ? '?confirm_no_winners=true' : ''}`);
        return true;
      } catch (err) {
        showError(form, err);
        return false;
      }
    },
  });
  if (!done) return;
  toast(t('results.published', { count: done.emails_queued, sha: done.sha256.slice(0, 12) }), { kind: 'ok', timeout: 12000 });
  reload();
}

async function changePlace(round, preview, winner, onChange) {
  const select = h('select#award-choice', h('option', { value: '' }, t('awards.none')),
    preview.awards.map((a) => h('option', { value: a.key }, pick(a.name))));
  select.value = winner.award ?? '';
  const reason = h('textarea#award-reason', { required: true, maxlength: 1000, rows: 3, 'aria-describedby': 'award-reason-error' });
  const content = [
    h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
    h('p', t('awards.override.body', { company: winner.company_name, rank: winner.rank ?? '—' })),
    h('div.field', h('label', { for: 'award-choice' }, t('awards.override.award')), select),
    h('div.field', h('label', { for: 'award-reason' }, t('awards.override.reason')), reason,
      h('p.hint', t('awards.override.reason_hint')), h('p.field-error#award-reason-error', { hidden: true })),
  ];
  await openDialog({
    title: t('awards.override.title'),
    content,
    focus: select,
    buttons: [{ label: t('awards.override.save'), value: true }],
    onSubmit: async () => {
      const ids = { reason: 'award-reason', award: 'award-choice' };
      if (!reason.value.trim()) {
        showError(reason.form, { code: 'validation_failed', fields: { reason: 'required' } }, ids);
        return false;
      }
      try {
        const next = await api.put(`/rounds/${round.id}/awards/${winner.application_id}`, { award: select.value || null, reason: reason.value });
        onChange(next);
        return true;
      } catch (err) {
        showError(reason.form, err, ids);
        return false;
      }
    },
  });
}

/// The final's award places by tier, each with "Change" (and "Use the rank again" when set by
/// hand); before publication only. `rows` are the round's ranked rows, for entries without an award.
export function awardsPanel(round, preview, rows) {
  const panel = h('div.card#award-places');
  const draw = (p) => {
    const editable = !p.published;
    const reasons = new Map(p.overrides.map((o) => [o.application_id, o]));
    const awarded = new Set(p.awards.flatMap((a) => a.winners.map((w) => w.application_id)));
    const change = (winner) => {
      const b = h('button.btn.btn-ghost.btn-small', { type: 'button', dataset: { change: winner.application_id } }, t('awards.override.change'));
      b.addEventListener('click', () => changePlace(round, p, winner, draw));
      return b;
    };
    const clear = (id) => {
      const b = h('button.btn.btn-ghost.btn-small', { type: 'button', dataset: { clear: id } }, t('awards.override.clear'));
      b.addEventListener('click', async () => {
        try {
          draw(await api.del(`/rounds/${round.id}/awards/${id}`));
        } catch (err) {
          toast(api.errorMessage(err), { kind: 'error' });
        }
      });
      return b;
    };
    const line = (w, award) => h('li', { dataset: { application: w.application_id } },
      h('strong', w.company_name), ' ', h('span.muted', t('awards.rank', { rank: w.rank ?? '—' })),
      reasons.has(w.application_id) ? h('span.badge', { title: reasons.get(w.application_id).reason }, t('awards.by_hand')) : null,
      editable ? [' ', change({ ...w, award }), reasons.has(w.application_id) ? clear(w.application_id) : null] : null);
    // Entries refused an award by hand, and the next ranks, so a place can go to them.
    const others = rows.filter((r) => !awarded.has(r.application_id)).slice(0, 5);
    // replaceChildren takes nodes only; h() would have flattened the lists and dropped the nulls.
    panel.replaceChildren(...[
      h('h2', t('awards.places_title')),
      h('p.hint', t(editable ? 'awards.places_hint' : 'awards.places_published')),
      p.awards.length
        ? p.awards.map((a) => h('section.award-tier', { dataset: { award: a.key } },
            h('h3', pick(a.name), ' ', h('span.muted', t('awards.filled', { count: a.winners.length, places: a.places }))),
            a.winners.length ? h('ol.award-winners', a.winners.map((w) => line(w, a.key))) : h('p.muted', t('awards.unfilled'))))
        : empty(t('awards.none_defined'), t('awards.none_defined_next'), h('a.btn.btn-ghost', { href: `/admin/contests/${round.contest_id}/edit` }, t('contest.form.edit'))),
      editable && others.length && p.awards.length
        ? h('details', h('summary', t('awards.others')), h('ul.award-others', others.map((r) => line({ application_id: r.application_id, company_name: r.company_name, rank: r.rank }, null))))
        : null,
      p.overrides.length
        ? h('div', h('h3', t('awards.overrides')), h('ul#award-overrides', p.overrides.map((o) => h('li', h('strong', o.company_name), ' — ',
            o.award ? pick(p.awards.find((a) => a.key === o.award)?.name) : t('awards.none'), ': ', h('q', o.reason)))))
        : null,
    ].flat(Infinity).filter(Boolean));
  };
  draw(preview);
  return panel;
}

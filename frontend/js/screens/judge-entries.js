// Conflicts before assignment: the start-ups of each contest's current or next round, names and
// tracks only, where a judge marks the ones they are tied to (and withdraws their own marks).
// A blind round keeps its list hidden, as it hides names on the scoring screen.
import * as api from '../api.js';
import { t, pick } from '../i18n.js';
import { h, empty, toast } from '../ui/dom.js';
import { onClick } from '../ui/forms.js';
import { trackName, visibleTracks } from '../ui/words.js';

function entryRow(e, tracks, redraw) {
  const name = e.company_name_native && e.company_name_native !== e.company_name
    ? [e.company_name, ' ', h('span.muted', e.company_name_native)]
    : e.company_name;
  const label = typeof name === 'string' ? name : `${e.company_name} ${e.company_name_native}`;
  let action;
  if (!e.conflict) {
    action = h('button.btn.btn-small', { type: 'button', dataset: { act: 'mark' }, 'aria-label': t('entries.mark_for', { company: label }) }, t('entries.mark'));
    onClick(action, async () => {
      await api.post(`/applications/${e.application_id}/conflict`, { reason: '' });
      toast(t('entries.marked_toast', { company: e.company_name }), { kind: 'ok' });
      await redraw();
    });
  } else if (e.conflict === 'declared') {
    action = h('button.btn.btn-ghost.btn-small', { type: 'button', dataset: { act: 'withdraw' }, 'aria-label': t('entries.withdraw_for', { company: label }) }, t('entries.withdraw'));
    onClick(action, async () => {
      await api.del(`/applications/${e.application_id}/conflict`);
      toast(t('entries.withdrawn_toast', { company: e.company_name }), { kind: 'ok' });
      await redraw();
    });
  }
  return h('li.queue-item.entry', { dataset: { application: e.application_id, conflict: e.conflict || '' } },
    h('div.queue-main', h('strong', name)),
    h('div.queue-meta',
      h('span.badge', trackName(tracks, e.track)),
      e.conflict ? h('span.badge.badge-warn', t(`entries.source.${e.conflict}`)) : null,
      action));
}

function contestSection(list, tracks, redraw) {
  const head = h('h2', pick(list.contest_name), ' · ', h('span.muted', pick(list.round_name)));
  if (list.blind) return h('section.card', { dataset: { contest: list.contest_id } }, head, h('p.muted', t('entries.blind')));
  if (!list.entries.length) return h('section.card', { dataset: { contest: list.contest_id } }, head, h('p.muted', t('entries.empty')));
  const id = `entries-search-${list.contest_id}`;
  const search = h('input', { id, type: 'search', autocomplete: 'off' });
  const rows = list.entries.map((e) => entryRow(e, tracks, redraw));
  const none = h('p.muted', { hidden: true }, t('entries.none_match'));
  search.addEventListener('input', () => {
    const q = search.value.trim().toLowerCase();
    let shown = 0;
    list.entries.forEach((e, i) => {
      const hit = !q || `${e.company_name} ${e.company_name_native}`.toLowerCase().includes(q);
      rows[i].hidden = !hit;
      shown += hit ? 1 : 0;
    });
    none.hidden = shown > 0;
  });
  return h('section.card', { dataset: { contest: list.contest_id } }, head,
    h('p.muted', t('entries.count', { n: list.entries.length })),
    h('div.field', h('label', { for: id }, t('entries.search')), search),
    h('ul.queue', rows), none);
}

export default {
  name: 'judge-entries',
  title: 'entries.title',
  async render() {
    const box = h('div');
    const draw = async () => {
      const [lists, tracks] = await Promise.all([api.get('/me/entries'), visibleTracks()]);
      box.replaceChildren(...(lists.length
        ? lists.map((l) => contestSection(l, tracks, draw))
        : [empty(t('entries.none'), t('entries.none_next'))]));
    };
    await draw();
    return h('section',
      h('div.page-head', h('h1', t('entries.title')), h('a.btn.btn-ghost', { href: '/judge/profile' }, t('judge.profile.title'))),
      h('p.lead', t('entries.lead')),
      box);
  },
};

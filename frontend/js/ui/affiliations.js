// The organisations a judge is tied to — employer, investment, advisory role, family company —
// in any script: conflict detection matches them against every start-up's names, so those
// start-ups are never assigned to the judge.
import { t } from '../i18n.js';
import { h } from './dom.js';
import { rowTools, rowList } from './rows.js';

export const KINDS = ['employer', 'investment', 'advisory', 'family'];
let seq = 0;

function tieRow(tie) {
  const n = ++seq;
  const nameId = `affiliation-${n}-name`;
  const kindId = `affiliation-${n}-kind`;
  const kind = h('select', { id: kindId, name: 'kind' }, KINDS.map((k) => h('option', { value: k }, t(`affiliation.kind.${k}`))));
  kind.value = tie.kind || 'employer';
  return h('fieldset.track-edit.affiliation-edit',
    h('legend', tie.name || t('affiliation.new')),
    h('div.grid.grid-tight',
      h('div.field', h('label', { for: nameId }, t('affiliation.name')),
        h('input', { id: nameId, name: 'name', value: tie.name || '', maxlength: 200, required: true, autocomplete: 'organization' })),
      h('div.field', h('label', { for: kindId }, t('affiliation.kind')), kind)),
    rowTools({ up: 'affiliation.move_up', down: 'affiliation.move_down', remove: 'affiliation.remove' }));
}

const readTie = (row) => ({
  name: row.querySelector('[name="name"]').value.trim(),
  kind: row.querySelector('[name="kind"]').value,
});

/// `{ el, read, fill }` for the profile form; its error line is `#profile-affiliations-error`.
export function affiliations(ties = []) {
  const list = rowList({
    id: 'profile-affiliations', items: ties, row: tieRow, read: readTie,
    blank: () => ({ name: '', kind: 'employer' }),
    hint: t('judge.profile.affiliations_hint'), addId: 'add-affiliation', addLabel: t('affiliation.add'), emptyText: t('affiliation.empty'),
  });
  // So a refused list can take the focus with its error.
  list.el.querySelector('#profile-affiliations').tabIndex = -1;
  return list;
}

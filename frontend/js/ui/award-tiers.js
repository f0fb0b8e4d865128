// The contest's award tiers, best first (Grand Prize ×1, Excellence ×2, Merit ×3): name and
// prize in three languages and the number of places; added, reordered and removed like tracks.
// The final round's ranks fill them in this order when it is published.
import { t, pick } from '../i18n.js';
import { h } from './dom.js';
import { rowTools, rowList } from './rows.js';

const LANGS = ['en', 'ko', 'zh'];
let seq = 0;

function tierRow(tier) {
  const n = ++seq;
  const cell = (name, label, value, attrs = {}) => {
    const id = `award-${n}-${name}`;
    return h('div.field', h('label', { for: id }, label), h('input', { id, name, value: value ?? '', ...attrs }));
  };
  const lang = (l) => (l === 'zh' ? 'zh-Hans' : l);
  return h('fieldset.track-edit.award-edit', { dataset: { award: tier.key || '' } },
    h('legend', pick(tier.name) || t('awards.new')),
    h('div.grid.grid-tight',
      cell('key', t('awards.key'), tier.key, { maxlength: 32, pattern: '[a-z0-9_\\-]+', required: true, autocapitalize: 'off', spellcheck: 'false' }),
      cell('places', t('awards.places'), tier.places ?? 1, { type: 'number', min: 1, max: 50, required: true, inputmode: 'numeric' }),
      LANGS.map((l) => cell(`name-${l}`, t(`awards.name_${l}`), tier.name?.[l], { maxlength: 100, lang: lang(l), required: l === 'en' })),
      LANGS.map((l) => cell(`prize-${l}`, t(`awards.prize_${l}`), tier.prize?.[l], { maxlength: 300, lang: lang(l) }))),
    rowTools({ up: 'awards.move_up', down: 'awards.move_down', remove: 'awards.remove' }));
}

function readTier(row) {
  const v = (name) => row.querySelector(`[name="${name}"]`).value.trim();
  const texts = (prefix) => Object.fromEntries(LANGS.map((l) => [l, v(`${prefix}-${l}`)]).filter(([, s]) => s));
  const prize = texts('prize');
  return {
    key: v('key'),
    name: texts('name'),
    places: Number(v('places')) || 0,
    ...(Object.keys(prize).length ? { prize } : {}),
  };
}

/// `{ el, read, fill }`: the editor (its error line is `#contest-awards-error`), the tiers as
/// the API takes them, and a way to show other tiers (a restored draft).
export function awardTiers(tiers = []) {
  return rowList({
    id: 'contest-awards', items: tiers, row: tierRow, read: readTier,
    blank: () => ({ key: '', name: {}, places: 1 }),
    hint: t('awards.hint'), addId: 'add-award', addLabel: t('awards.add'), emptyText: t('awards.empty'),
  });
}

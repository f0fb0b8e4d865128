// The organiser's run sheet and board for a live final: settings and order, the show's
// controls, per pitch who has submitted (up to date, pending, offline), unlocks, the display
// link, and "results ready" once every pitch has its scores. No totals here or on phones.
import * as api from '../api.js';
import { t, pick } from '../i18n.js';
import { h, toast, busy } from '../ui/dom.js';
import { follow, elapsed, clock, stage, tick } from '../ui/live.js';
import { languageName } from '../ui/words.js';

const LANG_PAIRS = [['ko', 'zh'], ['ko', 'en'], ['zh', 'en']];
const CELL = { submitted: 'badge-ok', pending: 'badge-warn', offline: 'badge-bad', none: '' };
const ACTIONS = {
  ready: ['start'],
  running: ['back', 'pause', 'next'],
  paused: ['back', 'resume', 'next'],
  finished: ['back', 'hide', 'reveal'],
};

export default {
  name: 'live-board',
  title: 'live.board.title',
  async render({ id }) {
    const round = await api.get(`/rounds/${id}`);
    let board = null;
    try {
      board = await api.get(`/rounds/${id}/live`);
    } catch (e) {
      if (e.code !== 'not_found') throw e;
    }
    const judges = await api.get(`/contests/${round.contest_id}/judges`);
    let received = Date.now();
    let link = null;

    const settings = h('form.card.live-settings');
    const controls = h('div.live-controls');
    const now = h('div.live-now', { 'aria-live': 'polite' });
    const ready = h('p.live-ready', { role: 'status' });
    const table = h('div.live-board-table');
    const linkBox = h('div.card.live-link');
    const node = h('section.wide.live-board',
      h('h1', t('live.board.title')), h('p.muted', pick(round.name)),
      settings, now, controls, ready, table, linkBox);

    const secsField = (name, label, value) => h('div.field', h('label', { for: `live-${name}` }, label),
      h('input', { type: 'number', id: `live-${name}`, name, min: 0, max: 3600, value, required: true }));

    function drawSettings() {
      const s = board?.show;
      const langs = (s?.languages || ['ko', 'zh']).join('+');
      const seated = new Set(board?.judges.map((j) => j.id) || []);
      settings.replaceChildren(
        h('h2', t('live.board.settings')),
        h('div.live-settings-grid',
          secsField('pitch_secs', t('live.board.pitch_secs'), s?.pitch_secs ?? 300),
          secsField('qa_secs', t('live.board.qa_secs'), s?.qa_secs ?? 180),
          secsField('grace_secs', t('live.board.grace_secs'), board?.grace_secs ?? 60),
          h('div.field', h('label', { for: 'live-languages' }, t('live.board.languages')),
            h('select', { id: 'live-languages', name: 'languages' }, LANG_PAIRS.map((p) => {
              const v = p.join('+');
              return h('option', { value: v, selected: v === langs }, p.map((l) => languageName(l)).join(' + '));
            })))),
        h('fieldset.live-judges', h('legend', t('live.board.panel')),
          judges.length ? judges.map((j) => h('label.check', h('input', { type: 'checkbox', name: 'judge', value: j.id, checked: seated.has(j.id) }), ` ${j.name}`))
            : h('p.muted', t('live.board.no_judges'))),
        h('button.btn.primary', { type: 'submit' }, board ? t('live.board.save') : t('live.board.make_live')));
    }

    async function save(order) {
      const f = new FormData(settings);
      const body = {
        pitch_secs: Number(f.get('pitch_secs')), qa_secs: Number(f.get('qa_secs')), grace_secs: Number(f.get('grace_secs')),
        languages: String(f.get('languages') || 'ko+zh').split('+'),
        order: order || [],
        judge_ids: f.getAll('judge').map(Number),
      };
      board = await api.put(`/rounds/${id}/live`, body);
      received = Date.now();
      draw();
    }

    settings.addEventListener('submit', async (e) => {
      e.preventDefault();
      const button = settings.querySelector('button[type=submit]');
      busy(button, true);
      try {
        await save();
        toast(t('live.board.saved'));
        start();
      } catch (err) {
        toast(api.errorMessage(err), { kind: 'error' });
      } finally {
        busy(button, false);
      }
    });

    async function act(action, button) {
      busy(button, true);
      try {
        board = await api.post(`/rounds/${id}/live/control`, { action });
        received = Date.now();
        draw();
      } catch (err) {
        toast(api.errorMessage(err), { kind: 'error' });
      } finally {
        busy(button, false);
      }
    }

    let nowKey = '';
    function drawNow() {
      if (!board) return now.replaceChildren();
      const s = board.show;
      const key = [s.revision, s.current?.application_id, s.current ? clock(stage(s, elapsed(s, received)).left) : ''].join('|');
      if (key === nowKey) return;
      nowKey = key;
      if (!s.current) return now.replaceChildren(h('p', t(`live.phase.${s.phase}`)));
      const st = stage(s, elapsed(s, received));
      now.replaceChildren(
        h('p.muted', t('live.now_pitching', { position: s.current.position, count: s.pitches })),
        h('p.live-name', s.current.company_name),
        h('p.live-clock', { dataset: { part: st.part } }, `${t(`live.part.${st.part}`)} ${clock(Math.max(st.left, 0))}`),
        s.phase === 'paused' ? h('p.muted', t('live.phase.paused')) : null);
    }

    function move(index, by) {
      const order = board.pitches.map((p) => p.application_id);
      const [item] = order.splice(index, 1);
      order.splice(index + by, 0, item);
      save(order).catch((err) => toast(api.errorMessage(err), { kind: 'error' }));
    }

    function drawTable() {
      if (!board) return table.replaceChildren();
      const editable = board.show.phase === 'ready';
      const head = h('tr', h('th', { scope: 'col' }, t('live.board.finalist')), h('th', { scope: 'col' }, t('live.board.scoring')),
        board.judges.map((j) => h('th', { scope: 'col' }, j.name, h('br'), h('span', { class: j.online ? 'badge badge-ok' : 'badge badge-bad' }, t(j.online ? 'live.link.online' : 'live.link.offline')))));
      const rows = board.pitches.map((p, i) => h('tr', { dataset: { pitch: p.application_id } },
        h('th', { scope: 'row' }, `${p.position}. ${p.company_name}`,
          editable ? h('span.live-move',
            h('button.btn.small', { type: 'button', disabled: i === 0, 'aria-label': t('live.board.up', { name: p.company_name }), onclick: () => move(i, -1) }, '↑'),
            h('button.btn.small', { type: 'button', disabled: i === board.pitches.length - 1, 'aria-label': t('live.board.down', { name: p.company_name }), onclick: () => move(i, 1) }, '↓')) : null),
        h('td', t(`live.pitch.${p.scoring}`)),
        p.cells.map((c) => h('td', { dataset: { judge: c.judge_id, status: c.status } },
          h('span', { class: `badge ${CELL[c.status]}` }, t(`live.cell.${c.status}`)),
          p.scoring === 'locked' && c.status !== 'submitted' && c.status !== 'none' && !c.unlocked
            ? h('button.btn.small', { type: 'button', onclick: async (e) => {
                busy(e.currentTarget, true);
                try {
                  board = await api.post(`/rounds/${id}/live/unlock`, { application_id: p.application_id, judge_id: c.judge_id });
                  draw();
                } catch (err) {
                  toast(api.errorMessage(err), { kind: 'error' });
                }
              } }, t('live.board.unlock'))
            : null))));
      table.replaceChildren(h('table.table', h('caption.visually-hidden', t('live.board.caption')), h('thead', head), h('tbody', rows)));
    }

    function drawLink() {
      if (!board) return linkBox.replaceChildren();
      const url = link ? `${location.origin}${link.path}` : null;
      linkBox.replaceChildren(
        h('h2', t('live.board.display')),
        h('p.muted', t('live.board.judge_path'), ' ', h('code', { translate: 'no' }, `${location.origin}/judge/live/${id}`)),
        url ? h('p', h('a', { href: link.path, target: '_blank', rel: 'noopener', id: 'display-link', translate: 'no' }, url)) : h('p.muted', board.display_link ? t('live.board.link_exists') : t('live.board.no_link')),
        h('button.btn', { type: 'button', onclick: async () => {
          link = await api.post(`/rounds/${id}/live/display-link`);
          board.display_link = true;
          drawLink();
        } }, board.display_link ? t('live.board.rotate_link') : t('live.board.make_link')),
        board.display_link ? h('button.btn.danger', { type: 'button', onclick: async () => {
          await api.del(`/rounds/${id}/live/display-link`);
          link = null;
          board.display_link = false;
          drawLink();
        } }, t('live.board.revoke_link')) : null);
    }

    function draw() {
      drawSettings();
      drawNow();
      const phase = board?.show.phase;
      controls.replaceChildren(...(ACTIONS[phase] || []).map((a) => h('button.btn', {
        type: 'button', class: a === 'next' || a === 'start' || a === 'reveal' ? 'btn primary' : 'btn', dataset: { action: a },
        disabled: (a === 'reveal' && board.show.revealed.length >= board.show.reveal_steps) || (a === 'hide' && board.show.revealed.length === 0),
        onclick: (e) => act(a, e.currentTarget),
      }, t(`live.action.${a}`))));
      ready.replaceChildren(board?.results_ready ? h('span.badge.badge-ok', t('live.board.results_ready')) : '');
      drawTable();
      drawLink();
    }

    let following = false;
    function start() {
      if (following || !board) return;
      following = true;
      follow(node, `/rounds/${id}/live/events`, (m) => {
        board = m;
        received = Date.now();
        drawNow();
        drawTable();
        ready.replaceChildren(board.results_ready ? h('span.badge.badge-ok', t('live.board.results_ready')) : '');
        const phase = board.show.phase;
        if (controls.dataset.phase !== phase) {
          controls.dataset.phase = phase;
          draw();
        }
      });
    }
    tick(node, drawNow);
    draw();
    start();
    return node;
  },
};

// The judge's phone on pitch day: follows the current pitch by server push, scores it with the
// round's rubric, and keeps every score in this browser until the server has it. A score is
// sent with an id made here, so sending it twice (a lost answer, a reconnect) counts once.
import * as api from '../api.js';
import { t, pick } from '../i18n.js';
import { h, toast } from '../ui/dom.js';
import { follow, elapsed, clock, stage, tick } from '../ui/live.js';

function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/// The scores waiting to be sent, kept in localStorage per judge and round.
function outbox(key) {
  const read = () => {
    try {
      return JSON.parse(localStorage.getItem(key) || '[]');
    } catch {
      return [];
    }
  };
  const write = (items) => {
    try {
      localStorage.setItem(key, JSON.stringify(items));
    } catch {
      /* storage full or off: the list lives for this page only */
    }
  };
  return { read, write };
}

export default {
  name: 'live-judge',
  title: 'live.judge.title',
  async render({ id }, { session }) {
    const round = Number(id);
    let live = await api.get(`/me/live/${round}`);
    let received = Date.now();
    const box = outbox(`jury.live.outbox.${session.user?.id}.${round}`);
    const drafts = new Map();
    const refused = new Map();
    let selected = live.show.current?.application_id ?? live.pitches[0]?.application_id;
    let followsCurrent = true;
    let online = true;
    let sending = false;

    const status = h('p.live-status', { role: 'status', 'aria-live': 'polite' });
    const now = h('div.live-now');
    const list = h('ol.live-pitches');
    const form = h('form.live-score', { novalidate: true });
    const node = h('section.narrow.live-judge', h('h1', t('live.judge.title')), status, now, form, h('h2', t('live.judge.pitches')), list);

    const pitch = (appId) => live.pitches.find((p) => p.application_id === appId);

    function showStatus() {
      const waiting = box.read().length;
      status.replaceChildren(
        h('span', { class: online ? 'badge badge-ok' : 'badge badge-bad' }, online ? t('live.link.online') : t('live.link.offline')),
        ' ',
        waiting ? t('live.judge.waiting', { count: waiting }) : t('live.judge.all_sent'));
      node.dataset.waiting = String(waiting);
      node.dataset.online = String(online);
    }

    let nowKey = '';
    function drawNow() {
      const s = live.show;
      const cur = s.current;
      // Touch the page only when what it shows changed (the clock ticks by the second).
      const key = [s.revision, cur?.application_id, cur ? clock(stage(s, elapsed(s, received)).left) : ''].join('|');
      if (key === nowKey) return;
      nowKey = key;
      if (!cur) {
        now.replaceChildren(h('p.muted', s.phase === 'finished' ? t('live.phase.finished') : t('live.phase.ready')));
        return;
      }
      const ms = elapsed(s, received);
      const st = stage(s, ms);
      now.replaceChildren(
        h('p.muted', t('live.now_pitching', { position: cur.position, count: s.pitches })),
        h('p.live-name', cur.company_name),
        h('p.live-clock', { dataset: { part: st.part } }, `${t(`live.part.${st.part}`)} ${clock(Math.max(st.left, 0))}`),
        s.phase === 'paused' ? h('p.muted', t('live.phase.paused')) : null);
    }

    function drawList() {
      const waiting = new Set(box.read().map((i) => i.application_id));
      list.replaceChildren(...live.pitches.map((p) => {
        const state = waiting.has(p.application_id) ? 'waiting' : p.submitted ? 'sent' : p.scoring;
        return h('li', { class: p.application_id === selected ? 'live-pitch is-selected' : 'live-pitch', dataset: { pitch: p.application_id, state } },
          h('button.link', { type: 'button', disabled: p.scoring === 'upcoming' && !p.submitted,
            onclick: () => { selected = p.application_id; followsCurrent = p.application_id === live.show.current?.application_id; draw(); } },
            `${p.position}. ${p.company_name}`),
          ' ', h('span.badge', t(`live.pitch.${state}`)));
      }));
    }

    let formKey = '';
    function drawForm() {
      const p = pitch(selected);
      // Redraw only when what the form offers changed, so typing is never interrupted.
      const key = p ? [p.application_id, p.scoring, p.submitted, p.locks_in_ms != null, refused.get(p.application_id)].join('|') : '';
      if (key === formKey) return;
      formKey = key;
      if (!p || !p.assignment_id) {
        form.replaceChildren();
        return;
      }
      const draft = drafts.get(p.application_id) || {};
      const closed = p.scoring !== 'open';
      const rows = live.criteria.map((c) => {
        const input = h('input', { type: 'number', inputmode: 'numeric', id: `score-${c.key}`, name: c.key, min: c.min, max: c.max, step: 1,
          value: draft[c.key] ?? '', disabled: closed, required: true,
          oninput: (e) => { drafts.set(p.application_id, { ...(drafts.get(p.application_id) || {}), [c.key]: e.target.value }); } });
        return h('div.field', h('label', { for: `score-${c.key}` }, `${pick(c.name)} (${c.min}–${c.max})`), input);
      });
      const note = refused.get(p.application_id);
      form.replaceChildren(
        h('h2', p.company_name),
        closed ? h('p.muted', t(p.scoring === 'locked' ? 'live.judge.locked' : 'live.judge.upcoming')) : null,
        p.locks_in_ms != null ? h('p.muted', t('live.judge.grace')) : null,
        ...rows,
        note ? h('p.field-error', { role: 'alert' }, note) : null,
        h('button.btn.primary', { type: 'submit', disabled: closed }, p.submitted ? t('live.judge.resend') : t('live.judge.send')));
    }

    function draw() {
      drawNow();
      drawList();
      drawForm();
      showStatus();
    }

    async function flush() {
      if (sending) return;
      sending = true;
      try {
        for (;;) {
          const [item] = box.read();
          if (!item) break;
          try {
            await api.put(`/me/live/${round}/scores/${item.application_id}`, { client_id: item.client_id, scores: item.scores });
            refused.delete(item.application_id);
            const p = pitch(item.application_id);
            if (p) p.submitted = true;
          } catch (e) {
            if (e.status === 0 || e.status >= 500 || e.status === 429) {
              online = false;
              break;
            }
            refused.set(item.application_id, api.errorMessage(e));
          }
          box.write(box.read().filter((i) => i.client_id !== item.client_id));
        }
      } finally {
        sending = false;
        if (node.isConnected) draw();
      }
    }

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const p = pitch(selected);
      if (!p) return;
      const scores = {};
      for (const c of live.criteria) {
        const v = Number(form.querySelector(`[name="${c.key}"]`).value);
        if (!Number.isInteger(v) || v < c.min || v > c.max || form.querySelector(`[name="${c.key}"]`).value === '') {
          toast(t('live.judge.complete'), { kind: 'error' });
          form.querySelector(`[name="${c.key}"]`).focus();
          return;
        }
        scores[c.key] = v;
      }
      box.write([...box.read().filter((i) => i.application_id !== p.application_id), { client_id: newId(), application_id: p.application_id, scores }]);
      draw();
      flush();
    });

    follow(node, `/me/live/${round}/events`, (m) => {
      const moved = m.show.current?.application_id !== live.show.current?.application_id;
      live = m;
      received = Date.now();
      if (moved && followsCurrent && m.show.current) selected = m.show.current.application_id;
      draw();
      flush();
    }, (up) => {
      online = up;
      showStatus();
      if (up) flush();
    });
    window.addEventListener('online', () => flush());
    let beats = 0;
    tick(node, () => {
      drawNow();
      beats += 1;
      if (beats % 12 === 0 && box.read().length && !sending) flush();
    });
    draw();
    return node;
  },
};

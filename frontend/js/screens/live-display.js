// The projector: read-only, no sign-in, opened by its own link. The current finalist and the
// clock, and after the last pitch the awards revealed one tier at a time as the organiser
// steps, every label in the final's two languages at once.
import { t, getLocale } from '../i18n.js';
import { h } from '../ui/dom.js';
import { follow, elapsed, clock, stage, tick } from '../ui/live.js';

const HTML_LANG = { en: 'en', ko: 'ko', zh: 'zh-Hans' };

async function strings(lang) {
  try {
    const r = await fetch(`/i18n/${lang}.json`);
    return r.ok ? r.json() : {};
  } catch {
    return {};
  }
}

export default {
  name: 'live-display',
  title: 'live.display.title',
  async render({ token }) {
    const path = `/live/display/${encodeURIComponent(token)}`;
    const res = await fetch(`/api/v1${path}`, { headers: { Accept: 'application/json' } });
    if (!res.ok) return h('section.narrow', h('h1', t('live.display.gone')), h('p.muted', t('live.display.gone_next')));
    let show = await res.json();
    let received = Date.now();
    const dicts = {};
    for (const lang of show.languages) dicts[lang] = await strings(lang);
    // Both languages, each marked with its own lang so the right glyphs are used.
    const both = (key, params = {}) => show.languages.map((lang) => {
      let text = dicts[lang]?.[key] ?? t(key, params);
      for (const [k, v] of Object.entries(params)) text = text.replaceAll(`{${k}}`, String(v));
      return h('span.live-lang', { lang: HTML_LANG[lang] }, text);
    });
    const names = (map) => show.languages.map((lang) => h('span.live-lang', { lang: HTML_LANG[lang] }, map[lang] || map.en || Object.values(map)[0] || ''));

    const stageEl = h('div.live-stage');
    const clockEl = h('p.live-big-clock', { 'aria-live': 'off' });
    const full = h('button.btn.live-full', { type: 'button', onclick: () => document.documentElement.requestFullscreen?.().catch(() => {}) }, t('live.display.fullscreen'));
    const node = h('section.live-display', { lang: HTML_LANG[getLocale()] }, h('h1.visually-hidden', t('live.display.title')), stageEl, clockEl, full);
    document.body.classList.add('display-mode');

    let clockKey = '';
    function drawClock() {
      const st = stage(show, elapsed(show, received));
      const key = show.current && show.phase !== 'finished' ? `${st.part}|${clock(Math.max(st.left, 0))}` : '';
      if (key === clockKey) return;
      clockKey = key;
      if (!key) {
        clockEl.replaceChildren();
        return;
      }
      clockEl.dataset.part = st.part;
      clockEl.replaceChildren(h('span.live-part', both(`live.part.${st.part}`)), ' ', clock(Math.max(st.left, 0)));
    }

    function draw() {
      if (show.phase === 'finished') {
        stageEl.replaceChildren(
          h('p.live-kicker', both('live.display.awards')),
          h('ol.live-awards', show.revealed.map((a) => h('li.live-award', { dataset: { award: a.key } },
            h('p.live-award-name', names(a.name)),
            h('p.live-winners', a.winners.join(' · '))))),
          show.revealed.length === 0 ? h('p.live-kicker', both('live.display.thanks')) : null);
      } else if (show.current) {
        stageEl.replaceChildren(
          h('p.live-kicker', both('live.now_pitching', { position: show.current.position, count: show.pitches })),
          h('p.live-finalist', show.current.company_name),
          show.phase === 'paused' ? h('p.live-kicker', both('live.phase.paused')) : null);
      } else {
        stageEl.replaceChildren(h('p.live-kicker', both('live.display.soon')));
      }
      node.dataset.phase = show.phase;
      node.dataset.revealed = String(show.revealed.length);
      drawClock();
    }

    follow(node, `${path}/events`, (m) => {
      show = m;
      received = Date.now();
      draw();
    });
    tick(node, () => {
      if (!node.isConnected) document.body.classList.remove('display-mode');
      drawClock();
    });
    const leave = setInterval(() => {
      if (!node.isConnected) {
        document.body.classList.remove('display-mode');
        clearInterval(leave);
      }
    }, 1000);
    draw();
    return node;
  },
};

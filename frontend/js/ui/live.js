// Live-final pieces shared by the organiser's board, the judge's phone and the display:
// following an event stream (reconnecting, until the screen leaves the page) and the clock.
import * as api from '../api.js';

/// Follows `path` while `node` is on the page: `onMessage(snapshot)` for each message (older
/// revisions than one already shown are dropped), `onLink(true|false)` as the connection
/// comes and goes. Every message is a whole snapshot, so a reconnect needs no catching up.
export function follow(node, path, onMessage, onLink = () => {}) {
  let revision = -1;
  let pause = 500;
  const controller = new AbortController();
  const watch = setInterval(() => {
    if (!node.isConnected) {
      clearInterval(watch);
      controller.abort();
    }
  }, 1000);
  (async () => {
    // Give the screen a moment to be placed on the page before the first check.
    await new Promise((r) => setTimeout(r, 50));
    while (!controller.signal.aborted) {
      try {
        await api.stream(path, (m) => {
          const rev = m.show ? m.show.revision : m.revision;
          if (rev < revision) return;
          revision = rev;
          pause = 500;
          onLink(true);
          onMessage(m);
        }, controller.signal);
      } catch (e) {
        if (e.status === 404) {
          onLink(false);
          break;
        }
      }
      if (controller.signal.aborted) break;
      onLink(false);
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 4000);
    }
  })();
  return controller;
}

/// The clock of a show snapshot received at `receivedAt` (ms): elapsed ms now.
export function elapsed(show, receivedAt) {
  return show.elapsed_ms + (show.running ? Date.now() - receivedAt : 0);
}

/// "4:07" for a number of milliseconds (negative: "-0:12").
export function clock(ms) {
  const sign = ms < 0 ? '-' : '';
  const s = Math.floor(Math.abs(ms) / 1000);
  return `${sign}${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/// Which part of the slot the clock is in: pitch, qa or over, and the ms left in it.
export function stage(show, ms) {
  const pitch = show.pitch_secs * 1000;
  const qa = show.qa_secs * 1000;
  if (ms < pitch) return { part: 'pitch', left: pitch - ms };
  if (ms < pitch + qa) return { part: 'qa', left: pitch + qa - ms };
  return { part: 'over', left: pitch + qa - ms };
}

/// Ticks `fn` every quarter second while `node` is on the page.
export function tick(node, fn) {
  const id = setInterval(() => {
    if (!node.isConnected) clearInterval(id);
    else fn();
  }, 250);
  fn();
}

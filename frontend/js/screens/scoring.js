// The scoring screen: the application (and its deck) on the left, the rubric on the right.
// Keyboard: a number key scores the focused criterion and moves to the next one, arrows move
// within a criterion (native radio groups), Alt+→ / Alt+← open the next / previous review.
// Drafts save themselves; submitting asks the server to check that every criterion is scored.
import * as api from '../api.js';
import { t, pick, formatDate, formatNumber } from '../i18n.js';
import { h, showError, clearErrors, busy, toast } from '../ui/dom.js';
import { autosave, restoredNotice, confirmDialog } from '../ui/forms.js';
import { reviewBadge, entryName } from '../ui/review.js';
import { trackName, countryName, stageName, visibleTracks } from '../ui/words.js';
import { answersPane } from '../ui/questions-view.js';

/// DESIGN §5: T = 100 · Σ w·(s − min)/(max − min) / Σ w, over the scored criteria so far.
export function reviewTotal(criteria, scores) {
  let sum = 0;
  let weights = 0;
  for (const c of criteria) {
    if (scores[c.key] === undefined) continue;
    sum += c.weight * ((scores[c.key] - c.min) / (c.max - c.min || 1));
    weights += c.weight;
  }
  return weights ? (100 * sum) / weights : null;
}

/// The API names a score's error `scores.KEY`; its radio group is `score-KEY`.
function scoreFields(fields) {
  return Object.fromEntries(Object.entries(fields).map(([k, code]) => [k.replace(/^scores\./, 'score-'), code]));
}

function section(title, text) {
  if (!text) return null;
  return h('section.app-section', h('h2', title), h('p.prewrap', text));
}

function applicationPane(app, blind, tracks) {
  const facts = [
    [t('application.field.track'), app.track && trackName(tracks, app.track)],
    [t('application.field.country'), app.country && countryName(app.country)],
    [t('application.field.stage'), app.stage && stageName(app.stage)],
    [t('application.field.founded_year'), app.founded_year],
    [t('application.field.team_size'), app.team_size],
    [t('application.field.city'), app.city],
  ].filter(([, v]) => v !== null && v !== undefined && v !== '');
  return h('div.scoring-app',
    blind ? h('p.badge.badge-warn', t('review.blind_notice')) : null,
    h('dl.facts', facts.map(([k, v]) => [h('dt', k), h('dd', String(v))])),
    app.website ? h('p', h('a', { href: app.website, rel: 'noopener noreferrer', target: '_blank' }, app.website)) : null,
    section(t('application.field.summary'), app.summary),
    section(t('application.field.problem'), app.problem),
    section(t('application.field.solution'), app.solution),
    section(t('application.field.market'), app.market),
    section(t('application.field.traction'), app.traction),
    app.team?.length
      ? h('section.app-section', h('h2', t('application.field.team')),
          h('ul', app.team.map((m) => h('li', h('strong', m.name), m.role ? ` — ${m.role}` : ''))))
      : null,
    answersPane(app.answers));
}

/// The deck is fetched with the access token and shown from a blob: URL in a frame.
function deckPane(url) {
  const frame = h('iframe.deck-frame', { title: t('review.deck'), hidden: true });
  const status = h('p.muted', t('common.loading'));
  const open = h('a.btn.btn-ghost', { href: '#', hidden: true, target: '_blank', rel: 'noopener' }, t('review.deck_open'));
  const pane = h('div.deck', h('div.page-head', h('h2', t('review.deck')), open), status, frame);
  if (!url) {
    status.textContent = t('review.no_deck');
    return pane;
  }
  api.blob(url)
    .then((blob) => {
      const src = URL.createObjectURL(blob);
      frame.src = src;
      open.href = src;
      frame.hidden = false;
      open.hidden = false;
      status.remove();
    })
    .catch(() => {
      status.textContent = t('review.deck_failed');
    });
  return pane;
}

function criterionField(c, value, onPick) {
  const name = `score-${c.key}`;
  const options = [];
  for (let v = c.min; v <= c.max; v += 1) {
    const input = h('input', { type: 'radio', name, value: v, id: `${name}-${v}`, checked: value === v });
    input.addEventListener('change', () => onPick(c.key, v));
    options.push(h('label.score-option', { for: `${name}-${v}` }, input, h('span', String(v))));
  }
  const guidance = pick(c.guidance);
  return h('fieldset.criterion', { dataset: { key: c.key } },
    h('legend', pick(c.name), ' ', h('span.muted', t('review.weight', { weight: formatNumber(c.weight) }))),
    guidance ? h('p.hint', guidance) : null,
    h('div.score-scale', { id: name, tabindex: '-1', role: 'radiogroup', 'aria-label': pick(c.name) }, options),
    h('p.field-error', { id: `${name}-error`, hidden: true }));
}

export default {
  name: 'scoring',
  title: 'review.title',
  async render({ id }, { navigate, session }) {
    const [view, tracks] = await Promise.all([api.get(`/assignments/${id}`), visibleTracks()]);
    const review = view.review;
    const scores = { ...review.scores };
    let version = review.version;
    const open = view.round_state === 'judging';
    const app = view.application;
    const name = entryName({ company_name: app.company_name, application_id: app.id });

    const totalOut = h('output.total', { 'aria-live': 'polite' });
    const badge = h('span', reviewBadge(review.status));
    const showTotal = () => {
      const total = reviewTotal(view.criteria, scores);
      const scored = view.criteria.filter((c) => scores[c.key] !== undefined).length;
      totalOut.textContent = t('review.total', {
        total: total === null ? '—' : formatNumber(Math.round(total * 10) / 10),
        scored,
        count: view.criteria.length,
      });
    };

    const applicantComment = h('textarea#comment-applicant', { rows: 4, maxlength: 5000, disabled: !open }, review.comment_applicant);
    const privateComment = h('textarea#comment-private', { rows: 3, maxlength: 5000, disabled: !open }, review.comment_private);
    const body = () => ({ scores, comment_applicant: applicantComment.value, comment_private: privateComment.value, version });
    const form = h('form.rubric', { novalidate: true });
    const notice = h('div');
    const put = async (changes) => {
      const saved = await api.put(`/assignments/${id}/review`, { ...changes, version });
      version = saved.version;
      badge.replaceChildren(reviewBadge(saved.status));
    };
    // Scores typed on a train without network are kept in this browser and sent when it returns.
    const saver = autosave({
      key: open ? `${session.user.id}:review:${id}` : null,
      label: (name) => t(`review.field.${name}`),
      async save(changes) {
        try {
          await put(changes);
        } catch (e) {
          if (e.code !== 'edit_conflict') throw e;
          version = (await api.get(`/assignments/${id}`)).review.version;
          await put(changes);
        }
      },
      onRefused(fields) {
        showError(form, { code: 'validation_failed', fields: scoreFields(fields) }, {}, { focus: false });
      },
    });
    const onPick = (key, v) => {
      scores[key] = v;
      showTotal();
      saver.change('scores', { ...scores });
    };
    const fields = view.criteria.map((c) => criterionField(c, scores[c.key], onPick));
    applicantComment.addEventListener('input', () => saver.change('comment_applicant', applicantComment.value));
    privateComment.addEventListener('input', () => saver.change('comment_private', privateComment.value));
    if (open && saver.restored) {
      const kept = saver.restored.pending;
      if (kept.scores) {
        Object.assign(scores, kept.scores);
        for (const [key, v] of Object.entries(kept.scores)) {
          const radio = fields.map((f) => f.querySelector(`#score-${CSS.escape(key)}-${v}`)).find(Boolean);
          if (radio) radio.checked = true;
        }
        saver.change('scores', { ...scores });
      }
      if (typeof kept.comment_applicant === 'string') {
        applicantComment.value = kept.comment_applicant;
        saver.change('comment_applicant', kept.comment_applicant);
      }
      if (typeof kept.comment_private === 'string') {
        privateComment.value = kept.comment_private;
        saver.change('comment_private', kept.comment_private);
      }
      notice.append(restoredNotice(saver.restored, () => {
        saver.discard();
        navigate(`/judge/assignments/${id}`, { replace: true, force: true });
      }));
      saver.flush().catch(() => {});
    }

    // Number keys score the criterion that has focus, then move on to the next one.
    form.addEventListener('keydown', (e) => {
      if (!open || e.altKey || e.ctrlKey || e.metaKey || !/^[0-9]$/.test(e.key)) return;
      const set = e.target.closest?.('fieldset.criterion');
      if (!set) return;
      // On a 1–10 scale there is no 0: the 0 key gives 10, as on a phone's keypad row.
      const input = set.querySelector(`input[value="${e.key}"]`) || (e.key === '0' ? set.querySelector('input[value="10"]') : null);
      if (!input) return;
      e.preventDefault();
      input.checked = true;
      input.dispatchEvent(new Event('change'));
      const next = set.nextElementSibling?.matches('fieldset.criterion') ? set.nextElementSibling : null;
      (next?.querySelector('input:checked') || next?.querySelector('input') || applicantComment).focus();
    });

    const submit = h('button.btn#submit-review', { type: 'submit', disabled: !open }, review.status === 'submitted' ? t('review.resubmit') : t('review.submit'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      busy(submit, true);
      try {
        await saver.flush();
        const saved = await api.post(`/assignments/${id}/review/submit`, body());
        version = saved.version;
        saver.discard();
        clearErrors(form);
        badge.replaceChildren(reviewBadge(saved.status));
        submit.textContent = t('review.resubmit');
        toast(t('review.submitted'), { kind: 'ok' });
        if (view.next) navigate(`/judge/assignments/${view.next}`);
      } catch (err) {
        showError(form, { ...err, fields: scoreFields(err.fields || {}) });
      } finally {
        busy(submit, false);
      }
    });

    const conflict = h('button.btn.btn-ghost#declare-conflict', { type: 'button', disabled: !open }, t('review.conflict'));
    conflict.addEventListener('click', async () => {
      const reason = await confirmDialog({ title: t('review.conflict'), body: t('review.conflict_body'), confirm: t('review.conflict_confirm'), danger: true, input: t('review.conflict_reason') });
      if (reason === false) return;
      try {
        await api.post(`/applications/${app.id}/conflict`, { reason });
        toast(t('review.conflict_done'), { kind: 'ok' });
        navigate('/judge');
      } catch (err) {
        toast(api.errorMessage(err), { kind: 'error' });
      }
    });

    form.append(
      h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
      notice,
      h('p.hint', t('review.keys_hint')),
      ...fields,
      h('div.field', h('label', { for: 'comment-applicant' }, t('review.comment_applicant')), applicantComment, h('p.hint', t('review.comment_applicant_hint'))),
      h('div.field', h('label', { for: 'comment-private' }, t('review.comment_private')), privateComment, h('p.hint', t('review.comment_private_hint'))),
      totalOut,
      saver.status,
      h('div.actions', submit, conflict));
    showTotal();

    const link = (to, label, rel) => (to ? h('a.btn.btn-ghost', { href: `/judge/assignments/${to}`, rel }, label) : null);
    const keys = (e) => {
      if (!e.altKey) return;
      const to = e.key === 'ArrowRight' ? view.next : e.key === 'ArrowLeft' ? view.previous : null;
      if (!to) return;
      e.preventDefault();
      navigate(`/judge/assignments/${to}`);
    };
    document.addEventListener('keydown', keys);
    const root = h('section.scoring-screen',
      h('div.page-head',
        h('div', h('p.muted', h('a', { href: '/judge' }, t('judge.queue.title')), ' · ', pick(view.round_name)), h('h1', name)),
        h('div.actions', badge, link(view.previous, t('common.previous'), 'prev'), link(view.next, t('common.next'), 'next'))),
      !open ? h('div.alert', { role: 'status' }, t('review.closed')) : null,
      view.judging_closes_at ? h('p.muted', t('judge.queue.closes', { date: formatDate(view.judging_closes_at) })) : null,
      h('div.scoring',
        h('div.scoring-left', applicationPane(app, view.blind, tracks), deckPane(app.deck_url)),
        h('div.scoring-right', h('h2', t('review.rubric')), form)));
    // The listener goes when the screen does (the router replaces #main's children).
    new MutationObserver((_, obs) => {
      if (!root.isConnected) {
        document.removeEventListener('keydown', keys);
        saver.flush().catch(() => {});
        obs.disconnect();
      }
    }).observe(document.getElementById('main'), { childList: true });
    return root;
  },
};

// Sign-in on the day of the final: the link (or QR code) an organiser handed a judge carries
// the contest and a one-time secret in the fragment (#contest=…&token=…), which the browser
// never sends to a server. The page takes it, removes it from the address bar and history,
// and signs in; an account with two-factor sign-in still asks for its code.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { h, showError } from '../ui/dom.js';
import { signedIn, secondStep } from './login.js';

function readFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  return { contest: Number(params.get('contest')), token: params.get('token') || '' };
}

export default {
  name: 'day',
  title: 'day.title',
  async render(_params, { navigate }) {
    const { contest, token } = readFragment();
    // The secret leaves the address bar at once (and the history entry with it).
    if (location.hash) history.replaceState(history.state, '', location.pathname);
    const query = new URLSearchParams({ next: '/judge' });
    const status = h('p.lead#day-status', { role: 'status' }, t('day.signing_in'));
    const alert = h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' });
    const form = h('form', { novalidate: true }, alert);
    const step = h('div', form);
    const section = h('section.card.narrow#day-sign-in', h('h1', t('day.title')), status, step,
      h('p.muted', h('a', { href: '/login' }, t('day.use_password'))));
    const fail = (err) => {
      status.textContent = t('day.failed');
      showError(form, err);
    };
    if (!contest || !token) {
      setTimeout(() => fail({ code: 'invalid_day_link' }), 0);
      return section;
    }
    const restart = (err) => {
      step.replaceChildren(form);
      fail(err);
    };
    api.post('/auth/day-link', { contest_id: contest, token })
      .then(async (body) => {
        if (body.status === 'two_factor_required') {
          status.textContent = t('day.second_step');
          step.replaceChildren(secondStep(body.challenge, { query, navigate, restart }));
        } else {
          await signedIn(body, query, navigate);
        }
      })
      .catch(fail);
    return section;
  },
};

// Sign-in: email and password; errors in the form's alert; back to ?next= afterwards. An
// account with two-factor sign-in answers a challenge first: a second step asks for the
// authenticator code (or a recovery code) before the session starts.
import * as api from '../api.js';
import { t, setLocale, getLocale } from '../i18n.js';
import { safeNext } from '../router.js';
import { h, field, showError, busy } from '../ui/dom.js';

export async function signedIn(body, query, navigate) {
  api.setSession(body);
  if (body.user.locale && body.user.locale !== getLocale()) await setLocale(body.user.locale);
  navigate(safeNext(query.get('next')), { replace: true });
}

const RESTART = ['invalid_two_factor_challenge', 'two_factor_challenge_expired'];

/// The second step: code from the app, or a recovery code behind a switch.
export function secondStep(challenge, { query, navigate, restart }) {
  let recovery = false;
  const [codeField, code] = field('login-code', t('twofa.code'), {
    inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]*', maxlength: '6', required: true,
  }, t('twofa.code_hint'));
  const [recField, rec] = field('login-recovery', t('twofa.recovery_code'), { autocomplete: 'off', spellcheck: 'false' }, t('twofa.recovery_hint'));
  recField.hidden = true;
  const toggle = h('button.btn.btn-ghost', { type: 'button', id: 'login-use-recovery', 'aria-pressed': 'false' }, t('twofa.use_recovery'));
  toggle.addEventListener('click', () => {
    recovery = !recovery;
    codeField.hidden = recovery;
    recField.hidden = !recovery;
    toggle.setAttribute('aria-pressed', String(recovery));
    toggle.textContent = recovery ? t('twofa.use_code') : t('twofa.use_recovery');
    (recovery ? rec : code).focus();
  });
  const submit = h('button.btn.btn-block', { type: 'submit' }, t('twofa.verify'));
  const alert = h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' });
  const form = h('form', { novalidate: true, dataset: { step: 'two-factor' } }, alert, codeField, recField, submit, h('div.actions', toggle));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    busy(submit, true);
    try {
      const body = await api.post('/auth/login/2fa', recovery ? { challenge, recovery_code: rec.value } : { challenge, code: code.value });
      await signedIn(body, query, navigate);
    } catch (err) {
      if (RESTART.includes(err.code)) {
        restart(err);
        return;
      }
      showError(form, err, { code: recovery ? 'login-recovery' : 'login-code' });
      code.value = '';
    } finally {
      busy(submit, false);
    }
  });
  setTimeout(() => code.focus(), 0);
  return h('div', h('h2.section-title', t('twofa.login_title')), h('p.muted', t('twofa.login_lead')), form);
}

export default {
  name: 'login',
  title: 'login.title',
  async render({ query }, { navigate }) {
    const [emailField, email] = field('login-email', t('field.email'), { type: 'email', autocomplete: 'username', required: true });
    const [passField, password] = field('login-password', t('field.password'), { type: 'password', autocomplete: 'current-password', required: true });
    const submit = h('button.btn.btn-block', { type: 'submit' }, t('login.submit'));
    const form = h('form', { novalidate: true }, h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }), emailField, passField, submit);
    const links = h('p.muted', h('a', { href: '/forgot-password', 'data-link': true }, t('forgot.title')), ' · ',
      h('a', { href: '/register', 'data-link': true }, t('register.title')));
    const step = h('div', form, links);
    const restart = (err) => {
      step.replaceChildren(form, links);
      showError(form, err);
      password.focus();
    };
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      // An empty field is named as such, not answered with "wrong email or password".
      const missing = Object.fromEntries([['email', email], ['password', password]].filter(([, el]) => !el.value.trim()).map(([k]) => [k, 'required']));
      if (Object.keys(missing).length) {
        showError(form, { code: 'validation_failed', fields: missing }, { email: 'login-email', password: 'login-password' });
        return;
      }
      busy(submit, true);
      try {
        const body = await api.post('/auth/login', { email: email.value, password: password.value });
        if (body.status === 'two_factor_required') {
          step.replaceChildren(secondStep(body.challenge, { query, navigate, restart }));
        } else {
          await signedIn(body, query, navigate);
        }
      } catch (err) {
        showError(form, err, { email: 'login-email', password: 'login-password' });
        if (err.code === 'email_not_verified') {
          api.post('/auth/verify-email/resend', { email: email.value }).catch(() => {});
        }
      } finally {
        password.value = '';
        busy(submit, false);
      }
    });
    return h('section.card.narrow', h('h1', t('login.title')), h('p.lead', t('login.lead')), step);
  },
};

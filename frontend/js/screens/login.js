// Sign-in: email and password; errors in the form's alert; back to ?next= afterwards.
import * as api from '../api.js';
import { t, setLocale, getLocale } from '../i18n.js';
import { safeNext } from '../router.js';
import { h, field, showError, busy } from '../ui/dom.js';

export default {
  name: 'login',
  title: 'login.title',
  async render({ query }, { navigate }) {
    const [emailField, email] = field('login-email', t('field.email'), { type: 'email', autocomplete: 'username', required: true });
    const [passField, password] = field('login-password', t('field.password'), { type: 'password', autocomplete: 'current-password', required: true });
    const submit = h('button.btn.btn-block', { type: 'submit' }, t('login.submit'));
    const form = h('form', { novalidate: true }, h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }), emailField, passField, submit);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      busy(submit, true);
      try {
        const body = await api.post('/auth/login', { email: email.value, password: password.value });
        api.setSession(body);
        if (body.user.locale && body.user.locale !== getLocale()) await setLocale(body.user.locale);
        navigate(safeNext(query.get('next')), { replace: true });
      } catch (err) {
        showError(form, err, { email: 'login-email', password: 'login-password' });
        if (err.code === 'email_not_verified') {
          api.post('/auth/verify-email/resend', { email: email.value }).catch(() => {});
        }
        password.value = '';
      } finally {
        busy(submit, false);
      }
    });
    const links = h('p.muted', h('a', { href: '/forgot-password', 'data-link': true }, t('forgot.title')), ' · ',
      h('a', { href: '/register', 'data-link': true }, t('register.title')));
    return h('section.card.narrow', h('h1', t('login.title')), h('p.lead', t('login.lead')), form, links);
  },
};

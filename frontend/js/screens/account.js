// Self-service account screens: register, verify, forgot and reset password.
import * as api from '../api.js';
import { t, getLocale, setLocale } from '../i18n.js';
import { h, field, toast } from '../ui/dom.js';
import { onClick, onSubmit } from '../ui/forms.js';

function alertBox() {
  return h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' });
}

function checkEmail(email, { resend = false } = {}) {
  const again = h('button.btn.btn-ghost', { type: 'button', id: 'resend' }, t('register.resend'));
  onClick(again, async () => {
    await api.post('/auth/verify-email/resend', { email }).catch(() => {});
    toast(t('register.resent'));
  });
  return h('section.card.narrow', { dataset: { state: 'check-email' } },
    h('h1', t('register.check_title')), h('p.lead', t('register.check_body', { email })), resend ? h('div.actions', again) : null);
}

export const register = {
  name: 'register',
  title: 'register.title',
  async render({ query }) {
    const [nameField, name] = field('reg-name', t('field.name'), { autocomplete: 'name', required: true });
    const [emailField, email] = field('reg-email', t('field.email'), { type: 'email', autocomplete: 'email', required: true });
    const [passField, password] = field('reg-password', t('field.new_password'), { type: 'password', autocomplete: 'new-password', required: true }, t('field.password_hint'));
    const submit = h('button.btn.btn-block', { type: 'submit' }, t('register.submit'));
    const form = h('form', { novalidate: true }, alertBox(), nameField, emailField, passField, submit);
    const section = h('section.card.narrow', h('h1', t('register.title')), h('p.lead', t('register.lead')), form,
      h('p.muted', t('register.have_account'), ' ', h('a', { href: '/login', 'data-link': true }, t('login.title'))));
    if (query.get('contest')) sessionStorage.setItem('jury.apply_to', query.get('contest'));
    onSubmit(form, submit, async () => {
      await api.post('/auth/register', { name: name.value, email: email.value, password: password.value, locale: getLocale() });
      section.replaceWith(checkEmail(email.value.trim(), { resend: true }));
    }, { fields: { name: 'reg-name', email: 'reg-email', password: 'reg-password' } });
    return section;
  },
};

export const verify = {
  name: 'verify',
  title: 'verify.title',
  async render({ query }, { navigate }) {
    // A link cut short by a mail client carries no token: say so without asking the server.
    if (!query.get('token')) {
      return h('section.card.narrow', h('h1', t('verify.title')), h('div.alert.alert-warn', { role: 'alert' }, t('verify.incomplete')),
        h('a.btn', { href: '/login', 'data-link': true }, t('login.title')));
    }
    try {
      const body = await api.post('/auth/verify-email', { token: query.get('token') });
      api.setSession(body);
      if (body.user.locale !== getLocale()) await setLocale(body.user.locale);
      const contest = sessionStorage.getItem('jury.apply_to');
      sessionStorage.removeItem('jury.apply_to');
      setTimeout(() => navigate(contest ? `/contests/${contest}` : '/', { replace: true }), 0);
      return h('section.card.narrow', h('h1', t('verify.done')));
    } catch (e) {
      return h('section.card.narrow', h('h1', t('verify.title')), h('div.alert.alert-warn', { role: 'alert' }, api.errorMessage(e)),
        h('a.btn', { href: '/login', 'data-link': true }, t('login.title')));
    }
  },
};

export const forgot = {
  name: 'forgot',
  title: 'forgot.title',
  async render() {
    const [emailField, email] = field('forgot-email', t('field.email'), { type: 'email', autocomplete: 'email', required: true });
    const submit = h('button.btn.btn-block', { type: 'submit' }, t('forgot.submit'));
    const form = h('form', { novalidate: true }, alertBox(), emailField, submit);
    const section = h('section.card.narrow', h('h1', t('forgot.title')), h('p.lead', t('forgot.lead')), form);
    onSubmit(form, submit, async () => {
      await api.post('/auth/password/forgot', { email: email.value });
      section.replaceChildren(h('h1', t('forgot.sent_title')), h('p.lead', t('forgot.sent_body')));
    }, { fields: { email: 'forgot-email' } });
    return section;
  },
};

export const reset = {
  name: 'reset',
  title: 'reset.title',
  async render({ query }, { navigate }) {
    const [passField, password] = field('reset-password', t('field.new_password'), { type: 'password', autocomplete: 'new-password', required: true }, t('field.password_hint'));
    const submit = h('button.btn.btn-block', { type: 'submit' }, t('reset.submit'));
    const form = h('form', { novalidate: true }, alertBox(), passField, submit);
    onSubmit(form, submit, async () => {
      await api.post('/auth/password/reset', { token: query.get('token') || '', password: password.value });
      toast(t('reset.done'));
      navigate('/login');
    }, { fields: { password: 'reset-password' } });
    return h('section.card.narrow', h('h1', t('reset.title')), form);
  },
};

// First-administrator setup from the one-time link the server prints on a fresh database.
import * as api from '../api.js';
import { t, getLocale } from '../i18n.js';
import { h, field } from '../ui/dom.js';
import { onSubmit } from '../ui/forms.js';

export default {
  name: 'setup',
  title: 'setup.title',
  async render({ query }, { navigate }) {
    const token = query.get('token') || '';
    const status = token ? await api.get(`/setup/status?token=${encodeURIComponent(token)}`).catch(() => ({ valid: false })) : { valid: false };
    if (!status.valid) {
      return h('section.card.narrow', h('h1', t('setup.title')), h('div.alert.alert-warn', { role: 'alert' }, t('setup.invalid')), h('a.btn', { href: '/login', 'data-link': true }, t('login.title')));
    }
    const [nameField, name] = field('setup-name', t('field.name'), { autocomplete: 'name', required: true });
    const [emailField, email] = field('setup-email', t('field.email'), { type: 'email', autocomplete: 'email', required: true });
    const [passField, password] = field('setup-password', t('field.new_password'), { type: 'password', autocomplete: 'new-password', required: true, minlength: 8 }, t('field.password_hint'));
    const [pass2Field, password2] = field('setup-password2', t('field.repeat_password'), { type: 'password', autocomplete: 'new-password', required: true });
    const submit = h('button.btn.btn-block', { type: 'submit' }, t('setup.submit'));
    const form = h('form', { novalidate: true }, h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }), nameField, emailField, passField, pass2Field, submit);
    onSubmit(form, submit, async () => {
      const body = await api.post('/setup', { token, name: name.value, email: email.value, password: password.value });
      api.setSession(body);
      // Keep the language chosen on this page as the administrator's own.
      if (body.user.locale !== getLocale()) await api.patch('/me', { locale: getLocale() }).then(api.setSessionUser, () => {});
      navigate('/', { replace: true });
    }, {
      fields: { name: 'setup-name', email: 'setup-email', password: 'setup-password', password2: 'setup-password2' },
      check: () => (password.value !== password2.value ? { password2: 'password_mismatch' } : null),
    });
    return h('section.card.narrow', h('h1', t('setup.title')), h('p.lead', t('setup.lead')), form);
  },
};

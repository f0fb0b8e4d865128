// Change the password of the signed-in account. The form is exported on its own so an account
// screen can embed it; the route /account/password shows it alone. "Sign out other devices"
// is ticked by default: after a suspected leak nobody else should stay signed in.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { h, field, toast } from '../ui/dom.js';
import { onSubmit } from '../ui/forms.js';

export function passwordForm() {
  const [currentField, current] = field('password-current', t('account.password.current'), { type: 'password', autocomplete: 'current-password', required: true });
  const [newField, next] = field('password-new', t('field.new_password'), { type: 'password', autocomplete: 'new-password', required: true, minlength: 8 }, t('field.password_hint'));
  const endOthers = h('input#password-end-others', { type: 'checkbox', checked: true, 'aria-describedby': 'password-end-others-hint' });
  const submit = h('button.btn#password-save', { type: 'submit' }, t('account.password.save'));
  const form = h('form#password-form', { novalidate: true },
    h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' }),
    currentField, newField,
    h('label.check', endOthers, t('account.password.end_others')),
    h('p.hint', { id: 'password-end-others-hint' }, t('account.password.end_others_hint')),
    h('div.actions', submit));
  onSubmit(form, submit, async () => {
    const body = await api.patch('/me', { current_password: current.value, new_password: next.value, end_other_sessions: endOthers.checked });
    // Ending the other sessions also replaced this one: the answer carries the fresh session.
    if (body?.access_token) api.setSession(body);
    else api.setSessionUser(body);
    form.reset();
    endOthers.checked = true;
    toast(t(body?.access_token ? 'account.password.saved_others_ended' : 'account.password.saved'), { kind: 'ok' });
  }, { fields: { current_password: 'password-current', new_password: 'password-new' } });
  return form;
}

export default {
  name: 'password',
  title: 'account.password.title',
  async render() {
    return h('section.card.narrow', h('h1', t('account.password.title')), passwordForm());
  },
};

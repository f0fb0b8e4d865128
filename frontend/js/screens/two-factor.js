// The account screen and its "Two-factor sign-in" section (judges and administrators): enrol
// with a QR code drawn as SVG from the server's module matrix (no image service, no inline
// script or style), confirm a first code, see the recovery codes once (copy, download as text),
// regenerate them, or turn two-factor sign-in off.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { h, field, toast } from '../ui/dom.js';
import { onSubmit } from '../ui/forms.js';
import { qrSvg } from '../ui/qr.js';

const alertBox = () => h('div.alert.alert-error', { role: 'alert', hidden: true, tabindex: '-1' });

/// Recovery codes, shown once, with copy and download.
function recoveryPanel(codes, done) {
  const text = `${t('twofa.codes_file_title')}\n\n${codes.join('\n')}\n`;
  const copy = h('button.btn.btn-ghost', { type: 'button', id: 'twofa-copy' }, t('twofa.copy'));
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      toast(t('twofa.copied'), { kind: 'ok' });
    } catch {
      toast(t('twofa.copy_failed'), { kind: 'error' });
    }
  });
  const download = h('button.btn.btn-ghost', { type: 'button', id: 'twofa-download' }, t('twofa.download'));
  download.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const a = h('a', { href: url, download: 'jury-recovery-codes.txt', hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  const ok = h('button.btn', { type: 'button', id: 'twofa-codes-saved' }, t('twofa.codes_saved'));
  ok.addEventListener('click', done);
  return h('div', { dataset: { state: 'recovery-codes' } },
    h('div.alert.alert-warn', { role: 'status' }, t('twofa.codes_once')),
    h('ol.recovery-codes', { id: 'twofa-codes' }, codes.map((c) => h('li', h('code', c)))),
    h('div.actions', copy, download, ok));
}

function passwordField(id) {
  return field(id, t('field.password'), { type: 'password', autocomplete: 'current-password', required: true });
}

function codeField(id, label = t('twofa.code')) {
  return field(id, label, { inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]*', maxlength: '6', required: true });
}

/// Enrolment: password → QR + secret → first code → recovery codes.
function enrolForm(show, reload) {
  const [passWrap, password] = passwordField('twofa-setup-password');
  const start = h('button.btn', { type: 'submit', id: 'twofa-start' }, t('twofa.start'));
  const form = h('form', { novalidate: true }, alertBox(), passWrap, h('div.actions', start));
  onSubmit(form, start, async () => {
    try {
      const setup = await api.post('/me/2fa/setup', { password: password.value });
      show(confirmStep(setup, show, reload));
    } finally {
      password.value = '';
    }
  }, { fields: { password: 'twofa-setup-password' } });
  return h('div', h('p', t('twofa.off_lead')), form);
}

function confirmStep(setup, show, reload) {
  const [codeWrap, code] = codeField('twofa-enable-code');
  const confirm = h('button.btn', { type: 'submit', id: 'twofa-enable' }, t('twofa.enable'));
  const form = h('form', { novalidate: true }, alertBox(), codeWrap, h('div.actions', confirm));
  onSubmit(form, confirm, async () => {
    const { recovery_codes: codes } = await api.post('/me/2fa/enable', { code: code.value });
    toast(t('twofa.enabled'), { kind: 'ok' });
    show(recoveryPanel(codes, reload));
  }, {
    fields: { code: 'twofa-enable-code' },
    onError: () => {
      code.value = '';
      return false;
    },
  });
  setTimeout(() => code.focus(), 0);
  return h('div', { dataset: { state: 'enrolling' } },
    h('ol.steps', h('li', t('twofa.step_scan')), h('li', t('twofa.step_confirm'))),
    h('div.qr-box', qrSvg(setup.qr, t('twofa.qr_label')),
      h('p.muted', t('twofa.secret_label'), ' ', h('code#twofa-secret', setup.secret))),
    form);
}

/// Two-factor on: regenerate recovery codes, or turn it off.
function onPanel(status, show, reload) {
  const [rPass, rPassword] = passwordField('twofa-regen-password');
  const [rCodeWrap, rCode] = codeField('twofa-regen-code');
  const regen = h('button.btn.btn-ghost', { type: 'submit', id: 'twofa-regenerate' }, t('twofa.regenerate'));
  const regenForm = h('form', { novalidate: true }, alertBox(), rPass, rCodeWrap, h('div.actions', regen));
  onSubmit(regenForm, regen, async () => {
    try {
      const { recovery_codes: codes } = await api.post('/me/2fa/recovery-codes', { password: rPassword.value, code: rCode.value });
      show(recoveryPanel(codes, reload));
    } finally {
      rPassword.value = '';
      rCode.value = '';
    }
  }, { fields: { password: 'twofa-regen-password', code: 'twofa-regen-code' } });

  const [dPass, dPassword] = passwordField('twofa-off-password');
  const [dCodeWrap, dCode] = field('twofa-off-code', t('twofa.code_or_recovery'), { autocomplete: 'one-time-code', required: true, spellcheck: 'false' });
  const off = h('button.btn.btn-danger', { type: 'submit', id: 'twofa-disable' }, t('twofa.disable'));
  const offForm = h('form', { novalidate: true }, alertBox(), dPass, dCodeWrap, h('div.actions', off));
  onSubmit(offForm, off, async () => {
    const value = dCode.value.trim();
    const second = /^\d{6}$/.test(value.replace(/\s/g, '')) ? { code: value } : { recovery_code: value };
    try {
      await api.post('/me/2fa/disable', { password: dPassword.value, ...second });
      toast(t('twofa.disabled'), { kind: 'ok' });
      reload();
    } finally {
      dPassword.value = '';
    }
  }, { fields: { password: 'twofa-off-password', code: 'twofa-off-code', recovery_code: 'twofa-off-code' } });
  return h('div', { dataset: { state: 'on' } },
    h('p', h('span.badge.badge-ok', t('twofa.on')), ' ', t('twofa.codes_left', { count: status.recovery_codes_left })),
    h('h3', t('twofa.regenerate_title')), h('p.muted', t('twofa.regenerate_lead')), regenForm,
    h('h3', t('twofa.disable_title')), h('p.muted', t('twofa.disable_lead')), offForm);
}

/// The section; `required` marks an administrator sent here by JURY_REQUIRE_ADMIN_2FA.
export async function twoFactorSection({ required = false } = {}) {
  const body = h('div');
  const section = h('section.card#two-factor', { 'aria-labelledby': 'two-factor-title' },
    h('h2#two-factor-title', t('twofa.title')), body);
  const show = (node) => body.replaceChildren(node);
  const reload = async () => {
    const status = await api.get('/me/2fa');
    const notice = !status.enabled && (status.required || required)
      ? h('div.alert.alert-warn', { role: 'alert', id: 'twofa-required' }, t('twofa.required')) : null;
    show(status.enabled ? onPanel(status, show, reload) : h('div', notice, enrolForm(show, reload)));
    section.dataset.enabled = String(status.enabled);
  };
  await reload();
  return section;
}

export default {
  name: 'account',
  title: 'account.title',
  async render({ query }, { session }) {
    const user = session.user;
    const parts = [h('h1', t('account.title')), h('p.lead', `${user.name} · ${user.email}`)];
    if (user.role !== 'applicant') parts.push(await twoFactorSection({ required: query.get('required') === '1' }));
    const page = h('div.account', parts);
    if (location.hash === '#two-factor') setTimeout(() => page.querySelector('#two-factor')?.scrollIntoView(), 0);
    return page;
  },
};

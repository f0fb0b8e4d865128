import { t } from '../i18n.js';
import { h } from '../ui/dom.js';

export default {
  name: 'notfound',
  title: 'notfound.title',
  async render() {
    return h('section.card.narrow', h('h1', t('notfound.title')), h('p.lead', t('notfound.lead')), h('a.btn', { href: '/', 'data-link': true }, t('notfound.home')));
  },
};

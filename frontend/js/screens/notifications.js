// The signed-in user's messages (the in-app copy of every email sent to them). Opening this
// screen marks them read, which clears the count in the header.
import * as api from '../api.js';
import { t, formatDate } from '../i18n.js';
import { h, empty } from '../ui/dom.js';

export default {
  name: 'notifications',
  title: 'notifications.title',
  async render() {
    const items = await api.get('/me/notifications');
    api.post('/me/notifications/seen').then(() => document.dispatchEvent(new Event('notificationsseen'))).catch(() => {});
    return h('section.narrow-wide',
      h('h1', t('notifications.title')),
      items.length
        ? h('ol.queue', items.map((n) => h('li.queue-item', { dataset: { notification: n.id } },
            h('div.queue-main', h('strong', n.subject)),
            h('div.queue-meta', h('span.muted', formatDate(n.created_at))))))
        : empty(t('notifications.empty'), t('notifications.empty_next')));
  },
};

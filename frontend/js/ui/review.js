// Pieces of a review that the judge's queue and the scoring screen both show.
import { t } from '../i18n.js';
import { h } from './dom.js';

export const STATUS_BADGE = { none: 'span.badge', draft: 'span.badge.badge-warn', submitted: 'span.badge.badge-ok' };

export function reviewBadge(status) {
  return h(STATUS_BADGE[status] || 'span.badge', t(`review.status.${status}`));
}

/// What a judge sees of an application's name: the company, or "Application #12" when blind.
export function entryName(item) {
  return item.company_name || t('review.blind_name', { id: item.application_id ?? item.id });
}

/** Every action_id the bot's buttons carry, in one place so listeners and views agree. */
export const ACTIONS = {
  listPrev: 'list_page_prev',
  listNext: 'list_page_next',
  showSubscription: 'subscription_show',
  exportSubscription: 'subscription_export',
  exportProduct: 'product_export',
  /** Opens the take-over modal; value: the subscription id. Shown on list rows, show, digests, reminders. */
  takeover: 'takeover_open',
  /** App Home quick buttons. */
  homeDigest: 'home_digest_post',
  homeRefresh: 'home_refresh',
} as const;

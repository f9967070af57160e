/** Every action_id the bot's buttons carry, in one place so listeners and views agree. */
export const ACTIONS = {
  listPrev: 'list_page_prev',
  listNext: 'list_page_next',
  showSubscription: 'subscription_show',
  exportSubscription: 'subscription_export',
  exportProduct: 'product_export',
} as const;

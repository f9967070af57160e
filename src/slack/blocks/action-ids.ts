/** Every action_id the bot's buttons carry, in one place so listeners and views agree. */
export const ACTIONS = {
  listPrev: 'list_page_prev',
  listNext: 'list_page_next',
  /** `/purchases licenses` pages of purchaser groups; value: see services/product-licenses.ts. */
  licensesPrev: 'licenses_page_prev',
  licensesNext: 'licenses_page_next',
  showSubscription: 'subscription_show',
  exportSubscription: 'subscription_export',
  exportProduct: 'product_export',
  /** Opens the take-over modal; value: the subscription id. Shown on list rows, show, digests, reminders. */
  takeover: 'takeover_open',
  /** The select on a row of `/purchases policy`; option value: see blocks/policy.ts. */
  policySelect: 'policy_select',
  /** `/purchases policy all <value>`: value is the Microsoft name of the value. */
  policyAllConfirm: 'policy_all_confirm',
  policyAllCancel: 'policy_all_cancel',
  /** Under a CSV an admin uploaded to the app's DM: imports it (value: the Slack file id). */
  importFile: 'import_file',
  /** App Home quick buttons. */
  homeDigest: 'home_digest_post',
  homeRefresh: 'home_refresh',
  /** A savings finding's Centralize button: shows the centralize plan (value: the ProductId). */
  savingsCentralize: 'savings_centralize',
} as const;

/** Take-over approval (value: the request id) and centralize (value: the ProductId). */
export const TAKEOVER_ACTIONS = {
  approve: 'takeover_approve',
  reject: 'takeover_reject',
  /** On App Home's pending approvals; value: the request id. */
  withdraw: 'takeover_withdraw',
  /** Microsoft 365: the subscription was cancelled in the admin center (value: the request id). */
  markedCancelled: 'takeover_marked_cancelled',
  /** The link to the admin center beside it (a URL button: its click needs only an ack). */
  adminCenterLink: 'takeover_admin_center_link',
  centralizeAssign: 'centralize_assign',
  centralizeAsk: 'centralize_ask_purchasers',
} as const;

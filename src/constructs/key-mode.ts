/** Whether a credential (an API key, or every token of an authorization) acts on test data or live data. */
export enum KeyMode {
  /** Test data only; values start with `fsk_test_` (secret keys). */
  TEST = 'test',
  /** Live data: real money and customers. Requires `allowLive` on the provider. */
  LIVE = 'live',
}

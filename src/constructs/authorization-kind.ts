/** How an authorization's tool authenticates. */
export enum AuthorizationKind {
  /** The tool signs in through OAuth 2 (client credentials issued by keyform). */
  OAUTH2 = 'oauth2',
  /** The tool uses an API key. */
  API_KEY = 'api_key',
}

/** The type of an API key (the API's `type`). */
export enum KeyType {
  /** Used for server-side auth; must be kept secret. */
  SECRET = 'secret',
  /** Used for auth from clients; not secret. */
  PUBLIC = 'public',
  /** Used for tokenization. */
  TOKENIZATION = 'tokenization',
}

/** What every call of the configured keyform provider receives: the API client and the handlers. */
import {
  ApiKeyHandler,
  AuthorizationHandler,
  CrashSafeCreator,
  DEFAULT_CONCURRENCY,
  FileJournal,
  GrantHandler,
  KeyformApi,
  Limiter,
  OwnerPermissions,
  PROVIDER_RETRY,
  defaultJournalDir,
} from '../../handler';
import { VERSION } from '../../version';
import { MESSAGES } from '../../handler/messages';
import type { CallContext } from '../framework';
import type { ProviderSettings } from './provider-config';
import { fail } from './values';

/** The configured provider. */
export interface KeyformContext {
  readonly settings: ProviderSettings;
  readonly api: KeyformApi;
  readonly keys: ApiKeyHandler;
  readonly authorizations: AuthorizationHandler;
  readonly grants: GrantHandler;
  /** Owners' current permissions, for plan-time explanations. */
  readonly owners?: OwnerPermissions;
}

/** Builds the context; the API client (and its dependencies) load only now, not at plugin start. */
export async function createContext(settings: ProviderSettings, terraformVersion: string): Promise<KeyformContext> {
  const { KeyformClient } = await import('../../client');
  const api = new KeyformClient({
    endpoint: settings.endpoint,
    ...(settings.token ? { token: settings.token } : { clientId: settings.clientId, clientSecret: settings.clientSecret }),
    userAgent: `terraform-provider-keyform/${VERSION} terraform/${terraformVersion || 'unknown'}`,
    connections: DEFAULT_CONCURRENCY,
    retry: PROVIDER_RETRY,
  }) as unknown as KeyformApi;
  const limiter = new Limiter(DEFAULT_CONCURRENCY);
  // Crash-safe creates are journaled in Terraform's working directory (the plugin's own).
  const creator = new CrashSafeCreator(new FileJournal(defaultJournalDir()));
  const authorizations = new AuthorizationHandler(api, limiter, creator);
  return {
    settings,
    api,
    keys: new ApiKeyHandler(api, limiter, creator),
    authorizations,
    grants: new GrantHandler(api, limiter, authorizations),
    owners: new OwnerPermissions(api, limiter),
  };
}

/** The configured provider a call receives (not the call context itself); a clear error when the provider was not configured. */
export function configuredProvider(ctx: CallContext<KeyformContext>): KeyformContext {
  if (!ctx.provider) fail(MESSAGES.notConfigured());
  return ctx.provider;
}

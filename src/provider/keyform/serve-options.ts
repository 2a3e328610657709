/**
 * How keyform's plugin is served: its name in Terraform's log and the one redaction function every
 * diagnostic and log line passes through. Light on purpose: the plugin entry loads it before the
 * handshake.
 */
import { redactSecrets } from '../../model/redaction';
import type { ServeOptions } from '../plugin';

/** The serve options of keyform's plugin. */
export const KEYFORM_SERVE_OPTIONS = {
  module: 'provider.terraform-provider-keyform',
  redact: redactSecrets,
} as const satisfies ServeOptions;

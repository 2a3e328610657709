/**
 * JSON log lines on stderr in HashiCorp's hclog format (`@level`, `@message`, `@module`,
 * `@timestamp`), which Terraform re-emits in its own log. The level comes from TF_LOG_PROVIDER,
 * else TF_LOG; with neither set nothing is written. Callers pass names and counts, never values; the
 * line still passes through the provider's redaction function, in case an error message carries a
 * secret.
 */

/** Scrubs secrets from text before it leaves the process (log lines, diagnostics). */
export type Redactor = (text: string) => string;

/** The redactor of a provider that declares none: text passes unchanged. */
export const NO_REDACTION: Redactor = (text) => text;

/** Log levels, most verbose first. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel | 'off', number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, off: 5 };

/** A structured logger. Fields must never carry attribute values. */
export interface Logger {
  readonly level: LogLevel | 'off';
  log(level: LogLevel, message: string, fields?: Record<string, string | number | boolean>): void;
}

/** Reads the level from the environment: TF_LOG_PROVIDER wins over TF_LOG; `json` means trace. */
export function levelFromEnv(env: NodeJS.ProcessEnv): LogLevel | 'off' {
  const raw = (env.TF_LOG_PROVIDER || env.TF_LOG || '').trim().toLowerCase();
  if (raw === '') return 'off';
  if (raw === 'json') return 'trace';
  return raw in RANK ? (raw as LogLevel | 'off') : 'trace';
}

/** Creates a logger writing each redacted line to `write` (stderr by default). */
export function createLogger(
  module: string,
  level: LogLevel | 'off',
  write: (line: string) => void = (line) => process.stderr.write(line),
  redact: Redactor = NO_REDACTION,
): Logger {
  return {
    level,
    log(l, message, fields) {
      if (RANK[l] < RANK[level]) return;
      write(`${redact(JSON.stringify({ '@level': l, '@message': message, '@module': module, '@timestamp': new Date().toISOString(), ...fields }))}\n`);
    },
  };
}

/**
 * How every `keyform <command>` ends on a failure the user can fix: the catalog's message and its code
 * on stderr (`keyform review: <message> [KF-REVIEW-001]`), exit code 1, no stack trace. Anything else
 * is a bug and goes on to the program's last handler.
 */
import { CodedError } from '../message-catalog';

/**
 * Wraps a command's action so a {@link CodedError} it throws is reported as above.
 * @param command the command's name as the user typed it (`review`, `rotation-report`)
 * @param onError runs first on any failure (e.g. to clear a progress line)
 */
export function reportUserErrors<A extends unknown[]>(command: string, action: (...args: A) => Promise<void>, onError?: () => void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (e) {
      onError?.();
      if (!(e instanceof CodedError)) throw e;
      process.stderr.write(`keyform ${command}: ${e.message} [${e.code}]\n`);
      process.exitCode = 1;
    }
  };
}

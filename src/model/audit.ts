/** The zod model of audit-log entries and their pages. */
import { z } from 'zod';
import { Timestamp, page } from './common';

/** The credential that made a request. */
export const Actor = z
  .object({ type: z.enum(['oauth_client', 'api_key', 'authorization']), id: z.string() })
  .meta({ id: 'Actor' });
/** The credential that made a request. */
export type Actor = z.infer<typeof Actor>;

/** One mutation, attributed to the credential that made it (seed 000 "audit access"). */
export const AuditEntry = z
  .object({
    id: z.string(),
    /** e.g. `api_key.create`, `api_key.rotate`, `authorization.update`. */
    action: z.string(),
    actor: Actor,
    target_id: z.string(),
    mid: z.string().nullable(),
    /** Mode of the target (`test`/`live`), null when the target has none. */
    mode: z.enum(['test', 'live']).nullable().optional(),
    /** Lineage and context, e.g. `created_by` of a key, `cascade_from` of a cascaded revoke. */
    detail: z.record(z.string(), z.string()).nullable().optional(),
    request_id: z.string(),
    created_at: Timestamp,
  })
  .meta({ id: 'AuditEntry' });
/** One audit entry. */
export type AuditEntry = z.infer<typeof AuditEntry>;

/** A page of the audit log. */
export const AuditPage = page(AuditEntry).meta({ id: 'AuditPage' });
/** A page of the audit log. */
export type AuditPage = z.infer<typeof AuditPage>;

/**
 * What an authorization's owner holds now, so that a plan can say why a declared grant cannot be
 * applied ("owner usr_x no longer holds editor on proj_y") instead of a bare diff and a 403 at apply.
 * Read once per provider process from the admin user listing; a credential that may not list users
 * (not the admin client) simply gets no such explanation.
 */
import type { User } from '../model';
import { roleRank } from '../model/catalog';
import type { KeyformApi } from './api';
import { Limiter } from './concurrency';

/** What a declaration needs from the owner. */
export interface OwnerNeeds {
  readonly projects?: ReadonlyArray<{ readonly projectId: string; readonly role: string }>;
  readonly capabilities?: readonly string[];
}

/** The owner's current permissions, read lazily and cached for the process. */
export class OwnerPermissions {
  private users: Promise<Map<string, User> | undefined> | undefined;

  constructor(
    private readonly api: KeyformApi,
    private readonly limiter: Limiter,
  ) {}

  private load(): Promise<Map<string, User> | undefined> {
    this.users ??= (async () => {
      if (!this.api.adminListUsers) return undefined;
      try {
        const page = await this.limiter.run(() => this.api.adminListUsers!());
        return new Map(page.data.map((u) => [u.id, u]));
      } catch {
        return undefined;
      }
    })();
    return this.users;
  }

  /**
   * What `needs` asks of `ownerId` that the owner does not hold, in plain words; empty when all is
   * held or the owner's permissions cannot be read. `lost` words it as a loss (the grant exists).
   */
  async shortfall(ownerId: string, needs: OwnerNeeds, lost: boolean): Promise<string[]> {
    const owner = (await this.load())?.get(ownerId);
    if (!owner) return [];
    const verb = lost ? 'no longer holds' : 'does not hold';
    const out: string[] = [];
    for (const p of needs.projects ?? []) {
      const held = owner.roles.find((r) => r.project_id === p.projectId)?.role;
      if (held === undefined) out.push(`owner ${ownerId} ${verb} ${p.role} on ${p.projectId} (no access to the project)`);
      else if (roleRank(p.role) > roleRank(held)) out.push(`owner ${ownerId} ${verb} ${p.role} on ${p.projectId} (holds ${held})`);
    }
    for (const c of needs.capabilities ?? []) {
      if (!(owner.capabilities as readonly string[]).includes(c)) out.push(`owner ${ownerId} ${verb} the ${c} capability`);
    }
    return out;
  }
}

/**
 * keyform split estate: one Terraform stack per team, one shared provider configuration.
 *
 * A single state for every credential of an organization grows until every plan is slow (Terraform
 * plans each resource, see BENCHMARKS.md) and every change needs everyone's review. Here each team
 * owns a stack with its own state, its own reviewers and its own `allow_live` decision, while the
 * settings that must be the same everywhere — which merchant, which endpoint, which credentials —
 * are written once in {@link ESTATE_PROVIDER} and the environment. Every credential is declared in
 * exactly one stack; `keyform review`, `keyform rotation-report` and `keyform hygiene` read all the
 * stacks as one estate (a section per stack, highest risk first).
 *
 * Synthesize with `npx tsx examples/split-estate/main.ts` (or `cdktf synth` in this directory), then
 * plan and apply each folder under cdktf.out/stacks/ with KEYFORM_ENDPOINT, KEYFORM_CLIENT_ID and
 * KEYFORM_CLIENT_SECRET set (VAULT_ADDR / VAULT_TOKEN for the payments team's secret store), and
 * review them together: `npx keyform review cdktf.out/stacks`. Import from 'keyform' in your project.
 */
import { join } from 'node:path';
import { Construct } from 'constructs';
import { App, TerraformStack } from 'cdktf';
import {
  ApiKey,
  ApiKeySecretDelivery,
  Capability,
  CredentialPolicy,
  Duration,
  KeyformProvider,
  KeyformProviderConfig,
  KeyMode,
  KeyType,
  OAuthAuthorization,
  ProjectRole,
  Scope,
} from '../../src';

/**
 * What every team's stack shares: the merchant the credentials belong to. The endpoint and the
 * client credentials come from KEYFORM_ENDPOINT / KEYFORM_CLIENT_ID / KEYFORM_CLIENT_SECRET, so no
 * stack holds a secret and CI can give each stack's job its own, narrower client.
 */
export const ESTATE_PROVIDER: KeyformProviderConfig = { mid: 'mid_123456' };

/** Options of a team's stack. */
export interface TeamStackProps {
  /**
   * Whether this team may create or change live credentials. Only the teams that need live keys
   * say yes, so a live key added to another team's stack fails its plan.
   * @default false
   */
  readonly allowLive?: boolean;
}

/**
 * One team's stack: the shared provider configuration, the credential policy, and whatever the team
 * declares in {@link TeamStack.declare}. Its state is its own (cdktf's local backend writes
 * `terraform.<stack>.tfstate`; use a remote backend with one key per stack in production).
 */
export abstract class TeamStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: TeamStackProps = {}) {
    super(scope, id);
    new KeyformProvider(this, 'keyform', { ...ESTATE_PROVIDER, allowLive: props.allowLive ?? false });
    this.declare();
    CredentialPolicy.addTo(this);
  }

  /** Declares the team's credentials in this stack. */
  protected abstract declare(): void;
}

/** Where the payments team's live secret goes (never to state or a file). */
export const PAYMENTS_SECRET_DELIVERY: ApiKeySecretDelivery = {
  command: 'vault kv put -mount=secret payments/checkout value=-',
  inheritEnv: ['VAULT_ADDR', 'VAULT_TOKEN'],
  timeout: Duration.seconds(30),
};

/** The payments team: the checkout backend's live key, rotated every 90 days, and a test key for staging. */
export class PaymentsStack extends TeamStack {
  constructor(scope: Construct, id: string) {
    super(scope, id, { allowLive: true });
  }

  protected declare(): void {
    const checkout = new ApiKey(this, 'checkout', {
      name: 'payments-checkout',
      type: KeyType.SECRET,
      mode: KeyMode.LIVE,
      scopes: [Scope.write('payment_intents'), Scope.write('refunds'), Scope.read('customers')],
      rotation: { every: Duration.days(90), gracePeriod: Duration.hours(24) },
      secretDelivery: PAYMENTS_SECRET_DELIVERY,
    });
    CredentialPolicy.acknowledge(checkout, 'KF102', 'the checkout backend creates payment intents and refunds; reviewed by the payments leads');
    ApiKey.readOnly(this, 'staging', { name: 'payments-staging', scopes: [Scope.read('payment_intents'), Scope.read('refunds')] });
  }
}

/** The support team: a read-only test key for its assistant. No live credentials. */
export class SupportStack extends TeamStack {
  protected declare(): void {
    ApiKey.readOnly(this, 'assistant', {
      name: 'support-assistant',
      description: 'Support lookups; cannot refund or change customers.',
      scopes: [Scope.read('customers'), Scope.read('charges'), Scope.read('refunds')],
    });
  }
}

/** The platform team: the coding assistant of usr_alice, viewer on the payments project and one MCP server. */
export class PlatformStack extends TeamStack {
  protected declare(): void {
    const assistant = new OAuthAuthorization(this, 'coding-assistant', {
      name: 'claude-code',
      ownerId: 'usr_alice',
      capabilities: [Capability.MCP, Capability.API],
    });
    assistant.grantProject('proj_payments', ProjectRole.VIEWER);
    assistant.grantMcpServer('billing-flow', { project: 'proj_payments' });
  }
}

/** Builds and synthesizes the estate into `outdir`: one stack per team. */
export function synthesize(outdir: string): App {
  const app = new App({ outdir });
  new PaymentsStack(app, 'payments');
  new SupportStack(app, 'support');
  new PlatformStack(app, 'platform');
  app.synth();
  return app;
}

if (require.main === module) {
  const outdir = process.env.CDKTF_OUTDIR ?? join(__dirname, 'cdktf.out');
  synthesize(outdir);
  process.stdout.write(`synthesized ${['payments', 'support', 'platform'].map((s) => join(outdir, 'stacks', s, 'cdk.tf.json')).join(', ')}\n`);
}

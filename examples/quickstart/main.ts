/**
 * keyform quickstart: the credentials of a small team, declared as code.
 *
 * - a read-only, test-mode key for a support assistant that only looks things up;
 * - a live key with narrow write scopes and scheduled rotation for the payment service, its secret
 *   delivered to a durable secret store (Vault) through a command, never to Terraform state or a
 *   local file (a file on a throw-away CI runner is lost with the runner: see docs/guides/rotation.md);
 * - an OAuth authorization for a coding assistant (owned by usr_alice) that may reach the MCP
 *   servers billing-flow and refunds-flow of project proj_payments.
 *
 * Synthesize with `npx tsx examples/quickstart/main.ts` (or `cdktf synth` in this directory), then
 * run Terraform in cdktf.out/stacks/credentials with KEYFORM_ENDPOINT and KEYFORM_CLIENT_ID /
 * KEYFORM_CLIENT_SECRET set, and VAULT_ADDR / VAULT_TOKEN for the secret store. Import from 'keyform'
 * in your own project.
 */
import { join } from 'node:path';
import { Construct } from 'constructs';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import {
  ApiKey,
  ApiKeySecretDelivery,
  Capability,
  CredentialPolicy,
  Duration,
  KeyformProvider,
  KeyMode,
  KeyType,
  OAuthAuthorization,
  ProjectRole,
  Scope,
} from '../../src';

/**
 * Where the live payment secret goes: written by Vault's CLI from stdin (`value=-`), which gets
 * only the Vault address and token from the environment Terraform runs in.
 */
export const PAYMENT_SECRET_DELIVERY: ApiKeySecretDelivery = {
  command: 'vault kv put -mount=secret payments/checkout value=-',
  inheritEnv: ['VAULT_ADDR', 'VAULT_TOKEN'],
  timeout: Duration.seconds(30),
};

/** Options of the quickstart stack. */
export interface CredentialsStackProps {
  /** Where the live payment secret is delivered; default {@link PAYMENT_SECRET_DELIVERY}. */
  readonly paymentSecretDelivery?: ApiKeySecretDelivery;
}

/** The stack of the quickstart: three credentials, checked by the credential policy. */
export class CredentialsStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: CredentialsStackProps = {}) {
    super(scope, id);

    // Endpoint and client credentials come from KEYFORM_ENDPOINT / KEYFORM_CLIENT_ID / KEYFORM_CLIENT_SECRET.
    new KeyformProvider(this, 'keyform', { mid: 'mid_123456', allowLive: true });

    const support = ApiKey.readOnly(this, 'support-assistant', {
      name: 'support-assistant',
      description: 'Support lookups and analytics; cannot refund or change customers.',
      scopes: [Scope.read('customers'), Scope.read('charges'), Scope.read('payment_intents'), Scope.read('refunds')],
    });

    const payments = new ApiKey(this, 'payment-service', {
      name: 'payment-service',
      description: 'Creates payment intents and refunds for the checkout backend.',
      type: KeyType.SECRET,
      mode: KeyMode.LIVE,
      scopes: [Scope.write('payment_intents'), Scope.write('refunds'), Scope.read('customers')],
      rotation: { every: Duration.days(90), gracePeriod: Duration.hours(24) },
      // The secret never enters Terraform state: each new one (creation, every rotation) is piped to
      // the secret store the checkout backend reads, so a rotation run by CI reaches it.
      secretDelivery: props.paymentSecretDelivery ?? PAYMENT_SECRET_DELIVERY,
    });
    CredentialPolicy.acknowledge(payments, 'KF102', 'the checkout backend must create payment intents and refunds; scopes reviewed by security');

    const assistant = new OAuthAuthorization(this, 'coding-assistant', {
      name: 'claude-code',
      ownerId: 'usr_alice',
      capabilities: [Capability.MCP, Capability.API],
    });
    assistant.grantProject('proj_payments', ProjectRole.VIEWER);
    assistant.grantMcpServer('billing-flow', { project: 'proj_payments' });
    assistant.grantMcpServer('refunds-flow', { project: 'proj_payments' });

    new TerraformOutput(this, 'support_assistant_key', { value: support.value, sensitive: true });
    new TerraformOutput(this, 'support_assistant_prefix', { value: support.prefix });
    new TerraformOutput(this, 'payment_service_fingerprint', { value: payments.fingerprint });
    new TerraformOutput(this, 'coding_assistant_client_id', { value: assistant.clientId });

    CredentialPolicy.addTo(this);
  }
}

/** Builds and synthesizes the quickstart app into `outdir`. */
export function synthesize(outdir: string, props: CredentialsStackProps = {}): App {
  const app = new App({ outdir });
  new CredentialsStack(app, 'credentials', props);
  app.synth();
  return app;
}

if (require.main === module) {
  // `cdktf synth` passes its output directory in CDKTF_OUTDIR; run directly, write next to this file.
  const outdir = process.env.CDKTF_OUTDIR ?? join(__dirname, 'cdktf.out');
  synthesize(outdir);
  process.stdout.write(`synthesized ${join(outdir, 'stacks', 'credentials', 'cdk.tf.json')}\n`);
}

/**
 * The plugin runtime stands alone (it could be its own package): nothing in src/provider/plugin
 * imports from outside it, and a provider's secrets are scrubbed by the redactor it is served with.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProviderDefinition } from '../../../src/provider/framework';
import { KEYFORM_SERVE_OPTIONS } from '../../../src/provider/keyform/serve-options';
import { createLogger } from '../../../src/provider/plugin/logger';
import { ProviderService } from '../../../src/provider/plugin/provider-service';

const PLUGIN = join(__dirname, '../../../src/provider/plugin');

test('no module of the plugin runtime imports from outside its folder', () => {
  const outside = readdirSync(PLUGIN)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...readFileSync(join(PLUGIN, f), 'utf8').matchAll(/from '(\.\.\/[^']*)'|import\('(\.\.\/[^']*)'\)/g)].map((m) => `${f}: ${m[1] ?? m[2]}`));
  expect(outside).toEqual([]);
});

describe('diagnostics leave the service through its redactor', () => {
  const secret = 'fsk_live_4eC39HqLyjWDarjtT1zdp7dc';
  const def: ProviderDefinition<unknown> = {
    schema: { description: 'p', attributes: {} },
    configure: async () => ({}),
    resources: {},
    dataSources: {},
    ephemeralResources: {
      leaky_token: {
        schema: { description: 't', attributes: { v: { type: 'string', optional: true, description: '' } } },
        open: async () => {
          throw new Error(`open failed for ${secret}`);
        },
      },
    },
  };
  it.each([
    { reason: "keyform's redactor scrubs a secret from an error diagnostic", redact: KEYFORM_SERVE_OPTIONS.redact, leaks: false },
    { reason: 'a service without a redactor passes text unchanged (why keyform always passes one)', redact: undefined, leaks: true },
  ])('$reason', async ({ redact, leaks }) => {
    const lines: string[] = [];
    const service = new ProviderService(def, createLogger('test', 'trace', (l) => lines.push(l), redact), redact);
    const res = await service.handle('ValidateDataResourceConfig', { type_name: `missing_${secret}` });
    const open = await service.handle('OpenEphemeralResource', { type_name: 'leaky_token' });
    const out = JSON.stringify([res.diagnostics, open.diagnostics, lines]);
    expect(out.includes(secret)).toBe(leaks);
  });
});

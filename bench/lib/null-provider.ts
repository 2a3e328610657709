/**
 * A do-nothing provider for the plan-cost decomposition (`bench/plan-floor.ts`): it serves two
 * resource types through keyform's own plugin runtime and answers every call from what Terraform
 * sends, with no API, no handler and no validation. Plans over it measure what any provider on this
 * runtime costs, separately from what keyform's handler and API add.
 *
 * - `keyform_null_thin`: the shape of builtin `terraform_data` (`id`, `input`, `output`).
 * - `keyform_null_key`: exactly the shape of `keyform_api_key` (imported, so it cannot drift), without
 *   keyform's own defaults and plan modifiers: computed values are kept from the prior state.
 */
import type { BlockSchema, ProviderDefinition, ResourceDefinition, TfObject, TfValue } from '../../src/provider/framework';
import { UNKNOWN } from '../../src/provider/framework';
import { apiKeyResource } from '../../src/provider/keyform/api-key-resource';

let nextId = 1;
/**
 * Values a created object gets for computed attributes, where `<name>-value` would not fit the type
 * (`last_used_at` stays null, as keyform plans it for a new key).
 */
const FILLED: Record<string, TfValue> = { version: 1, mode: 'test', mid: 'mid_null', last_used_at: null };

/** A schema's shape: its attributes' types and flags, computed values kept on update, no other modifier. */
function shapeOf(block: BlockSchema): BlockSchema {
  return {
    description: block.description,
    attributes: Object.fromEntries(
      Object.entries(block.attributes).map(([name, { type, description, required, optional, computed, sensitive, requiresReplace }]) => [
        name,
        { type, description, required, optional, computed, sensitive, requiresReplace, useStateForUnknown: computed },
      ]),
    ),
    blocks: Object.fromEntries(Object.entries(block.blocks ?? {}).map(([name, b]) => [name, { ...b, block: shapeOf(b.block) }])),
  };
}

function nullResource(schema: BlockSchema): ResourceDefinition<unknown> {
  return {
    version: 0,
    schema: shapeOf(schema),
    async create({ planned }) {
      const state: TfObject = { ...planned };
      for (const [a, v] of Object.entries(state)) if (v === UNKNOWN) state[a] = a in FILLED ? FILLED[a] : `${a}-value`;
      state.id = `null-${process.pid}-${nextId++}`;
      return { state };
    },
    async read({ state }) {
      return { state };
    },
    async update({ prior, planned }) {
      const state: TfObject = { ...planned };
      for (const [a, v] of Object.entries(state)) if (v === UNKNOWN) state[a] = prior[a] ?? null;
      return { state };
    },
    async delete() {},
    async import({ id }) {
      const state: TfObject = Object.fromEntries(Object.keys(schema.attributes).map((a) => [a, null]));
      for (const b of Object.keys(schema.blocks ?? {})) state[b] = null;
      state.id = id;
      return state;
    },
  };
}

/** The do-nothing provider definition. */
export const nullProvider: ProviderDefinition<unknown> = {
  schema: { description: 'Benchmark-only provider that stores nothing.', attributes: {} },
  async configure() {
    return {};
  },
  resources: {
    keyform_null_thin: nullResource(
      {
        description: 'The shape of terraform_data.',
        attributes: {
          id: { type: 'string', computed: true, description: 'Id.' },
          input: { type: 'string', optional: true, description: 'Input.' },
          output: { type: 'string', computed: true, description: 'Output.' },
        },
      }),
    keyform_null_key: nullResource(apiKeyResource.schema),
  },
  dataSources: {},
};

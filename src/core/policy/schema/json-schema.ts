import { z } from 'zod';
import { policySchema } from './policy-schema.js';

export const POLICY_SCHEMA_ID = 'https://eclusa.dev/schema/eclusa.schema.json';

/** The published JSON Schema, generated from the same zod schema the loader validates with. */
export function policyJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(policySchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  });
  return { ...generated, $id: POLICY_SCHEMA_ID, title: 'eclusa release policy' };
}

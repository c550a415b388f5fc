import { policyJsonSchema } from '../../core/policy/schema/json-schema.js';
import type { CliIo } from '../cli-io.js';

/** `eclusa policy schema`: the JSON Schema editors use for eclusa.yaml (JSON either way). */
export function policySchemaCommand(io: CliIo): number {
  io.out(JSON.stringify(policyJsonSchema(), null, 2));
  return 0;
}

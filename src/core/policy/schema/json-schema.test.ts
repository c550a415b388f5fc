import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { policyJsonSchema } from './json-schema.js';

describe('published JSON Schema', () => {
  it('schema/eclusa.schema.json is the one generated from the zod schema (run `npm run schema` after changing it)', () => {
    const published: unknown = JSON.parse(
      readFileSync(new URL('../../../../schema/eclusa.schema.json', import.meta.url), 'utf8'),
    );
    expect(published).toEqual(policyJsonSchema());
  });

  it('describes the top-level sections and forbids unknown keys', () => {
    const schema = policyJsonSchema() as {
      properties: Record<string, unknown>;
      required: string[];
      additionalProperties: unknown;
    };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'version',
        'project',
        'roles',
        'components',
        'checks',
        'environments',
        'analyses',
      ]),
    );
    expect(schema.required).toEqual(
      expect.arrayContaining(['version', 'project', 'components', 'environments']),
    );
    expect(schema.additionalProperties).toBe(false);
  });
});

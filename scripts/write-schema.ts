// Writes schema/eclusa.schema.json from the zod schema: `npm run schema`.
import { writeFileSync } from 'node:fs';
import { policyJsonSchema } from '../src/core/policy/schema/json-schema.js';

const target = new URL('../schema/eclusa.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);

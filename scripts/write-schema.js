// Writes schema/eclusa.schema.json from the zod schema (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { policyJsonSchema } from '../dist/core/policy/schema/json-schema.js';

const target = new URL('../schema/eclusa.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);

// Rewrites the rules section of docs/migration-lint.md from the rule registry:
// `npx tsx scripts/write-migration-lint-docs.ts`. test/docs/migration-lint-doc.test.ts keeps it in sync.
import { readFileSync, writeFileSync } from 'node:fs';
import { format } from 'prettier';
import { withRulesSection } from './migration-lint-rules-doc.js';

const target = new URL('../docs/migration-lint.md', import.meta.url);
const document = withRulesSection(readFileSync(target, 'utf8'));
writeFileSync(target, await format(document, { parser: 'markdown' }));
console.log(`wrote ${target.pathname}`);

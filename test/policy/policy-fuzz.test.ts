import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isNode, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validatePolicyText } from '../../src/core/policy/load-policy.js';
import { buildPlan } from '../../src/core/plan/build-plan.js';
import { seededRandom as random } from '../support/seeded-random.js';
import { VALID_POLICY } from './policy-fixture.js';

const examplesDir = new URL('../../examples/', import.meta.url).pathname;
const corpus: { name: string; text: string }[] = [{ name: 'init-template', text: VALID_POLICY }];
if (existsSync(examplesDir)) {
  for (const entry of readdirSync(examplesDir)) {
    const file = join(examplesDir, entry, 'eclusa.yaml');
    if (existsSync(file)) corpus.push({ name: entry, text: readFileSync(file, 'utf8') });
  }
}

const ODD_VALUES: unknown[] = [
  null,
  0,
  -1,
  101,
  1.5,
  '',
  'x',
  '5m',
  '> 1%',
  true,
  [],
  {},
  ['a'],
  { kind: 'deploy' },
  'env:X',
  'Bearer aaaaaaaaaaaaaaaaaaaa',
  'ñ',
  '../../etc',
  Number.POSITIVE_INFINITY,
];
const TEXT_NOISE = [
  ':',
  '- ',
  '  ',
  '\t',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '#',
  '&a',
  '*a',
  '!!',
  '%',
  '\n',
  '|',
  '>',
  '?',
  '@',
];

/** Collects every node of the document with the path to it. */
function nodes(
  root: unknown,
  path: (string | number)[] = [],
  out: { path: (string | number)[]; node: Node }[] = [],
): typeof out {
  if (isMap(root)) {
    for (const pair of root.items) {
      if (!isScalar(pair.key)) continue;
      const child = [...path, String(pair.key.value)];
      out.push({ path: child, node: pair.value as Node });
      nodes(pair.value, child, out);
    }
  } else if (isSeq(root)) {
    root.items.forEach((item, i) => {
      out.push({ path: [...path, i], node: item as Node });
      nodes(item, [...path, i], out);
    });
  }
  return out;
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

/** One structural or textual mutation of a policy. */
function mutate(text: string, rand: () => number): string {
  const choice = rand();
  if (choice < 0.25) {
    // Text-level: insert, delete or duplicate characters somewhere.
    const at = Math.floor(rand() * text.length);
    const op = rand();
    if (op < 0.4) return text.slice(0, at) + pick(rand, TEXT_NOISE) + text.slice(at);
    if (op < 0.7) return text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 20));
    const lines = text.split('\n');
    const line = Math.floor(rand() * lines.length);
    lines.splice(line, 0, lines[line] ?? '');
    return lines.join('\n');
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return text + pick(rand, TEXT_NOISE);
  const all = nodes(doc.contents);
  if (all.length === 0) return text;
  const target = pick(rand, all);
  const op = rand();
  if (op < 0.3) doc.deleteIn(target.path);
  else if (op < 0.6) doc.setIn(target.path, pick(rand, ODD_VALUES));
  else if (op < 0.75) {
    const parent = target.path.slice(0, -1);
    const last = target.path[target.path.length - 1];
    const moved: unknown = doc.getIn(target.path, true);
    if (typeof last === 'string')
      doc.setIn([...parent, `${last}x`], isNode(moved) ? moved.clone() : moved);
  } else if (op < 0.9) {
    // Copy a value from elsewhere: a reference, a step, a whole environment in the wrong place.
    const source = pick(rand, all);
    const copied: unknown = doc.getIn(source.path, true);
    doc.setIn(target.path, isNode(copied) ? copied.clone() : copied);
  } else {
    const value = doc.getIn(target.path);
    if (typeof value === 'string')
      doc.setIn(target.path, value.slice(0, Math.max(0, value.length - 1)));
  }
  try {
    return doc.toString();
  } catch {
    // Deleting an anchor leaves its aliases unresolved; yaml refuses to print that document.
    return text + pick(rand, TEXT_NOISE);
  }
}

describe('policy loader fuzz (seeded mutations of the init template and every example)', () => {
  // Each case parses, rewrites and validates a whole policy: 2,000 keep the file well under a minute on 2 cores.
  const CASES = 2000;
  it(`never throws on ${CASES} mutated policies: it reports errors or compiles, and plans what compiles`, () => {
    const rand = random(20_261_123);
    let invalid = 0;
    let planned = 0;
    for (let i = 0; i < CASES; i++) {
      const base = corpus[i % corpus.length]!;
      let text = base.text;
      const mutations = 1 + Math.floor(rand() * 3);
      for (let m = 0; m < mutations; m++) text = mutate(text, rand);
      let result;
      try {
        result = validatePolicyText('fuzz.yaml', text);
      } catch (error) {
        throw new Error(
          `case ${i} (${base.name}) threw: ${String(error)}\n--- policy ---\n${text}`,
          { cause: error },
        );
      }
      if (!result.ok) {
        invalid++;
        expect(result.errors.length, `case ${i}`).toBeGreaterThan(0);
        for (const issue of result.errors) {
          expect(issue.line, `case ${i} ${issue.code}`).toBeGreaterThanOrEqual(1);
          expect(issue.column).toBeGreaterThanOrEqual(1);
          expect(issue.code).toMatch(/^[A-Z][A-Z_]+$/);
          expect(issue.message.length).toBeGreaterThan(0);
        }
        continue;
      }
      for (const environment of result.policy.environments) {
        try {
          buildPlan(result.policy, { release: '1.0.0', environment: environment.name });
          planned++;
        } catch (error) {
          throw new Error(
            `case ${i} (${base.name}) compiled but could not be planned for ${environment.name}: ${String(error)}\n${text}`,
            { cause: error },
          );
        }
      }
    }
    // The mutations must actually exercise both paths, or the test proves nothing.
    expect(invalid).toBeGreaterThan(CASES / 4);
    expect(planned).toBeGreaterThan(CASES / 20);
  }, 180_000);
});

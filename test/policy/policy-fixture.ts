import { initTemplate } from '../../src/cli/commands/init-template.js';

/** A valid policy to derive broken ones from: the one `eclusa init` writes. */
export const VALID_POLICY = initTemplate('shop', 'ana');

/** Replaces one exact piece of the valid policy, failing loudly when the piece is not there. */
export function withReplaced(search: string, replacement: string, text = VALID_POLICY): string {
  if (!text.includes(search)) throw new Error(`fixture does not contain ${JSON.stringify(search)}`);
  return text.replace(search, replacement);
}

/** 1-based line number of the first line containing `needle`. */
export function lineOf(text: string, needle: string, occurrence = 1): number {
  let seen = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.includes(needle) && ++seen === occurrence) return i + 1;
  }
  throw new Error(`no line contains ${JSON.stringify(needle)}`);
}

import type { EvidenceFormat } from './evidence-format.js';
import { scanJson } from './scan-json.js';

const BARE_NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Guesses a report's format from its text. Anything that looks like a known format is
 * claimed by it, even when broken, so that its reader explains what is wrong instead of
 * the file being kept silently as an opaque `file`.
 */
export function detectEvidenceFormat(text: string): EvidenceFormat {
  const start = text.trimStart();
  if (start.startsWith('<')) {
    const root = rootElementName(start);
    if (root === 'testsuites' || root === 'testsuite') return 'junit';
    if (root === 'coverage') return 'cobertura';
    return 'file';
  }
  if (start.startsWith('TN:') || start.startsWith('SF:')) return 'lcov';
  if (start.startsWith('{')) {
    const scan = scanJson(text);
    if (scan.kind === 'ok') return scan.keys.has('score') ? 'score' : 'file';
    return text.includes('"score"') ? 'score' : 'file';
  }
  // A bare `0.86` is someone's attempt at a score: its reader says how to write one.
  if (BARE_NUMBER.test(start.trimEnd())) return 'score';
  return 'file';
}

/**
 * The document element's name, found by stepping over the prolog (declaration,
 * comments, DOCTYPE); the readers parse the whole document properly later.
 */
function rootElementName(text: string): string | undefined {
  let at = text.indexOf('<');
  while (at !== -1) {
    if (text.startsWith('<?', at)) {
      at = after(text, '?>', at);
    } else if (text.startsWith('<!--', at)) {
      at = after(text, '-->', at);
    } else if (text.startsWith('<!', at)) {
      const close = text.indexOf('>', at);
      const subset = text.indexOf('[', at);
      // A DOCTYPE's internal subset holds declarations that end in `>` too.
      at = subset !== -1 && subset < close ? after(text, '>', text.indexOf(']', subset)) : close;
    } else {
      let end = at + 1;
      while (end < text.length && !' \t\r\n/>'.includes(text.charAt(end))) end += 1;
      return text.slice(at + 1, end);
    }
    at = at === -1 ? -1 : text.indexOf('<', at);
  }
  return undefined;
}

function after(text: string, token: string, from: number): number {
  if (from === -1) return -1;
  const found = text.indexOf(token, from);
  return found === -1 ? -1 : found + token.length;
}

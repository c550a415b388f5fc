import {
  LineCounter,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';
import type { PolicyIssue, PolicyPath } from './policy-issue.js';

/** A parsed policy file that still knows where every value came from. */
export interface PolicySource {
  readonly file: string;
  readonly data: unknown;
  readonly syntaxIssues: readonly PolicyIssue[];
  /** Line and column (1-based) of the value at `path`, or of its key with `at: 'key'`. */
  locate(path: PolicyPath, at?: 'key' | 'value'): { line: number; column: number };
  /** The file the value at `path` comes from, when a profile overlay is merged in. */
  fileAt?(path: PolicyPath): string;
}

const YAML_CODES: Record<string, { code: string; hint: string }> = {
  DUPLICATE_KEY: { code: 'DUPLICATE_KEY', hint: 'remove or rename one of the two keys' },
  BAD_INDENT: { code: 'YAML_SYNTAX', hint: 'align this line with its siblings (spaces, not tabs)' },
  TAB_AS_INDENT: { code: 'YAML_SYNTAX', hint: 'indent with spaces; YAML forbids tabs' },
};

export function parsePolicySource(file: string, text: string): PolicySource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  // After the first plain syntax error the parser reads the rest of the file out of step
  // and reports nearly every token after it (a `{` inside a flow map gives over a hundred):
  // those are kept out, and counted in the first one's message.
  const firstSyntax = doc.errors.find((error) => YAML_CODES[error.code] === undefined);
  const cascade = doc.errors.filter(
    (error) =>
      error !== firstSyntax &&
      firstSyntax !== undefined &&
      YAML_CODES[error.code] === undefined &&
      error.pos[0] >= firstSyntax.pos[0],
  );
  const reported = [...doc.errors, ...doc.warnings].filter((error) => !cascade.includes(error));
  const syntaxIssues: PolicyIssue[] = reported.map((error) => {
    const known = YAML_CODES[error.code];
    const { line, column } = position(error.pos[0]);
    const firstLine = error.message.split('\n')[0] ?? error.message;
    return {
      severity: doc.errors.includes(error) ? 'error' : 'warning',
      file,
      line,
      column,
      code: known?.code ?? 'YAML_SYNTAX',
      message: `YAML: ${firstLine.replace(/ at line \d+, column \d+:?$/, '')}${
        error === firstSyntax && cascade.length > 0
          ? ` (${cascade.length} later syntax error${cascade.length === 1 ? '' : 's'} not shown: they follow from this one)`
          : ''
      }`,
      hint:
        known?.hint ??
        (/flow-map|flow-seq/.test(error.message)
          ? 'a "{" or "[" inside a value starts a map or list: quote the value, e.g. "shop-{environment}"'
          : 'fix the YAML syntax at this position (quote values that contain ": " or "#")'),
      path: '(document)',
    } satisfies PolicyIssue;
  });

  let data: unknown;
  if (syntaxIssues.every((issue) => issue.severity !== 'error')) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // yaml throws for alias bombs and unresolvable aliases; report them like syntax errors.
      syntaxIssues.push({
        severity: 'error',
        file,
        line: 1,
        column: 1,
        code: 'YAML_SYNTAX',
        message: `YAML: ${error instanceof Error ? error.message : String(error)}`,
        hint: 'use fewer or simpler anchors and aliases',
        path: '(document)',
      });
    }
  }

  function locate(
    path: PolicyPath,
    at: 'key' | 'value' = 'value',
  ): { line: number; column: number } {
    let node: unknown = doc.contents;
    let best = 0;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(
          (item) =>
            isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) break;
        const keyNode = pair.key as Node;
        best = keyNode.range?.[0] ?? best;
        if (last && at === 'key') return position(best);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item: unknown = node.items[segment];
        if (item === undefined) break;
        node = item;
      } else {
        break;
      }
      const range = (node as Node | null)?.range;
      if (range) best = range[0];
    }
    return position(best);
  }

  return { file, data, syntaxIssues, locate };
}

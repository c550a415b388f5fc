import type { LintFinding, LintReport, SuppressedFinding } from './lint-finding.js';
import type { LintRule } from './lint-rule.js';
import { LINT_RULES } from './rule-registry.js';

/*
 * SARIF 2.1.0 (OASIS), the format code-scanning UIs read: one run, the rules with their
 * documentation, one result per finding. Suppressed findings are results too, marked
 * `inSource` with the written reason, so the exception stays visible in review.
 */

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

function pascal(id: string): string {
  return id.replace(/(^|-)(\w)/g, (_, _dash: string, letter: string) => letter.toUpperCase());
}

function ruleDescriptor(rule: LintRule) {
  return {
    id: rule.id,
    name: pascal(rule.id),
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.why },
    help: {
      text: `${rule.why}\nSafe rewrite: ${rule.fix}`,
      markdown: `${rule.why}\n\n**Safe rewrite:** ${rule.fix}\n\nSee docs/migration-lint.md#${rule.id}.`,
    },
    defaultConfiguration: { level: rule.severity },
    properties: { tags: ['postgresql', 'migrations'] },
  };
}

/** A relative path as a URI reference against the checkout (`%SRCROOT%`); absolute as file:. */
function location(file: string) {
  const posix = file.replace(/\\/g, '/');
  const artifactLocation = posix.startsWith('/')
    ? { uri: `file://${encodeURI(posix)}` }
    : { uri: encodeURI(posix.replace(/^\.\//, '')), uriBaseId: '%SRCROOT%' };
  return artifactLocation;
}

function result(finding: LintFinding, suppression?: SuppressedFinding) {
  return {
    ruleId: finding.rule,
    ruleIndex: LINT_RULES.findIndex((rule) => rule.id === finding.rule),
    level: finding.severity,
    message: { text: `${finding.message}. Safe rewrite: ${finding.fix}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: location(finding.file),
          region: { startLine: finding.line, startColumn: finding.column },
        },
      },
    ],
    ...(suppression
      ? { suppressions: [{ kind: 'inSource', justification: suppression.reason }] }
      : {}),
  };
}

/** The report as a SARIF 2.1.0 log; `version` is eclusa's. */
export function toSarif(report: LintReport, version: string): Record<string, unknown> {
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'eclusa',
            semanticVersion: version,
            rules: LINT_RULES.map(ruleDescriptor),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: [
          ...report.findings.map((finding) => result(finding)),
          ...report.suppressed.map((finding) => result(finding, finding)),
        ],
      },
    ],
  };
}

import {
  countAttribute,
  readXmlDocument,
  type XmlDocument,
  type XmlElement,
} from './xml-document.js';

/** Counts of `<testcase>` elements: a test with both a failure and an error counts in both. */
export type JunitSummary = {
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
  readonly passed: number;
};

type Counts = { -readonly [K in keyof JunitSummary]: number };

/** The suite attributes that claim counts; each one present is checked against the test cases. */
const CLAIMED = ['tests', 'failures', 'errors', 'skipped'] as const;

const MISMATCH_HINT =
  "a suite's counts disagree with its test cases, so the file was edited or its writer is broken; upload the report as the test runner wrote it";

/**
 * Reads a JUnit report with either root: `<testsuites>` (pytest ≥ 5.1, jest-junit, Gradle
 * aggregates) or a single `<testsuite>` (Surefire, older pytest). Suites may nest.
 */
export function parseJunitReport(fileName: string, text: string): JunitSummary {
  const document = readXmlDocument(fileName, 'junit', text);
  const { root } = document;
  if (root.name !== 'testsuites' && root.name !== 'testsuite') {
    throw document.errorAt(
      root,
      `the root element is <${root.name}>, not <testsuites> or <testsuite>`,
    );
  }
  return countSuite(document, root);
}

function countSuite(document: XmlDocument, suite: XmlElement): Counts {
  const counts: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0, passed: 0 };
  for (const child of suite.children) {
    if (child.name === 'testsuite' || child.name === 'testsuites') {
      addTo(counts, countSuite(document, child));
    } else if (child.name === 'testcase') {
      addTo(counts, countCase(child));
    }
  }
  crossCheck(document, suite, counts);
  return counts;
}

// Only these three children decide an outcome: Surefire's <flakyFailure> and
// <rerunFailure> record reruns of a test whose final outcome is told by the others.
function countCase(testcase: XmlElement): Counts {
  const has = (name: string): boolean => testcase.children.some((child) => child.name === name);
  const failed = has('failure');
  const errored = has('error');
  const skipped = has('skipped');
  return {
    tests: 1,
    failures: failed ? 1 : 0,
    errors: errored ? 1 : 0,
    skipped: skipped ? 1 : 0,
    passed: failed || errored || skipped ? 0 : 1,
  };
}

function crossCheck(document: XmlDocument, suite: XmlElement, counts: Counts): void {
  const mismatches: string[] = [];
  for (const name of CLAIMED) {
    const claimed = countAttribute(document, suite, name);
    if (claimed !== undefined && claimed !== counts[name]) {
      mismatches.push(`${name}="${claimed}" but its test cases show ${counts[name]}`);
    }
  }
  if (mismatches.length === 0) return;
  const label = suite.attributes['name'] === undefined ? '' : ` name="${suite.attributes['name']}"`;
  throw document.errorAt(
    suite,
    `<${suite.name}${label}> says ${mismatches.join('; ')}`,
    MISMATCH_HINT,
  );
}

function addTo(total: Counts, part: Counts): void {
  total.tests += part.tests;
  total.failures += part.failures;
  total.errors += part.errors;
  total.skipped += part.skipped;
  total.passed += part.passed;
}

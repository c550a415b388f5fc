import type { z } from 'zod';
import type { verificationSchema } from '../policy/schema/verification.js';
import { evaluateJsonPath, jsonEquals, type JsonPathStep } from './json-path.js';

type HttpCheck = Extract<z.output<typeof verificationSchema>, { type: 'http' }>;
export type HttpExpectation = NonNullable<HttpCheck['expect']>;

/** `expect` with its JSON path already parsed (once, before the first attempt). */
export interface CompiledExpectation {
  readonly statuses?: readonly number[];
  readonly bodyContains?: string;
  readonly json?: {
    readonly path: string;
    readonly steps: readonly JsonPathStep[];
    readonly equals?: unknown;
    readonly hasEquals: boolean;
  };
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

/** Whether an answer meets the expectation, in one sentence: "200 in 12 ms, $.status = "ok"". */
export function judgeResponse(
  expectation: CompiledExpectation,
  response: { readonly status: number; readonly body: string },
  elapsedMs: number,
): { ok: boolean; detail: string } {
  const head = `${response.status} in ${elapsedMs} ms`;
  const statuses = expectation.statuses;
  const statusOk =
    statuses === undefined
      ? response.status >= 200 && response.status < 300
      : statuses.includes(response.status);
  if (!statusOk) {
    const wanted = statuses === undefined ? 'a 2xx status' : statuses.join(' or ');
    return { ok: false, detail: `${head}, expected ${wanted}` };
  }
  const found: string[] = [];
  if (expectation.bodyContains !== undefined) {
    if (!response.body.includes(expectation.bodyContains))
      return {
        ok: false,
        detail: `${head}, but the body does not contain ${show(expectation.bodyContains)}`,
      };
    found.push(`body contains ${show(expectation.bodyContains)}`);
  }
  const json = expectation.json;
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.body);
    } catch {
      return { ok: false, detail: `${head}, but the body is not JSON` };
    }
    const at = evaluateJsonPath(parsed, json.steps);
    if (!at.found) return { ok: false, detail: `${head}, but ${json.path} is missing` };
    if (json.hasEquals && !jsonEquals(at.value, json.equals))
      return {
        ok: false,
        detail: `${head}, but ${json.path} is ${show(at.value)}, expected ${show(json.equals)}`,
      };
    found.push(`${json.path} = ${show(at.value)}`);
  }
  return { ok: true, detail: [head, ...found].join(', ') };
}

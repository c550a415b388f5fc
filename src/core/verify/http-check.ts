import type { CompiledExpectation } from './http-expectation.js';
import { judgeResponse } from './http-expectation.js';
import { bodyExcerpt, exchange, withContentType, type Exchange } from './http-exchange.js';
import { evaluateJsonPath, parseJsonPath, type JsonPathStep } from './json-path.js';
import type { AttemptContext, AttemptResult } from './retry-loop.js';
import {
  resolveRecord,
  resolveText,
  type CheckContext,
  type VerificationDocument,
} from './verification-context.js';

type HttpCheck = Extract<VerificationDocument, { type: 'http' }>;
type Login = NonNullable<HttpCheck['login']>;

interface PreparedLogin {
  readonly request: Exchange;
  readonly tokenPath: string;
  readonly steps: readonly JsonPathStep[];
  readonly header?: string;
}

/**
 * Resolves everything an HTTP check needs once, before the first attempt (a missing secret
 * or a bad JSON path is invalid input, not something to retry), and returns its attempt.
 */
export function prepareHttpCheck(
  check: HttpCheck,
  context: CheckContext,
): (attempt: AttemptContext) => Promise<AttemptResult> {
  const { field } = context;
  const body =
    check.body === undefined ? undefined : resolveText(context, check.body, `${field}.body`);
  const request: Exchange = {
    method: check.method ?? 'GET',
    url: resolveText(context, check.url, `${field}.url`),
    headers: withContentType(resolveRecord(context, check.headers, `${field}.headers`), body),
    ...(body === undefined ? {} : { body }),
  };
  const json = check.expect?.json;
  const expectation: CompiledExpectation = {
    ...(check.expect?.status === undefined
      ? {}
      : {
          statuses: Array.isArray(check.expect.status)
            ? check.expect.status
            : [check.expect.status],
        }),
    ...(check.expect?.bodyContains === undefined
      ? {}
      : { bodyContains: check.expect.bodyContains }),
    ...(json === undefined
      ? {}
      : {
          json: {
            path: json.path,
            steps: parseJsonPath(json.path, `${field}.expect.json.path`),
            equals: json.equals,
            hasEquals: 'equals' in json && json.equals !== undefined,
          },
        }),
  };
  const login = check.login === undefined ? undefined : prepareLogin(check.login, context);

  return async (attempt) => {
    let headers = request.headers;
    if (login !== undefined) {
      const token = await logIn(login, context, attempt);
      if (typeof token !== 'string') return token;
      headers = {
        ...headers,
        ...(login.header === undefined
          ? { authorization: `Bearer ${token}` }
          : { [login.header]: token }),
      };
    }
    const answer = await exchange(context, attempt, { ...request, headers });
    if ('failure' in answer) return { ok: false, detail: answer.failure };
    const judged = judgeResponse(expectation, answer.response, answer.elapsedMs);
    return {
      ok: judged.ok,
      detail: context.redact(judged.detail),
      status: answer.response.status,
      output: bodyExcerpt(context, answer.response.body),
    };
  };
}

function prepareLogin(login: Login, context: CheckContext): PreparedLogin {
  const field = `${context.field}.login`;
  const body =
    login.body === undefined
      ? undefined
      : JSON.stringify(resolveRecord(context, login.body, `${field}.body`));
  return {
    request: {
      method: login.method ?? 'POST',
      url: resolveText(context, login.url, `${field}.url`),
      headers: withContentType({ accept: 'application/json' }, body),
      ...(body === undefined ? {} : { body }),
    },
    tokenPath: login.tokenPath,
    steps: parseJsonPath(login.tokenPath, `${field}.tokenPath`),
    ...(login.header === undefined ? {} : { header: login.header }),
  };
}

/** The token of a fresh login, or the failed attempt saying why there is none. */
async function logIn(
  login: PreparedLogin,
  context: CheckContext,
  attempt: AttemptContext,
): Promise<string | AttemptResult> {
  const answer = await exchange(context, attempt, login.request);
  if ('failure' in answer) return { ok: false, detail: `login: ${answer.failure}` };
  const { status, body } = answer.response;
  const where = `${login.request.method} ${context.redact(login.request.url)}`;
  if (status < 200 || status >= 300)
    return { ok: false, status, detail: `login at ${where} answered ${status}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, status, detail: `login at ${where} answered ${status}, but not with JSON` };
  }
  const token = evaluateJsonPath(parsed, login.steps);
  const value =
    token.found && (typeof token.value === 'string' || typeof token.value === 'number')
      ? String(token.value)
      : '';
  if (value === '')
    return {
      ok: false,
      status,
      detail: `login at ${where} answered ${status} without a token at ${login.tokenPath}`,
    };
  context.hide(value);
  return value;
}

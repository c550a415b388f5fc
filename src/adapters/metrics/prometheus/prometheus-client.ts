import { inconclusive, type Inconclusive } from '../../../core/analysis/metrics-source.js';
import { fetchText } from '../http/fetch-text.js';

/** One sample of an instant query: its labels (with `__name__`) and value. */
export interface PromSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export type PromResult =
  | { readonly kind: 'vector'; readonly samples: readonly PromSample[] }
  | { readonly kind: 'scalar'; readonly value: number };

/**
 * A thin client of Prometheus' HTTP API (`/api/v1/query`), the only call the sources need.
 * Credentials in the URL go into an Authorization header and never into a message.
 */
export class PrometheusClient {
  readonly #endpoint: string;
  readonly #authorization: string | undefined;
  readonly #timeoutMs: number;
  /** The URL as messages may show it: no user, no password. */
  readonly where: string;

  constructor(url: string, timeoutMs: number) {
    const parsed = new URL(url);
    this.#authorization =
      parsed.username || parsed.password
        ? `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`
        : undefined;
    parsed.username = '';
    parsed.password = '';
    this.where = parsed.toString().replace(/\/$/, '');
    this.#endpoint = `${this.where}/api/v1/query`;
    this.#timeoutMs = timeoutMs;
  }

  async query(expression: string, signal?: AbortSignal): Promise<PromResult | Inconclusive> {
    const fetched = await fetchText(
      this.#endpoint,
      `Prometheus at ${this.where}`,
      this.#timeoutMs,
      signal,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(this.#authorization ? { authorization: this.#authorization } : {}),
        },
        body: new URLSearchParams({ query: expression }).toString(),
      },
    );
    if (fetched.kind === 'inconclusive') return fetched;
    let body: ApiAnswer;
    try {
      body = JSON.parse(fetched.body) as ApiAnswer;
    } catch {
      return inconclusive(
        'GARBAGE',
        `Prometheus at ${this.where} answered HTTP ${fetched.status} with something that is not its API's JSON`,
      );
    }
    if (body.status === 'error') {
      // bad_data is the query's own fault (syntax, types): waiting will not fix it.
      const code = body.errorType === 'bad_data' ? 'QUERY_INVALID' : 'FAILED';
      return inconclusive(
        code,
        `Prometheus: ${body.errorType ?? 'error'}: ${body.error ?? 'no message'}`,
      );
    }
    if (fetched.status !== 200 || body.status !== 'success' || !body.data) {
      return inconclusive(
        'GARBAGE',
        `Prometheus at ${this.where} answered HTTP ${fetched.status} without data`,
      );
    }
    const { resultType, result } = body.data;
    if (resultType === 'scalar' && Array.isArray(result)) {
      return { kind: 'scalar', value: Number(result[1]) };
    }
    if (resultType === 'vector' && Array.isArray(result)) {
      const samples = (result as VectorItem[]).map((item) => ({
        labels: item.metric ?? {},
        value: Number(item.value?.[1]),
      }));
      return { kind: 'vector', samples };
    }
    return inconclusive(
      'QUERY_INVALID',
      `Prometheus returned a ${String(resultType)}; the query must give one number`,
    );
  }
}

interface VectorItem {
  readonly metric?: Record<string, string>;
  readonly value?: [number, string];
}

interface ApiAnswer {
  readonly status?: string;
  readonly errorType?: string;
  readonly error?: string;
  readonly data?: { readonly resultType?: string; readonly result?: unknown };
}

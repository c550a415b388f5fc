/** The HttpClient port: one HTTP exchange for a verification, its body read up to a bound. */
export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Aborts the exchange (a verification's deadline, a cancelled deployment). */
  readonly signal: AbortSignal;
  /** Bytes of the body kept; the rest is not read. */
  readonly maxBodyBytes: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
  /** The body was longer than `maxBodyBytes` and was cut. */
  readonly truncated: boolean;
}

export interface HttpClient {
  /**
   * Resolves with any HTTP answer, whatever its status; rejects when there is none: an
   * Error whose message says why in a few words ("connection refused"), or the signal's
   * reason when it aborted.
   */
  request(request: HttpRequest): Promise<HttpResponse>;
}

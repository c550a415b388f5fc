/** The fault knobs a running app may change through `POST /fault` (with `FAULT_CONTROL=on`). */
export interface Faults {
  /** Fraction (0..1) of requests to `/` and `/api/*` answered 500. */
  errorRate: number;
  /** Latency added to each request to `/` and `/api/*`. */
  latencyMs: number;
}

export type FaultChange =
  | { readonly kind: 'valid'; readonly faults: Faults }
  | { readonly kind: 'invalid'; readonly errors: readonly string[] };

/**
 * Reads a `POST /fault` body — `{"errorRate": 0.3}`, `{"latencyMs": 200}` or both — into the
 * knobs that follow; a field left out keeps its value. Every invalid field is named at once.
 */
export function parseFaultChange(body: string, current: Faults): FaultChange {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return { kind: 'invalid', errors: ['the body must be a JSON object'] };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { kind: 'invalid', errors: ['the body must be a JSON object'] };
  const errors: string[] = [];
  const next = { ...current };
  for (const [key, value] of Object.entries(data)) {
    if (key === 'errorRate') {
      if (typeof value === 'number' && value >= 0 && value <= 1) next.errorRate = value;
      else errors.push(`errorRate must be a number from 0 to 1, got ${JSON.stringify(value)}`);
    } else if (key === 'latencyMs') {
      if (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 600_000)
        next.latencyMs = value as number;
      else
        errors.push(`latencyMs must be an integer from 0 to 600000, got ${JSON.stringify(value)}`);
    } else {
      errors.push(`unknown field ${JSON.stringify(key)}: use errorRate or latencyMs`);
    }
  }
  return errors.length > 0 ? { kind: 'invalid', errors } : { kind: 'valid', faults: next };
}

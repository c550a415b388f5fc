/** How many copies run each side of a canary by instance count. */
export interface InstanceSplit {
  readonly canary: number;
  readonly stable: number;
}

/**
 * The copies each side runs for a traffic `weight` (0–100) of a component that runs `total`
 * copies, when the share of traffic is the share of copies (a Service in front of replicas).
 * Like Argo Rollouts without a traffic router: the canary's count is rounded up, so any
 * weight above 0 runs at least one canary copy; below 100 the stable side keeps the rest,
 * and at least one copy — with a single copy in all, the canary runs beside it (50 %).
 */
export function instanceSplit(total: number, weight: number): InstanceSplit {
  if (total <= 0) return { canary: 0, stable: 0 };
  if (weight <= 0) return { canary: 0, stable: total };
  if (weight >= 100) return { canary: total, stable: 0 };
  const canary = Math.min(Math.ceil((total * weight) / 100), total);
  return { canary, stable: Math.max(total - canary, 1) };
}

/** The share of traffic the canary gets with this split, in whole per cent. */
export function instanceShare(split: InstanceSplit): number {
  const all = split.canary + split.stable;
  return all === 0 ? 0 : Math.round((split.canary / all) * 100);
}

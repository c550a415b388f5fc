import type { PolicyRule } from './rule-context.js';

/** Promotion must form chains: following `from` links never comes back to where it started. */
export const promotionRule: PolicyRule = (policy, context) => {
  const from = new Map(policy.environments.map((e) => [e.name, e.promotionFrom]));
  const reported = new Set<string>();
  for (const environment of policy.environments) {
    const chain = [environment.name];
    let current = environment.promotionFrom;
    while (current !== undefined && from.has(current)) {
      if (chain.includes(current)) {
        const cycle = [...chain.slice(chain.indexOf(current)), current];
        const key = [...new Set(cycle)].sort().join(',');
        if (!reported.has(key) && current === environment.name) {
          reported.add(key);
          context.error(
            [...environment.source, 'promotion', 'from'],
            'PROMOTION_CYCLE',
            `promotion loops: ${cycle.join(' → ')}`,
            'a release must enter the chain somewhere: let the first environment promote from none',
          );
        }
        break;
      }
      chain.push(current);
      current = from.get(current);
    }
  }
  if (policy.environments.length > 1 && policy.environments.every((e) => e.tier !== 'production')) {
    context.warning(
      ['environments'],
      'NO_PRODUCTION',
      'no environment has tier: production',
      'mark the environment customers use as tier: production so its stricter rules apply',
    );
  }
};

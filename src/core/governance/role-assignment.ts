/**
 * Assigns people to roles so that each role gets a different person: a bipartite matching
 * by augmenting paths. Quorums are a handful of roles, so the simple algorithm is plenty.
 * Returns role index → person for every role that could be filled.
 */
export function assignRoles(candidates: readonly (readonly string[])[]): Map<number, string> {
  const roleOf = new Map<string, number>();
  const tryRole = (role: number, seen: Set<string>): boolean => {
    for (const person of candidates[role] ?? []) {
      if (seen.has(person)) continue;
      seen.add(person);
      const holder = roleOf.get(person);
      if (holder === undefined || tryRole(holder, seen)) {
        roleOf.set(person, role);
        return true;
      }
    }
    return false;
  };
  candidates.forEach((_, role) => tryRole(role, new Set()));
  return new Map([...roleOf].map(([person, role]) => [role, person]));
}

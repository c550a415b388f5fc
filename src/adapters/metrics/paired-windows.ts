import {
  inconclusive,
  type Inconclusive,
  type MetricsSide,
  type SideReading,
} from '../../core/analysis/metrics-source.js';

/**
 * Remembers each side's previous snapshot and turns new ones into windows — only when
 * every side was read, so the canary's and the stable's windows always cover the same span
 * (the comparison needs it) and a side read alone is never counted twice.
 */
export class PairedWindows<Snapshot> {
  readonly #previous = new Map<string, Snapshot>();
  readonly #between: (before: Snapshot, after: Snapshot) => SideReading;

  constructor(between: (before: Snapshot, after: Snapshot) => SideReading) {
    this.#between = between;
  }

  /** One reading per side, in the order given. */
  advance(
    sides: readonly {
      readonly side: MetricsSide;
      readonly role: string;
      readonly read: Snapshot | Inconclusive;
    }[],
  ): SideReading[] {
    const failed = sides.find(({ read }) => isInconclusive(read));
    if (failed) {
      const cause = failed.read as Inconclusive;
      return sides.map(({ read }) =>
        isInconclusive(read)
          ? read
          : inconclusive(
              cause.code,
              `not measured alone while the ${failed.role} side fails: ${cause.reason}`,
            ),
      );
    }
    return sides.map(({ side, read }) => {
      const snapshot = read as Snapshot;
      const key = sideKey(side);
      const before = this.#previous.get(key);
      this.#previous.set(key, snapshot);
      return before === undefined
        ? inconclusive('NO_WINDOW_YET', 'first reading of this side: its window starts now')
        : this.#between(before, snapshot);
    });
  }

  clear(): void {
    this.#previous.clear();
  }
}

function isInconclusive(read: unknown): read is Inconclusive {
  return (
    typeof read === 'object' &&
    read !== null &&
    (read as { kind?: unknown }).kind === 'inconclusive'
  );
}

export function sideKey(side: MetricsSide): string {
  const where = side.endpoint ? `${side.endpoint.host}:${side.endpoint.port}` : '';
  return `${side.id}|${side.version}|${where}|${side.server ?? ''}`;
}

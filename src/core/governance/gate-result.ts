/** One gate's verdict: `pending` can still turn to pass by itself (a report, an approval, time). */
export type GateStatus = 'pass' | 'fail' | 'waived' | 'pending';

export interface GateResult {
  /** Stable name, used by waivers: `check:coverage`, `promotion`, `approvals`, `window` … */
  readonly name: string;
  readonly status: GateStatus;
  readonly reason: string;
  readonly waiver?: {
    readonly id: string;
    readonly approvedBy: string;
    readonly justification: string;
    readonly risk: string;
  };
}

/** Gates that can never be waived: four-eyes and an open blocker (a leaked credential) stay absolute. */
export const UNWAIVABLE_GATES: readonly string[] = ['approvals', 'blockers'];

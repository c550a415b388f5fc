import type { TargetEndpoint } from '../target/target.js';

/** A version running in one slot of a component. */
export interface SlotState {
  readonly version: string;
  readonly release: string;
  readonly endpoint?: TargetEndpoint;
  readonly deploymentId: string;
  readonly startedAt: string;
}

/** What runs of one component in an environment, and which slot takes the traffic. */
export interface ComponentState {
  readonly slots: Readonly<Record<string, SlotState>>;
  /** The slot the router sends traffic to (the stable side). */
  readonly live?: string;
  /** The slot that was live before the last switch, kept warm for an instant switch back. */
  readonly previous?: string;
  /** When the previous slot is stopped (the blue/green keep-warm time). */
  readonly retireAt?: string;
}

/** The engine's view of an environment, persisted with a revision (EnvironmentStateRecord). */
export interface EnvironmentState {
  readonly components: Readonly<Record<string, ComponentState>>;
  readonly maintenance?: { readonly message: string; readonly since: string };
  /** Flag values set by `flag` steps, per flag. */
  readonly flags?: Readonly<Record<string, unknown>>;
}

export const EMPTY_ENVIRONMENT: EnvironmentState = { components: {} };

export function componentState(state: EnvironmentState, component: string): ComponentState {
  return state.components[component] ?? { slots: {} };
}

export function withComponent(
  state: EnvironmentState,
  component: string,
  change: (current: ComponentState) => ComponentState,
): EnvironmentState {
  return {
    ...state,
    components: { ...state.components, [component]: change(componentState(state, component)) },
  };
}

/** The component's `slot` takes the traffic again, with no previous slot kept for retiring. */
export function liveAgain(current: ComponentState, slot: string): ComponentState {
  const { retireAt: _r, previous: _p, ...rest } = current;
  return { ...rest, live: slot };
}

/** The slot a new version goes to: the one that is not live (blue/green), or `main` for recreate. */
export function slotForNewVersion(current: ComponentState, sideBySide: boolean): string {
  if (!sideBySide) return 'main';
  return current.live === 'blue' ? 'green' : 'blue';
}

import type { KubeDeployment, KubeService } from './kube-client.js';

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_COMPONENT = 'eclusa.dev/component';
export const LABEL_ENVIRONMENT = 'eclusa.dev/environment';
export const LABEL_SLOT = 'eclusa.dev/slot';
export const ANNOTATION_VERSION = 'eclusa.dev/version';
export const ANNOTATION_RELEASE = 'eclusa.dev/release';
export const ANNOTATION_DIGEST = 'eclusa.dev/digest';
/** On the team's own Deployment once eclusa has taken over: the copies it ran before. */
export const ANNOTATION_REPLICAS = 'eclusa.dev/replicas';

/** The Deployment that runs one slot: `<deployment>-<slot>`. */
export function slotDeploymentName(deployment: string, slot: string): string {
  return `${deployment}-${slot}`;
}

export interface SlotSpec {
  readonly component: string;
  readonly environment: string;
  readonly slot: string;
  readonly version: string;
  readonly release: string;
  readonly digest?: string;
  readonly image: string;
  /** The container whose image is the component's; absent: the first. */
  readonly container?: string;
  readonly replicas: number;
}

/**
 * The slot's Deployment, made from the team's own (the template): the same pod spec with the
 * release's image in the component's container, the same pod labels — so the Service that
 * selects the template's pods selects every slot's — plus `eclusa.dev/slot` in the selector,
 * so two slots' Deployments never claim each other's pods.
 */
export function slotManifest(template: KubeDeployment, spec: SlotSpec): KubeDeployment {
  const podTemplate = template.spec.template;
  const containers = podTemplate.spec.containers;
  const index =
    spec.container === undefined ? 0 : containers.findIndex((c) => c.name === spec.container);
  const slotLabels = {
    [MANAGED_BY]: 'eclusa',
    [LABEL_COMPONENT]: spec.component,
    [LABEL_ENVIRONMENT]: spec.environment,
    [LABEL_SLOT]: spec.slot,
  };
  const annotations = {
    [ANNOTATION_VERSION]: spec.version,
    [ANNOTATION_RELEASE]: spec.release,
    ...(spec.digest === undefined ? {} : { [ANNOTATION_DIGEST]: spec.digest }),
  };
  const { replicas: _replicas, selector, template: _template, ...rest } = template.spec;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: slotDeploymentName(template.metadata.name, spec.slot),
      ...(template.metadata.namespace ? { namespace: template.metadata.namespace } : {}),
      labels: { ...(template.metadata.labels ?? {}), ...slotLabels },
      annotations,
    },
    spec: {
      ...rest,
      replicas: spec.replicas,
      selector: {
        ...selector,
        matchLabels: { ...(selector.matchLabels ?? {}), [LABEL_SLOT]: spec.slot },
      },
      template: {
        metadata: {
          ...(podTemplate.metadata ?? {}),
          labels: { ...(podTemplate.metadata?.labels ?? {}), ...slotLabels },
          annotations: { ...(podTemplate.metadata?.annotations ?? {}), ...annotations },
        },
        spec: {
          ...podTemplate.spec,
          containers: containers.map((c, i) => (i === index ? { ...c, image: spec.image } : c)),
        },
      },
    },
  };
}

/**
 * The ClusterIP Service `<deployment>-<slot>` that selects only that slot's pods: what a
 * router inside the cluster sends the slot's share of traffic to.
 */
export function slotService(
  deployment: KubeDeployment,
  spec: Pick<SlotSpec, 'component' | 'environment' | 'slot'>,
  port: number,
): KubeService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: deployment.metadata.name,
      labels: {
        [MANAGED_BY]: 'eclusa',
        [LABEL_COMPONENT]: spec.component,
        [LABEL_ENVIRONMENT]: spec.environment,
        [LABEL_SLOT]: spec.slot,
      },
    },
    spec: {
      selector: { ...(deployment.spec.selector.matchLabels ?? {}) },
      ports: [{ port, targetPort: port }],
    },
  };
}

/** The container the policy names is missing from the template; undefined when fine. */
export function missingContainer(template: KubeDeployment, container: string | undefined) {
  const names = template.spec.template.spec.containers.map((c) => c.name);
  if (names.length === 0) return 'the template has no containers';
  if (container !== undefined && !names.includes(container))
    return `the template has no container "${container}" (it has ${names.join(', ')})`;
  return undefined;
}

export type RolloutState =
  | { readonly kind: 'ready' }
  | { readonly kind: 'progressing'; readonly ready: number; readonly wanted: number }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * Where a Deployment's rollout stands, by the rules `kubectl rollout status` applies: the
 * controller has seen the latest spec, every copy runs the latest template and is available,
 * and no old copy is left; failed once its progress deadline is exceeded.
 */
export function rolloutState(deployment: KubeDeployment): RolloutState {
  const status = deployment.status ?? {};
  const wanted = deployment.spec.replicas ?? 1;
  const ready = status.availableReplicas ?? 0;
  const stalled = (status.conditions ?? []).find(
    (c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
  );
  const generation = deployment.metadata.generation ?? 0;
  const observed = status.observedGeneration ?? -1;
  if (observed >= generation && stalled) {
    return {
      kind: 'failed',
      reason: `rollout stalled: ${stalled.message ?? 'progress deadline exceeded'}`,
    };
  }
  if (
    observed < generation ||
    (status.updatedReplicas ?? 0) < wanted ||
    (status.replicas ?? 0) > (status.updatedReplicas ?? 0) ||
    ready < (status.updatedReplicas ?? 0)
  ) {
    return { kind: 'progressing', ready, wanted };
  }
  return { kind: 'ready' };
}

import { setTimeout as delay } from 'node:timers/promises';
import { EclusaError, invalidInput } from '../../../core/errors/eclusa-error.js';
import { parseDuration } from '../../../core/policy/duration.js';
import type {
  InstanceScaling,
  SlotRef,
  StartRequest,
  Target,
  TargetEndpoint,
  TargetInstance,
} from '../../../core/target/target.js';
import type { KubernetesTargetConfig } from '../target-config.js';
import { KubeClient, type KubeDeployment } from './kube-client.js';
import { loadKubeConnection } from './kube-config.js';
import {
  ANNOTATION_DIGEST,
  ANNOTATION_REPLICAS,
  ANNOTATION_VERSION,
  LABEL_COMPONENT,
  LABEL_ENVIRONMENT,
  LABEL_SLOT,
  MANAGED_BY,
  missingContainer,
  rolloutState,
  slotDeploymentName,
  slotManifest,
  slotService,
  type SlotSpec,
} from './slot-deployment.js';

const DEFAULT_READY_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_POLL_MS = 1_000;

export interface KubernetesTargetOptions {
  readonly config: KubernetesTargetConfig;
  readonly component: string;
  readonly env?: NodeJS.ProcessEnv;
  /** How often a rollout is read back while waiting (tests shorten it). */
  readonly pollMs?: number;
  /** A client for tests; default: one for the context of the kubeconfig. */
  readonly client?: KubeClient;
}

/**
 * The `kubernetes` target: each slot is a Deployment `<deployment>-<slot>` in the namespace,
 * made from the team's own Deployment `<deployment>` (the template: pod spec and number of
 * copies) with the release's image. The slots' pods keep the template's labels, so the
 * Service in front of the template's pods spreads requests over every slot's pods: a slot's
 * share of traffic is its share of the copies, which is how the canary by instance count
 * works without a router. Once an eclusa slot runs the full count, the template is scaled
 * to 0 (its count kept in the `eclusa.dev/replicas` annotation) and only holds the spec.
 */
export class KubernetesTarget implements Target {
  readonly kind = 'kubernetes';
  readonly instances: InstanceScaling;
  private client: KubeClient | undefined;
  private readonly readyTimeoutMs: number;
  private readonly pollMs: number;

  constructor(private readonly options: KubernetesTargetOptions) {
    this.client = options.client;
    this.readyTimeoutMs =
      options.config.readyTimeout === undefined
        ? DEFAULT_READY_TIMEOUT_MS
        : (parseDuration(options.config.readyTimeout) ?? DEFAULT_READY_TIMEOUT_MS);
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.instances = {
      total: (_component, environment) => this.total(environment),
      scale: (slot) => this.scale(slot),
    };
  }

  private api(): KubeClient {
    this.client ??= new KubeClient(
      loadKubeConnection(this.options.env ?? process.env, this.options.config.context),
    );
    return this.client;
  }

  private namespace(environment: string): string {
    return this.options.config.namespace.replaceAll('{environment}', environment);
  }

  private where(environment: string): string {
    return `deployment ${this.namespace(environment)}/${this.options.config.deployment}`;
  }

  private async template(environment: string): Promise<KubeDeployment> {
    const found = await this.api().getDeployment(
      this.namespace(environment),
      this.options.config.deployment,
    );
    if (!found) {
      throw invalidInput(
        'KUBE_TEMPLATE_MISSING',
        `components.${this.options.component}.target: ${this.where(environment)} does not exist (context ${this.api().context})`,
        {
          hint: 'apply the component’s Deployment first: eclusa runs each version as a copy of it',
        },
      );
    }
    const problem = missingContainer(found, this.options.config.container);
    if (problem !== undefined) {
      throw invalidInput(
        'KUBE_TEMPLATE_INVALID',
        `components.${this.options.component}.target: ${this.where(environment)}: ${problem}`,
        { hint: 'set target.container to the container that runs the component' },
      );
    }
    return found;
  }

  /** Copies at full traffic: the policy's `replicas`, else the template's, else 1. */
  private async total(environment: string, known?: KubeDeployment): Promise<number> {
    if (this.options.config.replicas !== undefined) return this.options.config.replicas;
    const template = known ?? (await this.template(environment));
    const recorded = Number(template.metadata.annotations?.[ANNOTATION_REPLICAS]);
    if (Number.isInteger(recorded) && recorded > 0) return recorded;
    // A template already at 0 with no count recorded (scaled down by hand) still runs one.
    return Math.max(template.spec.replicas ?? 1, 1);
  }

  async start(request: StartRequest): Promise<TargetInstance> {
    const log = request.log ?? (() => undefined);
    const namespace = this.namespace(request.environment);
    if (request.artifact === undefined) {
      throw invalidInput(
        'ARTIFACT_REQUIRED',
        `${request.component}: the kubernetes target runs images, and release ${request.release} names no artifact for it`,
        { hint: `create the release with --artifact ${request.component}=IMAGE@sha256:DIGEST` },
      );
    }
    const template = await this.template(request.environment);
    const total = await this.total(request.environment, template);
    const replicas = request.instances ?? total;
    const name = slotDeploymentName(this.options.config.deployment, request.slot);
    const wanted = slotManifest(template, {
      component: request.component,
      environment: request.environment,
      slot: request.slot,
      version: request.version,
      release: request.release,
      ...(request.digest === undefined ? {} : { digest: request.digest }),
      image: request.artifact,
      ...(this.options.config.container === undefined
        ? {}
        : { container: this.options.config.container }),
      replicas,
    });
    const existing = await this.api().getDeployment(namespace, name);
    if (existing) this.checkOwner(existing, request.environment, request.component);
    if (!existing) {
      log(
        `${namespace}/${name}: creating with ${replicas} of ${total} copies of ${request.version}`,
      );
      await this.api().createDeployment(namespace, wanted);
    } else if (
      existing.metadata.annotations?.[ANNOTATION_VERSION] !== request.version ||
      imageOf(existing, this.options.config.container) !== request.artifact ||
      existing.spec.replicas !== replicas
    ) {
      log(`${namespace}/${name}: updating to ${replicas} copies of ${request.version}`);
      await this.api().patchDeployment(namespace, name, {
        metadata: { labels: wanted.metadata.labels, annotations: wanted.metadata.annotations },
        spec: { replicas, template: wanted.spec.template },
      });
    }
    await this.waitReady(namespace, name, request.signal, log);
    const endpoint = await this.slotEndpoint(wanted, request, namespace);
    if (replicas >= total) await this.retireTemplate(template, namespace, total, log);
    return {
      component: request.component,
      environment: request.environment,
      slot: request.slot,
      version: request.version,
      ...(request.digest === undefined ? {} : { digest: request.digest }),
      state: 'running',
      ...(endpoint ? { endpoint } : {}),
    };
  }

  /** With `port`, the slot's own Service and its in-cluster address, for a router. */
  private async slotEndpoint(
    slot: KubeDeployment,
    spec: Pick<SlotSpec, 'component' | 'environment' | 'slot'>,
    namespace: string,
  ): Promise<TargetEndpoint | undefined> {
    const port = this.options.config.port;
    if (port === undefined) return undefined;
    await this.api().ensureService(namespace, slotService(slot, spec, port));
    return { host: `${slot.metadata.name}.${namespace}.svc`, port };
  }

  private async scale(ref: SlotRef & { readonly instances: number }): Promise<void> {
    const log = ref.log ?? (() => undefined);
    const namespace = this.namespace(ref.environment);
    const name = slotDeploymentName(this.options.config.deployment, ref.slot);
    const existing = await this.api().getDeployment(namespace, name);
    if (!existing) {
      throw new EclusaError(
        'failed',
        'KUBE_SLOT_MISSING',
        `${namespace}/${name} does not exist, so it cannot run ${ref.instances} copies`,
        { hint: 'deploy the version again: its Deployment was deleted outside eclusa' },
      );
    }
    this.checkOwner(existing, ref.environment, ref.component);
    if (existing.spec.replicas !== ref.instances) {
      log(`${namespace}/${name}: ${existing.spec.replicas ?? 1} → ${ref.instances} copies`);
      await this.api().scaleDeployment(namespace, name, ref.instances);
    }
    await this.waitReady(namespace, name, ref.signal, log);
    if (ref.instances > 0) {
      const template = await this.template(ref.environment);
      const total = await this.total(ref.environment, template);
      if (ref.instances >= total) await this.retireTemplate(template, namespace, total, log);
    }
  }

  /** The team's Deployment stops serving once an eclusa slot runs every copy. */
  private async retireTemplate(
    template: KubeDeployment,
    namespace: string,
    total: number,
    log: (line: string) => void,
  ): Promise<void> {
    if ((template.spec.replicas ?? 1) === 0) return;
    log(
      `${namespace}/${template.metadata.name}: scaled to 0, its ${total} copies now run in eclusa's slot`,
    );
    await this.api().patchDeployment(namespace, template.metadata.name, {
      metadata: { annotations: { [ANNOTATION_REPLICAS]: String(total) } },
      spec: { replicas: 0 },
    });
    await this.waitReady(namespace, template.metadata.name, undefined, log);
  }

  private checkOwner(existing: KubeDeployment, environment: string, component: string): void {
    const labels = existing.metadata.labels ?? {};
    if (
      labels[MANAGED_BY] === 'eclusa' &&
      labels[LABEL_ENVIRONMENT] === environment &&
      labels[LABEL_COMPONENT] === component
    )
      return;
    throw invalidInput(
      'KUBE_SLOT_TAKEN',
      `components.${component}.target: ${existing.metadata.namespace ?? ''}/${existing.metadata.name} exists but is not eclusa's slot for ${component} in ${environment}${labels[LABEL_ENVIRONMENT] ? ` (it belongs to ${labels[LABEL_ENVIRONMENT]})` : ''}`,
      {
        hint: 'give each environment its own namespace, e.g. namespace: app-{environment}',
      },
    );
  }

  private async waitReady(
    namespace: string,
    name: string,
    signal: AbortSignal | undefined,
    log: (line: string) => void,
  ): Promise<void> {
    const started = Date.now();
    let said = '';
    for (;;) {
      signal?.throwIfAborted();
      const current = await this.api().getDeployment(namespace, name);
      if (!current) {
        throw new EclusaError(
          'failed',
          'KUBE_SLOT_MISSING',
          `${namespace}/${name} was deleted while eclusa waited for it`,
        );
      }
      const state = rolloutState(current);
      if (state.kind === 'ready') return;
      if (state.kind === 'failed') {
        throw new EclusaError(
          'failed',
          'TARGET_START_FAILED',
          `${namespace}/${name}: ${state.reason}`,
          {
            hint: `kubectl -n ${namespace} describe deployment ${name}`,
          },
        );
      }
      const line = `${namespace}/${name}: ${state.ready} of ${state.wanted} copies ready`;
      if (line !== said) log(line);
      said = line;
      if (Date.now() - started > this.readyTimeoutMs) {
        throw new EclusaError(
          'failed',
          'TARGET_START_FAILED',
          `${namespace}/${name}: not ready after ${Math.round(this.readyTimeoutMs / 1000)} s (${state.ready} of ${state.wanted} copies)`,
          { hint: `kubectl -n ${namespace} describe deployment ${name}` },
        );
      }
      await delay(this.pollMs, undefined, signal ? { signal } : {});
    }
  }

  async stop(slot: SlotRef): Promise<void> {
    const namespace = this.namespace(slot.environment);
    const name = slotDeploymentName(this.options.config.deployment, slot.slot);
    const existing = await this.api().getDeployment(namespace, name);
    if (!existing) return;
    this.checkOwner(existing, slot.environment, slot.component);
    slot.log?.(`${namespace}/${name}: deleting`);
    await this.api().deleteDeployment(namespace, name);
    if (this.options.config.port !== undefined) await this.api().deleteService(namespace, name);
  }

  async status(component: string, environment: string): Promise<TargetInstance[]> {
    const namespace = this.namespace(environment);
    const selector = `${MANAGED_BY}=eclusa,${LABEL_COMPONENT}=${component},${LABEL_ENVIRONMENT}=${environment}`;
    const found = await this.api().listDeployments(namespace, selector);
    return found.map((d) => {
      const state = rolloutState(d);
      const annotations = d.metadata.annotations ?? {};
      const digest = annotations[ANNOTATION_DIGEST];
      const port = this.options.config.port;
      return {
        component,
        environment,
        slot: d.metadata.labels?.[LABEL_SLOT] ?? d.metadata.name,
        ...(port === undefined
          ? {}
          : { endpoint: { host: `${d.metadata.name}.${namespace}.svc`, port } }),
        version: annotations[ANNOTATION_VERSION] ?? 'unknown',
        ...(digest === undefined ? {} : { digest }),
        state:
          (d.spec.replicas ?? 1) === 0
            ? 'stopped'
            : state.kind === 'ready'
              ? 'running'
              : state.kind === 'failed'
                ? 'failed'
                : 'unknown',
        ...(state.kind === 'failed'
          ? { reason: state.reason }
          : state.kind === 'progressing'
            ? { reason: `${state.ready} of ${state.wanted} copies ready` }
            : {}),
      };
    });
  }
}

function imageOf(deployment: KubeDeployment, container: string | undefined): string | undefined {
  const containers = deployment.spec.template.spec.containers;
  return (container === undefined ? containers[0] : containers.find((c) => c.name === container))
    ?.image;
}

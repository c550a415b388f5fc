import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { EclusaError } from '../../../core/errors/eclusa-error.js';
import type { KubeConnection } from './kube-config.js';

/** The parts of an apps/v1 Deployment eclusa reads and writes. */
export interface KubeDeployment {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
    readonly generation?: number;
    readonly resourceVersion?: string;
  };
  readonly spec: {
    readonly replicas?: number;
    readonly selector: { readonly matchLabels?: Record<string, string> };
    readonly template: {
      readonly metadata?: {
        readonly labels?: Record<string, string>;
        readonly annotations?: Record<string, string>;
      };
      readonly spec: {
        readonly containers: readonly { readonly name: string; readonly image?: string }[];
        readonly [key: string]: unknown;
      };
    };
    readonly [key: string]: unknown;
  };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly replicas?: number;
    readonly updatedReplicas?: number;
    readonly readyReplicas?: number;
    readonly availableReplicas?: number;
    readonly conditions?: readonly {
      readonly type: string;
      readonly status: string;
      readonly reason?: string;
      readonly message?: string;
    }[];
  };
}

/** A ClusterIP Service in front of one slot's pods. */
export interface KubeService {
  readonly apiVersion: 'v1';
  readonly kind: 'Service';
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  readonly spec: {
    readonly selector: Record<string, string>;
    readonly ports: readonly { readonly port: number; readonly targetPort: number }[];
  };
}

const TIMEOUT_MS = 30_000;

/**
 * The few calls of the Kubernetes API the target makes (apps/v1 Deployments and their scale,
 * v1 Services),
 * over node:http(s). Written here rather than taken from @kubernetes/client-node: that client
 * needs a newer Node than eclusa supports and a dozen dependencies for four REST calls.
 * The bearer token goes in a header and never into a message.
 */
export class KubeClient {
  constructor(private readonly connection: KubeConnection) {}

  get context(): string {
    return this.connection.context;
  }

  private path(namespace: string, name?: string, sub?: string): string {
    const base = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments`;
    return name === undefined
      ? base
      : `${base}/${encodeURIComponent(name)}${sub === undefined ? '' : `/${sub}`}`;
  }

  /** The Deployment, or undefined when it does not exist. */
  async getDeployment(namespace: string, name: string): Promise<KubeDeployment | undefined> {
    const { status, body } = await this.call('GET', this.path(namespace, name), undefined, [404]);
    return status === 404 ? undefined : (body as KubeDeployment);
  }

  async listDeployments(namespace: string, labelSelector: string): Promise<KubeDeployment[]> {
    const query = `?labelSelector=${encodeURIComponent(labelSelector)}`;
    const { body } = await this.call('GET', `${this.path(namespace)}${query}`);
    return ((body as { items?: KubeDeployment[] }).items ?? []).map((item) => item);
  }

  async createDeployment(namespace: string, deployment: KubeDeployment): Promise<KubeDeployment> {
    const { body } = await this.call('POST', this.path(namespace), deployment);
    return body as KubeDeployment;
  }

  /** A JSON merge patch (RFC 7386) of the Deployment. */
  async patchDeployment(
    namespace: string,
    name: string,
    patch: Record<string, unknown>,
  ): Promise<KubeDeployment> {
    const { body } = await this.call('PATCH', this.path(namespace, name), patch);
    return body as KubeDeployment;
  }

  /** Sets spec.replicas through the scale subresource (what `kubectl scale` does). */
  async scaleDeployment(namespace: string, name: string, replicas: number): Promise<void> {
    await this.call('PATCH', this.path(namespace, name, 'scale'), { spec: { replicas } });
  }

  /** Creates the Service unless one of that name exists (a Service's spec is left as it is). */
  async ensureService(namespace: string, service: KubeService): Promise<void> {
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/services`;
    const name = encodeURIComponent(service.metadata.name);
    const { status } = await this.call('GET', `${path}/${name}`, undefined, [404]);
    if (status === 404) await this.call('POST', path, service, [409]);
  }

  async deleteService(namespace: string, name: string): Promise<void> {
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`;
    await this.call('DELETE', path, undefined, [404]);
  }

  /** Deletes the Deployment and, in the background, its ReplicaSets and pods; gone is fine. */
  async deleteDeployment(namespace: string, name: string): Promise<void> {
    await this.call(
      'DELETE',
      this.path(namespace, name),
      { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
      [404],
    );
  }

  private call(
    method: string,
    path: string,
    body?: unknown,
    allowed: readonly number[] = [],
  ): Promise<{ status: number; body: unknown }> {
    const { server } = this.connection;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] =
        method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    if (this.connection.token !== undefined)
      headers['authorization'] = `Bearer ${this.connection.token}`;
    const basePath = server.pathname.replace(/\/$/, '');
    const options = {
      method,
      host: server.hostname.replace(/^\[|\]$/g, ''),
      port: server.port === '' ? (server.protocol === 'https:' ? 443 : 80) : Number(server.port),
      path: `${basePath}${path}`,
      headers,
      timeout: TIMEOUT_MS,
    };
    const where = `${method} ${server.origin}${basePath}${path.split('?')[0] ?? ''}`;
    return new Promise((resolve, reject) => {
      const onResponse = (response: IncomingMessage): void => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const raw = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = raw === '' ? {} : JSON.parse(raw);
          } catch {
            parsed = undefined;
          }
          if ((status >= 200 && status < 300) || allowed.includes(status)) {
            if (parsed === undefined) {
              reject(apiError(where, status, 'the answer is not JSON'));
              return;
            }
            resolve({ status, body: parsed });
            return;
          }
          const message = (parsed as { message?: unknown } | undefined)?.message;
          reject(
            apiError(where, status, typeof message === 'string' ? message : raw.slice(0, 200)),
          );
        });
      };
      const call =
        server.protocol === 'https:'
          ? httpsRequest(
              {
                ...options,
                ...(this.connection.ca ? { ca: this.connection.ca } : {}),
                ...(this.connection.cert ? { cert: this.connection.cert } : {}),
                ...(this.connection.key ? { key: this.connection.key } : {}),
                rejectUnauthorized: !this.connection.insecureSkipTlsVerify,
              },
              onResponse,
            )
          : httpRequest(options, onResponse);
      call.once('timeout', () =>
        call.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)),
      );
      call.once('error', (error) =>
        reject(
          new EclusaError('failed', 'KUBE_API_UNREACHABLE', `${where}: ${error.message}`, {
            hint: `check that the cluster of context "${this.connection.context}" is reachable`,
            retryable: true,
          }),
        ),
      );
      call.end(payload);
    });
  }
}

function apiError(where: string, status: number, message: string): EclusaError {
  const hint =
    status === 401
      ? 'the credentials of this context were refused: renew the token or certificate'
      : status === 403
        ? 'give the account rights to get, list, create, patch and delete deployments (and deployments/scale) in this namespace'
        : status === 404
          ? 'check the namespace and the deployment name in the component target'
          : 'see the message from the API server';
  return new EclusaError(
    status === 401 || status === 403 ? 'refused' : 'failed',
    status === 401 || status === 403 ? 'KUBE_FORBIDDEN' : 'KUBE_API_ERROR',
    `${where}: ${status} ${message}`,
    { hint, retryable: status >= 500 || status === 409 || status === 429 },
  );
}

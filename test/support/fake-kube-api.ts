import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Kubernetes API server for contract tests — there is no cluster on this machine. It
 * serves the part of the documented API eclusa's kubernetes target calls, with the documented
 * behaviour (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/deployment-v1/,
 * https://kubernetes.io/docs/reference/using-api/api-concepts/):
 *
 * - v1 Services: get, create (409 AlreadyExists), delete;
 * - apps/v1 Deployments: get, list with an equality `labelSelector`, create (201; 409
 *   AlreadyExists; 422 when the selector does not match the pod labels), JSON merge patch
 *   (RFC 7386, `application/merge-patch+json` only, else 415; 422 when the immutable
 *   selector changes), the `scale` subresource, delete (404 NotFound when absent);
 * - errors as `Status` objects with `reason` and `code`; 401 without the bearer token;
 * - `metadata.generation` moves when the spec changes, `resourceVersion` on every write;
 * - a controller that, `settleMs` after a write, reports the rollout: `observedGeneration`,
 *   and all copies updated and available — or, for an image listed in `failingImages`, none
 *   available and the `Progressing` condition `ProgressDeadlineExceeded`.
 *
 * `servedBy(namespace, labels)` answers what a Service with that selector would send traffic
 * to: the available pods of every Deployment whose pod labels match, by version.
 */
export interface FakeKubeApi {
  readonly url: string;
  readonly token: string;
  readonly failingImages: Set<string>;
  /** Every request, as `METHOD path`. */
  readonly requests: string[];
  /** Each change of what a Service would send to, after the controller settles. */
  readonly history: { readonly at: number; readonly served: Record<string, number> }[];
  put(namespace: string, deployment: Record<string, unknown>): void;
  get(namespace: string, name: string): Deployment | undefined;
  service(namespace: string, name: string): Record<string, unknown> | undefined;
  servedBy(namespace: string, selector: Record<string, string>): Record<string, number>;
  /** A kubeconfig that points at this server, as YAML text. */
  kubeconfig(context?: string): string;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
interface Deployment extends Json {
  metadata: Json & {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    generation: number;
    resourceVersion: string;
  };
  spec: Json & {
    replicas?: number;
    selector: { matchLabels?: Record<string, string> };
    template: Json & {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec: { containers: { name: string; image?: string }[] };
    };
  };
  status?: Json;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** RFC 7386: objects merge key by key, null removes, anything else (arrays too) replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Json = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function matches(labels: Record<string, string> | undefined, selector: Record<string, string>) {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function status(code: number, reason: string, message: string): Json {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
}

export async function startFakeKubeApi(
  options: { settleMs?: number; token?: string } = {},
): Promise<FakeKubeApi> {
  const settleMs = options.settleMs ?? 30;
  const token = options.token ?? `token-${process.pid}-${Date.now()}`;
  const store = new Map<string, Deployment>();
  const services = new Map<string, Json>();
  const timers = new Set<NodeJS.Timeout>();
  const failingImages = new Set<string>();
  const requests: string[] = [];
  const history: { at: number; served: Record<string, number> }[] = [];
  let resourceVersion = 1;
  const key = (ns: string, name: string) => `${ns}/${name}`;

  /** Available copies by version (`<namespace>:<version>` when `namespace` is not given). */
  const available = (namespace?: string, selector: Record<string, string> = {}) => {
    const served: Record<string, number> = {};
    for (const d of store.values()) {
      if (namespace !== undefined && d.metadata.namespace !== namespace) continue;
      if (!matches(d.spec.template.metadata?.labels, selector)) continue;
      const count = Number((d.status ?? {})['availableReplicas'] ?? 0);
      if (count === 0) continue;
      const version =
        d.spec.template.metadata?.annotations?.['eclusa.dev/version'] ??
        d.spec.template.spec.containers[0]?.image ??
        d.metadata.name;
      const name = namespace === undefined ? `${d.metadata.namespace}:${version}` : version;
      served[name] = (served[name] ?? 0) + count;
    }
    return served;
  };
  const servedBy = (namespace: string, selector: Record<string, string>) =>
    available(namespace, selector);
  const record = () => {
    const served = available();
    const last = history[history.length - 1];
    if (!last || JSON.stringify(last.served) !== JSON.stringify(served))
      history.push({ at: Date.now(), served });
  };

  const settle = (ns: string, name: string) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      const d = store.get(key(ns, name));
      if (!d) return;
      const replicas = d.spec.replicas ?? 1;
      const failing = d.spec.template.spec.containers.some(
        (c) => c.image !== undefined && failingImages.has(c.image),
      );
      d.status = failing
        ? {
            observedGeneration: d.metadata.generation,
            replicas,
            updatedReplicas: replicas,
            readyReplicas: 0,
            availableReplicas: 0,
            conditions: [
              {
                type: 'Progressing',
                status: 'False',
                reason: 'ProgressDeadlineExceeded',
                message: `ReplicaSet "${name}-1" has timed out progressing.`,
              },
            ],
          }
        : {
            observedGeneration: d.metadata.generation,
            replicas,
            updatedReplicas: replicas,
            readyReplicas: replicas,
            availableReplicas: replicas,
            conditions: [
              { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
              { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
            ],
          };
      record();
    }, settleMs);
    timers.add(timer);
  };

  const put = (namespace: string, body: Json): Deployment => {
    const metadata = isObject(body['metadata']) ? body['metadata'] : {};
    const d = {
      ...body,
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        ...metadata,
        namespace,
        generation: 1,
        resourceVersion: String(++resourceVersion),
      },
    } as unknown as Deployment;
    store.set(key(namespace, d.metadata.name), d);
    settle(namespace, d.metadata.name);
    return d;
  };

  const handle = (req: IncomingMessage, body: string, res: ServerResponse) => {
    const send = (code: number, payload: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(`${req.method ?? ''} ${url.pathname}`);
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    const svc = /^\/api\/v1\/namespaces\/([^/]+)\/services(?:\/([^/]+))?$/.exec(url.pathname);
    if (svc) {
      const ns = decodeURIComponent(svc[1] ?? '');
      const name = svc[2] === undefined ? undefined : decodeURIComponent(svc[2]);
      if (name === undefined && req.method === 'POST') {
        const parsed = JSON.parse(body === '' ? '{}' : body) as Json;
        const meta = isObject(parsed['metadata']) ? parsed['metadata'] : {};
        const newName = typeof meta['name'] === 'string' ? meta['name'] : '';
        if (services.has(key(ns, newName)))
          return send(409, status(409, 'AlreadyExists', `services "${newName}" already exists`));
        const created = { ...parsed, metadata: { ...meta, namespace: ns } };
        services.set(key(ns, newName), created);
        return send(201, created);
      }
      const found = name === undefined ? undefined : services.get(key(ns, name));
      if (!found) return send(404, status(404, 'NotFound', `services "${name ?? ''}" not found`));
      if (req.method === 'GET') return send(200, found);
      if (req.method === 'DELETE') {
        services.delete(key(ns, name ?? ''));
        return send(200, found);
      }
      return send(405, status(405, 'MethodNotAllowed', 'method not allowed'));
    }
    const m =
      /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments(?:\/([^/]+))?(?:\/(scale))?$/.exec(
        url.pathname,
      );
    if (!m)
      return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const ns = decodeURIComponent(m[1] ?? '');
    const name = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
    const sub = m[3];
    let parsed: Json = {};
    if (body !== '') {
      try {
        parsed = JSON.parse(body) as Json;
      } catch {
        return send(400, status(400, 'BadRequest', 'the body is not JSON'));
      }
    }
    if (name === undefined) {
      if (req.method === 'GET') {
        const selector = Object.fromEntries(
          (url.searchParams.get('labelSelector') ?? '')
            .split(',')
            .filter((s) => s !== '')
            .map((s) => s.split('=') as [string, string]),
        );
        const items = [...store.values()].filter(
          (d) => d.metadata.namespace === ns && matches(d.metadata.labels, selector),
        );
        return send(200, { kind: 'DeploymentList', apiVersion: 'apps/v1', metadata: {}, items });
      }
      if (req.method === 'POST') {
        const meta = isObject(parsed['metadata']) ? parsed['metadata'] : {};
        const newName = typeof meta['name'] === 'string' ? meta['name'] : '';
        if (newName === '')
          return send(422, status(422, 'Invalid', 'metadata.name: Required value'));
        if (store.has(key(ns, newName)))
          return send(
            409,
            status(409, 'AlreadyExists', `deployments.apps "${newName}" already exists`),
          );
        const spec = parsed['spec'] as Deployment['spec'] | undefined;
        const podLabels = spec?.template?.metadata?.labels;
        if (!spec?.selector?.matchLabels || !matches(podLabels, spec.selector.matchLabels))
          return send(
            422,
            status(
              422,
              'Invalid',
              `Deployment.apps "${newName}" is invalid: spec.template.metadata.labels: Invalid value: \`selector\` does not match template \`labels\``,
            ),
          );
        return send(201, put(ns, parsed));
      }
      return send(405, status(405, 'MethodNotAllowed', 'method not allowed'));
    }
    const existing = store.get(key(ns, name));
    if (!existing)
      return send(404, status(404, 'NotFound', `deployments.apps "${name}" not found`));
    if (req.method === 'GET') {
      if (sub === 'scale')
        return send(200, {
          kind: 'Scale',
          apiVersion: 'autoscaling/v1',
          spec: { replicas: existing.spec.replicas },
        });
      return send(200, existing);
    }
    if (req.method === 'DELETE') {
      store.delete(key(ns, name));
      record();
      return send(200, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Success',
        details: { name, kind: 'deployments', group: 'apps' },
      });
    }
    if (req.method === 'PATCH') {
      if (req.headers['content-type'] !== 'application/merge-patch+json')
        return send(
          415,
          status(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
          ),
        );
      const patch: Json =
        sub === 'scale'
          ? { spec: { replicas: (parsed['spec'] as Json | undefined)?.['replicas'] } }
          : parsed;
      const next = mergePatch(existing, patch) as Deployment;
      if (JSON.stringify(next.spec.selector) !== JSON.stringify(existing.spec.selector))
        return send(
          422,
          status(
            422,
            'Invalid',
            `Deployment.apps "${name}" is invalid: spec.selector: Invalid value: field is immutable`,
          ),
        );
      const specChanged = JSON.stringify(next.spec) !== JSON.stringify(existing.spec);
      next.metadata = {
        ...next.metadata,
        name,
        namespace: ns,
        generation: existing.metadata.generation + (specChanged ? 1 : 0),
        resourceVersion: String(++resourceVersion),
      };
      next.status = existing.status ?? {};
      store.set(key(ns, name), next);
      if (specChanged) settle(ns, name);
      if (sub === 'scale')
        return send(200, {
          kind: 'Scale',
          apiVersion: 'autoscaling/v1',
          spec: { replicas: next.spec.replicas },
        });
      return send(200, next);
    }
    return send(405, status(405, 'MethodNotAllowed', 'method not allowed'));
  };

  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handle(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    token,
    failingImages,
    requests,
    history,
    put: (namespace, deployment) => {
      put(namespace, deployment);
    },
    get: (namespace, name) => store.get(key(namespace, name)),
    service: (namespace, name) => services.get(key(namespace, name)),
    servedBy,
    kubeconfig: (context = 'fake') =>
      [
        'apiVersion: v1',
        'kind: Config',
        `current-context: ${context}`,
        'clusters:',
        `  - name: ${context}-cluster`,
        '    cluster:',
        `      server: ${url}`,
        'contexts:',
        `  - name: ${context}`,
        '    context:',
        `      cluster: ${context}-cluster`,
        `      user: ${context}-user`,
        'users:',
        `  - name: ${context}-user`,
        '    user:',
        `      token: ${token}`,
        '',
      ].join('\n'),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The team's own Deployment, as `kubectl apply` would have created it. */
export function teamDeployment(
  name: string,
  replicas: number,
  image = 'ghcr.io/acme/api:1.0.0',
): Record<string, unknown> {
  return {
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            { name, image, ports: [{ containerPort: 8080 }] },
            { name: 'log-shipper', image: 'fluent/fluent-bit:3.0' },
          ],
        },
      },
    },
  };
}

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { invalidInput } from '../../../core/errors/eclusa-error.js';

/** Where and how to reach one cluster's API server. */
export interface KubeConnection {
  readonly server: URL;
  /** The context it came from, or `in-cluster`. */
  readonly context: string;
  readonly token?: string;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly insecureSkipTlsVerify: boolean;
}

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

interface Named {
  readonly name: string | undefined;
  readonly value: Record<string, unknown>;
}

interface KubeConfigFile {
  readonly path: string;
  readonly currentContext?: string;
  readonly clusters: Named[];
  readonly contexts: Named[];
  readonly users: Named[];
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function namedList(document: Record<string, unknown>, key: string, inner: string) {
  const list = Array.isArray(document[key]) ? (document[key] as unknown[]) : [];
  return list.map((item) => {
    const entry = record(item);
    return { name: text(entry['name']), value: record(entry[inner]) };
  });
}

function readKubeConfig(path: string): KubeConfigFile {
  let document: Record<string, unknown>;
  try {
    document = record(parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw invalidInput(
      'KUBECONFIG_INVALID',
      `${path}: not a readable kubeconfig (${(error as Error).message.split('\n')[0]})`,
      { hint: 'check the file with kubectl config view' },
    );
  }
  const current = text(document['current-context']);
  return {
    path,
    ...(current === undefined ? {} : { currentContext: current }),
    clusters: namedList(document, 'clusters', 'cluster'),
    contexts: namedList(document, 'contexts', 'context'),
    users: namedList(document, 'users', 'user'),
  };
}

/** The file kubectl would read: every path of $KUBECONFIG, else ~/.kube/config. */
function kubeConfigPaths(env: NodeJS.ProcessEnv): string[] {
  const fromEnv = (env['KUBECONFIG'] ?? '').split(':').filter((p) => p !== '');
  if (fromEnv.length > 0) return fromEnv.filter((p) => existsSync(p));
  const home = env['HOME'] ?? homedir();
  const path = join(home, '.kube', 'config');
  return existsSync(path) ? [path] : [];
}

/** `*-data` (base64) or a file path relative to the kubeconfig that names it. */
function material(
  entry: Record<string, unknown>,
  key: string,
  baseDir: string,
): Buffer | undefined {
  const data = text(entry[`${key}-data`]);
  if (data !== undefined) return Buffer.from(data, 'base64');
  const file = text(entry[key]);
  if (file === undefined) return undefined;
  return readFileSync(isAbsolute(file) ? file : join(baseDir, file));
}

function fromKubeConfig(files: KubeConfigFile[], wanted: string | undefined): KubeConnection {
  // kubectl merges the files: the first to define a name wins.
  const first = <T extends { name?: string }>(lists: T[][], name: string): T | undefined =>
    lists.flat().find((item) => item.name === name);
  const contextName = wanted ?? files.find((f) => f.currentContext)?.currentContext;
  const where = files.map((f) => f.path).join(', ');
  if (contextName === undefined) {
    throw invalidInput('KUBE_CONTEXT_MISSING', `${where}: no current-context is set`, {
      hint: 'set target.context in eclusa.yaml, or run kubectl config use-context NAME',
    });
  }
  const context = first(
    files.map((f) => f.contexts),
    contextName,
  );
  if (!context) {
    const known = files.flatMap((f) => f.contexts.map((c) => c.name)).filter(Boolean);
    throw invalidInput('KUBE_CONTEXT_MISSING', `${where}: no context named "${contextName}"`, {
      hint: known.length > 0 ? `known contexts: ${known.join(', ')}` : 'add the context first',
    });
  }
  const clusterName = text(context.value['cluster']) ?? '';
  const userName = text(context.value['user']);
  const clusterFile = files.find((f) => f.clusters.some((c) => c.name === clusterName));
  const cluster = clusterFile?.clusters.find((c) => c.name === clusterName);
  const server = text(cluster?.value['server']);
  if (!cluster || !clusterFile || server === undefined) {
    throw invalidInput(
      'KUBE_CLUSTER_MISSING',
      `${where}: context "${contextName}" names cluster "${clusterName}", which has no server`,
      { hint: 'add the cluster with kubectl config set-cluster NAME --server=URL' },
    );
  }
  const userFile =
    userName === undefined
      ? undefined
      : files.find((f) => f.users.some((u) => u.name === userName));
  const user = userFile?.users.find((u) => u.name === userName)?.value ?? {};
  if (user['exec'] !== undefined || user['auth-provider'] !== undefined) {
    throw invalidInput(
      'KUBE_AUTH_UNSUPPORTED',
      `${userFile?.path ?? where}: user "${userName ?? ''}" signs in through an exec or auth-provider plugin, which eclusa does not run`,
      {
        hint: 'give eclusa a service account token (user.token or tokenFile) or a client certificate',
      },
    );
  }
  const userDir = dirname(userFile?.path ?? clusterFile.path);
  const tokenFile = text(user['tokenFile']);
  const token =
    text(user['token']) ??
    (tokenFile === undefined
      ? undefined
      : readFileSync(isAbsolute(tokenFile) ? tokenFile : join(userDir, tokenFile), 'utf8').trim());
  const clusterDir = dirname(clusterFile.path);
  const ca = material(cluster.value, 'certificate-authority', clusterDir);
  const cert = material(user, 'client-certificate', userDir);
  const key = material(user, 'client-key', userDir);
  return {
    server: parseServer(server, clusterFile.path),
    context: contextName,
    ...(token === undefined ? {} : { token }),
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    insecureSkipTlsVerify: cluster.value['insecure-skip-tls-verify'] === true,
  };
}

function parseServer(server: string, where: string): URL {
  try {
    return new URL(server);
  } catch {
    throw invalidInput('KUBE_CLUSTER_MISSING', `${where}: server "${server}" is not a URL`, {
      hint: 'use https://HOST:PORT',
    });
  }
}

function inCluster(env: NodeJS.ProcessEnv): KubeConnection | undefined {
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'] ?? '443';
  const tokenPath = join(SERVICE_ACCOUNT, 'token');
  if (host === undefined || !existsSync(tokenPath)) return undefined;
  const caPath = join(SERVICE_ACCOUNT, 'ca.crt');
  return {
    server: new URL(`https://${host.includes(':') ? `[${host}]` : host}:${port}`),
    context: 'in-cluster',
    token: readFileSync(tokenPath, 'utf8').trim(),
    ...(existsSync(caPath) ? { ca: readFileSync(caPath) } : {}),
    insecureSkipTlsVerify: false,
  };
}

/**
 * How kubectl finds its cluster, for the contexts eclusa can use: the kubeconfig files of
 * $KUBECONFIG (else ~/.kube/config) and the named or current context, else the pod's own
 * service account when eclusa runs inside the cluster. Bearer tokens and client
 * certificates are supported; exec and auth-provider plugins are refused by name.
 */
export function loadKubeConnection(
  env: NodeJS.ProcessEnv,
  context: string | undefined,
): KubeConnection {
  const paths = kubeConfigPaths(env);
  if (paths.length > 0) return fromKubeConfig(paths.map(readKubeConfig), context);
  const own = context === undefined ? inCluster(env) : undefined;
  if (own) return own;
  throw invalidInput(
    'KUBECONFIG_MISSING',
    'no kubeconfig found (KUBECONFIG is unset and ~/.kube/config does not exist)',
    { hint: 'set KUBECONFIG to the file kubectl uses for this cluster' },
  );
}

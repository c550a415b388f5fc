import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKubeConnection } from './kube-config.js';

const KUBECONFIG = `apiVersion: v1
kind: Config
current-context: staging
clusters:
  - name: east
    cluster:
      server: https://k8s.example.com:6443
      certificate-authority-data: ${Buffer.from('CA PEM').toString('base64')}
  - name: lab
    cluster:
      server: https://10.0.0.1
      insecure-skip-tls-verify: true
contexts:
  - name: staging
    context: { cluster: east, user: deployer }
  - name: lab
    context: { cluster: lab, user: cert-user }
  - name: sso
    context: { cluster: east, user: sso-user }
users:
  - name: deployer
    user: { tokenFile: token.txt }
  - name: cert-user
    user:
      client-certificate: client.crt
      client-key-data: ${Buffer.from('KEY PEM').toString('base64')}
  - name: sso-user
    user:
      exec: { apiVersion: client.authentication.k8s.io/v1, command: aws }
`;

describe('loadKubeConnection', () => {
  const dirs: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'eclusa-kubeconfig-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'config'), KUBECONFIG);
    writeFileSync(join(dir, 'token.txt'), 'sa-token\n');
    writeFileSync(join(dir, 'client.crt'), 'CERT PEM');
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reads the current context, its CA and a token file beside the kubeconfig', () => {
    const dir = folder();
    const connection = loadKubeConnection({ KUBECONFIG: join(dir, 'config') }, undefined);
    expect(connection.server.href).toBe('https://k8s.example.com:6443/');
    expect(connection.context).toBe('staging');
    expect(connection.token).toBe('sa-token');
    expect(connection.ca?.toString()).toBe('CA PEM');
    expect(connection.insecureSkipTlsVerify).toBe(false);
  });

  it('reads a named context with a client certificate', () => {
    const dir = folder();
    const connection = loadKubeConnection({ KUBECONFIG: join(dir, 'config') }, 'lab');
    expect(connection.cert?.toString()).toBe('CERT PEM');
    expect(connection.key?.toString()).toBe('KEY PEM');
    expect(connection.insecureSkipTlsVerify).toBe(true);
  });

  it('refuses an exec plugin by name, and an unknown context listing the known ones', () => {
    const dir = folder();
    const env = { KUBECONFIG: join(dir, 'config') };
    expect(() => loadKubeConnection(env, 'sso')).toThrow(/exec or auth-provider plugin/);
    expect(() => loadKubeConnection(env, 'prod')).toThrow(/no context named "prod"/);
    try {
      loadKubeConnection(env, 'prod');
    } catch (error) {
      expect((error as { hint?: string }).hint).toBe('known contexts: staging, lab, sso');
    }
  });

  it('says where it looked when there is no kubeconfig', () => {
    const dir = folder();
    expect(() => loadKubeConnection({ HOME: join(dir, 'nobody') }, undefined)).toThrow(
      /no kubeconfig found/,
    );
  });
});

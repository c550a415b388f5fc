import type { Notifier } from '../../core/engine/step-executor.js';
import type { CompiledPolicy } from '../../core/policy/compiled-policy.js';
import type { SecretResolver } from '../../core/secrets/secret-resolver.js';

const TIMEOUT_MS = 10_000;

/**
 * Sends to the policy's channels: a webhook gets a JSON POST, Slack its incoming-webhook
 * payload. E-mail needs an SMTP client eclusa does not ship yet: it is recorded as not sent.
 * A failure is reported, never thrown: a message that cannot be sent must not roll a
 * release back.
 */
export function policyNotifier(policy: CompiledPolicy, secrets: SecretResolver): Notifier {
  return {
    async send(name, message, signal) {
      const channel = policy.channels?.[name];
      if (!channel) return { delivered: false, detail: `no channel ${name} in the policy` };
      try {
        let url: string;
        let body: unknown;
        let headers: Record<string, string> = {};
        if (channel.type === 'slack') {
          url = secrets.reference(channel.webhook, `channels.${name}.webhook`);
          body = { text: message, ...(channel.channel ? { channel: channel.channel } : {}) };
        } else if (channel.type === 'webhook') {
          url = secrets.text(channel.url, `channels.${name}.url`);
          headers = secrets.record(channel.headers, `channels.${name}.headers`);
          body = { text: message };
        } else {
          return { delivered: false, detail: 'e-mail delivery is not available in this version' };
        }
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
          signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
        });
        return { delivered: response.ok, detail: `HTTP ${response.status}` };
      } catch (error) {
        return {
          delivered: false,
          detail: secrets.redact(error instanceof Error ? error.message : String(error)),
        };
      }
    },
  };
}

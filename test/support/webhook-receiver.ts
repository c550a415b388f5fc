import { createServer, type Server } from 'node:http';

/** A local stand-in for a chat webhook (Slack's incoming webhook): keeps every JSON body posted to it. */
export interface WebhookReceiver {
  readonly url: string;
  readonly received: readonly Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: Record<string, unknown>[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        received.push(
          JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        );
        response.writeHead(200).end('ok');
      } catch {
        response.writeHead(400).end('invalid JSON');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/services/hook`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

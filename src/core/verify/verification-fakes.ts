import type { CommandOutcome, CommandRequest, CommandRunner } from '../command/command-runner.js';
import { SecretResolver } from '../secrets/secret-resolver.js';
import { FakeClock } from '../time/clock.js';
import type { HttpClient, HttpRequest, HttpResponse } from './http-client.js';
import type { VerificationDeps } from './verification-context.js';

/** What the fake HTTP client answers: a response, a network error, or nothing until the attempt's deadline. */
export type FakeAnswer = { status: number; body?: string } | { error: string } | 'no-answer';

/**
 * Fakes for the verification runner's unit tests (the adapters' tests use real servers):
 * a FakeClock that the fake HTTP client moves 12 ms per exchange and the fake sleep moves by
 * the wait, and deadline signals that fire when the fake client "hangs".
 */
export function fakeVerificationDeps(
  answer: (request: HttpRequest) => FakeAnswer,
  options: { env?: Record<string, string>; commands?: CommandRunner; signal?: AbortSignal } = {},
) {
  const clock = new FakeClock('2026-11-23T12:00:00Z');
  const requests: HttpRequest[] = [];
  const sleeps: number[] = [];
  const timers: { ms: number; controller: AbortController }[] = [];
  const http: HttpClient = {
    request: (request) => {
      requests.push(request);
      const reply = answer(request);
      if (reply === 'no-answer') {
        const timer = timers.at(-1);
        clock.advance(timer?.ms ?? 0);
        timer?.controller.abort(new Error('deadline'));
        return Promise.reject(new Error('aborted'));
      }
      clock.advance(12);
      if ('error' in reply) return Promise.reject(new Error(reply.error));
      const response: HttpResponse = {
        status: reply.status,
        body: reply.body ?? '',
        truncated: false,
      };
      return Promise.resolve(response);
    },
  };
  const secrets = new SecretResolver({ env: (name) => options.env?.[name], file: () => undefined });
  const deps: VerificationDeps = {
    http,
    commands: options.commands ?? new FakeCommandRunner([]),
    secrets,
    clock,
    sleep: (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
      return Promise.resolve();
    },
    timeout: (ms) => {
      const controller = new AbortController();
      timers.push({ ms, controller });
      return controller.signal;
    },
    baseDir: '/srv/app',
    env: { PATH: '/usr/bin', ECLUSA_TOKEN: 'eclusa-own-token' },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  return { deps, clock, requests, sleeps };
}

/** A command runner that answers from a list, one outcome per run, moving no clock. */
export class FakeCommandRunner implements CommandRunner {
  readonly requests: CommandRequest[] = [];
  constructor(private readonly outcomes: Partial<CommandOutcome>[]) {}

  run(request: CommandRequest): Promise<CommandOutcome> {
    this.requests.push(request);
    const outcome = this.outcomes[this.requests.length - 1] ?? {};
    return Promise.resolve({
      exitCode: 0,
      signal: null,
      timedOut: false,
      aborted: false,
      stdout: '',
      tail: [],
      durationMs: 1_000,
      ...outcome,
    });
  }
}

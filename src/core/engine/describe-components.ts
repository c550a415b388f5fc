import type { CompiledPolicy } from '../policy/compiled-policy.js';
import type { EnginePorts } from './step-executor.js';

/** "api: blue runs 1.1.0 (running), green runs 1.2.0 (stopped)" for every component, read from the targets. */
export async function describeComponents(
  ports: EnginePorts,
  policy: CompiledPolicy,
  environment: string,
): Promise<string> {
  const parts: string[] = [];
  for (const component of Object.keys(policy.components)) {
    const target = ports.targetFor(component);
    if (!target) continue;
    try {
      const instances = await target.status(component, environment);
      parts.push(
        instances.length === 0
          ? `${component}: nothing runs`
          : `${component}: ${instances.map((i) => `${i.slot} runs ${i.version} (${i.state}${i.reason ? `: ${i.reason}` : ''})`).join(', ')}`,
      );
    } catch (error) {
      parts.push(
        `${component}: state unknown (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  return parts.length > 0 ? `Components now: ${parts.join('; ')}.` : '';
}

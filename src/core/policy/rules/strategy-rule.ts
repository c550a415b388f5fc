import type { CompiledPolicy } from '../compiled-policy.js';
import type { PolicyRule, RuleContext } from './rule-context.js';

/** A strategy must be runnable as written: canary steps climb to 100 and the pipeline runs the rollout. */
export const strategyRule: PolicyRule = (policy, context) => {
  for (const environment of policy.environments) {
    const at = environment.source;
    const strategy = environment.strategy;
    const pipeline = environment.pipeline;
    const hasRollout = pipeline.some((step) => step.kind === 'rollout');
    const firstDeploy = pipeline.findIndex((step) => step.kind === 'deploy');

    if (strategy?.type === 'canary') {
      let previous = 0;
      strategy.steps.forEach((step, i) => {
        if (step.weight <= previous) {
          context.error(
            [...at, 'strategy', 'steps', i, 'weight'],
            'CANARY_NOT_INCREASING',
            `canary step ${i + 1} sends ${step.weight}% after a step that already sent ${previous}%`,
            'list weights in increasing order, e.g. 10, 50, 100',
          );
        }
        previous = Math.max(previous, step.weight);
      });
      const last = strategy.steps[strategy.steps.length - 1];
      if (last && last.weight !== 100) {
        context.error(
          [...at, 'strategy', 'steps', strategy.steps.length - 1, 'weight'],
          'CANARY_INCOMPLETE',
          `the canary stops at ${last.weight}% and never reaches 100%`,
          'end the steps with weight: 100 (the full promotion)',
        );
      }
      const analysed =
        strategy.analysis !== undefined ||
        strategy.steps.some((step) => step.analysis !== undefined);
      if (!analysed && environment.tier === 'production') {
        context.warning(
          [...at, 'strategy'],
          'CANARY_WITHOUT_ANALYSIS',
          'this canary judges nothing: no analysis on any step',
          'set strategy.analysis so a bad canary rolls back by itself',
        );
      }
    }

    if (
      strategy &&
      strategy.type !== 'recreate' &&
      strategy.type !== 'rolling' &&
      pipeline.length > 0 &&
      !hasRollout
    ) {
      context.error(
        [...at, 'pipeline'],
        'STRATEGY_UNUSED',
        `the ${strategy.type} strategy never runs: the pipeline has no rollout step`,
        'add "- kind: rollout" where traffic should move to the new version',
      );
    }
    if (hasRollout && !strategy) {
      const index = pipeline.findIndex((step) => step.kind === 'rollout');
      context.error(
        [...at, 'pipeline', index],
        'ROLLOUT_WITHOUT_STRATEGY',
        'a rollout step runs, but the environment has no strategy',
        'add strategy: { type: blue-green } or a canary with steps',
      );
    }
    pipeline.forEach((step, i) => {
      if (
        (step.kind === 'rollout' || step.kind === 'traffic') &&
        (firstDeploy === -1 || firstDeploy > i)
      ) {
        context.error(
          [...at, 'pipeline', i],
          'STEP_ORDER',
          `${step.kind} step ${i + 1} moves traffic before any deploy step has started the new version`,
          'put the deploy step first',
        );
      }
      if (
        step.kind === 'traffic' &&
        strategy?.type !== 'canary' &&
        strategy?.type !== 'blue-green'
      ) {
        context.error(
          [...at, 'pipeline', i],
          'TRAFFIC_WITHOUT_ROUTER',
          'a traffic step needs two versions side by side',
          'use strategy type blue-green or canary in this environment',
        );
      }
    });
    instanceRule(policy, environment, context);

    const hasMaintenanceOn = pipeline.findIndex((s) => s.kind === 'maintenance' && s.mode === 'on');
    const hasMaintenanceOff = pipeline.findIndex(
      (s) => s.kind === 'maintenance' && s.mode === 'off',
    );
    if (hasMaintenanceOn !== -1 && hasMaintenanceOff < hasMaintenanceOn) {
      context.warning(
        [...at, 'pipeline', hasMaintenanceOn],
        'MAINTENANCE_LEFT_ON',
        'maintenance mode is turned on and never turned off',
        'add { kind: maintenance, mode: off } after the deploy',
      );
    }
  }
};

/**
 * The canary by instances needs targets that run a chosen number of copies (kubernetes). A
 * kubernetes target split by weight needs a router and a Service per slot (`port`) for it
 * to reach; replaced in place (recreate, rolling), Kubernetes rolls the Deployment itself.
 */
function instanceRule(
  policy: CompiledPolicy,
  environment: CompiledPolicy['environments'][number],
  context: RuleContext,
): void {
  const strategy = environment.strategy;
  const at = environment.source;
  const deployed = new Set(
    environment.pipeline.flatMap((step) => (step.kind === 'deploy' ? step.components : [])),
  );
  const targetOf = (name: string) => {
    const component = policy.components[name];
    return component && component.kind !== 'database' ? component.target?.type : undefined;
  };
  const byInstances = strategy?.type === 'canary' && strategy.by === 'instances';
  if (byInstances) instanceAnalysisRule(policy, environment, context);
  for (const name of deployed) {
    const type = targetOf(name);
    if (type === undefined) continue;
    if (byInstances && type !== 'kubernetes') {
      context.error(
        [...at, 'strategy', 'by'],
        'CANARY_BY_INSTANCES_UNSUPPORTED',
        `a canary by instances needs targets that run several copies, but ${name} runs on a ${type} target, one copy per version`,
        'use by: weight with a router in this environment, or a kubernetes target',
      );
    }
    const component = policy.components[name];
    const port =
      component && component.kind !== 'database' && component.target?.type === 'kubernetes'
        ? component.target.port
        : undefined;
    if (
      type === 'kubernetes' &&
      !byInstances &&
      (strategy?.type === 'blue-green' || strategy?.type === 'canary') &&
      (port === undefined || environment.router === undefined)
    ) {
      context.error(
        [...at, 'strategy'],
        'KUBERNETES_WITHOUT_ROUTE',
        `${name} runs on a kubernetes target, and a ${strategy.type} by weight needs a router that reaches each version${port === undefined ? ': the target names no port, so its slots get no Service' : ', but this environment has no router'}`,
        strategy.type === 'canary'
          ? 'set strategy.by: instances to split by copies behind the Service, or give the target a port and the environment a router'
          : 'give the target a port and the environment a router, or use a canary by instances',
      );
    }
  }
}

/**
 * Behind a Kubernetes Service the two versions have no address of their own to scrape and no
 * HAProxy server: a canary by instances is judged from Prometheus, by the series' labels.
 */
function instanceAnalysisRule(
  policy: CompiledPolicy,
  environment: CompiledPolicy['environments'][number],
  context: RuleContext,
): void {
  const strategy = environment.strategy;
  if (strategy?.type !== 'canary') return;
  const used: { name: string; path: (string | number)[] }[] = [];
  if (strategy.analysis !== undefined)
    used.push({ name: strategy.analysis, path: [...environment.source, 'strategy', 'analysis'] });
  strategy.steps.forEach((step, i) => {
    if (step.analysis !== undefined)
      used.push({
        name: step.analysis,
        path: [...environment.source, 'strategy', 'steps', i, 'analysis'],
      });
  });
  environment.pipeline.forEach((step, i) => {
    if (step.kind === 'analysis')
      used.push({ name: step.analysis, path: [...environment.source, 'pipeline', i, 'analysis'] });
  });
  for (const { name, path } of used) {
    const analysis = policy.analyses?.[name];
    if (!analysis || analysis.source === 'prometheus') continue;
    context.error(
      path,
      'ANALYSIS_UNSUPPORTED',
      `analysis "${name}" reads ${analysis.source ?? 'scrape'}, but a canary by instances has no address per version to read: its copies sit behind one Service`,
      'use source: prometheus with match: version="{{version}}" (or the pod labels your Prometheus keeps)',
    );
  }
}

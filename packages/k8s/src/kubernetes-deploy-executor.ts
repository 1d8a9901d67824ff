import { PatchStrategy, type AppsV1Api, type V1Container, type V1Deployment } from '@kubernetes/client-node';
import type { ComponentConfig } from '@stagecraft/config';
import type { ExecutorOutcome, StageExecutor } from '@stagecraft/executors';
import type { StageContext } from '@stagecraft/executors';
import { formatDuration } from '@stagecraft/policy';
import { abortableSleep } from '@stagecraft/executors';
import { apiStatus, describeApiError } from './describe-api-error.js';
import { imageRepository, withTag } from './image-reference.js';
import { isNewerCycle } from './newer-cycle.js';
import { OutputTail } from './output-tail.js';
import { renderImageTag } from './render-image-tag.js';
import { requestOptions } from './request-options.js';
import { rolloutStatus, type RolloutStatus } from './rollout-status.js';

/**
 * On the Deployment: the last cycle that deployed it and when that cycle started (the stale-job
 * guard), and when it deployed. On its pod template: the cycle, so a redeploy restarts pods.
 */
export const CYCLE_ANNOTATION = 'stagecraft.dev/cycle';
export const CYCLE_STARTED_AT_ANNOTATION = 'stagecraft.dev/cycle-started-at';
export const DEPLOYED_AT_ANNOTATION = 'stagecraft.dev/deployed-at';
export const ROLLED_BACK_ANNOTATION = 'stagecraft.dev/rolled-back-cycle';

/** The only Deployment calls the deploy executor makes. */
export type DeploymentsApi = Pick<AppsV1Api, 'readNamespacedDeployment' | 'patchNamespacedDeployment'>;

/** Where an environment's Deployments are. */
export interface DeployTarget {
  namespace: string;
  deployments: DeploymentsApi;
}

export interface KubernetesDeploySettings {
  /** The cluster of an environment; throws when the environment has none configured. */
  target: (env: string) => DeployTarget;
  components: ReadonlyArray<Pick<ComponentConfig, 'name' | 'images' | 'deployments'>>;
  imageTag: string;
  timeoutMs: number;
  rolloutTimeoutMs: number;
  pollIntervalMs: number;
  clock?: () => number;
}

type ContainerKind = 'containers' | 'initContainers';

interface ImageChange {
  kind: ContainerKind;
  container: string;
  from: string;
  to: string;
}

interface DeploymentPlan {
  name: string;
  components: string[];
  resourceVersion: string | undefined;
  changes: ImageChange[];
  /** The pod template's cycle annotation before this deploy (null: none). */
  previousTemplateCycle: string | null;
  /** component → the images its containers here run once this plan is applied (what a release records). */
  images: Record<string, string[]>;
}

type WaitResult = { result: 'done' } | { result: 'failed' | 'timed-out' | 'cancelled'; message: string };

/** Why a plan cannot go ahead: the stage fails with `summary`. */
class PlanRefusal {
  constructor(readonly summary: string) {}
}

/**
 * deploy on Kubernetes: sets the rebuilt components' images (tagged for this cycle) on their
 * Deployments with a strategic merge patch, marks every affected Deployment's pod template with
 * the cycle (so a component without a rebuild still redeploys), and waits for the rollouts as
 * `kubectl rollout status` would. A failed or timed-out rollout puts back every Deployment's
 * previous images and waits for that. A Deployment a newer cycle already deployed is never touched:
 * a replayed, stale job fails instead.
 */
export class KubernetesDeployExecutor implements StageExecutor {
  readonly description = 'kubernetes: set images on Deployments and wait for rollout';
  private readonly clock: () => number;

  constructor(private readonly settings: KubernetesDeploySettings) {
    this.clock = settings.clock ?? Date.now;
  }

  async run(ctx: StageContext, io: { signal: AbortSignal; log: (line: string) => void }): Promise<ExecutorOutcome> {
    const started = this.clock();
    const tail = new OutputTail(50, io.log);
    const log = (line: string) => tail.write(line);
    const outcome = (status: ExecutorOutcome['status'], summary: string, details: Record<string, unknown> | null = null): ExecutorOutcome => ({
      status,
      summary,
      details,
      outputTail: [...tail.lines],
    });

    if (!ctx.sha) return outcome('failed', 'no commit to deploy: the cycle has neither a staging SHA from compose nor a main SHA');
    let target: DeployTarget;
    try {
      target = this.settings.target(ctx.env);
    } catch (err) {
      return outcome('failed', (err as Error).message);
    }
    const tag = renderImageTag(this.settings.imageTag, { ...ctx, sha: ctx.sha });
    const unknown = ctx.components.filter((name) => !this.settings.components.some((c) => c.name === name));
    if (unknown.length > 0) {
      return outcome('failed', `component(s) ${unknown.join(', ')} of this cycle are not in the config's components: add them, or restart the scheduler with the config it ran with`);
    }

    // The stage timeout stops the rollout wait; a rollback after it still gets rolloutTimeout.
    const stageTimeout = new AbortController();
    const timer = setTimeout(() => stageTimeout.abort(), this.settings.timeoutMs);
    const signal = AbortSignal.any([io.signal, stageTimeout.signal]);
    const details: Record<string, unknown> = { namespace: target.namespace, tag, deployments: [], rolledBack: null };
    try {
      let plans: DeploymentPlan[];
      try {
        plans = await this.planAll(ctx, target, tag, signal);
      } catch (err) {
        if (err instanceof PlanRefusal) return outcome('failed', err.summary, details);
        if (io.signal.aborted) return outcome('cancelled', 'deploy cancelled before any Deployment was changed', details);
        return outcome('failed', `could not read the Deployments in namespace ${target.namespace}: ${describeApiError(err)}`, details);
      }
      details['deployments'] = plans.map((p) => ({ name: p.name, components: p.components, changes: p.changes.map(({ container, from, to }) => ({ container, from, to })) }));
      details['images'] = mergeImages(plans.map((p) => p.images));

      const patched: DeploymentPlan[] = [];
      for (const plan of plans) {
        try {
          patched.push(await this.apply(ctx, target, tag, plan, signal, log));
        } catch (err) {
          const why = err instanceof PlanRefusal ? err.summary : `could not patch Deployment "${plan.name}": ${describeApiError(err)}`;
          if (patched.length === 0) {
            if (io.signal.aborted) return outcome('cancelled', 'deploy cancelled before any Deployment was changed', details);
            return outcome('failed', why, details);
          }
          details['rolledBack'] = await this.rollBack(ctx, target, patched, io.signal, log);
          return outcome('failed', `${why}; ${describeRollback(details['rolledBack'] as RollbackDetails)}`, details);
        }
      }

      const names = patched.map((p) => p.name);
      log(`waiting for the rollout of ${names.join(', ')} in ${target.namespace}`);
      const deadline = this.clock() + this.settings.rolloutTimeoutMs;
      const wait = await this.waitForRollouts(target, names, deadline, signal, log);
      if (wait.result === 'done') {
        return outcome('succeeded', `rolled out ${names.join(', ')} at ${ctx.release ? `release ${ctx.release.id}` : shortTag(tag)} in ${formatDuration(this.clock() - started)}`, { ...details, rollout: 'done' });
      }
      if (wait.result === 'cancelled' && io.signal.aborted) {
        return outcome(
          'cancelled',
          `deploy cancelled while waiting for the rollout of ${names.join(', ')}; the Deployments keep the new images (the next cycle deploys over them)`,
          { ...details, rollout: 'cancelled' },
        );
      }
      const failure =
        wait.result === 'failed'
          ? `rollout failed: ${wait.message}`
          : wait.result === 'cancelled'
            ? `deploy timed out after ${formatDuration(this.settings.timeoutMs)}: ${wait.message}`
            : `rollout did not finish within ${formatDuration(this.settings.rolloutTimeoutMs)}: ${wait.message}`;
      log(failure);
      const rollback = await this.rollBack(ctx, target, patched, io.signal, log);
      return outcome('failed', `${failure}; ${describeRollback(rollback)}`, { ...details, rollout: wait.result === 'cancelled' ? 'timed-out' : wait.result, rolledBack: rollback });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Reads every affected Deployment and decides its changes; refuses when one was deployed by a newer cycle or runs none of a rebuilt component's images. */
  private async planAll(ctx: StageContext, target: DeployTarget, tag: string, signal: AbortSignal): Promise<DeploymentPlan[]> {
    const owners = new Map<string, string[]>();
    for (const name of ctx.components) {
      const component = this.settings.components.find((c) => c.name === name)!;
      for (const deployment of component.deployments) owners.set(deployment, [...(owners.get(deployment) ?? []), name]);
    }
    const plans: DeploymentPlan[] = [];
    for (const [name, components] of owners) {
      const deployment = await this.read(target, name, signal);
      plans.push(this.plan(ctx, tag, target.namespace, deployment, components));
    }
    return plans;
  }

  private async read(target: DeployTarget, name: string, signal: AbortSignal): Promise<V1Deployment> {
    try {
      return await target.deployments.readNamespacedDeployment({ name, namespace: target.namespace }, requestOptions({ signal }));
    } catch (err) {
      if (apiStatus(err)?.code === 404) {
        throw new PlanRefusal(`Deployment "${name}" not found in namespace ${target.namespace}: create it, or fix components[].deployments (or the environment's namespace)`);
      }
      throw err;
    }
  }

  private plan(ctx: StageContext, tag: string, namespace: string, deployment: V1Deployment, components: string[]): DeploymentPlan {
    const name = deployment.metadata?.name ?? '?';
    const annotations = deployment.metadata?.annotations ?? {};
    const deployedBy = annotations[CYCLE_ANNOTATION];
    const deployedByStart = Number(annotations[CYCLE_STARTED_AT_ANNOTATION] ?? NaN);
    const mine = { id: ctx.cycleId, startedAt: ctx.cycleStartedAt ?? null };
    if (deployedBy !== undefined && isNewerCycle({ id: deployedBy, startedAt: Number.isFinite(deployedByStart) ? deployedByStart : null }, mine)) {
      throw new PlanRefusal(
        `refused to deploy: Deployment "${name}" in ${namespace} was already deployed by a newer cycle (${deployedBy}) than this one (${ctx.cycleId}); this is a stale or replayed job, and deploying it would roll back newer images`,
      );
    }
    const podSpec = deployment.spec?.template?.spec;
    const containers: Array<{ kind: ContainerKind; container: V1Container }> = [
      ...(podSpec?.initContainers ?? []).map((container) => ({ kind: 'initContainers' as const, container })),
      ...(podSpec?.containers ?? []).map((container) => ({ kind: 'containers' as const, container })),
    ];
    const changes: ImageChange[] = [];
    if (ctx.release) return this.releasePlan(ctx.release.images, name, deployment, components, containers);
    for (const componentName of components.filter((c) => ctx.rebuild.includes(c))) {
      const component = this.settings.components.find((c) => c.name === componentName)!;
      if (component.images.length === 0) continue;
      const repositories = component.images.map(imageRepository);
      const matching = containers.filter(({ container }) => container.image !== undefined && repositories.includes(imageRepository(container.image)));
      if (matching.length === 0) {
        const running = containers.map(({ container }) => `${container.name}=${container.image ?? '(no image)'}`).join(', ') || 'none';
        throw new PlanRefusal(
          `Deployment "${name}" runs none of component ${componentName}'s images (${repositories.join(', ')}); its containers: ${running}: fix components[].images or components[].deployments`,
        );
      }
      for (const { kind, container } of matching) {
        const to = withTag(container.image!, tag);
        if (to !== container.image && !changes.some((c) => c.kind === kind && c.container === container.name)) {
          changes.push({ kind, container: container.name, from: container.image!, to });
        }
      }
    }
    return {
      name,
      components,
      resourceVersion: deployment.metadata?.resourceVersion,
      changes,
      previousTemplateCycle: deployment.spec?.template?.metadata?.annotations?.[CYCLE_ANNOTATION] ?? null,
      images: imagesRunning(this.settings.components, components, containers, changes),
    };
  }

  /**
   * A promotion: every container running one of a component's repositories gets the exact image
   * reference the release recorded (tag and digest as staging deployed them), nothing re-rendered.
   */
  private releasePlan(
    images: Record<string, string[]>,
    name: string,
    deployment: V1Deployment,
    components: string[],
    containers: Array<{ kind: ContainerKind; container: V1Container }>,
  ): DeploymentPlan {
    const changes: ImageChange[] = [];
    for (const componentName of components) {
      for (const ref of images[componentName] ?? []) {
        for (const { kind, container } of containers) {
          if (container.image === undefined || imageRepository(container.image) !== imageRepository(ref)) continue;
          if (ref !== container.image && !changes.some((c) => c.kind === kind && c.container === container.name)) {
            changes.push({ kind, container: container.name, from: container.image, to: ref });
          }
        }
      }
    }
    return {
      name,
      components,
      resourceVersion: deployment.metadata?.resourceVersion,
      changes,
      previousTemplateCycle: deployment.spec?.template?.metadata?.annotations?.[CYCLE_ANNOTATION] ?? null,
      images: imagesRunning(this.settings.components, components, containers, changes),
    };
  }

  /** Patches one Deployment; when someone changed it since it was read (409), reads it again and re-plans, up to 3 times. */
  private async apply(ctx: StageContext, target: DeployTarget, tag: string, first: DeploymentPlan, signal: AbortSignal, log: (line: string) => void): Promise<DeploymentPlan> {
    let plan = first;
    for (let attempt = 1; ; attempt++) {
      const body = {
        metadata: {
          resourceVersion: plan.resourceVersion,
          annotations: {
            [CYCLE_ANNOTATION]: ctx.cycleId,
            // null removes a start time an earlier cycle left, which would not be this cycle's.
            [CYCLE_STARTED_AT_ANNOTATION]: ctx.cycleStartedAt !== undefined ? String(ctx.cycleStartedAt) : null,
            [DEPLOYED_AT_ANNOTATION]: String(this.clock()),
          },
        },
        spec: { template: { metadata: { annotations: { [CYCLE_ANNOTATION]: ctx.cycleId } }, spec: containerPatch(plan.changes.map((c) => ({ ...c, image: c.to }))) } },
      };
      try {
        await target.deployments.patchNamespacedDeployment(
          { name: plan.name, namespace: target.namespace, body, fieldManager: 'stagecraft' },
          requestOptions({ signal, patch: PatchStrategy.StrategicMergePatch }),
        );
        const what = plan.changes.length > 0 ? plan.changes.map((c) => `${c.container}: ${c.from} → ${c.to}`).join(', ') : 'no image change (redeploy)';
        log(`patched Deployment ${plan.name}: ${what}`);
        return plan;
      } catch (err) {
        if (apiStatus(err)?.code !== 409 || attempt >= 3) throw err;
        log(`Deployment ${plan.name} changed while being deployed (${describeApiError(err)}); reading it again`);
        plan = this.plan(ctx, tag, target.namespace, await this.read(target, plan.name, signal), plan.components);
      }
    }
  }

  /** Polls the Deployments until all rolled out, one failed, the deadline passed or the signal aborted. */
  private async waitForRollouts(target: DeployTarget, names: string[], deadline: number, signal: AbortSignal, log: (line: string) => void): Promise<WaitResult> {
    const pending = new Set(names);
    const last = new Map<string, RolloutStatus>();
    for (;;) {
      for (const name of [...pending]) {
        let status: RolloutStatus;
        try {
          status = rolloutStatus(await target.deployments.readNamespacedDeployment({ name, namespace: target.namespace }, requestOptions({ signal })));
        } catch (err) {
          if (signal.aborted) break;
          if (apiStatus(err)?.code === 404) return { result: 'failed', message: `Deployment "${name}" was deleted during its rollout` };
          status = { state: 'waiting', message: `could not read Deployment "${name}" (${describeApiError(err)}); trying again` };
        }
        if (last.get(name)?.message !== status.message) log(status.message);
        last.set(name, status);
        if (status.state === 'failed') return { result: 'failed', message: status.message };
        if (status.state === 'done') pending.delete(name);
      }
      if (pending.size === 0) return { result: 'done' };
      const waiting = [...pending].map((name) => last.get(name)?.message ?? `waiting for deployment "${name}"`).join('; ');
      if (signal.aborted) return { result: 'cancelled', message: waiting };
      if (this.clock() >= deadline) return { result: 'timed-out', message: waiting };
      await abortableSleep(Math.min(this.settings.pollIntervalMs, Math.max(0, deadline - this.clock())), signal);
    }
  }

  /** Puts the previous images and pod template annotation back on every patched Deployment, then waits for that rollout. */
  private async rollBack(ctx: StageContext, target: DeployTarget, patched: DeploymentPlan[], cancel: AbortSignal, log: (line: string) => void): Promise<RollbackDetails> {
    const restored: RollbackDetails['deployments'] = [];
    const errors: string[] = [];
    for (const plan of patched) {
      const body = {
        metadata: { annotations: { [ROLLED_BACK_ANNOTATION]: ctx.cycleId } },
        spec: {
          template: {
            metadata: { annotations: { [CYCLE_ANNOTATION]: plan.previousTemplateCycle } },
            spec: containerPatch(plan.changes.map((c) => ({ ...c, image: c.from }))),
          },
        },
      };
      try {
        // Not cancellable: a half-done rollback is worse than a late one.
        await target.deployments.patchNamespacedDeployment(
          { name: plan.name, namespace: target.namespace, body, fieldManager: 'stagecraft' },
          requestOptions({ patch: PatchStrategy.StrategicMergePatch }),
        );
        restored.push({ name: plan.name, images: plan.changes.map((c) => ({ container: c.container, image: c.from })) });
        log(`rolled back Deployment ${plan.name}${plan.changes.length > 0 ? `: ${plan.changes.map((c) => `${c.container} → ${c.from}`).join(', ')}` : ''}`);
      } catch (err) {
        errors.push(`could not roll back Deployment "${plan.name}": ${describeApiError(err)}`);
        log(errors[errors.length - 1]!);
      }
    }
    if (errors.length > 0) return { deployments: restored, rollout: 'failed', message: errors.join('; ') };
    const wait = await this.waitForRollouts(
      target,
      restored.map((d) => d.name),
      this.clock() + this.settings.rolloutTimeoutMs,
      cancel,
      log,
    );
    return { deployments: restored, rollout: wait.result, message: wait.result === 'done' ? null : wait.message };
  }
}

export interface RollbackDetails {
  deployments: Array<{ name: string; images: Array<{ container: string; image: string }> }>;
  rollout: 'done' | 'failed' | 'timed-out' | 'cancelled';
  message: string | null;
}

function describeRollback(rollback: RollbackDetails): string {
  const names = rollback.deployments.map((d) => d.name).join(', ');
  switch (rollback.rollout) {
    case 'done':
      return `rolled back ${names} to their previous images`;
    case 'cancelled':
      return `rollback of ${names} sent, but the cycle was cancelled before it finished rolling out`;
    default:
      return `ROLLBACK FAILED (${rollback.message}): check ${names || 'the Deployments'} by hand`;
  }
}

/** The containers and init containers part of a strategic merge patch; lists merge by container name. */
function containerPatch(images: Array<{ kind: ContainerKind; container: string; image: string }>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const kind of ['containers', 'initContainers'] as const) {
    const items = images.filter((i) => i.kind === kind).map((i) => ({ name: i.container, image: i.image }));
    if (items.length > 0) patch[kind] = items;
  }
  return patch;
}

function shortTag(tag: string): string {
  return /^[0-9a-f]{40}$/.test(tag) ? tag.slice(0, 12) : tag;
}

/** component → image references its matching containers run after `changes`. */
function imagesRunning(
  settings: ReadonlyArray<Pick<ComponentConfig, 'name' | 'images'>>,
  components: string[],
  containers: Array<{ kind: ContainerKind; container: V1Container }>,
  changes: ImageChange[],
): Record<string, string[]> {
  const images: Record<string, string[]> = {};
  for (const name of components) {
    const repositories = (settings.find((c) => c.name === name)?.images ?? []).map(imageRepository);
    const refs = containers
      .filter(({ container }) => container.image !== undefined && repositories.includes(imageRepository(container.image)))
      .map(({ kind, container }) => changes.find((c) => c.kind === kind && c.container === container.name)?.to ?? container.image!);
    if (refs.length > 0) images[name] = [...new Set(refs)];
  }
  return images;
}

function mergeImages(all: Array<Record<string, string[]>>): Record<string, string[]> {
  const merged: Record<string, string[]> = {};
  for (const images of all) for (const [name, refs] of Object.entries(images)) merged[name] = [...new Set([...(merged[name] ?? []), ...refs])];
  return merged;
}

import { formatDuration } from '@stagecraft/policy';
import { LaunchFailure } from './errors/launch-failure.js';

export interface HealthTarget {
  label: string;
  /** e.g. http://127.0.0.1:3000/healthz */
  url: string;
}

export interface WaitForHealthyOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Stop waiting early, e.g. when the supervisor gave up on an app. */
  abandoned?: () => string | null;
}

/** Resolves once every target answers 2xx; otherwise fails naming the ones that never did. */
export async function waitForHealthy(targets: HealthTarget[], options: WaitForHealthyOptions = {}): Promise<void> {
  const { timeoutMs = 60_000, intervalMs = 200, abandoned = () => null } = options;
  const waiting = new Map(targets.map((t) => [t.label, t]));
  const deadline = Date.now() + timeoutMs;
  while (waiting.size > 0) {
    const reason = abandoned();
    if (reason !== null) throw new LaunchFailure(reason);
    await Promise.all(
      [...waiting.values()].map(async (t) => {
        if (await answers(t.url, intervalMs * 5)) waiting.delete(t.label);
      }),
    );
    if (waiting.size === 0) return;
    if (Date.now() > deadline) {
      const names = [...waiting.values()].map((t) => `${t.label} (${t.url})`).join(', ');
      throw new LaunchFailure(`not healthy after ${formatDuration(timeoutMs)}: ${names}; see its log lines above`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

async function answers(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

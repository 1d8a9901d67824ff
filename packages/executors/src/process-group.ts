import { hasLiveGroupMember } from './has-live-group-member.js';

/**
 * The process group a command runs in (its id is the leader's pid). Signals go to the whole
 * group, so processes the command started in the background stop with it.
 */
export class ProcessGroup {
  private killTimer: NodeJS.Timeout | undefined;
  private killSent = false;
  private terminating = false;

  constructor(
    private readonly pgid: number | undefined,
    private readonly killGraceMs: number,
  ) {}

  /** True while any process of the group still runs (zombies waiting to be reaped do not count). */
  async alive(): Promise<boolean> {
    if (this.pgid === undefined) return false;
    try {
      process.kill(-this.pgid, 0);
    } catch (err) {
      // EPERM means a process exists that we may not signal; only ESRCH means the group is gone.
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
    }
    return (await hasLiveGroupMember(this.pgid)) ?? true;
  }

  /** SIGTERM to the group now, SIGKILL once the grace has passed; later calls change nothing. */
  terminate(): void {
    if (this.terminating) return;
    this.terminating = true;
    this.send('SIGTERM');
    this.killTimer = setTimeout(() => {
      this.killSent = true;
      this.send('SIGKILL');
    }, this.killGraceMs);
  }

  /**
   * Terminates whatever is left of the group and resolves once none of it runs. The wait after
   * SIGKILL is bounded, for a process stuck in the kernel (state D) that cannot die yet.
   */
  async stop(pollMs = 20, afterKillMs = 500): Promise<void> {
    if (await this.alive()) this.terminate();
    let waitedAfterKill = 0;
    while (waitedAfterKill < afterKillMs && (await this.alive())) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      if (this.killSent) waitedAfterKill += pollMs;
    }
    this.dispose();
  }

  /** Stops the pending SIGKILL: the group id may be reused once the group is gone. */
  dispose(): void {
    clearTimeout(this.killTimer);
    this.killTimer = undefined;
  }

  private send(signal: NodeJS.Signals): void {
    if (this.pgid === undefined) return;
    try {
      process.kill(-this.pgid, signal);
    } catch {
      // the group has already exited
    }
  }
}

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

  /** True while any process of the group exists (zombies not yet reaped included). */
  alive(): boolean {
    if (this.pgid === undefined) return false;
    try {
      process.kill(-this.pgid, 0);
      return true;
    } catch (err) {
      // EPERM means a process exists that we may not signal; only ESRCH means the group is gone.
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
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
   * Terminates whatever is left of the group and resolves once it is empty. After SIGKILL the
   * wait is short: a killed process that nobody reaps (no init reaping zombies in some
   * containers) would otherwise keep the group forever.
   */
  async stop(pollMs = 20, afterKillMs = 500): Promise<void> {
    if (this.alive()) this.terminate();
    let waitedAfterKill = 0;
    while (this.alive() && waitedAfterKill < afterKillMs) {
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

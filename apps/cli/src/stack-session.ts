import { launchStack, type LaunchStackOptions, type RunningStack } from '@stagecraft/launcher';

export interface StackSessionOptions {
  launch: Omit<LaunchStackOptions, 'onFatal'>;
  /** Runs once every app is healthy: an exit code ends the session, 'keep-running' waits for Ctrl-C. */
  whenUp: (stack: RunningStack) => Promise<number | 'keep-running'>;
  /** Runs after the apps and Redis have stopped (e.g. the demo service's stop script). */
  afterStop?: () => Promise<void>;
  /** Where the session's own messages go before the merged log exists. */
  notice: (line: string) => void;
}

/**
 * A stack from start to stop: launch, `whenUp`, then until Ctrl-C/SIGTERM or an app that keeps
 * crashing. Whatever ends it, the apps, the private Redis and `afterStop` are stopped in order,
 * and the exit code is returned. A second Ctrl-C exits at once (the children are then SIGKILLed).
 */
export async function runStackSession(options: StackSessionOptions): Promise<number> {
  let stopStack: (() => Promise<void>) | null = null;
  let stack: RunningStack | null = null;
  let endSession!: (code: number) => void;
  const ended = new Promise<number>((resolve) => (endSession = resolve));
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      options.notice(`${signal} again: killing everything now`);
      process.exit(130);
    }
    signalled = true;
    (stack?.log.cli.bind(stack.log) ?? options.notice)(`${signal}: stopping every app (${signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again to kill them now)`);
    endSession(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const launched = launchStack(
      {
        ...options.launch,
        onFatal: (reason) => {
          (stack?.log.cli.bind(stack.log) ?? options.notice)(reason);
          endSession(1);
        },
      },
      (stop) => (stopStack = stop),
    );
    // When a signal wins the race below, a later launch failure has no one left to hear it.
    launched.catch(() => {});
    const first = await Promise.race([launched.then((s) => ({ stack: s })), ended.then((code) => ({ code }))]);
    if ('code' in first) return first.code;
    stack = first.stack;
    const outcome = await Promise.race([options.whenUp(stack), ended]);
    return outcome === 'keep-running' ? await ended : outcome;
  } finally {
    await (stopStack as (() => Promise<void>) | null)?.();
    if (stack) stack.log.cli('every app has stopped');
    await options.afterStop?.();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

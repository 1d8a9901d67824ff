import type { RunningStack } from '@stagecraft/launcher';

/** The line that says the stack is ready and where to reach it. */
export function upLine(stack: RunningStack, only: string[] | null): string {
  const runs = (app: string) => only === null || only.includes(app);
  const parts = [
    ...(runs('ingress') ? [`ingress ${stack.ingressUrl}`] : []),
    ...(runs('dashboard') ? [`dashboard ${stack.dashboardUrl}`] : []),
  ];
  const token = stack.dashboardTokenFile ? ` (token in ${stack.dashboardTokenFile})` : '';
  return `stagecraft is up${parts.length ? `: ${parts.join(', ')}${runs('dashboard') ? token : ''}` : ''} — Ctrl-C stops everything`;
}

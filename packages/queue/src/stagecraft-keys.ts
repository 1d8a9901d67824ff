/** Every Redis key Stagecraft itself owns (BullMQ's own keys share the same prefix). */
export function stagecraftKeys(prefix: string) {
  const p = `${prefix}:sc`;
  return {
    envState: (env: string) => `${p}:env:${env}:state`,
    appliedEvent: (env: string, eventId: string) => `${p}:env:${env}:applied:${eventId}`,
    cycle: (cycleId: string) => `${p}:cycle:${cycleId}`,
    cycleStages: (cycleId: string) => `${p}:cycle:${cycleId}:stages`,
    cycleCancelled: (cycleId: string) => `${p}:cycle:${cycleId}:cancelled`,
    cycleIndex: (env: string) => `${p}:cycles:${env}`,
    cycleIndexAll: () => `${p}:cycles`,
    /**
     * hash: `main` → sha, `pr:<n>` → JSON of the PR's last known head; `order:main`, `order:pr:<n>` →
     * what ordered the update that wrote it (a closed PR keeps its `order:pr:<n>` for a while).
     */
    heads: () => `${p}:heads`,
    /** sorted set: PR numbers whose close is remembered in `heads`, scored by when it was received. */
    headsClosed: () => `${p}:heads:closed`,
    /** JSON: main and each PR's head that the env's last successful deploy put there (idle check compares). */
    deployedHeads: (env: string) => `${p}:env:${env}:deployed-heads`,
    approvals: () => `${p}:approvals`,
    /** hash: PR number → who asked to leave it out of staging (`@bot skip`). */
    skips: () => `${p}:skips`,
    cancelChannel: () => `${p}:cancel`,
    stageLock: (stage: string, env: string) => `${p}:lock:${stage}:${env}`,
    /** hash: what the notifier published for a cycle (check run / deployment ids, last states). */
    published: (cycleId: string) => `${p}:notify:cycle:${cycleId}`,
    /** hash: PR number → id of its one Stagecraft comment (and `sig:<n>` → hash of its body). */
    prComments: () => `${p}:notify:comments`,
    /** set: `<pr>@<sha>` heads already told they conflict. */
    conflictsTold: () => `${p}:notify:conflicts`,
    notifyLock: (cycleId: string) => `${p}:lock:notify:${cycleId}`,
    /** A login's role as GitHub answered it (teams, permission), cached for a while. */
    role: (login: string) => `${p}:role:${login}`,
    /** A dashboard login (JSON, expires with the session). */
    session: (id: string) => `${p}:session:${id}`,
    /** list: what people did through the dashboard, newest first. */
    audit: () => `${p}:audit`,
    /** Failed dashboard logins and bearer checks of one client address (a count, expires with its window). */
    authFailures: (address: string) => `${p}:auth-failures:${address}`,
  };
}
export type StagecraftKeys = ReturnType<typeof stagecraftKeys>;

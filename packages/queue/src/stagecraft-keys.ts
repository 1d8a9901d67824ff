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
    /** hash: `main` → sha, `pr:<n>` → JSON of the PR's last known head. */
    heads: () => `${p}:heads`,
    /** hash: head of main / each PR at the start of the last cycle per env (idle check compares). */
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
    /** A release (JSON): what a cycle deployed, kept to promote or roll back to. */
    release: (id: string) => `${p}:release:${id}`,
    /** zset: an environment's releases by time. */
    releaseIndex: (env: string) => `${p}:releases:${env}`,
    /** A promotion request (JSON field `request`, and `version` for compare-and-set). */
    promotion: (id: string) => `${p}:promotion:${id}`,
    /** zset: an environment's promotion requests by time asked. */
    promotionIndex: (env: string) => `${p}:promotions:${env}`,
    /** The request whose cycle holds an environment now (one production cycle at a time). */
    promotionActive: (env: string) => `${p}:promotions:${env}:active`,
    /** counter: promotion request ids. */
    promotionSeq: () => `${p}:promotions:seq`,
    /** stream: every promotion step (asked, approved, refused, expired, deployed, failed, rolled back). */
    releaseAudit: () => `${p}:release-audit`,
    /** The scheduler's answer to a promotion command from the dashboard or CLI (JSON, expires). */
    commandAnswer: (eventId: string) => `${p}:command-answer:${eventId}`,
  };
}
export type StagecraftKeys = ReturnType<typeof stagecraftKeys>;

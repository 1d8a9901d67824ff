import type { Redis } from 'ioredis';
import { holdLock, type HeadsStore } from '@stagecraft/engine';
import { pullRequestKey } from '@stagecraft/policy';
import type { StagecraftKeys, WaitingNotification } from '@stagecraft/queue';
import { configuredRepository, type RepositoryClientSource } from '../app/repository-clients.js';
import { repositoryCoordinates } from '../app/repository-coordinates.js';
import { editableWaitingRun, PrCommentState, PR_COMMENT_MARKER } from './pr-comment-state.js';
import { contentSignature } from './content-signature.js';
import { upsertCheckRun } from './upsert-check-run.js';
import { upsertMarkedComment } from './upsert-marked-comment.js';
import { waitingComment, waitingRun } from './waiting-report.js';

export interface PostWaitingResources {
  redis: Redis;
  keys: StagecraftKeys;
  github: RepositoryClientSource;
  /** The scheduler's PR heads: a notice about a head the PR no longer has is old news. */
  heads: Pick<HeadsStore, 'getPr'>;
  checkName: string;
}

/** What became of a waiting notice: posted (or already shown), or passed over as older than what GitHub shows. */
export type WaitingOutcome = 'posted' | 'moved' | 'older';

/**
 * Tells a PR what its head waits for: its one Stagecraft comment and a check run on the head,
 * each edited in place while the head waits (a completed run is not reopened: a head waiting again
 * after a failure gets a new one), until a cycle's report takes both over. Notices are handled out
 * of order by several workers, so one whose head the PR no longer has, or older than the cycle
 * report or notice the comment shows, writes nothing; one per PR at a time.
 */
export async function postWaiting(job: WaitingNotification, r: PostWaitingResources): Promise<WaitingOutcome> {
  const { name } = configuredRepository(r.github, job.repo);
  const lock = await holdLock(r.redis, r.keys.notifyLock(`waiting.${pullRequestKey(name, job.pr)}`), { ttlMs: 60_000, pollMs: 50 });
  try {
    if ((await r.heads.getPr(name, job.pr))?.sha !== job.sha) return 'moved';
    const comments = new PrCommentState(r.redis, r.keys);
    const shown = await comments.read(name, job.pr);
    if (job.at < shown.cycleAt || job.at < shown.waitingAt) return 'older';
    const client = await r.github.clientFor(name, job.installationId);
    const repo = repositoryCoordinates(name);
    const several = r.github.repositories.length > 1;
    const notice = { ...job, repo: name };

    const run = waitingRun(notice, r.checkName, several);
    const runSig = contentSignature(run);
    const known = editableWaitingRun(shown.waitingRun, job.sha, run);
    if (known === null || shown.waitingRun?.sig !== runSig) {
      const id = await upsertCheckRun(client, repo, run, known);
      await comments.rememberWaitingRun(name, job.pr, { sha: job.sha, id, completed: run.status === 'completed', sig: runSig }, job.at);
    }

    const body = waitingComment(notice, several);
    const bodySig = contentSignature(body);
    const id = shown.sig === bodySig && shown.id !== null ? shown.id : await upsertMarkedComment(client, repo, { issue: job.pr, marker: PR_COMMENT_MARKER, body, knownId: shown.id });
    await comments.rememberComment(name, job.pr, { id, sig: bodySig }, { waitingAt: job.at });
    return 'posted';
  } finally {
    await lock?.release();
  }
}

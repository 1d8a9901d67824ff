// compose: the staging SHA is a digest of main + the ready PRs' heads, as a merge commit would be.
import { createHash } from 'node:crypto';
import { writeResults } from './lib/state.mjs';

const mainSha = process.env.STAGECRAFT_MAIN_SHA ?? '';
const prsText = process.env.STAGECRAFT_PRS ?? '';
const prs = prsText ? prsText.split(',').map((p) => ({ number: Number(p.split(':')[0]), sha: p.split(':')[1] })) : [];
const sha = createHash('sha1').update(`${mainSha}|${prsText}`).digest('hex');
console.log(`composed staging ${sha.slice(0, 12)} = main ${mainSha.slice(0, 12) || '(unknown)'} + ${prs.length} PR(s)${prs.map((p) => ` #${p.number}`).join('')}`);
writeResults({ sha, mainSha, prs });

import { pullRequestKey } from '@stagecraft/policy';
import type { HeadsUpdate } from './heads-update.js';

/** How long a closed PR's order is kept, so a late event of it cannot bring it back. */
export const CLOSED_PR_MEMORY_MS = 30 * 24 * 3600 * 1000;

/**
 * Lua shared by the state commit and the heads-only update: `applyHeads(headsKey, closedKey,
 * updatesJson)` applies each update only when it is newer than what its ref holds (see HeadOrder)
 * and returns how many moved a head. An update is `{kind, ref, sha?, head?, order}`: `ref` is
 * `main:<owner/name>` or `pr:<owner/name>#<n>` (the heads field it writes; the closed set holds
 * the part after `pr:`), `head` and `order` JSON text stored as given (cjson would turn `[]` into
 * `{}` and round large numbers).
 */
export const APPLY_HEADS_LUA = `
local function decodeOrder(raw)
  if not raw then return nil end
  local o = cjson.decode(raw)
  for _, k in ipairs({'sha', 'before', 'at', 'receivedAt'}) do
    if o[k] == cjson.null then o[k] = nil end
  end
  return o
end

-- Is the update (order e) newer than what the ref holds (order s)?
local function newer(e, s)
  if not s then return true end
  if e.sha and s.sha then
    if e.sha == s.sha then return false end
    if e.before == s.sha then return true end
    if s.before == e.sha then return false end
  end
  if e.at and s.at and e.at ~= s.at then return e.at > s.at end
  return (e.receivedAt or 0) > (s.receivedAt or 0)
end

local function applyHeads(headsKey, closedKey, updatesJson)
  local moved = 0
  for _, u in ipairs(cjson.decode(updatesJson)) do
    local orderField = 'order:' .. u.ref
    local member = string.sub(u.ref, 4)
    local e = decodeOrder(u.order)
    if newer(e, decodeOrder(redis.call('HGET', headsKey, orderField))) then
      moved = moved + 1
      if u.kind == 'main' then
        redis.call('HSET', headsKey, u.ref, u.sha, orderField, u.order)
      elseif u.kind == 'pr-upsert' then
        redis.call('HSET', headsKey, u.ref, u.head, orderField, u.order)
        redis.call('ZREM', closedKey, member)
      else
        -- The close is kept (its order) so an older event of the PR cannot bring it back.
        redis.call('HDEL', headsKey, u.ref)
        redis.call('HSET', headsKey, orderField, u.order)
        redis.call('ZADD', closedKey, e.receivedAt, member)
        local forgotten = redis.call('ZRANGEBYSCORE', closedKey, '-inf', e.receivedAt - ${CLOSED_PR_MEMORY_MS}, 'LIMIT', 0, 100)
        for _, n in ipairs(forgotten) do
          redis.call('HDEL', headsKey, 'order:pr:' .. n)
          redis.call('ZREM', closedKey, n)
        end
      end
    end
  end
  return moved
end
`;

/** The updates as applyHeads reads them. */
export function headsUpdatesArg(updates: HeadsUpdate[]): string {
  return JSON.stringify(
    updates.map((u) => {
      const order = JSON.stringify(u.order);
      switch (u.kind) {
        case 'main':
          return { kind: u.kind, ref: mainField(u.repo), sha: u.sha, order };
        case 'pr-upsert':
          return { kind: u.kind, ref: prField(u.head.repo, u.head.number), head: JSON.stringify(u.head), order };
        case 'pr-remove':
          return { kind: u.kind, ref: prField(u.repo, u.pr), order };
      }
    }),
  );
}

/** The heads field of a repository's main head (the Lua's `main:` refs). */
export function mainField(repo: string): string {
  return `main:${repo.toLowerCase()}`;
}

/** The heads field of a PR's head (the Lua's `pr:` refs). */
export function prField(repo: string, pr: number): string {
  return `pr:${pullRequestKey(repo, pr)}`;
}

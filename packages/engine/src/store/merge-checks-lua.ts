/**
 * Merges what a webhook or a read from GitHub reports into one commit's checks, atomically, and
 * answers what the checks were before and are after, so the caller sees whether the merge turned
 * the head green or red even when other events of the same commit are merged at the same moment.
 *
 * A report replaces what its field holds only when it is newer: a later `at`, or the same `at`
 * moving from pending to a result (GitHub's times have whole seconds). An event's merge remembers
 * what was there before it (`event:<id>`), so the event run again after a crash answers the same
 * before, and the change it caused is not lost.
 *
 * Input:
 *   KEYS[1] the commit's checks hash
 *   ARGV[1] how long the hash lives after this write (ms)
 *   ARGV[2] the event's id, or '' for a read from GitHub
 *   ARGV[3..] four per report: field (`run:<name>` / `status:<context>`), value (JSON), at, state
 *
 * Output: { before, after }, each a flat list field, value, … of the check fields.
 */
export const MERGE_CHECKS_LUA = `
local function checks(key)
  local all = redis.call('HGETALL', key)
  local out = {}
  for i = 1, #all, 2 do
    if string.sub(all[i], 1, 6) ~= 'event:' then
      out[#out + 1] = all[i]
      out[#out + 1] = all[i + 1]
    end
  end
  return out
end

local before
local remembered = ARGV[2] ~= '' and redis.call('HGET', KEYS[1], 'event:' .. ARGV[2])
if remembered then
  before = cjson.decode(remembered)
else
  before = checks(KEYS[1])
end
for i = 3, #ARGV, 4 do
  local field, value, at, state = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), ARGV[i + 3]
  local raw = redis.call('HGET', KEYS[1], field)
  local newer = true
  if raw then
    local s = cjson.decode(raw)
    newer = at > s.at or (at == s.at and s.state == 'pending' and state ~= 'pending')
  end
  if newer then redis.call('HSET', KEYS[1], field, value) end
end
if ARGV[2] ~= '' and not remembered then
  -- An empty Lua table encodes as {}: store a marker list instead, so it decodes as a list again.
  redis.call('HSET', KEYS[1], 'event:' .. ARGV[2], #before == 0 and '[]' or cjson.encode(before))
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return { before, checks(KEYS[1]) }
`;

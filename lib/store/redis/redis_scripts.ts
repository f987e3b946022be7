/**
 * The Lua scripts of the Redis store (docs/contract.md §17): each mutation runs as one
 * script, so the server makes it atomic. Times are the server's (`TIME`).
 *
 * @module
 */

import { Script } from "./redis_client.ts";

/** The server's time in milliseconds, as `ms`. */
const NOW_MS = `local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
`;

/**
 * KEYS[1] entry hash, KEYS[2] kind index set, KEYS[3] audit stream, KEYS[4] the
 * name's version counter, which outlives the entry: a token is never reused, so
 * a compare made on a removed entry never matches its successor (no ABA);
 * KEYS[5] the name's fence counter, KEYS[6] its freeze entry, KEYS[7] its queue.
 * ARGV: expected token ("" = must be absent), content, name, channel, maxlen,
 * the fence counter as read ("-" = no fresh fence, "" = it was absent), the
 * fence, 1 when the name must be idle (no freeze entry, no queued ticket: a
 * decision made without reading them), events…
 *
 * A fresh fence is taken in the same step as the write (docs/contract.md §17):
 * the writer read the counter with the entry and proposes the next fence; the
 * write happens only if the counter is still what it read, and sets it to the
 * fence. A counter that is absent (first use, or the server lost its data: a
 * restart without persistence, a flush, a failover to a replica that lagged)
 * starts at the server's clock in microseconds, which every fence handed out
 * before stayed below (unless more than 1,000 were taken per millisecond
 * since), and the script answers it, negated, without writing: the writer
 * proposes again from it. Fences never go backwards.
 *
 * Answers 0 when the compare failed, else the entry's new token and write time.
 */
export const WRITE = new Script(`
local current = redis.call('HGET', KEYS[1], 'n')
if ARGV[1] == '' then
  if current then return 0 end
elseif current ~= ARGV[1] then
  return 0
end
if ARGV[8] == '1' and redis.call('EXISTS', KEYS[6], KEYS[7]) > 0 then return 0 end
${NOW_MS}if ARGV[6] ~= '-' then
  local counter = redis.call('GET', KEYS[5])
  if not counter then
    if ARGV[6] ~= '' then return 0 end
    -- Written as digits: a large Lua number would otherwise be stored as 1.7e+15.
    redis.call('SET', KEYS[5], string.format('%.0f', ms * 1000))
    return -(ms * 1000)
  elseif counter ~= ARGV[6] then
    return 0
  end
  redis.call('SET', KEYS[5], ARGV[7])
end
local version = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[1], 'v', ARGV[2], 't', ms, 'n', version)
redis.call('SADD', KEYS[2], ARGV[3])
for i = 9, #ARGV do
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'e', ARGV[i])
end
redis.call('PUBLISH', ARGV[4], 'w')
return {version, ms}
`);

/**
 * KEYS[1] entry hash, KEYS[2] kind index set, KEYS[3] audit stream;
 * ARGV: expected token, name, channel, maxlen, events…
 */
export const REMOVE = new Script(`
if redis.call('HGET', KEYS[1], 'n') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[2])
for i = 5, #ARGV do
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*', 'e', ARGV[i])
end
redis.call('PUBLISH', ARGV[3], 'r')
return 1
`);

/**
 * KEYS[1] ticket counter, KEYS[2] queue hash; ARGV[1] content.
 */
export const ENQUEUE = new Script(`
local id = string.format('%020d', redis.call('INCR', KEYS[1]))
${NOW_MS}redis.call('HSET', KEYS[2], id, ms .. ' ' .. ARGV[1])
return id
`);

/**
 * KEYS[1] queue hash; ARGV[1] ticket id: its time becomes the server's now, if it is still there.
 */
export const TOUCH = new Script(`
local value = redis.call('HGET', KEYS[1], ARGV[1])
if not value then return 0 end
${NOW_MS}local space = string.find(value, ' ')
redis.call('HSET', KEYS[1], ARGV[1], ms .. string.sub(value, space))
return 1
`);

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
 * ARGV: expected token ("" = must be absent), content, name, channel, maxlen, events…
 */
export const WRITE = new Script(`
local current = redis.call('HGET', KEYS[1], 'n')
if ARGV[1] == '' then
  if current then return 0 end
elseif current ~= ARGV[1] then
  return 0
end
${NOW_MS}local version = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[1], 'v', ARGV[2], 't', ms, 'n', version)
redis.call('SADD', KEYS[2], ARGV[3])
for i = 6, #ARGV do
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'e', ARGV[i])
end
redis.call('PUBLISH', ARGV[4], 'w')
return 1
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
 * KEYS[1] fence counter; ARGV[1] floor: the next fence is above both. A
 * counter that starts again (first use, or the server lost its data: a
 * restart without persistence, a flush, a failover to a replica that lagged)
 * starts above the server's clock in microseconds, which every fence handed
 * out before stayed below (unless more than 1,000 were taken per
 * millisecond since): fences never go backwards (docs/contract.md §17).
 */
export const FENCE = new Script(`
local f = redis.call('INCR', KEYS[1])
local floor = tonumber(ARGV[1])
if f == 1 then
${NOW_MS}  if ms * 1000 > floor then floor = ms * 1000 end
end
if f <= floor then
  f = floor + 1
  -- Written as digits: a large Lua number would otherwise be stored as 1.7e+15.
  redis.call('SET', KEYS[1], string.format('%.0f', f))
end
return f
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

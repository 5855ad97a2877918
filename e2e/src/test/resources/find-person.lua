-- Keys whose name or value (any type) contains ARGV[1]; SCAN over the whole keyspace.
local needle = ARGV[1]
local found = {}
local function has(s)
  return s and string.find(s, needle, 1, true) ~= nil
end
local function anyOf(values)
  for _, v in ipairs(values) do
    if has(v) then return true end
  end
  return false
end
local cursor = "0"
repeat
  local page = redis.call("SCAN", cursor, "COUNT", 1000)
  cursor = page[1]
  for _, k in ipairs(page[2]) do
    local t = redis.call("TYPE", k).ok
    local hit = has(k)
    if not hit then
      if t == "string" then hit = has(redis.call("GET", k))
      elseif t == "hash" then hit = anyOf(redis.call("HGETALL", k))
      elseif t == "set" then hit = anyOf(redis.call("SMEMBERS", k))
      elseif t == "zset" then hit = anyOf(redis.call("ZRANGE", k, 0, -1))
      elseif t == "list" then hit = anyOf(redis.call("LRANGE", k, 0, -1))
      end
    end
    if hit then table.insert(found, k) end
  end
until cursor == "0"
return found

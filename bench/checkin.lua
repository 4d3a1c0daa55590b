-- wrk script: POST /api/v1/checkins with a fresh client_id per request and a random registered
-- person from ids.txt (written by bench/data.py). Environment: BENCH_TOKEN, BENCH_SITE, BENCH_IDS.
local ids = {}
local token = os.getenv("BENCH_TOKEN")
local site = os.getenv("BENCH_SITE")
local counter = 0
local thread_seed = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
  thread_seed = math.floor(os.clock() * 1000000) + tonumber(tostring({}):sub(8), 16) % 1000000
  math.randomseed(thread_seed)
end

local function uuid4()
  local template = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (string.gsub(template, "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

function request()
  counter = counter + 1
  local temperature = 36 + math.random(0, 12) / 10
  local body = string.format(
    '{"client_id":"%s","site_id":%s,"id_number":"%s","temperature":%.1f,"checked_at":"%s","direction":"in"}',
    uuid4(), site, ids[math.random(1, #ids)], temperature, os.date("!%Y-%m-%dT%H:%M:%SZ"))
  return wrk.format("POST", "/api/v1/checkins",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

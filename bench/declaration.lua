-- wrk script: POST /api/v1/declarations (public) with people from people.txt ("name<TAB>id<TAB>phone").
-- Environment: BENCH_SITE_CODE, BENCH_PEOPLE.
local people = {}
local code = os.getenv("BENCH_SITE_CODE")

function init(args)
  for line in io.lines(os.getenv("BENCH_PEOPLE")) do people[#people + 1] = line end
  math.randomseed(math.floor(os.clock() * 1000000) + tonumber(tostring({}):sub(8), 16) % 1000000)
end

function request()
  local name, id, phone = people[math.random(1, #people)]:match("([^\t]+)\t([^\t]+)\t([^\t]+)")
  local body = string.format(
    '{"site_code":"%s","name":"%s","id_number":"%s","phone":"%s","temperature":36.6,'
    .. '"symptoms":[],"contact_with_case":false,"contacts":[{"name":"家属","phone":"13800000000"}]}',
    code, name, id, phone)
  return wrk.format("POST", "/api/v1/declarations", {["Content-Type"] = "application/json"}, body)
end

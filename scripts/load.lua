-- wrk script: GET /api/search with the queries of scripts/queries.txt in turn
-- (each thread starts at a different query). Every request computes facets and
-- three-fragment snippets. Non-2xx answers are counted by wrk as errors.
local queries = {}
local counter = 0

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

function init(args)
  local file = os.getenv("QUERIES") or "scripts/queries.txt"
  for line in io.lines(file) do
    if line ~= "" then
      queries[#queries + 1] = "/api/search?q=" .. urlencode(line)
    end
  end
  counter = math.random(#queries)
end

function request()
  counter = counter % #queries + 1
  return wrk.format("GET", queries[counter])
end

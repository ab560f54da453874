-- wrk script: a mix of read endpoints (see scripts/load-mix.sh).
--
-- Environment:
--   QUERIES  search queries, one a line (scripts/queries.txt)
--   TERMS    statistics terms, one a line (plain words and phrases)
--   IDS      document ids, percent-encoded, one a line (sampled from /api/search)
--   TOPS     /api/stats/top paths, one a line (warmed by load-mix.sh: cached per shape)
--   ONLY     run a single kind of request (search, facets, document, frequency,
--            kwic, top, csv); default: the weighted mix below
--
-- Per thread, request() walks a shuffled schedule of 100 slots built from WEIGHTS, so
-- every kind gets its share; done() prints how many of each kind were sent, the
-- status codes received (anything but 2xx is an error), latency percentiles and one
-- machine-readable RESULT line.
local WEIGHTS = {
  { "search", 35 },    -- /api/search: facets + 3-fragment snippets
  { "facets", 5 },     -- /api/facets over the whole corpus
  { "document", 20 },  -- /api/documents/{id}
  { "frequency", 10 }, -- /api/stats/frequency grouped by province
  { "kwic", 10 },      -- /api/stats/kwic, 50 lines
  { "top", 5 },        -- /api/stats/top (cached per request shape)
  { "csv", 15 },       -- CSV exports: kwic and frequency, format=csv
}
local KINDS = {}
for _, w in ipairs(WEIGHTS) do KINDS[#KINDS + 1] = w[1] end

local queries, terms, ids, tops = {}, {}, {}, {}
local schedule = {}
local slot = 0
local counter = 0
sent = {}      -- per kind, read by done() through thread:get
statuses = {}  -- per status code

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local function lines(path, out)
  for line in io.lines(path) do
    if line ~= "" then out[#out + 1] = line end
  end
end

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_id", #threads)
end

function init(args)
  lines(os.getenv("QUERIES") or "scripts/queries.txt", queries)
  lines(assert(os.getenv("TERMS"), "TERMS not set"), terms)
  lines(assert(os.getenv("IDS"), "IDS not set"), ids)
  lines(assert(os.getenv("TOPS"), "TOPS not set"), tops)
  assert(#queries > 0 and #terms > 0 and #ids > 0 and #tops > 0, "empty QUERIES, TERMS, IDS or TOPS")
  math.randomseed(os.time() + 7919 * (thread_id or 1))
  local only = os.getenv("ONLY")
  if only and only ~= "" then
    schedule = { only }
  else
    for _, w in ipairs(WEIGHTS) do
      for _ = 1, w[2] do schedule[#schedule + 1] = w[1] end
    end
    for i = #schedule, 2, -1 do
      local j = math.random(i)
      schedule[i], schedule[j] = schedule[j], schedule[i]
    end
  end
  for _, k in ipairs(KINDS) do sent[k] = 0 end
  counter = math.random(1000)
end


local function pick(t) return t[counter % #t + 1] end

function request()
  slot = slot % #schedule + 1
  counter = counter + 1
  local kind = schedule[slot]
  sent[kind] = (sent[kind] or 0) + 1
  local path
  if kind == "search" then
    local sort = (counter % 5 == 0) and "&sort=date" or ""
    path = "/api/search?q=" .. urlencode(pick(queries)) .. sort
  elseif kind == "facets" then
    path = "/api/facets"
  elseif kind == "document" then
    path = "/api/documents/" .. pick(ids)
  elseif kind == "frequency" then
    path = "/api/stats/frequency?term=" .. urlencode(pick(terms)) .. "&group_by=province"
  elseif kind == "kwic" then
    path = "/api/stats/kwic?term=" .. urlencode(pick(terms)) .. "&limit=50&width=60"
  elseif kind == "top" then
    path = pick(tops)
  elseif kind == "csv" then
    if counter % 2 == 0 then
      path = "/api/stats/kwic?term=" .. urlencode(pick(terms)) .. "&limit=500&format=csv"
    else
      path = "/api/stats/frequency?term=" .. urlencode(pick(terms)) .. "&group_by=year&format=csv&bom=1"
    end
  else
    error("unknown kind " .. tostring(kind))
  end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  local k = tostring(status)
  statuses[k] = (statuses[k] or 0) + 1
end

function done(summary, latency, requests)
  local total_sent, by_kind, by_status = 0, {}, {}
  for _, t in ipairs(threads) do
    for k, n in pairs(t:get("sent") or {}) do
      by_kind[k] = (by_kind[k] or 0) + n
      total_sent = total_sent + n
    end
    for k, n in pairs(t:get("statuses") or {}) do
      by_status[k] = (by_status[k] or 0) + n
    end
  end
  local parts = {}
  for _, k in ipairs(KINDS) do
    if by_kind[k] and by_kind[k] > 0 then
      parts[#parts + 1] = string.format("%s=%d", k, by_kind[k])
    end
  end
  io.write("sent by kind: " .. table.concat(parts, " ") .. "\n")
  local st, non2xx = {}, 0
  for k, n in pairs(by_status) do
    st[#st + 1] = k .. "=" .. n
    if not k:match("^2") then non2xx = non2xx + n end
  end
  table.sort(st)
  io.write("status codes: " .. table.concat(st, " ") .. "\n")
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local secs = summary.duration / 1e6
  local ms = function(p) return latency:percentile(p) / 1000 end
  io.write(string.format(
    "RESULT mix=%s requests=%d rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d timeouts=%d\n",
    (os.getenv("ONLY") ~= nil and os.getenv("ONLY") ~= "") and os.getenv("ONLY") or "all",
    summary.requests, summary.requests / secs, ms(50), ms(90), ms(99), latency.max / 1000,
    non2xx, socket_errors, e.timeout))
end

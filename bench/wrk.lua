-- wrk script for bench/run.py: one scenario per wrk run, described by BENCH_* variables.
--
-- Run with as many threads as connections (-t N -c N): each thread then owns one connection
-- and one bench user (threads take the users in turn, so fewer users than threads share them),
-- and sends its requests strictly one after the other, so that a like is always answered before
-- the same user takes it back.
--
--   BENCH_KIND        get (default), like (like, then unlike, and again), follow (follow, then
--                     unfollow, and again), comment (a new comment each time) or login
--   BENCH_PATH        the request path, where the user's line gives none
--   BENCH_PATHS_FILE  get only: one path per line, each thread cycling through them
--   BENCH_AUTH        1: send the thread's bearer token (get, like, follow and comment)
--   BENCH_USERS_FILE  one line per virtual user: "<username> <access token> <post id> <path>",
--                     the post it likes (like), and the path it requests (get: its own page;
--                     follow: the follow route of the user it follows; comment: the comments
--                     of the post it comments on) or "-"; with BENCH_REVALIDATE, then " <etag>"
--   BENCH_REVALIDATE  get only, 1: each path comes with the ETag it answered the same caller
--                     (the users file's fifth field, or a paths file's lines "<path> <etag>"),
--                     sent as If-None-Match; an answer that is neither 304 nor an error wrk
--                     counts already (4xx, 5xx) is counted as error "not_304"
--   BENCH_PASSWORD    the bench users' password, for login
-- At the end it prints one line "BENCH_RESULT {json}" with counts and latency percentiles.

local kind = os.getenv("BENCH_KIND") or "get"
local path = os.getenv("BENCH_PATH") or "/health/"
local auth = os.getenv("BENCH_AUTH") == "1"
local revalidate = os.getenv("BENCH_REVALIDATE") == "1"
local password = os.getenv("BENCH_PASSWORD") or ""

local function read_lines(name)
   local lines = {}
   if name and name ~= "" then
      for line in io.lines(name) do
         if line ~= "" then lines[#lines + 1] = line end
      end
   end
   return lines
end

local users = read_lines(os.getenv("BENCH_USERS_FILE"))
local paths = read_lines(os.getenv("BENCH_PATHS_FILE"))
local threads = {}

-- Runs in the main state, once per thread, before it starts.
function setup(thread)
   threads[#threads + 1] = thread
   thread:set("number", #threads)
   if #users > 0 then
      local line = users[(#threads - 1) % #users + 1]
      local username, token, post, own_path, etag =
         line:match("^(%S+) (%S+) (%S+) (%S+) ?(%S*)$")
      thread:set("username", username)
      thread:set("token", token)
      thread:set("post", post)
      if own_path ~= "-" then thread:set("own_path", own_path) end
      if etag ~= "" then thread:set("etag", etag) end
   end
end

-- Runs in each thread's own state, with the values setup() gave it as globals.
function init(args)
   if own_path then path = own_path end
   local headers = {}
   if auth then
      headers["Authorization"] = "Bearer " .. token
   end
   requests_cycle = {}
   if kind == "login" then
      headers["Content-Type"] = "application/json"
      local body = string.format('{"username": "%s", "password": "%s"}', username, password)
      requests_cycle[1] = wrk.format("POST", path, headers, body)
   elseif kind == "like" then
      headers["Content-Type"] = "application/json"
      on = wrk.format("POST", path, headers, '{"post_id": ' .. post .. ', "dir": 1}')
      off = wrk.format("POST", path, headers, '{"post_id": ' .. post .. ', "dir": 0}')
      is_on = false
   elseif kind == "comment" then
      headers["Content-Type"] = "application/json"
      local body = '{"content": "A comment from the benchmark, deleted after its run."}'
      requests_cycle[1] = wrk.format("POST", path, headers, body)
   elseif kind == "follow" then
      on = wrk.format("POST", path, headers)
      off = wrk.format("DELETE", path, headers)
      is_on = false
   elseif #paths > 0 then
      -- Threads start at different places in the list, so they do not move in step.
      for i = 1, #paths do
         local line = paths[(i + number * 97 - 1) % #paths + 1]
         local rotated, path_etag = line:match("^(%S+) ?(%S*)$")
         if revalidate then headers["If-None-Match"] = path_etag end
         requests_cycle[i] = wrk.format("GET", rotated, headers)
      end
   else
      if revalidate then headers["If-None-Match"] = etag end
      requests_cycle[1] = wrk.format("GET", path, headers)
   end
   sent = 0
   not_304 = 0
end

local toggles = kind == "like" or kind == "follow"

function request()
   if toggles then
      return is_on and off or on
   end
   sent = sent + 1
   return requests_cycle[(sent - 1) % #requests_cycle + 1]
end

-- Likes and follows follow the answers, not a count of requests: wrk calls request() once more
-- than it sends, on the first thread, to check the script. 201 (done) or 409 (it was) leads to
-- taking it back, 200 or 404 to doing it. Defined for these only: it makes wrk read every
-- answer.
if toggles then
   function response(status, headers, body)
      is_on = status == 201 or status == 409
   end
elseif revalidate then
   function response(status, headers, body)
      if status ~= 304 and status < 400 then not_304 = not_304 + 1 end
   end
end

-- Runs in the main state at the end. Latencies are in microseconds.
function done(summary, latency, requests)
   local e = summary.errors
   local missed = 0
   for _, thread in ipairs(threads) do missed = missed + (thread:get("not_304") or 0) end
   io.write(string.format(
      'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
      '"not_304": %d}, ' ..
      '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout, missed,
      latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(95),
      latency:percentile(99), latency.max))
end

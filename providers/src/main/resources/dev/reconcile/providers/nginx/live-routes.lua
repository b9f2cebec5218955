-- Live routes of the managed nginx (LiveRoutes.java): where each upstream sends new requests,
-- kept in a shared dictionary every worker reads, so a switch needs no reload and no client
-- connection is closed by it. Runs in init_by_lua, in the master: it reads the routes files and
-- the control token as the user that started nginx, before workers drop to theirs.
require "resty.core"
local balancer = require "ngx.balancer"
local routes = ngx.shared.reconcile_routes
local token

reconcile = {}

-- "UPSTREAM ADDRESS[,ADDRESS...]" per line; anything else is skipped.
local function each_route(text, action)
  for line in string.gmatch(text, "[^\n]+") do
    local name, addresses = string.match(line, "^(reconcile__[%w_%-]+) ([%w%.:,%[%]]+)$")
    if name then
      action(name, addresses)
    end
  end
end

local function slurp(path)
  local file = io.open(path, "r")
  if not file then
    return nil
  end
  local text = file:read("*a")
  file:close()
  return text
end

-- At start and at every reload: the files are the truth, the dictionary their copy.
function reconcile.boot(token_file, files)
  local text = slurp(token_file)
  token = text and string.match(text, "^(%x+)")
  for _, path in ipairs(files) do
    local routes_text = slurp(path)
    if routes_text then
      each_route(routes_text, function(name, addresses) routes:set(name, addresses) end)
    end
  end
end

local turn = 0

-- balancer_by_lua: the next address of the upstream's route, round robin; a failed connection
-- is tried on the next address (as nginx does with several servers).
function reconcile.balance(name)
  local addresses = routes:get(name)
  if not addresses then
    ngx.log(ngx.ERR, "reconcile: no route for ", name)
    return ngx.exit(502)
  end
  local list = {}
  for address in string.gmatch(addresses, "[^,]+") do
    list[#list + 1] = address
  end
  local ctx = ngx.ctx
  if ctx.reconcile_try == nil then
    turn = turn + 1
    ctx.reconcile_first = turn
    ctx.reconcile_try = 0
    if #list > 1 then
      balancer.set_more_tries(#list - 1)
    end
  else
    ctx.reconcile_try = ctx.reconcile_try + 1
  end
  local pick = list[(ctx.reconcile_first + ctx.reconcile_try) % #list + 1]
  local host, port = string.match(pick, "^%[?([^%]]+)%]?:(%d+)$")
  local ok, err = balancer.set_current_peer(host, tonumber(port))
  if not ok then
    ngx.log(ngx.ERR, "reconcile: cannot route ", name, " to ", pick, ": ", err)
    return ngx.exit(502)
  end
end

-- The revision endpoint of a site: a hash of its file's revision and the routes served now,
-- then the routes themselves ("component=address"), as RevisionAnswer reads them.
function reconcile.revision(body_revision, names)
  local parts = {}
  for i = 1, #names, 2 do
    parts[#parts + 1] = names[i] .. "=" .. (routes:get(names[i + 1]) or "none")
  end
  local served = table.concat(parts, " ")
  local text = string.sub(ngx.md5(body_revision .. " " .. served), 1, 16) .. (served == "" and "" or " ")
      .. served .. "\n"
  -- With a length, as the static answer has, not chunked.
  ngx.header["Content-Length"] = #text
  ngx.print(text)
end

-- The control endpoint: a POST of routes lines, with the token only this machine's state
-- directory holds. Answers "ok N" once all N are set.
function reconcile.control()
  if ngx.req.get_method() ~= "POST" then
    return ngx.exit(405)
  end
  if not token or ngx.req.get_headers()["X-Reconcile-Token"] ~= token then
    return ngx.exit(403)
  end
  ngx.req.read_body()
  local body = ngx.req.get_body_data()
  if not body then
    return ngx.exit(400)
  end
  local count, failed = 0, nil
  each_route(body, function(name, addresses)
    local ok, err = routes:set(name, addresses)
    if ok then
      count = count + 1
    else
      failed = err
    end
  end)
  if failed then
    ngx.status = 507
    ngx.say("failed: ", failed)
    return ngx.exit(507)
  end
  ngx.say("ok ", count)
end

-- wrk script: HTTP/1.1 pipelining, DEPTH requests per write (default 16).
-- Usage: wrk -s pipeline.lua URL -- 16
-- wrk counts responses, so its request total and rate are per request, not per batch.
init = function(args)
  local depth = tonumber(args[1]) or 16
  local reqs = {}
  for i = 1, depth do
    reqs[i] = wrk.format(nil, wrk.path)
  end
  batch = table.concat(reqs)
end

request = function()
  return batch
end

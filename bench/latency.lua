-- Prints one line of latency percentiles and failures at the end of a wrk run (wrk's own
-- --latency table has no 95th percentile). Used by bench/console.sh.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f requests=%d non2xx_or_errors=%d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.status + e.connect + e.read + e.write + e.timeout))
end

// The one Prometheus registry of the process, with Node's own metrics (resident memory, heap,
// event-loop delay, GC, handles) and a gauge that other parts register their queues with. The
// bot's own metrics are defined in ./metrics.ts; /metrics serves all of them (./route.ts).
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export const registry = new Registry();

// process_resident_memory_bytes, nodejs_heap_size_used_bytes, nodejs_eventloop_lag_p99_seconds …
// Event-loop delay is sampled every 10 ms (perf_hooks.monitorEventLoopDelay) and reported as
// min/mean/max/p50/p90/p99 since the last scrape.
collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });

/** What a worker pool reports at each scrape (e.g. piscina's `queueSize` and busy threads). */
export interface WorkerPoolStats {
  /** Tasks waiting for a free worker. */
  queued: number;
  /** Tasks running now. */
  running?: number;
}

const pools = new Map<string, () => WorkerPoolStats>();

new Gauge({
  name: 'duban_worker_pool_queue_depth',
  help: 'Tasks waiting for a free worker, per worker pool',
  labelNames: ['pool'],
  registers: [registry],
  collect() {
    this.reset();
    for (const [pool, stats] of pools) this.set({ pool }, stats().queued);
  },
});

new Gauge({
  name: 'duban_worker_pool_running_tasks',
  help: 'Tasks running in a worker now, per worker pool',
  labelNames: ['pool'],
  registers: [registry],
  collect() {
    this.reset();
    for (const [pool, stats] of pools) {
      const running = stats().running;
      if (running !== undefined) this.set({ pool }, running);
    }
  },
});

/**
 * Lets a worker pool report its queue: `registerWorkerPool('parse', () => ({ queued:
 * pool.queueSize, running: pool.utilization … }))`. Returns the function that removes it again
 * (when the pool is closed). A second pool under the same name replaces the first.
 */
export function registerWorkerPool(name: string, stats: () => WorkerPoolStats): () => void {
  pools.set(name, stats);
  return () => {
    if (pools.get(name) === stats) pools.delete(name);
  };
}

// Preloaded into the bot by the fault suite (`node --import <this> bin/duban.mjs serve`): measures
// the event loop's delay (perf_hooks) and, on SIGUSR2, writes what it saw since the last signal to
// LOOP_PROBE_FILE as JSON ({ seq, p50, p99, max } in ms), then starts afresh. The bot itself knows
// nothing of it.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.LOOP_PROBE_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let seq = 0;
  process.on('SIGUSR2', () => {
    const ms = (ns) => Math.round((ns / 1e6) * 10) / 10;
    seq++;
    writeFileSync(
      file,
      JSON.stringify({
        seq,
        p50: ms(histogram.percentile(50)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
      }),
    );
    histogram.reset();
  });
}

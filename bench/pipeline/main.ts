/**
 * `npm run bench:pipeline`: the widget pipeline alone (`npm run bench` runs it
 * too, after the broker scenarios, next to their drain rate).
 */
import { benchPipeline } from "./pipeline-bench.ts";

const requests = Number(process.argv[2] ?? 6000);
const runs = await benchPipeline([1, 2, 4], requests, (line) => process.stderr.write(`${line}\n`));
for (const run of runs) {
  process.stdout.write(
    `${run.consumers} consumer(s): ${Math.round(run.widgetsPerSecond)} widgets/s (queue depth ${run.queueDepth}), consumer peak RSS ${run.peakConsumerRssMiB.toFixed(0)} MiB\n`,
  );
}

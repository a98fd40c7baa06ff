// Runs benchmark kernels on Node's V8: for each KERNEL.wasm, instantiate, setup, selftest,
// warm-up, then measured iterations of run().
// Usage: node v8_runner.mjs WARMUP ITERATIONS KERNEL.wasm...
// Prints one line per kernel: "NAME MEDIAN_MS MIN_MS CHECKSUM" (the format every runner prints).
// Times are the process's CPU time (V8 runs wasm on the main thread; its compiler threads are idle
// after the warm-up), or wall-clock time when BENCH_CLOCK=wall.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';

const [warmupText, iterationsText, ...files] = process.argv.slice(2);
const warmup = Number(warmupText);
const iterations = Math.max(1, Number(iterationsText));
if (!Number.isInteger(warmup) || !Number.isInteger(iterations) || files.length === 0) {
  console.error('usage: node v8_runner.mjs WARMUP ITERATIONS KERNEL.wasm...');
  process.exit(2);
}

const wall = process.env.BENCH_CLOCK === 'wall';
const now = wall
  ? () => performance.now()
  : () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };

for (const file of files) {
  const name = basename(file, '.wasm');
  const { instance } = await WebAssembly.instantiate(readFileSync(file), {});
  const { setup, selftest, run } = instance.exports;
  setup();
  if (selftest() !== 1) {
    console.error(`${name}: selftest failed`);
    process.exit(1);
  }
  let checksum = 0;
  for (let i = 0; i < warmup; i++) checksum = run();
  const times = [];
  for (let i = 0; i < iterations; i++) {
    const start = now();
    checksum = run();
    times.push(now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(`${name} ${times[times.length >> 1].toFixed(4)} ${times[0].toFixed(4)} ${checksum >>> 0}`);
}

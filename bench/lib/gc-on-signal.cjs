// Preloaded (with --expose-gc) into a process the memory benchmark watches: on SIGUSR2 it runs full
// collections and writes process.memoryUsage() as JSON to $SCS_BENCH_MEMORY_FILE, so the benchmark can
// tell memory still held (heap used + external after GC) from garbage not yet collected. Two passes
// with a pause between: array buffers are freed by a sweeper that runs after the first collection.
const fs = require('node:fs');
process.on('SIGUSR2', () => {
  if (typeof global.gc !== 'function') return;
  global.gc();
  setTimeout(() => {
    global.gc();
    const file = process.env.SCS_BENCH_MEMORY_FILE;
    if (file) fs.writeFileSync(file, JSON.stringify(process.memoryUsage()));
  }, 200);
});

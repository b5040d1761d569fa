// Lets the guide's `bun test benchmarks/performance.bench.ts` work: bun test
// only discovers *.test.ts files, and its positional arguments are substring
// filters on their paths, which this file's path matches. Importing the
// benchmark module registers its single test (timings reported, not asserted).
import "./performance.bench.ts";

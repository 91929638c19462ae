/** Benchmark programs. Run them as documented in BENCHMARKS.md; they print figures and are never part of the tests. */
package dev.spillway.bench;

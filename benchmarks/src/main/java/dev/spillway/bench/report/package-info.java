/**
 * What every scenario program uses to report: {@link dev.spillway.bench.report.Table} (aligned text, Markdown,
 * CSV), {@link dev.spillway.bench.report.Chart} (PNG bars or lines, Java2D only) and
 * {@link dev.spillway.bench.report.RunInfo} (machine, versions, command, load average).
 */
package dev.spillway.bench.report;

// spec, validation and presets
export { benchmarkSpecSchema, SCHEDULES, type BenchmarkSpec, type BenchmarkSpecInput, type DownstreamSpec, type MethodRunSpec, type ScheduleName } from './spec.js';
export { parseBenchmarkSpec, readBenchmarkSpec } from './validate-spec.js';
export { benchmarkPreset, BENCHMARK_PRESETS, OPENMIND_PRESET, TOY_PRESET, type PresetName } from './presets/index.js';
// jobs, shards, running
export { expandJobs, jobDir, jobOut, type BenchmarkJob, type JobCost, type JobKind, type JobMeta } from './jobs.js';
export { costText, dryRunText } from './dry-run.js';
export { parseShard, shardJobs, type Shard } from './shard.js';
export { DONE_FILE, FAILED_FILE, jobStatuses, LOG_FILE, readDone, readFailed, type DoneRecord, type FailedRecord, type JobStatus } from './job-state.js';
export { logAge, PLAN_FILE, preparePlan, runBenchmark, type BenchmarkPlan, type RunEvent, type RunOptions, type RunSummary } from './runner.js';
export { extractResult, type CurvePoint, type JobResult, type Measurement } from './results.js';
// results, statistics, report
export { aggregateResults, type BenchmarkResults, type Cell, type DatasetInfo, type TableRow } from './aggregate.js';
export { meanSd, pairedTTest, ranksHigherBetter, regularizedIncompleteBeta, studentTTwoSided, type PairedTest } from './statistics.js';
export { resultsCsv, resultsMarkdown, tableText } from './report/format.js';
export { resultsHtml, writeBenchmarkReport } from './report/write-report.js';

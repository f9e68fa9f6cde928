export { main, COMMANDS } from './cli.js';
export { type Command, commandHelp, parseCommandArgs } from './args.js';
export { BUILTIN_PLUGINS, loadPlugins } from './plugins.js';
export { writeReport, readMetrics } from './report/write-report.js';
export { lossChartSvg } from './report/loss-chart.js';

export { argmaxRow, confusionMatrix, predictedClasses } from './confusion.js';
export { averagePrecision, rocAuc, rocCurve } from './binary-curves.js';
export { type ClassificationMetricValues, multiclassMetrics, multilabelMetrics } from './classification-metrics.js';
export { ClassificationMetrics } from './metric-accumulator.js';

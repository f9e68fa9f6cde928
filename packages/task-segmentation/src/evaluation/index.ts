export { squaredDistanceTransform } from './distance-transform.js';
export { maskSurface, normalizedSurfaceDice } from './surface-dice.js';
export { caseMetrics, type CaseMetricsOptions, type LabelMetrics, METRIC_NAMES, type MetricName } from './case-metrics.js';
export { type CaseResult, evaluateFolder, type EvaluateFolderOptions, type EvaluationSummary } from './evaluate-folder.js';
export { parseNnunetJson, toNnunetJson } from './summary-json.js';
export { finalValidation, type FinalValidationOptions, perCaseDice } from './final-validation.js';

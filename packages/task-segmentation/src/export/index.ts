export { segmentationExportMetadata } from './export-metadata.js';

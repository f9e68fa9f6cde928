export type { BuildFolderOptions } from './build-folder.js';
export { buildFolderCollection, modalityFromName } from './build-folder.js';
export type { BuildOpenMindOptions, IndexProblem } from './build-openmind.js';
export { ANATOMY_MASK_NAME, DEFACE_MASK_NAME, IMAGE_INFO_KEYS, SUBJECT_INFO_KEYS, buildOpenMindCollection, niftiStem } from './build-openmind.js';
export type { CsvValue } from './csv.js';
export { parseCsv, parseCsvRows, toCsv } from './csv.js';
export type { PathEnv } from './env-paths.js';
export { NNSSL_PATH_VARS, relativizeEnvPath, resolveEnvPath } from './env-paths.js';
export type { ImageFilter } from './filters.js';
export { filterCollection, iqsFilter, modalityFilter } from './filters.js';
export type { IndexDatasetOptions, IndexResult } from './index-dataset.js';
export type { FourDPolicy } from './four-d-images.js';
export { VOLUME_INDEX_KEY, splitVolumes, volumeImageName, volumeIndexOf, volumesOf } from './four-d-images.js';
export { indexDataset } from './index-dataset.js';
export type {
  AssociatedMasks, IndependentImage, InfoDict, PretrainCollection, PretrainDataset, PretrainImage, PretrainSession, PretrainSubject,
} from './pretrain-data.js';
export { allImages, toIndependentImages, uniqueImageId, uniqueSubjectId } from './pretrain-data.js';
export { compareCodePoints, parsePythonJson, stringifyPythonJson } from './python-json.js';
export { PythonRandom } from './python-random.js';
export type { ReadPretrainDataOptions } from './read-pretrain-data.js';
export { parsePretrainData, readPretrainData } from './read-pretrain-data.js';
export type { SubjectSplit } from './subject-split.js';
export { NNSSL_SPLIT_SEED, nnsslValidationCount, splitSubjects, subjectSplit } from './subject-split.js';
export type { CollectionCounts, CollectionSummary } from './summarize-collection.js';
export { formatSummary, summarizeCollection } from './summarize-collection.js';
export type { WritePretrainDataOptions } from './write-pretrain-data.js';
export { pretrainDataToJson, writePretrainData } from './write-pretrain-data.js';

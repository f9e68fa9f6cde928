/**
 * nnssl's dataset description (`pretrain_data.json`, nnssl `data/raw_dataset.py`). The interfaces mirror
 * the JSON file key for key, so their fields are snake_case: Collection → datasets → subjects → sessions
 * → images, each image with its `associated_masks`. Every key is always written; absent values are null.
 */

/** Paths of the masks that belong to an image (nnssl's `AssociatedMasks`). */
export interface AssociatedMasks {
  /** Defaced / anonymised region (OpenMind `deface_mask.nii.gz`): 1 where the face was removed. */
  anonymization_mask: string | null;
  /** Region that holds anatomy (OpenMind `fb_mask.nii.gz`), e.g. the brain of a skull-stripped image. */
  anatomy_mask: string | null;
}

/** Free-form metadata as nnssl stores it (values from the CSV: numbers, strings, booleans). */
export type InfoDict = Record<string, unknown>;

export interface PretrainImage {
  /** File name (for DWI derivatives: parent folder stem + file name). */
  name: string;
  image_path: string;
  modality: string;
  image_info: InfoDict | null;
  associated_masks: AssociatedMasks | null;
}

export interface PretrainSession {
  session_id: string;
  session_info: InfoDict | null;
  images: PretrainImage[];
}

export interface PretrainSubject {
  subject_id: string;
  sessions: Record<string, PretrainSession>;
  subject_info: InfoDict | null;
}

export interface PretrainDataset {
  dataset_index: string | number;
  name: string | null;
  /** For OpenMind: `{image_quality_score: [{modality, derived_from, image_quality_score}, ...]}`. */
  dataset_info: InfoDict | null;
  subjects: Record<string, PretrainSubject>;
}

export interface PretrainCollection {
  collection_index: number | string;
  collection_name: string;
  datasets: Record<string, PretrainDataset>;
}

/** One image with everything above it flattened in (nnssl's `IndependentImage`). */
export interface IndependentImage {
  collection_index: number | string;
  collection_name: string;
  dataset_index: string | number;
  dataset_name: string | null;
  session_id: string;
  subject_id: string;
  image_name: string;
  image_path: string;
  image_modality: string;
  /** Never null here: an image without masks gets both fields null. */
  associated_masks: AssociatedMasks;
  dataset_info: InfoDict | null;
  subject_info: InfoDict | null;
  session_info: InfoDict | null;
  image_info: InfoDict | null;
}

/** The images of a collection, flattened, in file order (nnssl `Collection.to_independent_images`). */
export function toIndependentImages(collection: PretrainCollection): IndependentImage[] {
  const out: IndependentImage[] = [];
  for (const dataset of Object.values(collection.datasets)) {
    for (const [subjectId, subject] of Object.entries(dataset.subjects)) {
      for (const [sessionId, session] of Object.entries(subject.sessions)) {
        for (const img of session.images) {
          out.push({
            collection_index: collection.collection_index,
            collection_name: collection.collection_name,
            dataset_index: dataset.dataset_index,
            dataset_name: dataset.name,
            session_id: sessionId,
            subject_id: subjectId,
            image_name: img.name,
            image_path: img.image_path,
            image_modality: img.modality,
            associated_masks: {
              anonymization_mask: img.associated_masks?.anonymization_mask ?? null,
              anatomy_mask: img.associated_masks?.anatomy_mask ?? null,
            },
            dataset_info: dataset.dataset_info,
            subject_info: subject.subject_info,
            session_info: session.session_info,
            image_info: img.image_info,
          });
        }
      }
    }
  }
  return out;
}

/** `"{collection_name}__{dataset_index}__{subject_id}__{session_id}__{image_name}"`, as nnssl names cases. */
export function uniqueImageId(img: IndependentImage): string {
  return `${img.collection_name}__${img.dataset_index}__${img.subject_id}__${img.session_id}__${img.image_name}`;
}

/** `"{collection_name}__{dataset_index}__{subject_id}"`: the unit of the train/val split. */
export function uniqueSubjectId(img: Pick<IndependentImage, 'collection_name' | 'dataset_index' | 'subject_id'>): string {
  return `${img.collection_name}__${img.dataset_index}__${img.subject_id}`;
}

/** Every image of the collection, in file order. */
export function allImages(collection: PretrainCollection): PretrainImage[] {
  return Object.values(collection.datasets).flatMap((d) =>
    Object.values(d.subjects).flatMap((s) => Object.values(s.sessions).flatMap((ses) => ses.images)),
  );
}

import type { PretrainCollection } from './pretrain-data.js';
import { compareCodePoints } from './python-json.js';

/** Counts of one dataset (or of the whole collection). */
export interface CollectionCounts {
  subjects: number;
  sessions: number;
  images: number;
  /** Images per modality. */
  modalities: Record<string, number>;
  /** Images with a deface (anonymisation) mask. */
  anonymizationMasks: number;
  /** Images with an anatomy mask. */
  anatomyMasks: number;
}

/** Counts per dataset and in total. */
export interface CollectionSummary {
  collection: string;
  datasets: Record<string, CollectionCounts>;
  total: CollectionCounts;
}

function empty(): CollectionCounts {
  return { subjects: 0, sessions: 0, images: 0, modalities: {}, anonymizationMasks: 0, anatomyMasks: 0 };
}

/** Counts subjects, sessions, images, modalities and masks, per dataset and in total. */
export function summarizeCollection(collection: PretrainCollection): CollectionSummary {
  const datasets: Record<string, CollectionCounts> = {};
  const total = empty();
  for (const key of Object.keys(collection.datasets).sort(compareCodePoints)) {
    const ds = collection.datasets[key]!;
    const c = empty();
    for (const sub of Object.values(ds.subjects)) {
      c.subjects++;
      for (const ses of Object.values(sub.sessions)) {
        c.sessions++;
        for (const img of ses.images) {
          c.images++;
          c.modalities[img.modality] = (c.modalities[img.modality] ?? 0) + 1;
          total.modalities[img.modality] = (total.modalities[img.modality] ?? 0) + 1;
          if (img.associated_masks?.anonymization_mask) c.anonymizationMasks++;
          if (img.associated_masks?.anatomy_mask) c.anatomyMasks++;
        }
      }
    }
    datasets[key] = c;
    total.subjects += c.subjects;
    total.sessions += c.sessions;
    total.images += c.images;
    total.anonymizationMasks += c.anonymizationMasks;
    total.anatomyMasks += c.anatomyMasks;
  }
  return { collection: collection.collection_name, datasets, total };
}

/** The summary as an aligned text table: one row per dataset and a total, one column per modality. */
export function formatSummary(summary: CollectionSummary): string {
  const mods = Object.keys(summary.total.modalities).sort(compareCodePoints);
  const header = ['dataset', 'subjects', 'sessions', 'images', ...mods, 'deface', 'anatomy'];
  const row = (name: string, c: CollectionCounts) => [
    name, c.subjects, c.sessions, c.images, ...mods.map((m) => c.modalities[m] ?? 0), c.anonymizationMasks, c.anatomyMasks,
  ].map(String);
  const rows = [header, ...Object.entries(summary.datasets).map(([k, c]) => row(k, c)), row('total', summary.total)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

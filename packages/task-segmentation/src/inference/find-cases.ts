import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OpenMindError } from '@openmind-ssl/core';

/** One case to predict: its id and one file per plan channel, in channel order. */
export interface PredictionCase {
  id: string;
  files: string[];
}

const CHANNEL_FILE = /^(.+)_(\d{4})(\.nii(?:\.gz)?)$/;
const NIFTI = /\.nii(?:\.gz)?$/;

/**
 * The cases under `input` (a folder, or one file) in nnU-Net's naming: `<case>_0000.nii.gz`,
 * `<case>_0001.nii.gz`, … one file per channel. With a one-channel plan a file without the channel suffix
 * is a case of its own. A case whose channel files are incomplete is returned with `missing` so the caller
 * can report it and go on.
 * @throws OpenMindError when `input` does not exist or holds no NIfTI file.
 */
export function findPredictionCases(input: string, channels: number): (PredictionCase & { missing?: string })[] {
  if (!existsSync(input)) throw new OpenMindError(`predict: the input "${input}" does not exist.`);
  const isDir = statSync(input).isDirectory();
  const dir = isDir ? input : dirname(input);
  const names = isDir ? readdirSync(dir).filter((f) => NIFTI.test(f)).sort() : [basename(input)];
  if (names.length === 0) throw new OpenMindError(`predict: the folder "${input}" has no .nii or .nii.gz file.`);
  const cases = new Map<string, Map<number, string>>();
  for (const name of names) {
    const m = CHANNEL_FILE.exec(name);
    const id = m ? m[1]! : name.replace(NIFTI, '');
    if (!m && channels !== 1) continue;
    if (!cases.has(id)) cases.set(id, new Map());
    cases.get(id)!.set(m ? Number(m[2]) : 0, join(dir, name));
  }
  if (!isDir) {
    // One named file: take its sibling channels, as nnU-Net names them.
    const m = CHANNEL_FILE.exec(names[0]!);
    if (m) {
      for (let c = 0; c < channels; c++) {
        const sibling = join(dir, `${m[1]}_${String(c).padStart(4, '0')}${m[3]}`);
        if (existsSync(sibling)) cases.get(m[1]!)!.set(c, sibling);
      }
    }
  }
  return [...cases].map(([id, byChannel]) => {
    const files = Array.from({ length: channels }, (_, c) => byChannel.get(c));
    const absent = files.flatMap((f, c) => (f ? [] : [`${id}_${String(c).padStart(4, '0')}`]));
    return absent.length
      ? { id, files: files.filter((f): f is string => !!f), missing: `missing channel file(s) ${absent.join(', ')} (the plan has ${channels} channel(s))` }
      : { id, files: files as string[] };
  });
}

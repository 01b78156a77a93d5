/**
 * DISFA loading: `scanDisfa` (disfa_scan.ts) validates the copy; `loadDisfa` returns its frames, reading the
 * frames of videos from the prepared set (lib/data/prepare.ts) rather than ever dumping them to disk.
 */
import * as path from 'path';
import { scanDisfa, type DisfaOptions } from './disfa_scan';
import { prepareDisfa, readPrepared, type PrepareOptions } from './prepare';
import { preparedCrop } from './prepare_manifest';
import { DatasetError, type DatasetIndex } from './types';

export * from './disfa_scan';

/**
 * Loads a DISFA copy (real or synthetic) as a DatasetIndex; throws a DatasetError listing every problem.
 * `root` may also be a prepared set (`fer-au data prepare --out DIR`): its manifest names the copy it came from.
 * Frames that only exist in videos come from the prepared set (aligned crops; frames without a face left out),
 * which is prepared first when missing (`prepare: false` refuses instead).
 */
export async function loadDisfa(
  root: string,
  opts: DisfaOptions & { cacheDir?: string; prepare?: boolean; onWarning?: (message: string) => void; prepareOptions?: PrepareOptions } = {},
): Promise<DatasetIndex> {
  const asPrepared = readPrepared(path.resolve(root));
  const preparedDir = asPrepared ? path.resolve(root) : undefined;
  const scan = scanDisfa(asPrepared ? asPrepared.root : root, opts);
  if (scan.problems.length) throw new DatasetError(`DISFA at ${scan.root}`, scan.problems);
  const index: DatasetIndex = {
    dataset: 'disfa',
    root: scan.root,
    aus: scan.aus,
    frames: scan.frames,
    subjects: scan.subjects.map((s) => s.id).sort(),
    aligned: scan.aligned,
  };
  if (scan.aligned || (!preparedDir && !scan.subjects.some((s) => s.video !== undefined))) return index;
  for (const w of scan.warnings) opts.onWarning?.(w.message);
  let dir = preparedDir, manifest = asPrepared;
  if (!manifest) {
    if (opts.prepare === false) throw new Error(`${scan.root}: not prepared; run \`fer-au data prepare --dataset disfa --root ${scan.root}\``);
    const cacheRoot = opts.cacheDir;
    const r = await prepareDisfa(scan.root, { cacheRoot, ...opts.prepareOptions, manifest: opts.manifest });
    [dir, manifest] = [r.dir, r.manifest];
  }
  index.frames = scan.frames.flatMap((f) => {
    const crop = preparedCrop(dir!, manifest!, f.subject, f.frame);
    return crop ? [{ ...f, image: crop }] : [];
  });
  index.aligned = true;
  return index;
}

/**
 * `fer-au data prepare`: decode, align and cache a DISFA copy once (lib/data/prepare.ts).
 * Dispatched from `fer-au data` (./data.ts).
 */
import * as path from 'path';
import { prepareDisfa } from '../data/prepare';
import { preparedCacheRoot } from '../data/prepare_plan';
import { DatasetError } from '../data/types';
import { intOption, parseCommandArgs } from './args';
import { progressLine, progressWriter } from './data_progress';
import { UsageError } from './types';

export const PREPARE_USAGE = `usage: fer-au data prepare --dataset disfa --root DIR [--out DIR] [--size PX] [--workers N] [options]

Decodes each video once (streamed from ffmpeg, no frame dump), aligns every frame from DISFA's 66-point
landmarks (Landmark_Points/SNxxx/tmp_frame_lm; eyes level at a fixed distance by a similarity transform), or,
where there are none, by face detection every N frames with tracking between, and writes the crops once.
train, eval, figures and every shard then read the prepared set (found from --data-root DISFA_DIR, or pass
the prepared folder itself as --data-root). Rerun the same command to resume after an interruption (kill -9
included); several processes on one set share the work. A video whose frame count differs from its labels
uses the first min(video, labels) frames, with a warning naming the subject.

  --dataset disfa      the only dataset with videos
  --root DIR           the DISFA copy (ActionUnit_Labels/, Videos_LeftCamera/ or Frames_LeftCamera/, Landmark_Points/)
  --out DIR            the prepared set's folder (default: <cache>/prepared/disfa-<key>, cache = FER_CACHE_DIR,
                       else $XDG_CACHE_HOME/fer-au, else ~/.cache/fer-au; currently ${preparedCacheRoot()})
  --size PX            crop side (default 256: room for 224 px inputs with augmentation; 32-1024)
  --workers N          worker threads (default min(2, cores); 0 = main thread)
  --detect-every N     without landmarks: detect every N-th frame, track in between (default 5)
  --quality Q          JPEG quality of the crops (default 92)
  --chunk N            frames per chunk, the unit of resuming and sharing (default 500)
  --manifest FILE      dataset manifest (default data-manifests/disfa.json)
  --json               print the prepared set's manifest as JSON
  --quiet              no progress bar`;

export async function runPrepare(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    dataset: { type: 'string' },
    root: { type: 'string' },
    out: { type: 'string' },
    size: { type: 'string' },
    workers: { type: 'string' },
    'detect-every': { type: 'string' },
    quality: { type: 'string' },
    chunk: { type: 'string' },
    manifest: { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
  });
  if ((values.dataset ?? 'disfa') !== 'disfa') throw new UsageError(`--dataset must be disfa (the only dataset with videos), got '${String(values.dataset)}'`);
  if (!values.root) throw new UsageError('--root is required');
  const settings = {
    size: intOption(values.size, 'size', 256, 32, 1024),
    detectEvery: intOption(values['detect-every'], 'detect-every', 5, 1, 1000),
    quality: intOption(values.quality, 'quality', 92, 1, 100),
    chunk: intOption(values.chunk, 'chunk', 500, 1, 100000),
  };
  const workers = values.workers === undefined ? undefined : intOption(values.workers, 'workers', 2, 0, 64);
  const bar = values.quiet ? null : progressWriter();
  let summary;
  try {
    summary = await prepareDisfa(path.resolve(String(values.root)), {
      out: values.out as string | undefined,
      settings,
      workers,
      manifest: values.manifest as string | undefined,
      onWarning: (w) => process.stderr.write(`warning: ${w}\n`),
      onProgress: (p) => bar?.update(progressLine('prepare', p.done, p.total, p.framesPerSecond, p.etaSeconds)),
    });
  } catch (err) {
    const msg = (err as Error).message;
    if (err instanceof DatasetError || /holds a prepared set|already aligned|must be an integer/.test(msg)) throw new UsageError(msg.split('\n')[0]);
    throw err;
  } finally {
    bar?.end();
  }
  const m = summary.manifest;
  if (values.json) process.stdout.write(JSON.stringify(m) + '\n');
  else {
    for (const w of m.warnings) process.stderr.write(`note: ${w}\n`);
    process.stdout.write(
      `prepared ${summary.dir}: ${m.subjects.length} subjects, ${m.totals.frames} frames (landmarks ${m.totals.landmarks}, detected ${m.totals.detected},` +
        ` tracked ${m.totals.tracked}, no face ${m.totals.noFace}); this process: ${summary.frames} frames in ${summary.chunks} chunks,` +
        ` ${summary.seconds.toFixed(1)} s, ${summary.framesPerSecond.toFixed(1)} frames/s\n`,
    );
  }
  return 0;
}

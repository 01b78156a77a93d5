/**
 * `fer-au data synth`: writes the synthetic DISFA set (lib/data/synthetic) and/or its figures.
 * Dispatched from `fer-au data` (./data.ts).
 */
import * as path from 'path';
import { writeFileAtomic } from '../util/fs';
import { auGallery, contactSheet } from '../data/synthetic/sheet';
import { writeSyntheticDisfa } from '../data/synthetic/writer';
import { intOption, parseCommandArgs } from './args';
import { UsageError } from './types';

export const usage = `usage: fer-au data synth --out DIR [--subjects 27] [--frames 4845] [--size 224] [--seed 0] [options]

Writes a synthetic DISFA set: faces drawn from per-subject identities with the 12 DISFA AUs at intensities
0-5 (smooth onset/apex/offset episodes; presence rates proportional to the paper's Table 1), in DISFA's layout:
  DIR/ActionUnit_Labels/SNxxx/SNxxx_au{N}.txt   one \`frame,intensity\` line per frame (1-based)
  DIR/Frames_LeftCamera/SNxxx/{frame:05d}.jpg   aligned square face crops
  DIR/fer-au-synthetic.json                     provenance (options, identities, label statistics), written last
The same options give the same bytes. An interrupted run is resumed by rerunning the same command
(complete subjects are skipped); other options into an existing set are refused.

  --out DIR              output folder (new or empty, or an interrupted/partial set with the same options)
  --subjects N           the first N DISFA subject ids, SN001 ... (1-27, default 27)
  --frames N             frames per subject (default 4845; SN010 then has 4844, as real DISFA); fewer frames
                         sample each subject's 4845-frame timeline evenly, with the same expected AU rates
  --size PX              image side in pixels (32-1024, default 224)
  --seed S               dataset seed (default 0)
  --quality Q            JPEG quality (1-100, default 90)
  --workers N            render threads (default min(2, cores); 0 = main thread)
  --layout L             frames (default: the aligned crops above) or video: DISFA's raw layout instead,
                         Videos_LeftCamera/LeftVideoSNxxx_comp.avi + Landmark_Points/SNxxx/tmp_frame_lm/
                         SNxxx_{i:04d}_lm.mat (66 landmarks a frame), for \`fer-au data prepare\`
  --frame-size WxH       video frame size for --layout video (default 1024x768, DISFA's)
  --contact-sheet FILE   also write a PNG of sample frames labelled with their AUs (no --out needed)
  --au-gallery FILE      also write a PNG of the 8 studied AUs at intensity 0..5 on one identity
  --quiet                no progress output`;

/** Alias read by ./data.ts. */
export const SYNTH_USAGE = usage;

export async function runSynth(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    out: { type: 'string' },
    subjects: { type: 'string' },
    frames: { type: 'string' },
    size: { type: 'string' },
    seed: { type: 'string' },
    quality: { type: 'string' },
    workers: { type: 'string' },
    layout: { type: 'string' },
    'frame-size': { type: 'string' },
    'contact-sheet': { type: 'string' },
    'au-gallery': { type: 'string' },
    quiet: { type: 'boolean' },
  });
  const out = values.out as string | undefined;
  const sheet = values['contact-sheet'] as string | undefined;
  const gallery = values['au-gallery'] as string | undefined;
  if (!out && !sheet && !gallery) throw new UsageError('--out DIR is required (or --contact-sheet FILE / --au-gallery FILE)');
  for (const [name, file] of [['contact-sheet', sheet], ['au-gallery', gallery]] as const) {
    if (file !== undefined && !file.toLowerCase().endsWith('.png')) throw new UsageError(`--${name} must name a .png file, got '${file}'`);
  }
  const subjects = intOption(values.subjects, 'subjects', 27, 1, 27);
  const frames = intOption(values.frames, 'frames', 4845, 1, 99999);
  const size = intOption(values.size, 'size', 224, 32, 1024);
  const seed = intOption(values.seed, 'seed', 0, 0, 0xffffffff);
  const quality = intOption(values.quality, 'quality', 90, 1, 100);
  const workers = values.workers === undefined ? undefined : intOption(values.workers, 'workers', 2, 0, 64);
  const quiet = values.quiet === true;
  const layout = (values.layout as string | undefined) ?? 'frames';
  if (layout !== 'frames' && layout !== 'video') throw new UsageError(`--layout must be frames or video, got '${layout}'`);
  let frameSize: [number, number] | undefined;
  if (values['frame-size'] !== undefined) {
    const m = /^(\d+)x(\d+)$/.exec(String(values['frame-size']));
    if (!m) throw new UsageError(`--frame-size must be WIDTHxHEIGHT (e.g. 1024x768), got '${String(values['frame-size'])}'`);
    frameSize = [Number(m[1]), Number(m[2])];
    if (layout !== 'video') throw new UsageError('--frame-size needs --layout video');
  }
  const log = (s: string) => {
    if (!quiet) process.stderr.write(s);
  };

  if (out) {
    let last = 0;
    let summary;
    try {
      summary = await writeSyntheticDisfa({
        out, subjects, frames, size, seed, quality, workers, layout, frameSize,
        onProgress: (done, total) => {
          const now = Date.now();
          if (now - last > 2000 || done === total) {
            last = now;
            log(`\rsynth: ${done}/${total} frames`);
          }
        },
      });
    } catch (err) {
      const msg = (err as Error).message;
      // a folder that is not ours, or one written with other options: bad input, not a crash
      if (/not empty and not a synthetic|written with other options|is not a folder|frame size must/.test(msg)) throw new UsageError(msg.split('\n')[0]);
      throw err;
    }
    if (summary.rendered > 0) log('\n');
    process.stdout.write(
      `wrote ${summary.out}: ${summary.subjects.length} subjects, ${summary.frames} frames at ${size} px` +
        ` (rendered ${summary.rendered} in ${summary.seconds.toFixed(1)} s, ${summary.framesPerSecond.toFixed(1)} frames/s;` +
        ` ${summary.skipped.length} complete subjects skipped)\n`,
    );
  }
  if (sheet) {
    writeFileAtomic(path.resolve(sheet), contactSheet({ seed, frames, subjects }));
    process.stdout.write(`wrote ${sheet}\n`);
  }
  if (gallery) {
    writeFileAtomic(path.resolve(gallery), auGallery({ seed }));
    process.stdout.write(`wrote ${gallery}\n`);
  }
  return 0;
}

/**
 * DISFA reader (Mavadati et al., 2013) in the layout of data-manifests/disfa.json:
 *   ActionUnit_Labels/SNxxx/SNxxx_au{N}.txt   one `frame,intensity` line per frame (1-based, intensity 0-5)
 *   Frames_LeftCamera/SNxxx/{frame:05d}.jpg|png   extracted frames, or
 *   Videos_LeftCamera/LeftVideoSNxxx_comp.avi  the original video, decoded with ffmpeg, and
 *   Landmark_Points/SNxxx/tmp_frame_lm/*_lm.mat  DISFA's 66-point landmarks (disfa_landmarks.ts).
 * The synthetic generator (lib/data/synthetic) writes the same layouts plus fer-au-synthetic.json.
 *
 * `scanDisfa` reads everything and collects every problem (file and line); `loadDisfa` returns the index
 * or throws a DatasetError listing them. Videos are never dumped to frame files: loadDisfa reads their
 * frames from the prepared set (`fer-au data prepare`, lib/data/prepare.ts), preparing it first if needed.
 * Mismatch policy: a video whose frame count differs from its labels' is a warning, not a problem; the first
 * min(video, labels) frames are used (with --full, the strict check of a complete copy, it stays a problem).
 */
import * as fs from 'fs';
import * as path from 'path';
import { integerRanges } from '../util/ranges';
import { auNumber, DISFA_AUS } from './aus';
import { DISFA_LANDMARK_DIR, indexDisfaLandmarks } from './disfa_landmarks';
import { fillTemplate, loadManifest, MANIFEST_DIR, resolveInRoot, type DisfaManifest } from './manifest';
import { type DataProblem, type FrameRecord, type SubjectSummary } from './types';
import { ffmpegAvailable, probeVideo } from './video';

/** A parsed DISFA label file: intensity per frame (index 0 = frame 1; NaN where a frame is missing). */
export interface LabelFile {
  intensities: number[];
  /** Highest frame number seen. */
  frames: number;
}

/**
 * Parses one DISFA label file's text. Accepts CRLF, a UTF-8 BOM, spaces around values and blank lines
 * (real copies have trailing ones); reports malformed lines, intensities outside 0-5 or not integers,
 * duplicate frames and gaps in the frame numbering, each with its line.
 */
export function parseDisfaLabels(text: string, file: string, problems: DataProblem[]): LabelFile {
  const intensities: number[] = [];
  const firstLine = new Map<number, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  let last = 0;
  let lastLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    const lineNo = i + 1;
    // A line whose frame number is readable counts as that frame even when its value is bad, so one bad
    // value is one problem (no knock-on gap or count mismatch); an unreadable line stands for the next frame.
    const fm = /^\s*(\d+)\s*,(.*)$/.exec(raw);
    const frame = fm ? Number(fm[1]) : last + 1;
    let value = NaN;
    if (!fm) {
      problems.push({ code: 'bad-line', file, line: lineNo, message: `expected 'frame,intensity', got '${raw.slice(0, 60)}'` });
    } else if (frame < 1) {
      problems.push({ code: 'bad-line', file, line: lineNo, message: `frame numbers start at 1, got ${frame}` });
      continue;
    } else if (firstLine.has(frame)) {
      problems.push({ code: 'duplicate-frame', file, line: lineNo, message: `frame ${frame} listed again (first on line ${firstLine.get(frame)})` });
      continue;
    } else {
      const vText = fm[2].trim();
      const v = /^[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?$/.test(vText) ? Number(vText) : NaN;
      if (Number.isNaN(v)) {
        problems.push({ code: 'bad-line', file, line: lineNo, message: `expected 'frame,intensity', got '${raw.slice(0, 60)}'` });
      } else if (!Number.isInteger(v) || v < 0 || v > 5) {
        problems.push({ code: 'intensity-range', file, line: lineNo, message: `intensity must be an integer 0-5, got ${vText} (frame ${frame})` });
      } else value = v;
    }
    firstLine.set(frame, lineNo);
    if (frame > last + 1) {
      const gap = frame - last - 1;
      problems.push({
        code: 'missing-frame',
        file,
        line: lineNo,
        message: `frame${gap > 1 ? `s ${last + 1}-${frame - 1}` : ` ${last + 1}`} missing (line ${lastLine || '-'} has frame ${last}, this line ${frame})`,
      });
    } else if (frame < last) {
      problems.push({ code: 'bad-line', file, line: lineNo, message: `frame ${frame} out of order (after frame ${last})` });
    }
    while (intensities.length < frame) intensities.push(NaN);
    intensities[frame - 1] = value;
    if (frame > last) {
      last = frame;
      lastLine = lineNo;
    }
  }
  return { intensities, frames: last };
}

/** What `scanDisfa` saw for one subject (the shape `data check` reports for every dataset). */
export type DisfaSubjectSummary = SubjectSummary;

export interface DisfaScan {
  root: string;
  manifestFile: string;
  manifest: DisfaManifest;
  aus: string[];
  subjects: DisfaSubjectSummary[];
  /** Frames with a label for every AU and an image (or a video frame: then `image` is `<video>#<frame>`). */
  frames: FrameRecord[];
  problems: DataProblem[];
  /** Not problems, but worth a line: video/label frame-count mismatches and the frames used (the policy above). */
  warnings: DataProblem[];
  /** Contents of fer-au-synthetic.json, when the set is synthetic. */
  synthetic: Record<string, unknown> | null;
  aligned: boolean;
}

export interface DisfaOptions {
  /** AUs to read (default: every DISFA AU with a label file for some subject). */
  aus?: string[];
  /** Subjects to read (default: every subject folder under ActionUnit_Labels). */
  subjects?: string[];
  /** Evenly subsample this many frames per subject (after validation). */
  framesPerSubject?: number;
  /** Manifest file (default data-manifests/disfa.json). */
  manifest?: string;
  /** Also require the complete real dataset: 27 subjects and the manifest's frame counts. */
  full?: boolean;
  /** Probe videos with ffprobe to check frame counts (default true when ffmpeg is installed). */
  probeVideos?: boolean;
}

const IMAGE_RE = /^(\d+)\.(jpe?g|png)$/i;

function listDir(dir: string): string[] | null {
  try {
    return fs.readdirSync(dir);
  } catch {
    return null;
  }
}

/** Reads and validates a DISFA copy, collecting every problem instead of stopping at the first. */
export function scanDisfa(rootIn: string, opts: DisfaOptions = {}): DisfaScan {
  const root = path.resolve(rootIn);
  const manifestFile = path.resolve(opts.manifest ?? path.join(MANIFEST_DIR, 'disfa.json'));
  const manifest = loadManifest('disfa', manifestFile);
  const problems: DataProblem[] = [];
  const warnings: DataProblem[] = [];
  const L = manifest.layout;
  const known = new Set(manifest.subjects);

  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    problems.push({ code: 'missing-file', file: root, message: 'dataset root is not a directory' });
    return { root, manifestFile, manifest, aus: [], subjects: [], frames: [], problems, warnings, synthetic: null, aligned: false };
  }

  // Provenance of synthetic sets.
  let synthetic: Record<string, unknown> | null = null;
  const provFile = resolveInRoot(root, L.syntheticProvenance, problems, manifestFile);
  if (provFile && fs.existsSync(provFile)) {
    try {
      synthetic = JSON.parse(fs.readFileSync(provFile, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      problems.push({ code: 'unreadable-file', file: provFile, message: `invalid JSON (${(err as Error).message})` });
    }
  }

  // Subjects: folders of the label directory.
  const labelsRoot = resolveInRoot(root, L.labels.split('{subject}')[0] || '.', problems, manifestFile);
  let found: string[] = [];
  if (labelsRoot) {
    const entries = listDir(labelsRoot);
    if (entries === null) {
      problems.push({ code: 'missing-file', file: labelsRoot, message: 'label folder missing' });
    } else {
      for (const e of entries.sort()) {
        const full = path.join(labelsRoot, e);
        if (!fs.statSync(full).isDirectory()) continue;
        if (!known.has(e)) {
          problems.push({ code: 'unknown-subject', file: full, message: `'${e}' is not a DISFA subject (expected one of SN001..SN032 in the manifest)` });
          continue;
        }
        found.push(e);
      }
    }
  }
  if (opts.subjects) {
    for (const s of opts.subjects) {
      if (!known.has(s)) problems.push({ code: 'unknown-subject', file: manifestFile, message: `requested subject '${s}' is not a DISFA subject` });
      else if (!found.includes(s)) problems.push({ code: 'missing-file', file: path.join(labelsRoot ?? root, s), message: `requested subject ${s} has no label folder` });
    }
    found = found.filter((s) => opts.subjects!.includes(s));
  }
  if (opts.full) {
    for (const s of manifest.subjects) {
      if (!found.includes(s)) problems.push({ code: 'missing-file', file: path.join(labelsRoot ?? root, s), message: `subject ${s} missing (--full expects all ${manifest.subjects.length})` });
    }
  }

  // AUs: requested, or every AU with a label file somewhere.
  const fileOf = (s: string, au: string) => resolveInRoot(root, fillTemplate(L.labels, { subject: s, au: auNumber(au) }), problems, manifestFile);
  let aus: string[];
  if (opts.aus) {
    const bad = opts.aus.filter((a) => !(DISFA_AUS as readonly string[]).includes(a));
    if (bad.length) throw new Error(`loadDisfa: unknown AU(s) ${bad.join(', ')} (valid: ${DISFA_AUS.join(', ')})`);
    aus = opts.aus.slice();
  } else {
    aus = DISFA_AUS.filter((au) => found.some((s) => {
      const f = fileOf(s, au);
      return f !== null && fs.existsSync(f);
    }));
  }

  const subjects: DisfaSubjectSummary[] = [];
  const frames: FrameRecord[] = [];
  for (const s of found) {
    // Labels.
    const labels: Record<string, LabelFile> = {};
    const counts: { file: string; frames: number }[] = [];
    for (const au of aus) {
      const file = fileOf(s, au);
      if (!file) continue;
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        problems.push({ code: code === 'ENOENT' ? 'missing-file' : 'unreadable-file', file, message: code === 'ENOENT' ? `label file for ${au} missing` : `cannot read (${code})` });
        continue;
      }
      const lf = parseDisfaLabels(text, file, problems);
      labels[au] = lf;
      counts.push({ file, frames: lf.frames });
    }
    // The subject's frame count is the one most label files agree on; the others are reported.
    const tally = new Map<number, number>();
    for (const c of counts) tally.set(c.frames, (tally.get(c.frames) ?? 0) + 1);
    let nLabels = -1;
    let best = 0;
    for (const [n, k] of tally) if (k > best) [nLabels, best] = [n, k];
    const nFile = counts.find((c) => c.frames === nLabels)?.file ?? '';
    for (const c of counts) {
      if (c.frames !== nLabels) problems.push({ code: 'frame-count', file: c.file, message: `${c.frames} labelled frames, but ${best} other label file(s) of ${s} have ${nLabels}` });
    }
    if (nLabels < 0) nLabels = 0;
    if (opts.full) {
      const expected = manifest.counts.framesPerSubjectExceptions[s] ?? manifest.counts.framesPerSubject;
      if (nLabels !== expected) problems.push({ code: 'frame-count', file: nFile || path.join(labelsRoot ?? root, s), message: `${s} has ${nLabels} labelled frames, DISFA has ${expected}` });
    }

    // Frames: a folder of images, else the video.
    const summary: DisfaSubjectSummary = { id: s, frames: nLabels };
    const framesDir = resolveInRoot(root, fillTemplate(L.framesDir, { subject: s }), problems, manifestFile);
    const videoRel = fillTemplate(L.video, { subject: s });
    const video = resolveInRoot(root, videoRel, problems, manifestFile);
    const images = new Map<number, string>();
    let source: 'images' | 'video' | null = null;
    const entries = framesDir ? listDir(framesDir) : null;
    const videoExists = video !== null && fs.existsSync(video);
    // A frames folder wins, unless it holds no image and the video is there.
    if (framesDir && entries !== null && (!videoExists || entries.some((e) => IMAGE_RE.test(e)))) {
      source = 'images';
      for (const e of entries.sort()) {
        const m = IMAGE_RE.exec(e);
        if (!m || !manifest.layout.frameExtensions.includes(m[2].toLowerCase().replace('jpeg', 'jpg'))) continue;
        const n = Number(m[1]);
        const prev = images.get(n);
        if (prev !== undefined) {
          problems.push({ code: 'duplicate-frame', file: path.join(framesDir, e), message: `frame ${n} has two images (${path.basename(prev)} and ${e})` });
          continue;
        }
        images.set(n, path.join(framesDir, e));
      }
      summary.images = images.size;
      const missing: number[] = [];
      for (let f = 1; f <= nLabels; f++) if (!images.has(f)) missing.push(f);
      for (const [a, b] of integerRanges(missing)) {
        problems.push({
          code: 'missing-frame',
          file: path.join(framesDir, fillTemplate(L.frameFile, { frame: a, ext: 'jpg' })),
          message: a === b ? `image of labelled frame ${a} missing` : `images of labelled frames ${a}-${b} missing (${b - a + 1})`,
        });
      }
      const extra = [...images.keys()].filter((f) => f < 1 || f > nLabels).sort((x, y) => x - y);
      if (extra.length) {
        problems.push({ code: 'frame-count', file: framesDir, message: `${images.size} images but the labels have ${nLabels} frames (${extra.length} image(s) beyond the labels, from frame ${extra[0]})` });
      }
    } else if (video && videoExists) {
      source = 'video';
      summary.video = path.relative(root, video);
      if (opts.probeVideos ?? ffmpegAvailable()) {
        try {
          const info = probeVideo(video);
          summary.videoFrames = info.frames;
          if (info.frames !== nLabels) {
            const message = `video has ${info.frames} frames, the labels ${nLabels}`;
            if (opts.full) problems.push({ code: 'frame-count', file: video, message });
            else warnings.push({ code: 'frame-count', file: video, message: `${s}: ${message}: using the first ${Math.min(info.frames, nLabels)} (policy: first min(video, labels) frames)` });
          }
        } catch (err) {
          problems.push({ code: 'unreadable-file', file: video, message: (err as Error).message.replace(`${video}: `, '') });
        }
      }
    } else {
      problems.push({ code: 'missing-file', file: framesDir ?? path.join(root, s), message: `no frames for ${s}: neither this folder nor ${videoRel} exists` });
    }
    const lm = indexDisfaLandmarks(path.join(root, fillTemplate((L as { landmarks?: string }).landmarks ?? DISFA_LANDMARK_DIR, { subject: s })));
    if (lm) summary.landmarks = lm.files.size;
    subjects.push(summary);

    // Records: frames labelled for every AU and with an image (a video: its first min(video, labels) frames).
    const records: FrameRecord[] = [];
    const lastFrame = source === 'video' && summary.videoFrames !== undefined ? Math.min(nLabels, summary.videoFrames) : nLabels;
    for (let f = 1; f <= lastFrame; f++) {
      const intensity: Record<string, number> = {};
      let ok = true;
      for (const au of aus) {
        const v = labels[au]?.intensities[f - 1];
        if (v === undefined || Number.isNaN(v)) {
          ok = false;
          break;
        }
        intensity[au] = v;
      }
      if (!ok) continue;
      let image: string;
      if (source === 'images') {
        const img = images.get(f);
        if (!img) continue;
        image = img;
      } else if (source === 'video') {
        image = `${video}#${f}`;
      } else continue;
      records.push({ subject: s, frame: f, image, intensity });
    }
    frames.push(...subsample(records, opts.framesPerSubject));
  }
  if (opts.full) {
    const total = subjects.reduce((a, s) => a + s.frames, 0);
    if (total !== manifest.counts.totalFrames && found.length === manifest.subjects.length) {
      problems.push({ code: 'frame-count', file: labelsRoot ?? root, message: `${total} labelled frames in all, DISFA has ${manifest.counts.totalFrames}` });
    }
  }
  const aligned = synthetic !== null && synthetic.aligned === true;
  return { root, manifestFile, manifest, aus, subjects, frames, problems, warnings, synthetic, aligned };
}

/** `k` records spread evenly over `records` (all of them when k is undefined or >= length). */
export function subsample<T>(records: T[], k?: number): T[] {
  if (k === undefined || k >= records.length) return records;
  if (!Number.isInteger(k) || k < 1) throw new Error(`framesPerSubject must be a positive integer, got ${k}`);
  const n = records.length;
  return Array.from({ length: k }, (_, i) => records[Math.floor(((i + 0.5) * n) / k)]);
}

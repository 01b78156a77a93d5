/**
 * Types shared by the dataset readers, the checker and the input pipeline (contract: team/contracts.md).
 */

/** One labelled image: a DISFA video frame, a CelebA photo or a Bosphorus capture. */
export interface FrameRecord {
  /** Subject id ('SN001' for DISFA, 'bs000' for Bosphorus, the partition name for CelebA). */
  subject: string;
  /** 1-based frame number within the subject (DISFA), or the row number of the image (CelebA, Bosphorus). */
  frame: number;
  /** Absolute path of the frame image. */
  image: string;
  /**
   * Label intensity per label name: 'AU01' -> 0..5 for DISFA. Binary datasets (CelebA attributes, Bosphorus AUs)
   * store 0 for absent and 5 (FACS intensity E, the maximum) for present, so one presence threshold
   * (`PRESENCE_THRESHOLD`) serves every dataset.
   */
  intensity: Record<string, number>;
  /** Optional 2D landmarks in image pixels ([x, y] pairs), e.g. Bosphorus .lm2 points. */
  landmarks?: { names: string[]; points: [number, number][] };
}

export type DatasetName = 'disfa' | 'celeba' | 'bosphorus';

/** What a dataset reader saw for one subject (`data check`'s subjects; DISFA fills the optional fields). */
export interface SubjectSummary {
  id: string;
  /** Labelled frames (from the label files). */
  frames: number;
  /** Images found in the frames folder, when the frames come from a folder. */
  images?: number;
  /** The video file (relative to the root), when the frames come from a video. */
  video?: string;
  /** Frames in the video (ffprobe), when probed. */
  videoFrames?: number;
  /** DISFA landmark files found for the subject (Landmark_Points/SNxxx/tmp_frame_lm). */
  landmarks?: number;
}

/** A dataset read from disk: the frames, their labels and where they came from. */
export interface DatasetIndex {
  dataset: DatasetName;
  /** Absolute dataset root. */
  root: string;
  /** Label names in column order ('AU01', ... or CelebA attribute names). */
  aus: string[];
  frames: FrameRecord[];
  /** Subjects present, sorted. */
  subjects: string[];
  /** True when the images are already aligned square face crops (synthetic DISFA, CelebA's img_align_celeba). */
  aligned: boolean;
}

/** What kind of thing is wrong with a dataset copy (stable codes, for tests and tools). */
export type ProblemCode =
  | 'missing-file'
  | 'unreadable-file'
  | 'bad-line'
  | 'intensity-range'
  | 'frame-count'
  | 'missing-frame'
  | 'unknown-subject'
  | 'duplicate-frame'
  | 'empty-fold'
  | 'path-escapes-root'
  | 'bad-manifest'
  | 'unknown-name';

/** One problem found in a dataset copy, with the file (and line, when it is about a line) it concerns. */
export interface DataProblem {
  code: ProblemCode;
  file: string;
  line?: number;
  message: string;
}

/** `file:line: message`, the format editors and CI logs link. */
export function formatProblem(p: DataProblem): string {
  return `${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message} [${p.code}]`;
}

/** Thrown by the loaders when a dataset copy has problems; carries all of them, not just the first. */
export class DatasetError extends Error {
  readonly problems: DataProblem[];

  constructor(what: string, problems: DataProblem[]) {
    const head = problems.slice(0, 5).map(formatProblem).join('\n  ');
    const more = problems.length > 5 ? `\n  ... and ${problems.length - 5} more (run \`fer-au data check\` for all)` : '';
    super(`${what}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n  ${head}${more}`);
    this.name = 'DatasetError';
    this.problems = problems;
  }
}

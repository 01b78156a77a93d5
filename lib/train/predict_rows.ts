/**
 * The rows `fer-au predict` writes, one per detected face: file, frame, face (1-based index in the image, 0 when
 * no face was found), the face's box in pixels of the input image, the detector's score, then every AU's
 * sigmoid score (`AUxx_score`) and its presence (`AUxx`, score >= threshold). CSV and JSON carry the same
 * fields (`predictionRecords`); a frame without a face is one row with face 0 and empty cells.
 */

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PredictionRow {
  /** The input file (image or video). */
  file: string;
  /** 1-based frame number in a video; 1 for an image. */
  frame: number;
  /** 1-based index of the face in the frame (left to right); 0 when no face was found. */
  face: number;
  /** The face's box in input pixels; null without a face (or for pre-aligned inputs: the whole image). */
  box: FaceBox | null;
  /** The face detector's score; null without a face or for pre-aligned inputs. */
  detectionScore: number | null;
  scores: Record<string, number> | null;
  present: Record<string, boolean> | null;
}

/** Column names, in order. */
export function predictionColumns(aus: string[]): string[] {
  return ['file', 'frame', 'face', 'box_x', 'box_y', 'box_width', 'box_height', 'detection_score', ...aus.map((a) => `${a}_score`), ...aus];
}

export type PredictionRecord = Record<string, string | number | null>;

const round = (v: number, digits: number) => Number(v.toFixed(digits));

/** Flat records with exactly the CSV's columns (null for an empty cell); what `--format json` writes. */
export function predictionRecords(rows: PredictionRow[], aus: string[]): PredictionRecord[] {
  return rows.map((r) => {
    const rec: PredictionRecord = {
      file: r.file,
      frame: r.frame,
      face: r.face,
      box_x: r.box ? round(r.box.x, 1) : null,
      box_y: r.box ? round(r.box.y, 1) : null,
      box_width: r.box ? round(r.box.width, 1) : null,
      box_height: r.box ? round(r.box.height, 1) : null,
      detection_score: r.detectionScore === null ? null : round(r.detectionScore, 4),
    };
    for (const a of aus) rec[`${a}_score`] = r.scores ? Number(r.scores[a].toPrecision(6)) : null;
    for (const a of aus) rec[a] = r.present ? (r.present[a] ? 1 : 0) : null;
    return rec;
  });
}

function csvCell(v: string | number | null, column: string): string {
  if (v === null) return '';
  if (column === 'file') return JSON.stringify(v);
  if (column.endsWith('_score') && column !== 'detection_score') return (v as number).toPrecision(6);
  return String(v);
}

/** CSV: one row per face (see the file comment). */
export function predictionsCsv(rows: PredictionRow[], aus: string[]): string {
  const cols = predictionColumns(aus);
  const lines = predictionRecords(rows, aus).map((rec) => cols.map((c) => csvCell(rec[c], c)).join(','));
  return `${[cols.join(','), ...lines].join('\n')}\n`;
}

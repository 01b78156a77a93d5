/**
 * Alignment geometry: 2D affine maps, the least-squares similarity (Umeyama 1991) and the eye-based crop
 * transform. Pure functions of points; no images, no I/O.
 */
export type Point = [number, number];
/** 2D affine map in canvas setTransform order: (x, y) -> (a x + c y + e, b x + d y + f). */
export type Affine = [number, number, number, number, number, number];

/** Applies `m` to `p`. */
export function applyAffine(m: Affine, p: Point): Point {
  return [m[0] * p[0] + m[2] * p[1] + m[4], m[1] * p[0] + m[3] * p[1] + m[5]];
}

/** The inverse of a non-singular affine map. */
export function invertAffine(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * d - b * c;
  if (Math.abs(det) < 1e-12) throw new Error('invertAffine: singular map');
  return [d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det];
}

/**
 * Least-squares similarity (rotation, uniform scale, translation; no reflection) taking `src` to `dst`
 * (Umeyama 1991 in 2D): with centred points, s cos t = sum(xs xd + ys yd) / sum|s|^2 and
 * s sin t = sum(xs yd - ys xd) / sum|s|^2. Exact for two distinct points.
 */
export function fitSimilarity(src: Point[], dst: Point[]): Affine {
  if (src.length !== dst.length || src.length < 2) throw new Error(`fitSimilarity: need >= 2 matching points, got ${src.length} and ${dst.length}`);
  const n = src.length;
  let sx = 0, sy = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i][0]; sy += src[i][1]; dx += dst[i][0]; dy += dst[i][1];
  }
  sx /= n; sy /= n; dx /= n; dy /= n;
  let num1 = 0, num2 = 0, den = 0;
  for (let i = 0; i < n; i++) {
    const xs = src[i][0] - sx, ys = src[i][1] - sy, xd = dst[i][0] - dx, yd = dst[i][1] - dy;
    num1 += xs * xd + ys * yd;
    num2 += xs * yd - ys * xd;
    den += xs * xs + ys * ys;
  }
  if (den < 1e-12) throw new Error('fitSimilarity: source points coincide');
  const a = num1 / den; // s cos t
  const b = num2 / den; // s sin t
  // x' = a x - b y + e, y' = b x + a y + f
  return [a, b, -b, a, dx - a * sx + b * sy, dy - b * sx - a * sy];
}

export interface AlignSettings {
  /** Side of the square crop in pixels (default 256). */
  size: number;
  /** Distance between the eye centres as a fraction of the side (default 0.35). */
  eyeDistance: number;
  /** Height of the eye line as a fraction of the side (default 0.4). */
  eyeY: number;
}

export const DEFAULT_ALIGN: AlignSettings = Object.freeze({ size: 256, eyeDistance: 0.35, eyeY: 0.4 });

/**
 * The similarity that maps the eye centres (`leftEye` = the one with smaller x in the image, the subject's
 * right eye) to ((1 - eyeDistance)/2 * size, eyeY * size) and ((1 + eyeDistance)/2 * size, eyeY * size):
 * eyes level, fixed inter-ocular distance, face centred.
 */
export function eyeAlignTransform(leftEye: Point, rightEye: Point, settings: Partial<AlignSettings> = {}): Affine {
  const s = { ...DEFAULT_ALIGN, ...settings };
  const y = s.eyeY * s.size;
  return fitSimilarity([leftEye, rightEye], [[((1 - s.eyeDistance) / 2) * s.size, y], [((1 + s.eyeDistance) / 2) * s.size, y]]);
}

/** Mean of the 68-point landmarks 36-41 and 42-47 (iBUG numbering, 0-based): the two eye centres, image-left first. */
export function eyeCentres(landmarks68: Point[]): [Point, Point] {
  if (landmarks68.length !== 68) throw new Error(`eyeCentres: expected 68 landmarks, got ${landmarks68.length}`);
  const mean = (from: number): Point => {
    let x = 0, y = 0;
    for (let i = from; i < from + 6; i++) {
      x += landmarks68[i][0];
      y += landmarks68[i][1];
    }
    return [x / 6, y / 6];
  };
  const a = mean(36), b = mean(42);
  return a[0] <= b[0] ? [a, b] : [b, a];
}

/**
 * Eye centres from a 66- or 68-point landmark set: the means of points 36-41 and 42-47 (0-based), which are the
 * eyes in both the iBUG 68-point scheme and DISFA's 66-point AAM scheme (68 without the inner mouth corners 60
 * and 64, so only the mouth points after 59 are numbered differently). Image-left eye first.
 */
export function eyeCentresOf(landmarks: Point[]): [Point, Point] {
  if (landmarks.length !== 66 && landmarks.length !== 68) throw new Error(`eyeCentresOf: expected 66 or 68 landmarks, got ${landmarks.length}`);
  return eyeCentres(landmarks.length === 68 ? landmarks : [...landmarks, [0, 0], [0, 0]]);
}

/**
 * The real face photos installed on this machine, the evaluation TEST material of issue 13 (never tuned on):
 * @vladmandic/face-api's demo/sample1.jpg-sample6.jpg (group photos, 22-23 faces) and scikit-image's
 * data/astronaut.png (Debian python3-skimage; one face). The dev/test split was fixed before any model number
 * was seen: dev = astronaut + sample1-3, test = sample4-6.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface RealImage {
  /** Short name (file name), also the name in results files: no machine paths. */
  name: string;
  source: 'face-api demo' | 'scikit-image data';
  split: 'dev' | 'test';
  /** Absolute path on this machine, or null when the package is not installed. */
  file: string | null;
}

/** Where Debian's python3-skimage installs astronaut.png (and pip's scikit-image, as a fallback). */
export const ASTRONAUT_CANDIDATES = ['/usr/lib/python3/dist-packages/skimage/data/astronaut.png', '/usr/local/lib/python3/dist-packages/skimage/data/astronaut.png'];

function faceApiDemo(name: string): string | null {
  try {
    const f = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', name);
    return fs.existsSync(f) ? f : null;
  } catch {
    return null;
  }
}

/** The installed real photos, in a fixed order (dev first); `file` is null for a missing one. */
export function installedRealImages(): RealImage[] {
  const astronaut = ASTRONAUT_CANDIDATES.find((f) => fs.existsSync(f)) ?? null;
  const out: RealImage[] = [{ name: 'astronaut.png', source: 'scikit-image data', split: 'dev', file: astronaut }];
  for (let i = 1; i <= 6; i++) out.push({ name: `sample${i}.jpg`, source: 'face-api demo', split: i <= 3 ? 'dev' : 'test', file: faceApiDemo(`sample${i}.jpg`) });
  return out;
}

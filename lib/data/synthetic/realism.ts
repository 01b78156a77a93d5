/**
 * The provenance note on realism that every generated set carries (fer-au-synthetic.json: `realism`): what each
 * version of the renderer changed to look more like real photographs. None changes the labels, their statistics
 * or how strongly an AU's FACS appearance change is drawn.
 */
export const SYNTHETIC_REALISM: Readonly<Record<number, readonly string[]>> = Object.freeze({
  1: ['Drawn faces (FACS appearance change per AU, strength = intensity / 5), per-subject identity and room, pose, light, blur, noise, blinks.'],
  2: [
    'Framing: the written crop is the camera frame warped by lib/data/align eyeAlignTransform with DEFAULT_ALIGN (eyes level, inter-ocular distance 0.35 of the side, eye line at 0.4), the same step fer-au predict applies to real photos, from the drawn eye centres plus a landmark-detector error of N(0, 0.03) inter-ocular distances per coordinate; version 1 placed the face at a fixed, looser framing (inter-ocular ~0.23 of the side) that real crops did not match.',
    'Skin: per-subject undertone (neutral, yellow, ruddy, olive, cool) and texture (smooth blotches + pores, overlay), shading of the side the head turns away from.',
    'Brow thickness varies 0.7-1.6x per subject.',
    'Beards (30% of subjects: stubble, moustache, goatee, full), drawn under the mouth, its folds and the lips.',
    'Glasses (22% of subjects: round or rectangular frames, faintly tinted lenses).',
    'Head yaw up to 20 degrees (was 12.6), subject yaw habit 1.5x wider.',
    'Background out of focus per subject (blur 0-3 px at 224 px).',
    'White balance per frame (warm/cool gain N(0, 0.06) plus N(0, 0.02) per channel).',
    'Photographic backgrounds were not used: the only installed photographs are the real-face evaluation photos (face-api demo samples) and scikit-image data, which a fresh clone does not install, so the set would depend on the machine.',
  ],
});

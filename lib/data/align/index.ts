/**
 * Face alignment: geometry (similarity transforms from eyes or landmarks), the face-api detector, and the
 * aligned-crop cache for image files. The JAA-Net recipe (Shao et al. 2018) aligns with a similarity
 * transform from landmarks too; `data prepare` (lib/data/prepare) uses these for DISFA's videos.
 */
export * from './geometry';
export * from './detector';
export * from './crop_cache';
export * from './face_crop';

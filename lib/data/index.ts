/**
 * lib/data: dataset manifests and readers (DISFA, CelebA, Bosphorus), validation, folds, labels and
 * statistics, face alignment, image decoding, the input pipeline and the feature cache.
 */
export * from './types';
export * from './aus';
export * from './manifest';
export * from './folds';
export * from './labels';
export * from './disfa';
export * from './celeba';
export * from './bosphorus';
export * from './check';
export * from './video';
export * from './cache';
export * from './synthetic';
export * from './image';
export * from './augment';
export * from './pipeline';
export * from './feature_cache';
export * from './align';

/**
 * fer-au's public API. Every name in shared/design.md's "Public API" is exported flat
 * (`import { buildAuModel, lsepLoss, f1Report } from '../lib'`), and each folder is also
 * available as a namespace (`import { data, models } from '../lib'`).
 * Imports run one way: data, models, losses, metrics know nothing of train; train nothing of plots.
 */
export * from './backend';
export * from './losses';
export * from './metrics';
export * from './models';
export * from './data';
export * from './results';
export * from './train';
export * from './experiments';
export * from './plots';
export * from './report';

export * as backend from './backend';
export * as losses from './losses';
export * as metrics from './metrics';
export * as models from './models';
export * as data from './data';
export * as results from './results';
export * as train from './train';
export * as experiments from './experiments';
export * as plots from './plots';
export * as report from './report';

/** Results files: schema, validation, atomic writing and reading, fold averaging. */
export * from './schema';
export * from './io';
export * from './summary';
export * from './frames';
export * from './portable';
export { canonicalJson } from './canonical';
export * from './tuning';

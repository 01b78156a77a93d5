/** Results files: schema, validation, atomic writing and reading, fold averaging. */
export * from './schema';
export * from './io';
export * from './summary';
export * from './frames';
export { canonicalJson } from './canonical';

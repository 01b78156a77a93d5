/** Real faces: the EMFACS reference, the installed photos, the sim-to-real measurement and its figure. */
export * from './reference';
export * from './images';
export * from './measure';
export * from './sheet';
export * from './run';
export * from './format';

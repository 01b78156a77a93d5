/** Real faces: the EMFACS reference, the installed photos, the sim-to-real measurement, its figure, and the WiSE-FT sweep. */
export * from './reference';
export * from './images';
export * from './measure';
export * from './sheet';
export * from './run';
export * from './format';
export * from './wise_ft';

/**
 * Experiment scheduling: which runs each experiment needs (loss comparison, backbone survey, transfer stages) as
 * resolved configs, and reuse-or-train of their results files. Above train and results; below report and plots.
 */
export * from './experiments';
export * from './ensure';
export * from './jobs';

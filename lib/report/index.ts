/**
 * The report: the figure set, the paper's claims checked against the results, Markdown tables and REPORT.md
 * (`npm start`). Which runs it needs and their reuse-or-train live in lib/experiments.
 */
export * from './imagenet';
export * from './figure_set';
export * from './claims';
export * from './claim_check';
export * from './paired_runs';
export * from './claims_losses';
export * from './claims_models';
export * from './markdown';
export * from './throughput';
export * from './report';
export * from './dataset';
export * from './stages';
export * from './tables';

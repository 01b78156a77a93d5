/**
 * The report: experiments behind the notebooks and figures, reuse-or-run of their results, the figure set, the
 * paper's claims checked against the results, Markdown tables and REPORT.md (`npm start`).
 */
export * from './experiments';
export * from './ensure';
export * from './imagenet';
export * from './figure_set';
export * from './claims';
export * from './markdown';
export * from './throughput';
export * from './report';
export * from './dataset';
export * from './stages';

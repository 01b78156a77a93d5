/** lib/export: the browser site (fer-au export / serve): trained model + face detector + page, and its static server. */
export * from './site_config';
export * from './quantize';
export * from './model';
export * from './assets';
export * from './compile';
export * from './site';
export * from './server';
export * from './run_dir';

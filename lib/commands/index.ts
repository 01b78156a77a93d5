/**
 * The registry of `fer-au` subcommands, read by lib/cli.ts. Add a line per command; each module exports
 * `command: Command`. Modules are required lazily so `fer-au --help` stays fast. This file imports nothing from
 * cli.ts (the CLI imports the registry, never the other way).
 */
import type { Command } from './types';

/** Subcommand name -> loader of its module's `command`. */
export const COMMANDS: Readonly<Record<string, () => Command>> = {
  bench: () => (require('./bench') as typeof import('./bench')).command,
  data: () => (require('./data') as typeof import('./data')).command,
  train: () => (require('./train') as typeof import('./train')).command,
  eval: () => (require('./eval') as typeof import('./eval')).command,
  figures: () => (require('./figures') as typeof import('./figures')).command,
  predict: () => (require('./predict') as typeof import('./predict')).command,
  export: () => (require('./export') as typeof import('./export')).command,
  serve: () => (require('./serve') as typeof import('./serve')).command,
  'real-faces': () => (require('./real_faces') as typeof import('./real_faces')).command,
};

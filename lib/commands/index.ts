/**
 * Registers every subcommand with the CLI. Add a line per command; each module exports `command: Command`.
 * Modules are required lazily so `fer-au --help` stays fast.
 */
import { registerCommand } from '../cli';

registerCommand('bench', () => require('./bench').command);
registerCommand('data', () => require('./data').command);
registerCommand('train', () => require('./train').command);
registerCommand('eval', () => require('./eval').command);
registerCommand('figures', () => require('./figures').command);
registerCommand('predict', () => require('./predict').command);

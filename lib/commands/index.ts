/**
 * Registers every subcommand with the CLI. Add a line per command; each module exports `command: Command`.
 * Modules are required lazily so `fer-au --help` stays fast.
 */
import { registerCommand } from '../cli';

registerCommand('bench', () => require('./bench').command);

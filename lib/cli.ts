/**
 * The `fer-au` command (contract in shared/design.md). Each subcommand lives in lib/commands/<name>.ts and is
 * listed in lib/commands/index.ts's COMMANDS (loaded lazily, so `fer-au --help` does not load TensorFlow.js);
 * this file only dispatches.
 */
import { COMMANDS } from './commands';
import { UsageError } from './commands/types';

function topUsage(): string {
  const lines = Object.keys(COMMANDS)
    .sort()
    .map((n) => `  ${n.padEnd(10)} ${COMMANDS[n]().summary}`);
  return [
    'usage: fer-au <command> [options]',
    '',
    'Facial Action Unit recognition by transfer learning (Arsirii & Petrosiuk, 2023).',
    '',
    'commands:',
    ...lines,
    '',
    'Run `fer-au <command> --help` for the options of one command.',
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topUsage() + '\n');
    return name === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    process.stderr.write(`fer-au: unknown command '${name}' (valid: ${Object.keys(COMMANDS).sort().join(', ')})\n`);
    return 2;
  }
  const cmd = load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(cmd.usage.trimEnd() + '\n');
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`fer-au ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

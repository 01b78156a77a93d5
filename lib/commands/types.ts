/** One `fer-au` subcommand. `run` returns the process exit code; bad input throws a `UsageError`. */
export interface Command {
  /** The word after `fer-au` (`data`, `train`, ...). */
  name: string;
  /** One line for `fer-au --help`. */
  summary: string;
  /** The full `--help` text. */
  usage: string;
  run(argv: string[]): Promise<number>;
}

/** Bad input from the command line: printed as one line `fer-au: <message>`, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The number of CPUs Node reports (os.availableParallelism where this Node has it, else os.cpus()). */
import * as os from 'node:os';

/** Logical CPUs as Node sees them (containers usually expose no SMT siblings): the default thread and worker count. */
export function coreCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

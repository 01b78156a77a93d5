/**
 * Machine paths in what the project commits: results files, REPORT.md and figures must read the same on every
 * machine, so they hold no absolute path (POSIX `/home/...`, Windows `C:\...` or `\\server\...`, `file://`, `~/`).
 * Used by the test that scans the committed results/ folder.
 */
import * as path from 'path';

/** A string that is an absolute (or home-relative) machine path. */
export function isAbsolutePathString(s: string): boolean {
  return /^\/[^/\s]+\/\S/.test(s) || /^[A-Za-z]:[\\/]/.test(s) || /^\\\\[^\\]/.test(s) || /^file:\/\//i.test(s) || /^~[/\\]/.test(s);
}

/** Every string in a JSON value that is an absolute path, with its field (`data.root`, `curves.AU01[3]`...). */
export function absolutePathsInJson(value: unknown, field = ''): { field: string; value: string }[] {
  if (typeof value === 'string') return isAbsolutePathString(value) ? [{ field: field || '(value)', value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => absolutePathsInJson(v, `${field}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => absolutePathsInJson(v, field ? `${field}.${k}` : k));
  }
  return [];
}

/**
 * Absolute paths inside free text (Markdown, HTML, SVG, error messages): POSIX paths under the usual top folders
 * (home, Users, root, tmp, work, mnt, var, opt, srv, private, media), Windows drive and UNC paths, file:// URLs.
 */
export function absolutePathsInText(text: string): string[] {
  const posix = /(?:^|[\s"'(=`[])(\/(?:home|Users|root|tmp|work|mnt|var|opt|srv|private|media)\/[^\s"'`)<>\]]+)/g;
  const windows = /(?:^|[\s"'(=`[])([A-Za-z]:\\[^\s"'`)<>\]]+|\\\\[A-Za-z0-9._-]+\\[^\s"'`)<>\]]+)/g;
  const url = /(file:\/\/[^\s"'`)<>\]]+)/gi;
  return [...text.matchAll(posix), ...text.matchAll(windows), ...text.matchAll(url)].map((m) => m[1]);
}

/**
 * A command line as it may be recorded in a committed file: arguments that are absolute paths become relative to
 * `cwd` (`--results /home/u/repo/results` -> `--results results`), the rest is kept.
 */
export function portableCommand(argv: string[], cwd = process.cwd()): string {
  return argv.map((a) => (path.isAbsolute(a) ? path.relative(cwd, a).split(path.sep).join('/') || '.' : a)).join(' ');
}

/**
 * Video decoding through the ffmpeg command-line tools (Debian package `ffmpeg`): frame counts with ffprobe,
 * frame extraction with ffmpeg. Used for DISFA's Videos_LeftCamera/LeftVideoSNxxx_comp.avi.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

let ffmpegChecked: boolean | undefined;

/** True when both `ffmpeg` and `ffprobe` run. */
export function ffmpegAvailable(): boolean {
  if (ffmpegChecked === undefined) {
    const a = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    const b = spawnSync('ffprobe', ['-version'], { stdio: 'ignore' });
    ffmpegChecked = a.status === 0 && b.status === 0;
  }
  return ffmpegChecked;
}

function requireFfmpeg(what: string): void {
  if (!ffmpegAvailable()) {
    throw new Error(`${what}: ffmpeg/ffprobe not found; install the Debian package (apt-get install -y ffmpeg)`);
  }
}

/** Video stream facts: frame count (packets of the first video stream), size and frame rate. */
export interface VideoInfo {
  frames: number;
  width: number;
  height: number;
  fps: number;
}

/** Probes `file` with ffprobe (counts packets: exact for intra/AVI streams and fast, no decoding). */
export function probeVideo(file: string): VideoInfo {
  requireFfmpeg(file);
  const r = spawnSync(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=nb_read_packets,width,height,r_frame_rate', '-of', 'json', file],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (r.status !== 0) throw new Error(`${file}: ffprobe cannot read it (${(r.stderr || '').trim().split('\n').pop()})`);
  let stream: Record<string, string | number> | undefined;
  try {
    stream = (JSON.parse(r.stdout) as { streams?: Record<string, string | number>[] }).streams?.[0];
  } catch {
    stream = undefined;
  }
  if (!stream) throw new Error(`${file}: no video stream`);
  const [num, den] = String(stream.r_frame_rate ?? '0/1').split('/').map(Number);
  return { frames: Number(stream.nb_read_packets), width: Number(stream.width), height: Number(stream.height), fps: den ? num / den : num };
}

/**
 * Decodes every frame of `file` into `outDir/{frame:05d}.png` (1-based, as DISFA's labels), or `.jpg` with
 * `format: 'jpg'` (ffmpeg JPEG quality 2: about 0.1 MB for a 1024 x 768 DISFA frame against 1.5 MB as PNG),
 * and returns the number written. Writes into a temporary folder renamed at the end, so an interrupted extraction never
 * leaves a half-filled folder behind; an existing complete `outDir` is reused.
 */
export function extractFrames(file: string, outDir: string, opts: { scaleWidth?: number; format?: 'jpg' | 'png' } = {}): number {
  requireFfmpeg(file);
  const done = path.join(outDir, '.complete');
  if (fs.existsSync(done)) return Number(fs.readFileSync(done, 'utf8'));
  const tmp = `${outDir}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const vf = opts.scaleWidth ? ['-vf', `scale=${opts.scaleWidth}:-2`] : [];
  const ext = opts.format ?? 'png';
  const quality = ext === 'jpg' ? ['-q:v', '2'] : [];
  const r = spawnSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', file, ...vf, ...quality, '-start_number', '1', path.join(tmp, `%05d.${ext}`)], {
    encoding: 'utf8',
    maxBuffer: 1 << 22,
  });
  if (r.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(`${file}: ffmpeg failed to decode (${(r.stderr || '').trim().split('\n').pop()})`);
  }
  const n = fs.readdirSync(tmp).filter((f) => f.endsWith(`.${ext}`)).length;
  fs.writeFileSync(path.join(tmp, '.complete'), String(n));
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  fs.renameSync(tmp, outDir);
  return n;
}

/**
 * Video decoding through the ffmpeg command-line tools (Debian package `ffmpeg`): frame counts with ffprobe,
 * streamed decoding (`-f rawvideo -pix_fmt rgb24` on stdout: no frame ever touches the disk) and, for small
 * sets only, frame extraction. Used for DISFA's Videos_LeftCamera/LeftVideoSNxxx_comp.avi.
 */
import { spawn, spawnSync } from 'child_process';
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

/** Probes by file identity (path, size, mtime): planning a DISFA copy asks for each video twice (scan, plan). */
const probed = new Map<string, VideoInfo>();

/**
 * Probes `file` with ffprobe (counts packets: exact for intra/AVI streams, no decoding, but it reads the whole
 * file), once per file identity in a process: a file rewritten in place (new size or mtime) is probed again.
 */
export function probeVideo(file: string): VideoInfo {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  const id = st ? `${path.resolve(file)}\0${st.size}\0${st.mtimeMs}` : null;
  const known = id ? probed.get(id) : undefined;
  if (known) return { ...known };
  const info = ffprobe(file);
  if (id) probed.set(id, info);
  return { ...info };
}

function ffprobe(file: string): VideoInfo {
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

export interface StreamOptions {
  /** First frame to deliver, 0-based (default 0). */
  start?: number;
  /** Frames to deliver (default: to the end). */
  count?: number;
  /** Frame rate, for seeking (default: probed). */
  fps?: number;
  /** Frame size (default: probed). */
  width?: number;
  height?: number;
}

/**
 * Decodes `file` with ffmpeg into RGB24 frames on a pipe and calls `onFrame(rgb, index)` for each (index 0-based;
 * `rgb` is reused between calls: copy it to keep it). An awaited `onFrame` applies back-pressure to ffmpeg.
 * Seeking to `start` is an input seek to the middle between frames start-1 and start, which ffmpeg makes exact for
 * constant-frame-rate streams (it decodes from the previous keyframe and drops what lies before the time).
 * Resolves with the number of frames delivered; rejects with ffmpeg's last stderr line, naming the file.
 */
export async function streamFrames(
  file: string,
  onFrame: (rgb: Buffer, index: number) => void | Promise<void>,
  opts: StreamOptions = {},
): Promise<number> {
  requireFfmpeg(file);
  const start = opts.start ?? 0;
  const info = opts.fps && opts.width && opts.height ? null : probeVideo(file);
  const fps = opts.fps ?? info!.fps;
  const width = opts.width ?? info!.width, height = opts.height ?? info!.height;
  const frameBytes = width * height * 3;
  const seek = start > 0 ? ['-ss', ((start - 0.5) / fps).toFixed(6)] : [];
  const limit = opts.count !== undefined ? ['-frames:v', String(opts.count)] : [];
  const args = ['-v', 'error', '-nostdin', ...seek, '-i', file, ...limit, '-an', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  const frame = Buffer.alloc(frameBytes);
  let filled = 0, index = 0;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let off = 0;
      while (off < chunk.length) {
        const n = Math.min(frameBytes - filled, chunk.length - off);
        chunk.copy(frame, filled, off, off + n);
        filled += n;
        off += n;
        if (filled === frameBytes) {
          await onFrame(frame, start + index++);
          filled = 0;
        }
      }
    }
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const code = await exited;
  if (code !== 0) throw new Error(`${file}: ffmpeg failed to decode (${stderr.trim().split('\n').pop() ?? `exit ${code}`})`);
  if (filled !== 0) throw new Error(`${file}: ffmpeg ended inside a frame (${filled} of ${frameBytes} bytes)`);
  return index;
}

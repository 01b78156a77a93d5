/**
 * The page's controls: an image or video file (picker or drag and drop), or the webcam (getUserMedia); results drawn
 * over the frame; frame rate and backend in the header; the FACS legend. Live sources loop frame by frame and
 * publish their counters on `window.ferAuLive` (for scripts and the browser tests).
 */
import type { FacePrediction, FerAuApi, SiteConfig } from '../site_config';
import { drawPredictions } from './draw';

export interface LiveStats {
  mode: 'idle' | 'image' | 'video' | 'webcam';
  /** Frames scored since the live source started. */
  frames: number;
  /** Faces found in those frames. */
  faces: number;
  startedAt: number;
  /** Frames per second over the last second. */
  fps: number;
  lastError: string | null;
  /**
   * Milliseconds spent per step, summed over the live frames (divide by `frames` for a mean): copy (video to
   * canvas), grab, detect or track, align, model (ferAu.frameTimings()), draw (boxes and bars), wait (yield to the browser between frames).
   */
  ms: Record<string, number>;
  /** Live frames on which the face detector ran (the others followed the faces by their landmarks). */
  detectorFrames: number;
}

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page: #${id} missing`);
  return el;
}

/** The legend: one line per AU with its FACS name and threshold. */
export function renderLegend(config: SiteConfig): void {
  const dl = $('legend');
  dl.innerHTML = '';
  config.aus.forEach((au, k) => {
    const dt = document.createElement('dt');
    dt.textContent = au;
    const dd = document.createElement('dd');
    dd.textContent = `${config.facsNames[au] ?? ''} (threshold ${config.thresholds[k].toFixed(2)})`;
    dl.append(dt, dd);
  });
  $('about').textContent = `${config.backbone}, ${config.inputSize} px, exported from ${config.source}; thresholds ${config.thresholdSource}.`;
}

/**
 * A promise that resolves in a new task: lets the browser paint and deliver events between live frames without
 * requestAnimationFrame's wait for the next display refresh (8 ms on average at 60 Hz; measured 5-6 ms per frame)
 * and without setTimeout's 4 ms clamp on nested timers.
 */
function taskYielder(): () => Promise<void> {
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return () => new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

export function startUi(ferAu: FerAuApi, config: SiteConfig): LiveStats {
  const view = $('view') as HTMLCanvasElement;
  const video = $('video') as HTMLVideoElement;
  const stats: LiveStats = { mode: 'idle', frames: 0, faces: 0, startedAt: 0, fps: 0, lastError: null, ms: {}, detectorFrames: 0 };
  let generation = 0;
  const stamps: number[] = [];
  const nextTask = taskYielder();

  const show = (frame: CanvasImageSource & { width: number; height: number }, faces: FacePrediction[]) => {
    drawPredictions(view, frame, faces, config);
    $('hint').hidden = true;
    $('faces').textContent = faces.length ? faces.map((f, i) => `face ${i + 1}: ${config.aus.filter((a) => f.present[a]).join(' ') || 'no AU above threshold'}`).join('; ') : 'no face found';
  };
  const fail = (err: unknown) => {
    stats.lastError = (err as Error).message ?? String(err);
    $('status').textContent = `error: ${stats.lastError}`;
  };

  const stopLive = () => {
    generation++;
    video.pause();
    const s = video.srcObject as MediaStream | null;
    s?.getTracks().forEach((t) => t.stop());
    video.srcObject = null;
  };

  /** Scores the playing video frame after frame until another source starts. */
  const live = async (mode: 'video' | 'webcam') => {
    const g = ++generation;
    Object.assign(stats, { mode, frames: 0, faces: 0, startedAt: performance.now(), fps: 0, ms: {}, detectorFrames: 0 });
    stamps.length = 0;
    const grab = document.createElement('canvas');
    const add = (what: string, ms: number) => {
      stats.ms[what] = (stats.ms[what] ?? 0) + ms;
    };
    while (g === generation && !video.ended) {
      if (video.readyState < 2) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      let t = performance.now();
      // Resizing a canvas reallocates it: only when the video's size changes.
      if (grab.width !== video.videoWidth || grab.height !== video.videoHeight) {
        grab.width = video.videoWidth;
        grab.height = video.videoHeight;
      }
      grab.getContext('2d')!.drawImage(video, 0, 0);
      add('copy', performance.now() - t);
      const faces = await ferAu.predictLive(grab);
      if (g !== generation) break;
      t = performance.now();
      show(grab, faces);
      const now = performance.now();
      add('draw', now - t);
      const steps = ferAu.frameTimings();
      for (const [k, v] of Object.entries(steps)) add(k, v);
      if (steps.detect > 0) stats.detectorFrames++;
      stamps.push(now);
      while (stamps.length && stamps[0] < now - 1000) stamps.shift();
      stats.frames++;
      stats.faces += faces.length;
      stats.fps = stamps.length;
      $('fps').textContent = `${stats.fps} frames/s`;
      await nextTask();
      add('wait', performance.now() - now);
    }
  };

  const openFile = async (file: File) => {
    stopLive();
    const url = URL.createObjectURL(file);
    try {
      if (file.type.startsWith('video/')) {
        video.src = url;
        await video.play();
        await live('video');
      } else {
        const img = new Image();
        img.src = url;
        await img.decode();
        stats.mode = 'image';
        const faces = await ferAu.predict(img);
        const c = document.createElement('canvas');
        c.width = img.naturalWidth;
        c.height = img.naturalHeight;
        c.getContext('2d')!.drawImage(img, 0, 0);
        show(c, faces);
      }
    } catch (err) {
      fail(err);
    }
  };

  $('webcam').addEventListener('click', async () => {
    stopLive();
    try {
      video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: 'user' }, audio: false });
      await video.play();
      await live('webcam');
    } catch (err) {
      fail(err);
    }
  });
  ($('file') as HTMLInputElement).addEventListener('change', (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) void openFile(f);
  });
  const stage = $('stage');
  stage.addEventListener('dragover', (e) => {
    e.preventDefault();
    stage.classList.add('over');
  });
  stage.addEventListener('dragleave', () => stage.classList.remove('over'));
  stage.addEventListener('drop', (e) => {
    e.preventDefault();
    stage.classList.remove('over');
    const f = e.dataTransfer?.files?.[0];
    if (f) void openFile(f);
  });
  return stats;
}

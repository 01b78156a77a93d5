/**
 * index.html and app.css of the exported site. The import map sends face-api's and the page's tfjs imports to the
 * shims over the one tf.min.js runtime; every URL is relative, so the folder works under any path of any static
 * server (and file:// for everything but module loading, which browsers refuse there).
 */

/** Specifiers the import map resolves, and the shim each goes to. */
export const IMPORT_MAP: Record<string, string> = {
  '@tensorflow/tfjs': './vendor/tf-shim.js',
  '@tensorflow/tfjs/dist/index.js': './vendor/tf-shim.js',
  '@tensorflow/tfjs-backend-webgl/dist/index.js': './vendor/tf-shim.js',
  '@tensorflow/tfjs-backend-wasm/dist/index.js': './vendor/tf-wasm-shim.js',
};

export function indexHtml(title: string, entry: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="app.css">
<script type="importmap">${JSON.stringify({ imports: IMPORT_MAP })}</script>
<script src="vendor/tf.min.js"></script>
<script src="vendor/tf-backend-wasm.min.js"></script>
<script type="module" src="${entry}"></script>
</head>
<body>
<header>
  <h1>fer-au <small>facial action units, in your browser</small></h1>
  <p class="status"><span id="status">loading the models…</span> · <span id="backend">tfjs</span> · <span id="fps">– frames/s</span></p>
</header>
<nav>
  <button id="webcam" type="button">Webcam</button>
  <label class="button" for="file">Image or video file</label>
  <input id="file" type="file" accept="image/*,video/*">
</nav>
<main>
  <section id="stage">
    <canvas id="view" width="640" height="480"></canvas>
    <p id="hint">Drop an image or a video here, pick a file, or start the webcam. Nothing leaves this device.</p>
    <p id="faces" aria-live="polite"></p>
  </section>
  <aside>
    <h2>What these AUs are</h2>
    <p>Facial Action Coding System units (Ekman &amp; Friesen): each bar is the model's score for one AU, the white tick
    its threshold; a coloured bar means the AU is detected.</p>
    <dl id="legend"></dl>
    <p id="about" class="small"></p>
  </aside>
</main>
<video id="video" playsinline muted hidden></video>
</body>
</html>
`;
}

export const APP_CSS = `*{box-sizing:border-box}
body{margin:0;font:15px/1.4 system-ui,sans-serif;background:#f4f5f7;color:#1b1f24}
header,nav,main{max-width:1100px;margin:0 auto;padding:8px 12px}
h1{font-size:1.35rem;margin:4px 0}h1 small{font-weight:400;color:#5b6570;font-size:.9rem}
.status{margin:0;color:#5b6570}
nav{display:flex;gap:8px;flex-wrap:wrap}
button,.button{font:inherit;padding:8px 14px;border:1px solid #2d6cdf;border-radius:6px;background:#2d6cdf;color:#fff;cursor:pointer}
#file{position:absolute;width:1px;height:1px;opacity:0}
main{display:grid;grid-template-columns:minmax(0,1fr) 300px;gap:14px}
#stage{background:#1b1f24;border-radius:8px;min-height:240px;position:relative;padding:6px}
#stage.over{outline:3px dashed #ffd400}
#view{display:block;width:100%;height:auto;border-radius:4px}
#hint{position:absolute;inset:auto 12px 12px 12px;color:#dfe5ea;margin:0}
#faces{color:#dfe5ea;margin:6px 2px 0;font-size:.9rem}
aside h2{font-size:1.05rem;margin:4px 0}
dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:8px 0}dt{font-weight:600}dd{margin:0}
.small{font-size:.8rem;color:#5b6570}
@media (max-width:760px){main{grid-template-columns:1fr}header,nav,main{padding:6px 8px}}
`;

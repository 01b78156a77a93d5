/**
 * Figures: pure builders from results JSON to plotly figure JSON, static export (PNG, SVG through headless
 * Chromium) and standalone HTML, and notebook display helpers.
 */
export * from './types';
export { RUN_COLORS, BASELINE_COLORS, sortAus, runLabel, pct } from './theme';
export { perAuF1Figure, type F1Series } from './f1_bars';
export { prCurvesFigure, type PrPanel } from './pr_curves';
export { learningCurvesFigure } from './learning_curves';
export { stage2SearchFigure } from './tuning';
export { backboneBubbleFigure, throughputFigure, type BackbonePoint, type ThroughputRow } from './backbones';
export { lossComparisonFigure } from './loss_comparison';
export { labelFrequencyFigure, type LabelCounts } from './label_frequency';
export { figureHtml, plotlyBundlePath, type PlotlySource } from './html';
export { FigureExporter, exportFigure, renderPng, type ExportOptions, type ExportedFiles, type ImageFormat } from './export';
export { writeFigures, readFigureManifest, figureHash, FIGURE_MANIFEST, type FigureManifest, type WriteFiguresOptions } from './figure_files';
export { findChromium, chromiumMissingMessage, playwrightCacheDir, CHROMIUM_NAMES, type ChromiumSearch } from './chromium';
export { show, showFigure, showPng, showMarkdown, showFrame, progressDisplay, PLOTLY_MIME } from './notebook';
export { frameHtml, frameText, formatCell, type FrameLike, type FrameHtmlOptions } from './frame_html';
export { allPositiveFloor, belowFloor } from './floor';

import { RUN_COLORS, axis, baseLayout, pct, sortAus } from './theme';
import type { PlotlyFigure, PlotlyTrace, RunResultLike } from './types';

/** One panel of PR curves: a run and its caption (`(a) BCE`). */
export interface PrPanel {
  label: string;
  run: RunResultLike;
}

/**
 * Precision-recall curves per AU, one panel per run side by side: the paper's Fig. 4 (a: L_bce, b: L_pr).
 * Each AU keeps its colour in every panel; its legend entry (one legend under each panel) gives F1 at the
 * run's decision thresholds and the average precision; a dot marks that operating point on the curve.
 * Curves come from `run.curves` (scikit-learn's precision_recall_curve arrays), F1 and AP from `run.metrics`.
 */
export function prCurvesFigure(panels: PrPanel[], opts: { aus?: string[]; title?: string } = {}): PlotlyFigure {
  if (panels.length === 0) throw new Error('prCurvesFigure: no runs');
  for (const p of panels) {
    if (!p.run.curves) throw new Error(`prCurvesFigure: run '${p.label}' has no curves`);
  }
  const aus = opts.aus ?? sortAus(Object.keys(panels[0].run.curves ?? {}));
  const n = panels.length;
  const gap = 0.06;
  const w = (1 - gap * (n - 1)) / n;
  const data: PlotlyTrace[] = [];
  const layout = baseLayout(opts.title ?? 'Precision-recall curves per AU', {
    width: Math.max(560, 520 * n),
    height: 640,
    margin: { l: 64, r: 24, t: 80, b: 230 },
    annotations: [] as Record<string, unknown>[],
  });
  panels.forEach((panel, k) => {
    const suffix = k === 0 ? '' : String(k + 1);
    const legendName = `legend${suffix}`;
    const x0 = k * (w + gap);
    layout[`xaxis${suffix}`] = axis('Recall', { domain: [x0, x0 + w], range: [0, 1.02], anchor: `y${suffix}` });
    layout[`yaxis${suffix}`] = axis(k === 0 ? 'Precision' : '', { range: [0, 1.02], anchor: `x${suffix}` });
    layout[legendName] = { x: x0, xanchor: 'left', y: -0.2, yanchor: 'top', orientation: 'v', font: { size: 11 } };
    (layout.annotations as Record<string, unknown>[]).push({
      text: `<b>${panel.label}</b> (mean F1 ${pct(panel.run.metrics.meanF1)})`,
      xref: 'paper',
      yref: 'paper',
      x: x0 + w / 2,
      y: 1.02,
      xanchor: 'center',
      yanchor: 'bottom',
      showarrow: false,
      font: { size: 13 },
    });
    aus.forEach((au, i) => {
      const curve = panel.run.curves?.[au];
      const m = panel.run.metrics.perAu[au];
      if (!curve) throw new Error(`prCurvesFigure: run '${panel.label}' has no curve for ${au}`);
      const color = RUN_COLORS[i % RUN_COLORS.length];
      const ap = m?.ap !== undefined ? `, AP ${pct(m.ap)}` : '';
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: `${au}: F1 ${m ? pct(m.f1) : '-'}${ap}`,
        x: curve.recall,
        y: curve.precision,
        line: { color, width: 2, shape: 'hv' },
        xaxis: `x${suffix}`,
        yaxis: `y${suffix}`,
        legend: legendName,
        legendgroup: `${au}${suffix}`,
        hovertemplate: `${au}<br>recall %{x:.3f}<br>precision %{y:.3f}<extra>${panel.label}</extra>`,
      });
      if (m) {
        data.push({
          type: 'scatter',
          mode: 'markers',
          name: `${au} operating point`,
          x: [m.recall],
          y: [m.precision],
          marker: { color, size: 9, line: { color: '#fff', width: 1 } },
          xaxis: `x${suffix}`,
          yaxis: `y${suffix}`,
          legend: legendName,
          legendgroup: `${au}${suffix}`,
          showlegend: false,
          hovertemplate: `${au} at its threshold<br>recall %{x:.3f}<br>precision %{y:.3f}<extra>${panel.label}</extra>`,
        });
      }
    });
  });
  return { data, layout };
}

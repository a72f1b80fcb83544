/**
 * Charts drawn with Chart.js (only the parts used are registered, so the rest is left out of the
 * bundle). Every chart is a figure with a one-line summary as its caption, which the canvas names
 * as its description, and the same figures as a table below it: the canvas is never the only way to
 * the numbers. Colours come from the theme's custom properties and follow a change of theme.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type PointStyle,
} from 'chart.js';
import { h, uniqueId } from './dom.js';

Chart.defaults.font.family = "'Segoe UI', system-ui, -apple-system, sans-serif";
Chart.defaults.font.size = 13;

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

interface Series {
  label: string;
  values: (number | null)[];
}

export interface ChartSpec {
  kind: 'line' | 'bar';
  /** What the x axis counts off: dates, areas. */
  labels: string[];
  series: Series[];
  /** The y axis's name, e.g. "Statements met". Values are percentages, 0–100. */
  yTitle: string;
  /** Whether a line joins across a missing value; not where a value is hidden on purpose. */
  joinGaps?: boolean;
}

/** A different point shape per series, so lines differ by more than colour. */
const SHAPES: PointStyle[] = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot'];

interface Drawn {
  canvas: HTMLCanvasElement;
  spec: ChartSpec;
  chart: Chart;
}
let drawn: Drawn[] = [];
let pending: { canvas: HTMLCanvasElement; spec: ChartSpec }[] = [];

function themeColour(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#000000';
}

function configFor(spec: ChartSpec): ChartConfiguration<'line' | 'bar', (number | null)[], string> {
  const contrast = document.documentElement.dataset.theme === 'contrast';
  const text = themeColour('--fg');
  const grid = themeColour('--chart-grid');
  return {
    type: spec.kind,
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s, i) => {
        const colour = themeColour(`--chart-${(i % 6) + 1}`);
        return {
          label: s.label,
          data: s.values,
          borderColor: colour,
          backgroundColor: colour,
          borderWidth: contrast ? 3 : 2,
          pointStyle: SHAPES[i % SHAPES.length],
          pointRadius: 4,
          spanGaps: spec.joinGaps ?? true,
        };
      }),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      color: text,
      scales: {
        x: { ticks: { color: text }, grid: { color: grid } },
        y: {
          min: 0,
          max: 100,
          title: { display: true, text: spec.yTitle, color: text },
          ticks: { color: text, callback: (v) => `${String(v)}%` },
          grid: { color: grid },
        },
      },
      plugins: {
        legend: { position: 'bottom', labels: { color: text, usePointStyle: true } },
        tooltip: {
          callbacks: {
            label: (item) =>
              `${item.dataset.label ?? ''}: ${typeof item.raw === 'number' ? `${item.raw}%` : 'none'}`,
          },
        },
      },
    },
  };
}

function draw(canvas: HTMLCanvasElement, spec: ChartSpec): void {
  const chart = new Chart(canvas, configFor(spec));
  drawn.push({ canvas, spec, chart });
}

/** Draws the charts made since last time, now that they are on the page (Chart.js measures its box). */
export function drawPendingCharts(): void {
  const waiting = pending;
  pending = [];
  for (const p of waiting) if (p.canvas.isConnected) draw(p.canvas, p.spec);
}

/** Draws every chart still on the page again in the current theme's colours. */
export function redrawCharts(): void {
  const before = drawn;
  drawn = [];
  for (const d of before) {
    d.chart.destroy();
    if (d.canvas.isConnected) draw(d.canvas, d.spec);
  }
}

/**
 * A chart as a figure: the summary as caption (and the canvas's description), the canvas,
 * and the table behind "Show the figures". drawPendingCharts() draws it once it is on the page.
 */
export function chartFigure(opts: {
  title: string;
  summary: string;
  spec: ChartSpec;
  table: HTMLElement;
}): HTMLElement {
  const captionId = uniqueId('chart-summary');
  const canvas = h('canvas', { role: 'img', 'aria-label': opts.title, 'aria-describedby': captionId });
  const figure = h(
    'figure',
    { class: 'chart' },
    h('figcaption', { id: captionId }, opts.summary),
    h('div', { class: 'chart-box' }, canvas),
    h('details', {}, h('summary', {}, `Show the figures: ${opts.title}`), opts.table),
  );
  pending.push({ canvas, spec: opts.spec });
  return figure;
}

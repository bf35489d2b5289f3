import { useEffect, useMemo, useRef, useState } from "react";
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { UsageView } from "../../backend";
import { formatUsd } from "../../format/money";
import { cumulative, formatPercent, formatTokensShort, periodLabel, periodTitle } from "../../format/usage";
import { useTheme } from "../../theme/ThemeContext";

/** What the bars measure. */
export type UsageMetric = "cost" | "tokens";

/** Props of {@link UsageChart}. */
export interface UsageChartProps {
  view: UsageView;
  metric: UsageMetric;
}

const HEIGHT = 260;
/** Chart colours, one per stack, from the theme (`--chart-1` … `--chart-8`). */
const PALETTE = 8;

function themeColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

/** A metric's value as the axis and the legend show it. */
export function formatMetric(metric: UsageMetric, value: number): string {
  return metric === "cost" ? formatUsd(value) : `${formatTokensShort(value)} tokens`;
}

/** The periods to label on an axis `width` px wide: every one, or every n-th (about 70 px apart). */
export function labelled(count: number, width: number): number[] {
  const step = Math.max(1, Math.ceil(count / Math.max(1, Math.floor(width / 70))));
  return Array.from({ length: Math.ceil(count / step) }, (_, i) => i * step);
}

/** A USD amount on an axis: whole dollars from $10 ("$2,500") and at zero, else as {@link formatUsd}. */
export function formatAxisUsd(value: number): string {
  if (value === 0) return "$0";
  return Math.abs(value) >= 10 ? `$${Math.round(value).toLocaleString("en-US")}` : formatUsd(value);
}

/**
 * WebKitGTK under `LANG=C` reports `navigator.language` as "C", which `Intl` refuses; uPlot
 * builds a number format from it as it loads and would fail. Such a language reads as en-US.
 */
export function usableLanguage(): void {
  try {
    new Intl.NumberFormat(navigator.language);
  } catch {
    Object.defineProperty(navigator, "language", { value: "en-US", configurable: true });
  }
}

/** Draws `values` of `view` as stacked bars into `el`. */
function draw(
  UPlot: typeof uPlot,
  el: HTMLElement,
  view: UsageView,
  values: number[][],
  metric: UsageMetric,
  onHover: (index: number | null) => void,
): uPlot {
  const stacked = cumulative(values);
  const count = view.periods.length;
  const colors = view.series.map((_, i) => themeColor(`--chart-${(i % PALETTE) + 1}`));
  const axis = { stroke: themeColor("--text-3"), grid: { stroke: themeColor("--border"), width: 1 }, ticks: { show: false } };
  const bars = UPlot.paths.bars?.({ size: [0.7, 48], gap: 1 });
  // The tallest (every stack summed) is drawn first; each lower sum paints over it.
  const order = view.series.map((_, i) => i).reverse();
  return new UPlot(
    {
      width: Math.max(el.clientWidth, 320),
      height: HEIGHT,
      legend: { show: false },
      cursor: { y: false, points: { show: false } },
      // One slot per period, whatever the data: a lone bar sits in the middle at its width.
      scales: { x: { time: false, range: () => [-0.5, count - 0.5] } },
      axes: [
        {
          ...axis,
          splits: () => labelled(count, el.clientWidth),
          values: (_u, splits) => splits.map((i) => (view.periods[i] ? periodLabel(view.periods[i].key, view.granularity) : "")),
        },
        { ...axis, size: 64, values: (_u, splits) => splits.map((v) => (metric === "cost" ? formatAxisUsd(v) : formatTokensShort(v))) },
      ],
      series: [
        {},
        ...order.map((i) => ({
          label: view.series[i]?.name ?? "",
          stroke: colors[i],
          fill: colors[i],
          width: 0,
          paths: bars,
          points: { show: false },
        })),
      ],
      hooks: { setCursor: [(u: uPlot) => onHover(u.cursor.idx ?? null)] },
    },
    [view.periods.map((_, i) => i), ...order.map((i) => stacked[i] ?? [])],
    el,
  );
}

/**
 * The usage series as stacked bars (uPlot, canvas): one bar per period, a stack per model,
 * agent, provider or channel. The legend under it shows each stack's total over the window, or
 * its value in the period under the pointer.
 */
export function UsageChart({ view, metric }: UsageChartProps) {
  const { resolved } = useTheme();
  const host = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<number | null>(null);
  const values = useMemo(
    () => view.series.map((s) => (metric === "cost" ? s.costUsd : s.tokens).map((v) => v ?? 0)),
    [view, metric],
  );

  useEffect(() => {
    const el = host.current;
    if (!el || view.periods.length === 0) return;
    let plot: uPlot | null = null;
    let cancelled = false;
    const resize = new ResizeObserver(() => plot?.setSize({ width: Math.max(el.clientWidth, 320), height: HEIGHT }));
    // uPlot is loaded with the first chart, not with the app.
    usableLanguage();
    void import("uplot").then(({ default: UPlot }) => {
      if (cancelled) return;
      plot = draw(UPlot, el, view, values, metric, setHover);
      resize.observe(el);
    });
    return () => {
      cancelled = true;
      resize.disconnect();
      plot?.destroy();
    };
  }, [view, values, metric, resolved]);

  const totals = values.map((v) => v.reduce((a, b) => a + b, 0));
  const all = totals.reduce((a, b) => a + b, 0);
  const shown = hover === null ? totals : values.map((v) => v[hover] ?? 0);
  const shownAll = shown.reduce((a, b) => a + b, 0);
  const period = hover === null ? null : view.periods[hover];
  return (
    <div className="usage-chart">
      <div className="usage-chart-readout" aria-live="polite" data-testid="usage-readout">
        {period ? periodTitle(period.key, view.granularity) : "Whole window"}: <strong className="num">{formatMetric(metric, shownAll)}</strong>
      </div>
      <div ref={host} className="usage-chart-canvas" data-testid="usage-chart" role="img" aria-label={`${metric === "cost" ? "Cost" : "Tokens"} per ${view.granularity}, stacked by ${view.stack}`} />
      <ul className="usage-legend" data-testid="usage-legend">
        {view.series.map((stack, i) => (
          <li key={stack.name} className="usage-legend-item">
            <span className={`usage-swatch usage-swatch-${(i % PALETTE) + 1}`} aria-hidden />
            <span className="usage-legend-name">{stack.name}</span>
            <span className="usage-legend-value num">{formatMetric(metric, shown[i] ?? 0)}</span>
            {hover === null && all > 0 && <span className="usage-legend-share num">{formatPercent((totals[i] ?? 0) / all)}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

import uPlot from 'uplot';
import { Api } from './api';
import { h, panel } from './dom';
import type { HistoryView } from './types';

interface ChartSpec {
  title: string;
  testId: string;
  series: Array<{ label: string; values: (history: HistoryView) => Array<number | null>; stroke: string }>;
}

const CHARTS: ChartSpec[] = [
  {
    title: 'Messages per minute',
    testId: 'chart-messages',
    series: [
      { label: 'in', values: (history) => history.received, stroke: '#2563eb' },
      { label: 'out', values: (history) => history.sent, stroke: '#16a34a' },
    ],
  },
  {
    title: 'Memory (MB)',
    testId: 'chart-memory',
    series: [
      { label: 'RSS', values: (history) => history.rssMB, stroke: '#9333ea' },
      { label: 'heap used', values: (history) => history.heapUsedMB, stroke: '#f59e0b' },
    ],
  },
  { title: 'Event-loop delay p99 (ms)', testId: 'chart-loop', series: [{ label: 'p99', values: (history) => history.loopDelayP99Ms, stroke: '#dc2626' }] },
  { title: 'Queue depth', testId: 'chart-queues', series: [{ label: 'waiting', values: (history) => history.queueDepth, stroke: '#0891b2' }] },
];

const REFRESH_MS = 30_000;

/** The last hour, one point per minute (GET /api/v1/stats/history), drawn with uPlot. */
export class ChartsPanel {
  readonly element: HTMLElement;
  private readonly charts: Array<{ spec: ChartSpec; box: HTMLElement; plot?: uPlot }>;
  private timer?: number;

  constructor(
    private readonly api: Api,
    private readonly company: string | undefined,
  ) {
    this.charts = CHARTS.map((spec) => ({ spec, box: h('div', { class: 'chart', 'data-testid': spec.testId, 'data-points': 0 }, h('h3', {}, spec.title)) }));
    this.element = panel('Last hour', 'charts', h('div', { class: 'charts' }, ...this.charts.map((chart) => chart.box)));
    this.timer = window.setInterval(() => void this.refresh(), REFRESH_MS);
  }

  /** Draws once the panel is in the page (uPlot sizes itself from its container). */
  async refresh(): Promise<void> {
    const query = this.company ? `&company=${encodeURIComponent(this.company)}` : '';
    const history = await this.api.get<HistoryView>(`/api/v1/stats/history?minutes=60${query}`).catch(() => null);
    if (!history) return;
    const x = history.minutes.map((minute) => minute / 1000);
    for (const chart of this.charts) {
      const data: uPlot.AlignedData = [x, ...chart.spec.series.map((series) => series.values(history))];
      if (chart.plot) chart.plot.setData(data);
      else chart.plot = new uPlot(options(chart.spec, chart.box), data, chart.box);
      chart.box.dataset.points = String(x.length);
    }
  }

  destroy(): void {
    window.clearInterval(this.timer);
    for (const chart of this.charts) chart.plot?.destroy();
  }
}

function lastHour(minutes: ArrayLike<number>): uPlot.Range.MinMax {
  const end = minutes.length > 0 ? minutes[minutes.length - 1] : Math.floor(Date.now() / 60_000) * 60;
  return [end - 59 * 60, end];
}

function options(spec: ChartSpec, box: HTMLElement): uPlot.Options {
  return {
    width: Math.max(260, box.clientWidth - 8),
    height: 160,
    scales: {
      // Always the whole hour, ending at the current minute, however few minutes this process has seen.
      x: { time: true, range: (plot) => lastHour(plot.data[0]) },
      y: { range: (_plot, min, max) => [Math.min(0, min ?? 0), Math.max(1, (max ?? 0) * 1.1)] },
    },
    series: [{}, ...spec.series.map((series) => ({ label: series.label, stroke: series.stroke, width: 2, points: { show: true, size: 4 } }))],
    axes: [{}, { size: 48 }],
    legend: { show: true },
  };
}

import { fill, h, panel } from './dom';
import type { CompanyStats, HealthEntry, StatsView } from './types';

/** The process (memory, CPU, event-loop delay, database pool) and one line per company with its health. */
export class FiguresPanel {
  readonly process: HTMLElement;
  readonly companies: HTMLElement;
  private readonly cards = h('div', { class: 'figures' });
  private readonly rows = h('tbody');

  constructor() {
    this.process = panel('This process', 'process', this.cards);
    const head = [
      'Company',
      'Health',
      'DB ping',
      'Sessions (working / all)',
      'Queues (ingest · outbox · other)',
      'In / min',
      'Out / min',
      'Last hour in / out',
    ];
    this.companies = panel('Companies', 'companies', h('table', {}, h('thead', {}, h('tr', {}, ...head.map((title) => h('th', {}, title)))), this.rows));
  }

  render(stats: StatsView, health: Record<string, HealthEntry>, selected: string): void {
    const { memory, cpu, eventLoop, uptimeSeconds } = stats.process;
    const level = memory.rssPercent >= 90 ? 'bad' : memory.rssPercent >= 70 ? 'warn' : 'ok';
    const figures = [
      figure('Memory (RSS)', `${Math.round(memory.rssMB)} MB`, `${memory.rssPercent}% of ${memory.limitMB} MB`, level),
      figure('Heap', `${Math.round(memory.heapUsedMB)} MB`, `of ${Math.round(memory.heapTotalMB)} MB allocated`),
      figure('CPU', `${cpu.percent}%`, `load ${cpu.loadAverage['1m']} · ${cpu.loadAverage['5m']} · ${cpu.loadAverage['15m']} on ${cpu.cores} cores`),
      figure('Event-loop delay', `${eventLoop.p99Ms} ms`, `p99 · p50 ${eventLoop.p50Ms} ms · max ${eventLoop.maxMs} ms`, eventLoop.p99Ms > 200 ? 'warn' : 'ok'),
      figure('Uptime', duration(uptimeSeconds)),
    ];
    if (stats.database) {
      const { open, inUse, waiting, max } = stats.database.pool;
      figures.push(
        figure(
          'Database pool',
          `${inUse} / ${open} in use`,
          `max ${max} · waiting ${waiting} · own clusters ${stats.database.dedicatedConnections}`,
          waiting > 0 ? 'warn' : 'ok',
        ),
      );
    }
    fill(this.cards, ...figures);
    fill(this.rows, ...stats.companies.map((company) => this.row(company, health[company.company], company.company === selected)));
  }

  private row(company: CompanyStats, health: HealthEntry | undefined, selected: boolean): HTMLElement {
    const { queues, messages, sessions } = company;
    const { ingest, outbox, ...others } = queues;
    const other =
      Object.entries(others)
        .map(([name, depth]) => `${name} ${depth ?? '?'}`)
        .join(' · ') || '—';
    const status = health?.status ?? 'unknown';
    return h(
      'tr',
      { class: selected ? 'selected' : '', 'data-testid': `company-${company.company}` },
      h('td', {}, company.displayName, h('small', { class: 'muted' }, ` ${company.company} · ${company.provider}`)),
      h('td', {}, h('span', { class: `badge health-${status}`, title: health?.reason ?? '', 'data-testid': `health-${company.company}` }, status)),
      h('td', {}, health?.pingMs !== undefined ? `${health.pingMs} ms` : '—'),
      h('td', {}, sessions ? `${sessions.byStatus.WORKING ?? 0} / ${sessions.total}` : '?'),
      h('td', {}, `${ingest ?? '?'} · ${outbox ?? '?'} · ${other}`),
      h('td', {}, messages.receivedPerMinute),
      h('td', {}, messages.sentPerMinute),
      h('td', {}, `${messages.receivedLastHour} / ${messages.sentLastHour}`),
    );
  }
}

function figure(label: string, value: string, detail = '', level = 'ok'): HTMLElement {
  return h('div', { class: `figure figure-${level}` }, h('span', { class: 'label' }, label), h('strong', {}, value), h('small', { class: 'muted' }, detail));
}

function duration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min ${seconds % 60} s`;
}

import { Api } from './api';
import { ChartsPanel } from './charts-panel';
import { fill, h } from './dom';
import { FiguresPanel } from './figures-panel';
import { InboundPanel } from './inbound-panel';
import { LiveFeed, type LiveMode } from './live';
import { SendForm } from './send-form';
import { SessionsPanel } from './sessions-panel';
import type { HealthEntry, HealthReport, StatsView } from './types';

const STATS_MS = 10_000;
const HEALTH_MS = 15_000;
const COMPANY = 'vv.company';
/** Traffic and status changes refresh figures and charts, at most this often. */
const AFTER_EVENT_MS = 3_000;

interface CompanyParts {
  sessions: SessionsPanel;
  send: SendForm;
  inbound: InboundPanel;
  charts: ChartsPanel;
  feed: LiveFeed;
}

/** The signed-in page: process and company figures for the key's scope, and the chosen company's sessions, traffic and charts. */
export class Dashboard {
  private readonly figures = new FiguresPanel();
  private readonly mode = h('span', { class: 'badge', 'data-testid': 'live-mode' }, 'connecting');
  private readonly scoped = h('div');
  private readonly picker = h('select', { 'data-testid': 'company-picker', onchange: (event) => this.select((event.target as HTMLSelectElement).value) });
  private readonly admin: boolean;
  private company: string;
  private parts?: CompanyParts;
  private health: Record<string, HealthEntry> = {};
  private timers: number[] = [];
  private pending?: number;

  constructor(
    private readonly root: HTMLElement,
    private readonly api: Api,
    private stats: StatsView,
    private readonly livePath: string,
  ) {
    this.admin = stats.scope.kind === 'admin';
    const slugs = stats.companies.map((company) => company.company);
    const remembered = sessionStorage.getItem(COMPANY);
    this.company = stats.scope.kind === 'company' ? stats.scope.company : remembered && slugs.includes(remembered) ? remembered : (slugs[0] ?? '');
    fill(root, this.header(), this.figures.process, this.figures.companies, this.scoped);
    this.select(this.company);
    this.timers.push(
      window.setInterval(() => void this.refreshStats(), STATS_MS),
      window.setInterval(() => void this.refreshHealth(), HEALTH_MS),
    );
    void this.refreshHealth();
  }

  destroy(): void {
    for (const timer of this.timers) window.clearInterval(timer);
    window.clearTimeout(this.pending);
    this.teardownCompany();
  }

  private header(): HTMLElement {
    this.fillPicker();
    const picker = this.admin ? this.picker : h('strong', {}, this.company);
    const logout = () => {
      sessionStorage.clear();
      location.reload();
    };
    return h(
      'header',
      {},
      h('h1', {}, 'Virtual Voices'),
      h('span', { class: 'muted' }, this.admin ? 'admin · company ' : 'company '),
      picker,
      h('span', { class: 'spacer' }),
      h('span', { class: 'muted' }, 'events '),
      this.mode,
      h('button', { type: 'button', onclick: logout, 'data-testid': 'logout' }, 'Sign out'),
    );
  }

  private select(company: string): void {
    this.teardownCompany();
    this.company = company;
    sessionStorage.setItem(COMPANY, company);
    this.figures.render(this.stats, this.health, company);
    if (!company) return fill(this.scoped, h('p', { class: 'muted' }, 'No company yet: create one with POST /api/v1/companies.'));
    const send = new SendForm(this.api, company);
    const sessions = new SessionsPanel(this.api, company, (list) => send.setSessions(list));
    const inbound = new InboundPanel();
    const charts = new ChartsPanel(this.api, company);
    const feed = new LiveFeed({
      api: this.api,
      company,
      admin: this.admin,
      livePath: this.livePath,
      onMode: (mode: LiveMode) => {
        this.mode.textContent = mode;
        this.mode.dataset.mode = mode;
      },
      onEvent: (event) => {
        sessions.onEvent(event);
        inbound.onEvent(event);
        if (event.type !== 'session.qr') this.refreshSoon();
      },
    });
    this.parts = { sessions, send, inbound, charts, feed };
    fill(this.scoped, h('div', { class: 'grid' }, sessions.element, send.element, inbound.element), charts.element);
    feed.start();
    void charts.refresh();
  }

  /** The admin's company choice follows the registry (companies added since signing in appear). */
  private fillPicker(): void {
    const slugs = this.stats.companies.map((company) => company.company);
    const shown = [...this.picker.options].map((option) => option.value);
    if (slugs.length === shown.length && slugs.every((slug, index) => shown[index] === slug)) return;
    fill(this.picker, ...slugs.map((slug) => h('option', { value: slug }, slug)));
    this.picker.value = this.company;
  }

  private teardownCompany(): void {
    if (!this.parts) return;
    const { sessions, send, charts, feed } = this.parts;
    feed.stop();
    sessions.destroy();
    send.destroy();
    charts.destroy();
    this.parts = undefined;
  }

  private refreshSoon(): void {
    if (this.pending !== undefined) return;
    this.pending = window.setTimeout(() => {
      this.pending = undefined;
      void this.refreshStats();
      void this.parts?.charts.refresh();
    }, AFTER_EVENT_MS);
  }

  private async refreshStats(): Promise<void> {
    const stats = await this.api.get<StatsView>('/api/v1/stats').catch(() => null);
    if (!stats) return;
    this.stats = stats;
    this.fillPicker();
    this.figures.render(stats, this.health, this.company);
  }

  /** Admin: readiness names every company; a company key reads its own company's probe. */
  private async refreshHealth(): Promise<void> {
    const path = this.admin ? '/health/ready' : `/health/companies/${encodeURIComponent(this.company)}`;
    const report = await this.api.probe<HealthReport>(path).catch(() => null);
    if (!report) return;
    this.health = report.details;
    this.figures.render(this.stats, this.health, this.company);
  }
}

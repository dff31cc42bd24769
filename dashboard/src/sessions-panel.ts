import { Api, companyPath } from './api';
import { fill, formValue, h, panel } from './dom';
import { QrCard } from './qr-card';
import type { LoggedEvent, SessionView } from './types';

const REFRESH_MS = 15_000;

/** A company's sessions with live status badges, start and stop, a form to add one, and the linking cards. */
export class SessionsPanel {
  readonly element: HTMLElement;
  private readonly rows: HTMLElement;
  private readonly cards: HTMLElement;
  private readonly message: HTMLElement;
  private readonly qr = new Map<string, QrCard>();
  private sessions: SessionView[] = [];
  private timer?: number;

  constructor(
    private readonly api: Api,
    private readonly company: string,
    private readonly onSessions: (sessions: SessionView[]) => void,
  ) {
    this.rows = h('tbody');
    this.cards = h('div', { class: 'cards' });
    this.message = h('p', { class: 'muted', role: 'status' });
    const form = h(
      'form',
      { class: 'inline', onsubmit: (event) => void this.create(event) },
      h('input', {
        name: 'name',
        placeholder: 'new session name',
        pattern: '[a-z0-9][a-z0-9_\\-]{0,39}',
        required: true,
        autocomplete: 'off',
        'data-testid': 'new-session',
      }),
      h('button', { type: 'submit' }, 'Create and start'),
    );
    const table = h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Session'), h('th', {}, 'Provider'), h('th', {}, 'Status'), h('th', {}, 'Owner'), h('th', {}, ''))),
      this.rows,
    );
    this.element = panel('Sessions', 'sessions', table, form, this.message, this.cards);
    void this.refresh();
    this.timer = window.setInterval(() => void this.refresh(), REFRESH_MS);
  }

  onEvent(event: LoggedEvent): void {
    if (!event.session) return;
    if (event.type === 'session.status') {
      const status = String(event.data.status);
      const known = this.sessions.find((session) => session.name === event.session);
      if (known) {
        known.status = status;
        known.reason = typeof event.data.reason === 'string' ? event.data.reason : undefined;
        this.render();
      } else void this.refresh();
    }
    if (event.type === 'session.qr') void this.qr.get(event.session)?.refresh();
  }

  destroy(): void {
    window.clearInterval(this.timer);
    for (const card of this.qr.values()) card.destroy();
  }

  private async refresh(): Promise<void> {
    try {
      this.sessions = await this.api.get<SessionView[]>(`${companyPath(this.company)}/sessions`);
      this.render();
    } catch (error) {
      this.message.textContent = (error as Error).message;
    }
  }

  private render(): void {
    fill(this.rows, ...this.sessions.map((session) => this.row(session)));
    if (this.sessions.length === 0) fill(this.rows, h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No sessions yet.')));
    const linking = new Set(this.sessions.filter((session) => session.status === 'SCAN_QR').map((session) => session.name));
    for (const [name, card] of this.qr) {
      if (linking.has(name)) continue;
      card.destroy();
      this.qr.delete(name);
    }
    for (const name of linking) {
      if (this.qr.has(name)) continue;
      const card = new QrCard(this.api, this.company, name);
      this.qr.set(name, card);
      this.cards.append(card.element);
    }
    this.onSessions(this.sessions);
  }

  private row(session: SessionView): HTMLElement {
    const running = ['STARTING', 'SCAN_QR', 'WORKING', 'RECONNECTING'].includes(session.status);
    const action = running ? 'stop' : 'start';
    return h(
      'tr',
      {},
      h('td', {}, session.name, session.phone ? h('small', { class: 'muted' }, ` ${session.phone}`) : null),
      h('td', {}, session.provider),
      h(
        'td',
        {},
        h(
          'span',
          {
            class: `badge badge-${session.status.toLowerCase()}`,
            title: session.reason ?? '',
            'data-testid': `status-${session.name}`,
            'data-status': session.status,
          },
          session.status,
        ),
      ),
      h('td', { class: 'muted owner', title: session.owner ?? '' }, session.owner ?? '—'),
      h('td', {}, h('button', { type: 'button', onclick: () => void this.act(session.name, action) }, action === 'start' ? 'Start' : 'Stop')),
    );
  }

  private async create(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const name = formValue(form, 'name');
    try {
      await this.api.post(`${companyPath(this.company)}/sessions`, { name });
      form.reset();
      await this.act(name, 'start');
    } catch (error) {
      this.message.textContent = (error as Error).message;
    }
  }

  private async act(name: string, action: 'start' | 'stop'): Promise<void> {
    try {
      this.message.textContent = '';
      await this.api.post(`${companyPath(this.company)}/sessions/${encodeURIComponent(name)}/${action}`);
    } catch (error) {
      this.message.textContent = (error as Error).message;
    }
    await this.refresh();
  }
}

import { Api, companyPath } from './api';
import { fill, formValue, h, panel } from './dom';
import type { SessionView } from './types';

const FOLLOW_MS = 2_000;
const FOLLOW_TRIES = 15;
const SETTLED = ['sent', 'delivered', 'read', 'failed'];

/** Sends a test message through a working session (the outbox API) and follows it until it is sent or failed. */
export class SendForm {
  readonly element: HTMLElement;
  private readonly sessions: HTMLSelectElement;
  private readonly result: HTMLElement;
  private follow?: number;

  constructor(
    private readonly api: Api,
    private readonly company: string,
  ) {
    this.sessions = h('select', { name: 'session', required: true, 'data-testid': 'send-session' });
    this.result = h('p', { class: 'muted', role: 'status', 'data-testid': 'send-result' });
    const form = h(
      'form',
      { class: 'stack', onsubmit: (event) => void this.send(event) },
      h('label', {}, 'Session ', this.sessions),
      h('label', {}, 'To ', h('input', { name: 'to', placeholder: '+52 55 1234 5678', required: true, autocomplete: 'off' })),
      h('label', {}, 'Text ', h('textarea', { name: 'text', rows: 2, required: true, maxlength: 4096 })),
      h('button', { type: 'submit' }, 'Send test message'),
    );
    this.element = panel('Test message', 'send', form, this.result);
  }

  /** Keeps the session choice to the sessions that can send now. */
  setSessions(sessions: SessionView[]): void {
    const working = sessions.filter((session) => session.status === 'WORKING').map((session) => session.name);
    const current = this.sessions.value;
    const same = working.length === this.sessions.options.length && working.every((name, index) => this.sessions.options[index]?.value === name);
    if (same) return;
    fill(this.sessions, ...working.map((name) => h('option', { value: name }, name)));
    if (working.includes(current)) this.sessions.value = current;
  }

  destroy(): void {
    window.clearTimeout(this.follow);
  }

  private async send(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const session = formValue(form, 'session');
    if (!session) return void (this.result.textContent = 'No working session to send from.');
    const path = `${companyPath(this.company)}/sessions/${encodeURIComponent(session)}/messages`;
    try {
      const message = await this.api.post<{ id: string; status: string }>(path, { to: formValue(form, 'to'), text: formValue(form, 'text') });
      this.show(message);
      this.track(`${path}/${message.id}`, FOLLOW_TRIES);
    } catch (error) {
      this.result.textContent = `Not sent: ${(error as Error).message}`;
    }
  }

  private track(path: string, tries: number): void {
    window.clearTimeout(this.follow);
    this.follow = window.setTimeout(async () => {
      const message = await this.api.get<{ id: string; status: string; reason?: string }>(path).catch(() => null);
      if (message) this.show(message);
      if (tries > 1 && !(message && SETTLED.includes(message.status))) this.track(path, tries - 1);
    }, FOLLOW_MS);
  }

  private show(message: { id: string; status: string; reason?: string }): void {
    this.result.textContent = `Message ${message.id}: ${message.status}${message.reason ? ` (${message.reason})` : ''}`;
  }
}

import { Api, ApiError, companyPath } from './api';
import { formValue, h } from './dom';

const REFRESH_MS = 5_000;

/**
 * Linking a session: its QR image (a data URL from `GET …/qr`), refreshed until the session leaves SCAN_QR
 * (WhatsApp rotates QR codes), and a pairing code for a phone number as the alternative.
 */
export class QrCard {
  readonly element: HTMLElement;
  private readonly image: HTMLImageElement;
  private readonly note: HTMLElement;
  private readonly code: HTMLElement;
  private timer?: number;
  private loading = false;

  constructor(
    private readonly api: Api,
    private readonly company: string,
    readonly session: string,
  ) {
    this.image = h('img', { class: 'qr', alt: `QR code to link ${session}`, 'data-testid': `qr-${session}` });
    this.image.hidden = true;
    this.note = h('p', { class: 'muted' }, 'Waiting for a QR code…');
    this.code = h('p', { class: 'pairing-code', 'data-testid': `pairing-${session}` });
    const form = h(
      'form',
      { class: 'inline', onsubmit: (event) => void this.pair(event) },
      h('input', { name: 'phone', placeholder: 'Phone number, e.g. +52 55 1234 5678', required: true, autocomplete: 'off' }),
      h('button', { type: 'submit' }, 'Get pairing code'),
    );
    this.element = h('div', { class: 'qr-card', 'data-testid': `link-${session}` }, h('h3', {}, `Link ${session}`), this.image, this.note, form, this.code);
    void this.refresh();
    this.timer = window.setInterval(() => void this.refresh(), REFRESH_MS);
  }

  /** Reads the current QR at once (a new one was logged). */
  async refresh(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    try {
      const { dataUrl } = await this.api.get<{ dataUrl: string }>(`${this.path()}/qr`);
      if (this.image.src !== dataUrl) this.image.src = dataUrl;
      this.image.hidden = false;
      this.note.textContent = 'Scan it in WhatsApp: Linked devices → Link a device.';
    } catch (error) {
      this.note.textContent = error instanceof ApiError ? error.message : 'QR code not available yet';
    } finally {
      this.loading = false;
    }
  }

  destroy(): void {
    window.clearInterval(this.timer);
    this.element.remove();
  }

  private async pair(event: Event): Promise<void> {
    event.preventDefault();
    const phone = formValue(event.target as HTMLFormElement, 'phone');
    this.code.textContent = 'Asking…';
    try {
      const { code } = await this.api.post<{ code: string }>(`${this.path()}/pairing-code`, { phone });
      this.code.textContent = `Pairing code: ${code}`;
    } catch (error) {
      this.code.textContent = error instanceof Error ? error.message : 'no pairing code';
    }
  }

  private path(): string {
    return `${companyPath(this.company)}/sessions/${encodeURIComponent(this.session)}`;
  }
}

import { fill, h, panel, time } from './dom';
import type { LoggedEvent } from './types';

const KEEP = 50;

/** Inbound messages as they arrive, newest first. */
export class InboundPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly empty = h('li', { class: 'muted' }, 'Nothing received since the dashboard opened.');

  constructor() {
    this.list = h('ul', { class: 'messages', 'data-testid': 'inbound-list' }, this.empty);
    this.element = panel('Inbound messages (live)', 'inbound', this.list);
  }

  onEvent(event: LoggedEvent): void {
    if (event.type !== 'message.received') return;
    const { data } = event;
    const who = [data.senderName, data.phone ?? data.from].filter(Boolean).join(' · ');
    const text = typeof data.text === 'string' ? data.text : data.media ? '[media]' : '';
    const item = h(
      'li',
      { 'data-testid': 'inbound-message', 'data-provider-id': String(data.providerMessageId ?? '') },
      h('span', { class: 'muted' }, `${time(event.timestamp)} · ${event.session ?? ''} · ${who}`),
      h('span', { class: 'text' }, text),
    );
    this.empty.remove();
    this.list.prepend(item);
    while (this.list.children.length > KEEP) this.list.lastElementChild?.remove();
  }

  clear(): void {
    fill(this.list, this.empty);
  }
}

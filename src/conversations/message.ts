import type { DeliveryStatus, MediaDescriptor } from '../providers/provider-events';

export interface StoredMessage {
  id: string;
  session: string;
  providerMessageId: string;
  direction: 'inbound' | 'outbound';
  /** The other party (E.164): the chat this message belongs to. */
  phone: string;
  from: string;
  to: string;
  text?: string;
  media?: MediaDescriptor;
  timestamp: Date;
  status?: DeliveryStatus;
  /** The name the sender showed, when the provider told. */
  senderName?: string;
}

export interface ChatView {
  phone: string;
  session: string;
  lastMessage?: { text?: string; direction: 'inbound' | 'outbound'; at: Date };
  lastMessageAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

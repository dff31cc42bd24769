import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import type { TenantContext } from '../tenancy/tenant-context';
import { ChatsRepository } from './chats.repository';
import { MessagesRepository } from './messages.repository';

export interface SentMessage {
  session: string;
  providerMessageId: string;
  to: string;
  text?: string;
}

/** Adds messages we sent to the conversation record and their chat, as ingest does for inbound ones. */
@Injectable()
export class ConversationLog {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly chats: ChatsRepository,
  ) {}

  async recordSent(tenant: TenantContext, sent: SentMessage): Promise<void> {
    const message = {
      id: new Types.ObjectId(),
      session: sent.session,
      providerMessageId: sent.providerMessageId,
      direction: 'outbound' as const,
      phone: sent.to,
      from: '',
      to: sent.to,
      text: sent.text,
      timestamp: new Date(),
      status: 'sent' as const,
    };
    await this.messages.insertMany(tenant, [message]);
    await this.chats.recordLatest(tenant, [{ ...message, id: message.id.toHexString() }]);
  }
}

import { Module } from '@nestjs/common';
import { ChatsRepository } from './chats.repository';
import { ConversationLog } from './conversation-log.service';
import { MessagesRepository } from './messages.repository';

/** The conversation collections (`messages`, `whatsappchats`) for the modules that write or read them. */
@Module({
  providers: [MessagesRepository, ChatsRepository, ConversationLog],
  exports: [MessagesRepository, ChatsRepository, ConversationLog],
})
export class ConversationStoreModule {}

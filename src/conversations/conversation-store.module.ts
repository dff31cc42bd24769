import { Module } from '@nestjs/common';
import { ChatsRepository } from './chats.repository';
import { MessagesRepository } from './messages.repository';

/** The conversation collections (`messages`, `whatsappchats`) for the modules that write or read them. */
@Module({
  providers: [MessagesRepository, ChatsRepository],
  exports: [MessagesRepository, ChatsRepository],
})
export class ConversationStoreModule {}

import { Module } from '@nestjs/common';
import { ChatsRepository } from './chats.repository';
import { LidMappingsRepository } from './lid-mappings.repository';
import { MessagesRepository } from './messages.repository';

/** The conversation collections (`messages`, `whatsappchats`, `lid_mappings`) for the modules that write or read them. */
@Module({
  providers: [MessagesRepository, ChatsRepository, LidMappingsRepository],
  exports: [MessagesRepository, ChatsRepository, LidMappingsRepository],
})
export class ConversationStoreModule {}

import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ConversationStoreModule } from '../conversations/conversation-store.module';
import { ProspectsModule } from '../prospects/prospects.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { contactsConfig } from './contacts.config';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';

/** Contact lookups on WhatsApp: number checks and profiles. */
@Module({
  imports: [TenancyModule, SessionsModule, ProspectsModule, ConversationStoreModule, ConfigModule.forFeature(contactsConfig)],
  controllers: [ContactsController],
  providers: [ContactsService],
})
export class ContactsModule {}

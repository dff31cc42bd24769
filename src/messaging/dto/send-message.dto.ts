import { getSchemaPath } from '@nestjs/swagger';
import { ContactMessageDto } from './contact-message.dto';
import { LegacyMessageDto } from './legacy-message.dto';
import { LocationMessageDto } from './location-message.dto';
import { AudioMessageDto, DocumentMessageDto, ImageMessageDto, StickerMessageDto, VideoMessageDto, VoiceMessageDto } from './media-message.dto';
import { ReactionMessageDto } from './reaction-message.dto';
import { TemplateMessageDto } from './template-message.dto';
import { TextMessageDto } from './text-message.dto';

/** Each kind's DTO, by `kind`. */
export const SEND_MESSAGE_DTOS = {
  text: TextMessageDto,
  image: ImageMessageDto,
  video: VideoMessageDto,
  audio: AudioMessageDto,
  voice: VoiceMessageDto,
  document: DocumentMessageDto,
  sticker: StickerMessageDto,
  location: LocationMessageDto,
  contact: ContactMessageDto,
  reaction: ReactionMessageDto,
  template: TemplateMessageDto,
} as const;

export type KindedMessageDto = InstanceType<(typeof SEND_MESSAGE_DTOS)[keyof typeof SEND_MESSAGE_DTOS]>;
/** An outbound message as the API takes it: one kind's DTO, or the first API's shape without `kind`. */
export type SendMessageDto = KindedMessageDto | LegacyMessageDto;

export const SEND_MESSAGE_MODELS = [...Object.values(SEND_MESSAGE_DTOS), LegacyMessageDto];

/** The OpenAPI body: one of the kinds, told apart by `kind` (the first API's shape is still taken, undocumented). */
export const SEND_MESSAGE_SCHEMA = {
  oneOf: Object.values(SEND_MESSAGE_DTOS).map((model) => ({ $ref: getSchemaPath(model) })),
  discriminator: { propertyName: 'kind', mapping: Object.fromEntries(Object.entries(SEND_MESSAGE_DTOS).map(([kind, model]) => [kind, getSchemaPath(model)])) },
};

import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { OUTBOUND_KINDS } from '../providers/provider.port';
import { LegacyMessageDto } from './dto/legacy-message.dto';
import { SEND_MESSAGE_DTOS, type SendMessageDto } from './dto/send-message.dto';

/**
 * Validates an outbound message against its kind's DTO (the body's `kind` picks it; none: the first API's shape),
 * with the same rules as the global pipe: unknown fields are refused, every problem is listed.
 */
@Injectable()
export class SendMessagePipe implements PipeTransform<unknown, Promise<SendMessageDto>> {
  async transform(value: unknown): Promise<SendMessageDto> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadRequestException(['the body must be a JSON object']);
    const kind = (value as { kind?: unknown }).kind;
    if (kind !== undefined && !(OUTBOUND_KINDS as readonly unknown[]).includes(kind)) {
      throw new BadRequestException([`kind must be one of: ${OUTBOUND_KINDS.join(', ')}`]);
    }
    const model = kind === undefined ? LegacyMessageDto : SEND_MESSAGE_DTOS[kind as keyof typeof SEND_MESSAGE_DTOS];
    const dto = plainToInstance(model as new () => SendMessageDto, value);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw new BadRequestException(errors.flatMap((error) => messagesOf(error)));
    return dto;
  }
}

function messagesOf(error: ValidationError, parent = ''): string[] {
  const path = parent ? `${parent}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((message) => (parent ? `${parent}.${message}` : message));
  return [...own, ...(error.children ?? []).flatMap((child) => messagesOf(child, path))];
}

import type { InboundMessage } from '../providers/provider-events';
import type { Capability, MessageRef, OutboundContent, OutboundMediaKind, OutboundMessage } from '../providers/provider.port';
import type { SendMessageDto } from './dto/send-message.dto';
import type { OutboundView, StoredContent, StoredRef } from './outbound-message';

const EXTENSIONS: Record<string, [OutboundMediaKind, string]> = {
  jpg: ['image', 'image/jpeg'],
  jpeg: ['image', 'image/jpeg'],
  png: ['image', 'image/png'],
  webp: ['image', 'image/webp'],
  gif: ['image', 'image/gif'],
  mp4: ['video', 'video/mp4'],
  '3gp': ['video', 'video/3gpp'],
  mp3: ['audio', 'audio/mpeg'],
  m4a: ['audio', 'audio/mp4'],
  aac: ['audio', 'audio/aac'],
  ogg: ['audio', 'audio/ogg'],
  opus: ['audio', 'audio/ogg'],
  pdf: ['document', 'application/pdf'],
  txt: ['document', 'text/plain'],
  csv: ['document', 'text/csv'],
  doc: ['document', 'application/msword'],
  docx: ['document', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  xls: ['document', 'application/vnd.ms-excel'],
  xlsx: ['document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  zip: ['document', 'application/zip'],
};

/** What a media URL's extension says: its kind (for the first API's bodies, which name none) and MIME type. */
export function mediaOfUrl(url: string): { kind: OutboundMediaKind; mimeType: string } {
  let path = '';
  try {
    path = new URL(url).pathname;
  } catch {
    // Validated as a URL already; an odd one is a document.
  }
  const extension = path.includes('.') ? path.split('.').pop()!.toLowerCase() : '';
  const [kind, mimeType] = EXTENSIONS[extension] ?? ['document', 'application/octet-stream'];
  return { kind, mimeType };
}

/** The kind of an uploaded file that names none, by its MIME type (voice notes and stickers must say so). */
export function mediaKindOf(mimeType: string): OutboundMediaKind {
  const type = mimeType.split('/', 1)[0];
  return type === 'image' || type === 'video' || type === 'audio' ? type : 'document';
}

/** The content the outbox keeps for a validated body; `target` is the stored message a reaction is for. */
export function contentOf(body: SendMessageDto, target?: StoredRef): StoredContent {
  if (!('kind' in body)) {
    if (body.mediaUrl) return withoutUndefined({ kind: mediaOfUrl(body.mediaUrl).kind, url: body.mediaUrl, caption: body.caption });
    return { kind: 'text', text: body.text ?? '' };
  }
  switch (body.kind) {
    case 'text':
      return { kind: 'text', text: body.text };
    case 'location':
      return withoutUndefined({ kind: 'location', latitude: body.latitude, longitude: body.longitude, name: body.name, address: body.address });
    case 'contact':
      return { kind: 'contact', name: body.name, phone: body.phone };
    case 'reaction':
      if (!target) throw new Error('a reaction needs its target');
      return { kind: 'reaction', emoji: body.emoji, target };
    case 'template':
      return withoutUndefined({ kind: 'template', contentSid: body.contentSid, variables: body.variables });
    default:
      return withoutUndefined({
        kind: body.kind,
        url: body.url,
        mimeType: body.mimeType,
        caption: 'caption' in body ? body.caption : undefined,
        fileName: 'fileName' in body ? body.fileName : undefined,
      });
  }
}

/** What the session's provider must support to send it. */
export function capabilitiesFor(kind: StoredContent['kind'], options: { replying: boolean; uploaded: boolean }): Capability[] {
  return [kind, ...(options.replying ? (['reply'] as const) : []), ...(options.uploaded ? (['upload'] as const) : [])];
}

/** The message handed to the provider port; an uploaded file's bytes are read by the caller first. */
export function outboundMessageOf(view: OutboundView, uploaded?: Buffer): OutboundMessage {
  const { to, replyTo } = view;
  const content = contentOfView(view);
  let message: OutboundContent;
  if (content.kind === 'reaction') message = { ...content, target: refOf(content.target) };
  else if ('upload' in content) {
    if (!uploaded) throw new Error('an uploaded file needs its bytes read first');
    const { upload, ...fields } = content;
    void upload;
    message = { ...fields, file: { data: uploaded, mimeType: content.mimeType } };
  } else message = content;
  return { ...message, to, ...(replyTo ? { replyTo: refOf(replyTo) } : {}) };
}

/** What we sent, as the conversation keeps it (and the event log reports it as `message.sent`). */
export function sentRecordOf(providerMessageId: string, view: OutboundView): InboundMessage {
  const sent: InboundMessage = { providerMessageId, from: '', to: view.to, timestamp: new Date(), fromMe: true };
  if (view.replyTo) sent.quotedProviderMessageId = view.replyTo.providerMessageId;
  const content = contentOfView(view);
  switch (content.kind) {
    case 'text':
      sent.text = content.text;
      break;
    case 'location':
      sent.location = withoutUndefined({ latitude: content.latitude, longitude: content.longitude, name: content.name, address: content.address });
      break;
    case 'contact':
      sent.contact = { name: content.name, phone: content.phone };
      break;
    case 'reaction':
      sent.reaction = { emoji: content.emoji, providerMessageId: content.target.providerMessageId };
      break;
    case 'template':
      sent.template = withoutUndefined({ contentSid: content.contentSid, variables: content.variables });
      break;
    default:
      if (content.caption !== undefined) sent.text = content.caption;
      sent.media = withoutUndefined({
        type: content.kind,
        mimeType: content.mimeType ?? ('url' in content ? mediaOfUrl(content.url).mimeType : 'application/octet-stream'),
        caption: content.caption,
        fileName: content.fileName,
        url: 'url' in content ? content.url : undefined,
      });
  }
  return sent;
}

function contentOfView(view: OutboundView): StoredContent {
  const { id, session, to, replyTo, status, attempts, providerMessageId, reason, idempotencyKey, createdAt, updatedAt, ...content } = view;
  void [id, session, to, replyTo, status, attempts, providerMessageId, reason, idempotencyKey, createdAt, updatedAt];
  return content as StoredContent;
}

function refOf({ providerMessageId, fromMe, text }: StoredRef): MessageRef {
  return text === undefined ? { providerMessageId, fromMe } : { providerMessageId, fromMe, text };
}

export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

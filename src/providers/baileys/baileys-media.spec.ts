import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { encryptedStream } from '@whiskeysockets/baileys';
import { mediaOf } from './baileys-event.mapper';
import { decryptWhatsappMedia, downloadWhatsappMedia } from './baileys-media';

/** A media file as a WhatsApp client uploads it, made by Baileys' own encryption. */
async function encrypt(plain: Buffer, type: 'image' | 'audio' | 'document') {
  const encrypted = await encryptedStream(plain, type);
  try {
    return {
      file: await readFile(encrypted.encFilePath),
      mediaKey: encrypted.mediaKey,
      fileEncSha256: encrypted.fileEncSha256,
      fileSha256: encrypted.fileSha256,
    };
  } finally {
    await rm(encrypted.encFilePath, { force: true });
  }
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('baileys media', () => {
  it('describes media messages with what a later download needs; a voice note is audio with ptt', () => {
    const key = randomBytes(32);
    const voice = mediaOf({
      audioMessage: {
        ptt: true,
        mimetype: 'audio/ogg; codecs=opus',
        fileLength: 4096,
        directPath: '/v/t62/abc',
        mediaKey: key,
        fileEncSha256: Buffer.from('e'),
        fileSha256: Buffer.from('p'),
      },
    });
    expect(voice).toEqual({
      type: 'voice',
      mimeType: 'audio/ogg; codecs=opus',
      sizeBytes: 4096,
      source: { via: 'whatsapp', directPath: '/v/t62/abc', mediaKey: b64(key), fileEncSha256: b64(Buffer.from('e')), fileSha256: b64(Buffer.from('p')) },
    });
    expect(mediaOf({ documentMessage: { mimetype: 'application/pdf', fileName: 'cv.pdf', caption: 'mi cv' } })).toEqual({
      type: 'document',
      mimeType: 'application/pdf',
      fileName: 'cv.pdf',
      caption: 'mi cv',
    });
    expect(mediaOf({ stickerMessage: { mimetype: 'image/webp' } })?.type).toBe('sticker');
    expect(mediaOf({ conversation: 'hola' })).toBeUndefined();
  });

  it('decrypts what Baileys encrypted, checking the MAC and both hashes', async () => {
    const plain = randomBytes(100_003);
    const { file, mediaKey, fileEncSha256, fileSha256 } = await encrypt(plain, 'image');
    const source = { via: 'whatsapp' as const, directPath: '/x', mediaKey: b64(mediaKey), fileEncSha256: b64(fileEncSha256), fileSha256: b64(fileSha256) };
    expect((await decryptWhatsappMedia(file, source, 'image')).equals(plain)).toBe(true);

    const tampered = Buffer.from(file);
    tampered[10] ^= 1;
    await expect(decryptWhatsappMedia(tampered, { ...source, fileEncSha256: undefined }, 'image')).rejects.toMatchObject({
      message: 'media MAC does not match',
      permanent: true,
    });
    await expect(decryptWhatsappMedia(tampered, source, 'image')).rejects.toThrow(/does not match its hash/);
    await expect(decryptWhatsappMedia(file, source, 'document')).rejects.toThrow(/MAC does not match/);
  });

  describe('download', () => {
    let server: Server;
    let origin: string;
    const served = new Map<string, Buffer>();

    beforeAll(async () => {
      server = createServer((request, response) => {
        const file = served.get(request.url ?? '');
        if (!file) return void response.writeHead(404).end();
        response.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(file);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('fetches from the media origin by path only, within the size limit', async () => {
      const plain = randomBytes(5_000);
      const { file, mediaKey } = await encrypt(plain, 'audio');
      served.set('/v/t62/voice', file);
      const request = {
        providerMessageId: 'M1',
        type: 'voice' as const,
        mimeType: 'audio/ogg',
        source: { via: 'whatsapp' as const, directPath: '/v/t62/voice', mediaKey: b64(mediaKey) },
      };
      const limits = { maxBytes: 10_000, timeoutMs: 2_000 };
      expect((await downloadWhatsappMedia(request, limits, { origin, allowPrivate: true })).data.equals(plain)).toBe(true);
      await expect(downloadWhatsappMedia(request, { ...limits, maxBytes: 4_000 }, { origin, allowPrivate: true })).rejects.toThrow(/too large/);
      await expect(
        downloadWhatsappMedia({ ...request, source: { ...request.source, directPath: '@evil.example/x' } }, limits, { origin, allowPrivate: true }),
      ).rejects.toThrow(/not a WhatsApp media path/);
      await expect(downloadWhatsappMedia(request, limits, { origin, allowPrivate: false })).rejects.toThrow(/refused: private address/);
    });
  });
});

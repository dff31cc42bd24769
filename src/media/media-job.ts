import type { MediaSource, MediaType } from '../providers/provider-events';

/** A download still to do: the media of one stored message. `id` is the message's id. */
export interface MediaJob {
  id: string;
  session: string;
  providerMessageId: string;
  type: MediaType;
  mimeType: string;
  fileName?: string;
  /** As the provider declared it, when it did. */
  declaredSize?: number;
  source: MediaSource;
  createdAt: Date;
}

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionRef } from '../provider.port';

/** Where RemoteAuth keeps one session's disposable files, and the names it derives from its clientId. */
export interface WhatsappWebSessionPaths {
  clientId: string;
  /** RemoteAuth's `dataPath`: the session zip, staging copy and browser profile all live under it. */
  dataPath: string;
  /** RemoteAuth's session name, the key of the stored zip. */
  sessionName: string;
  /** Chromium's `--user-data-dir`; unique per session, so it also identifies the session's processes. */
  userDataDir: string;
}

export const WHATSAPP_WEB_TEMP_ROOT = join(tmpdir(), 'virtual-voices', 'whatsapp-web');

export function sessionPathsFor(session: SessionRef, root = WHATSAPP_WEB_TEMP_ROOT): WhatsappWebSessionPaths {
  const clientId = `${session.company.slug}-${session.name}`.replace(/[^-\w]/g, '_');
  const dataPath = join(root, session.company.slug, clientId);
  const sessionName = `RemoteAuth-${clientId}`;
  return { clientId, dataPath, sessionName, userDataDir: join(dataPath, sessionName) };
}

import { Api, ApiError } from './api';
import { Dashboard } from './dashboard';
import { fill } from './dom';
import { loginView } from './login';
import type { StatsView } from './types';

const KEY = 'vv.apiKey';
const root = document.getElementById('app')!;
let current: Dashboard | undefined;

function showLogin(notice?: string): void {
  current?.destroy();
  current = undefined;
  sessionStorage.removeItem(KEY);
  fill(
    root,
    loginView((key) => void signIn(key), notice),
  );
}

/** The key is checked by reading the stats, which also say whose figures it may see. */
async function signIn(key: string): Promise<void> {
  // A 401 after signing in (key revoked) signs out; at sign-in the answer below says so.
  const api = new Api(key, (message) => current && showLogin(`Signed out: ${message}`));
  try {
    const [stats, config] = await Promise.all([api.get<StatsView>('/api/v1/stats'), api.probe<{ livePath: string }>('/dashboard/config.json')]);
    sessionStorage.setItem(KEY, key);
    current?.destroy();
    current = new Dashboard(root, api, stats, config.livePath);
  } catch (error) {
    const unauthenticated = error instanceof ApiError && error.status === 401;
    showLogin(unauthenticated ? 'That API key was not accepted.' : `Could not sign in: ${(error as Error).message}`);
  }
}

const saved = sessionStorage.getItem(KEY);
if (saved) void signIn(saved);
else showLogin();

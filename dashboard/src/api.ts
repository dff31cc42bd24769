export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The service's REST API with the operator's key in `X-API-Key`; a 401 anywhere logs the operator out. */
export class Api {
  constructor(
    readonly key: string,
    private readonly onUnauthenticated: (message: string) => void,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { 'X-API-Key': this.key, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (response.ok) return parsed as T;
    const error = (parsed ?? {}) as { code?: string; message?: string | string[] };
    const message = Array.isArray(error.message) ? error.message.join('; ') : (error.message ?? response.statusText);
    if (response.status === 401) this.onUnauthenticated(message);
    throw new ApiError(response.status, error.code ?? 'HTTP_' + response.status, message);
  }

  /** Reads a probe whose status code carries meaning (health: 503 still has a report); the key unlocks its per-company detail. */
  async probe<T>(path: string): Promise<T> {
    const response = await fetch(path, { headers: { 'X-API-Key': this.key, Accept: 'application/json' }, cache: 'no-store' });
    return (await response.json()) as T;
  }
}

export const companyPath = (company: string) => `/api/v1/companies/${encodeURIComponent(company)}`;

export type Principal = { kind: 'admin'; id: 'admin' } | { kind: 'company'; id: string; company: string };

export interface AuthenticatedRequest {
  principal?: Principal;
}

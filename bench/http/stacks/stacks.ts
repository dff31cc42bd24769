/** The stacks `bench:http-stacks` compares, each answering `GET /health/live` with `{ status: 'ok' }`. */
export const STACKS = ['node', 'node+headers', 'fastify', 'fastify+headers', 'nest', 'nest+headers', 'our-http-pipeline'] as const;
export type Stack = (typeof STACKS)[number];

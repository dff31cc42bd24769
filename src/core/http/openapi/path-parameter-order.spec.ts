import type { OpenAPIObject } from '@nestjs/swagger';
import { orderPathParameters } from './path-parameter-order';

const documentWith = (path: string, parameters: Array<{ name: string; in: string }>): OpenAPIObject =>
  ({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths: { [path]: { get: { parameters, responses: {} } } } }) as unknown as OpenAPIObject;

describe('orderPathParameters', () => {
  it('puts the path parameters first, in the order of the path, and keeps the others in their order', () => {
    const document = documentWith('/companies/{company}/sessions/{session}/chats', [
      { name: 'session', in: 'path' },
      { name: 'cursor', in: 'query' },
      { name: 'Idempotency-Key', in: 'header' },
      { name: 'limit', in: 'query' },
      { name: 'company', in: 'path' },
    ]);

    orderPathParameters(document);

    const parameters = (document.paths['/companies/{company}/sessions/{session}/chats'].get!.parameters ?? []) as Array<{ name: string }>;
    expect(parameters.map((parameter) => parameter.name)).toEqual(['company', 'session', 'cursor', 'Idempotency-Key', 'limit']);
  });

  it('leaves operations without parameters alone', () => {
    const document = documentWith('/health/live', []);
    orderPathParameters(document);
    expect(document.paths['/health/live'].get!.parameters).toEqual([]);
  });
});

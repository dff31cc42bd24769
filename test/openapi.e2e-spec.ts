import { startTestApp, type TestApp } from './support/test-app';

type Operation = {
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }>; headers?: Record<string, unknown> }>;
  security?: unknown[];
  parameters?: Array<{ in: string }>;
};

/** The published document states every status a route can answer and the rules of every body (schemathesis relies on it). */
describe('OpenAPI document', () => {
  let t: TestApp;
  let operations: Array<[string, Operation]>;
  let schemas: Record<string, { properties: Record<string, Record<string, unknown>>; additionalProperties?: boolean }>;

  beforeAll(async () => {
    t = await startTestApp();
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    operations = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => [`${method.toUpperCase()} ${path}`, operation] as [string, Operation]),
    );
    schemas = doc.components.schemas;
  });
  afterAll(() => t.close());

  it('documents auth and rate-limit statuses, with the error body, on every route behind the API key', () => {
    const publicRoutes = operations.filter(([, operation]) => !operation.security).map(([name]) => name);
    expect(publicRoutes.sort()).toEqual(['GET /health/live', 'GET /health/ready', 'POST /webhooks/twilio/{company}']);
    for (const [name, operation] of operations) {
      if (!operation.security) continue;
      for (const status of name.includes('/health/') ? ['401', '403', '429'] : ['401', '403', '429', '503'])
        expect([name, status, operation.responses[status]?.content?.['application/json'].schema.$ref]).toEqual([
          name,
          status,
          '#/components/schemas/ErrorBodyDto',
        ]);
      expect(operation.responses['429'].headers).toHaveProperty('Retry-After');
      if (operation.parameters?.some((parameter) => parameter.in === 'path')) expect([name, operation.responses['404']]).toEqual([name, expect.anything()]);
      expect(Object.keys(operation.responses).some((status) => status.startsWith('2'))).toBe(true);
    }
    expect(JSON.stringify(operations)).not.toContain('x-public');
    expect(JSON.stringify(operations)).not.toContain('x-error-statuses');
  });

  it('documents every path parameter first, in the order of the path (`company` too, read with @CurrentCompany or @Tenant)', () => {
    for (const [name, operation] of operations) {
      const inPath = [...name.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      const documented = (operation.parameters ?? []) as Array<{ in: string; name: string }>;
      expect([name, documented.slice(0, inPath.length).map((parameter) => `${parameter.in}:${parameter.name}`)]).toEqual([
        name,
        inPath.map((parameter) => `path:${parameter}`),
      ]);
    }
  });

  it('declares the statuses only some routes answer', () => {
    const responses = (name: string) => Object.keys(operations.find(([key]) => key === name)![1].responses);
    expect(responses('POST /api/v1/companies')).toEqual(expect.arrayContaining(['201', '400', '409', '413', '415']));
    expect(responses('GET /api/v1/companies/{company}/events')).toContain('410');
    expect(responses('POST /api/v1/companies/{company}/sessions/{session}/messages')).toEqual(expect.arrayContaining(['202', '409', '422']));
    expect(responses('GET /health/ready')).toEqual(['200', '503']);
  });

  it("states the DTOs' validation rules and closes their objects", () => {
    expect(schemas.CreateCompanyDto.additionalProperties).toBe(false);
    expect(schemas.CreateCompanyDto.properties.displayName).toMatchObject({ minLength: 1, maxLength: 120 });
    expect(schemas.CreateCompanyDto.properties.cluster).toMatchObject({ pattern: '^[a-z0-9_-]{1,40}$' });
    expect(schemas.CompanyCapsDto.properties.maxConcurrentOps).toMatchObject({ type: 'integer', minimum: 1, maximum: 200 });
    expect(schemas.CheckContactsDto.properties.numbers).toMatchObject({ minItems: 1, maxItems: 50, items: { minLength: 3, maxLength: 40 } });
    expect(schemas.TextMessageDto.properties.replyTo).toMatchObject({ pattern: '^[0-9a-f]{24}$' });
    expect(schemas.LocationMessageDto.properties.latitude).toMatchObject({ minimum: -90, maximum: 90 });
    expect(schemas.UpdateCompanyDto.additionalProperties).toBe(false);
  });
});

import { startTestApp, type TestApp } from './support/test-app';

describe('prospects REST API', () => {
  let t: TestApp;
  let key: string;
  const base = '/api/v1/companies/mitsubishi/prospects';

  beforeAll(async () => {
    t = await startTestApp();
    key = await t.createCompanyKey('mitsubishi');
  });
  afterAll(() => t.close());

  it('imports 10,000 rows through the batcher, answering exact counts and a reason per rejected row', async () => {
    const rows: Record<string, unknown>[] = [];
    for (let i = 0; i < 9_950; i++) rows.push({ number: `+52155${String(10_000_000 + i)}`, name: `Lead ${i}`, stage: 'new' });
    for (let i = 0; i < 20; i++) rows.push({ number: `+52155${String(10_000_000 + i)}`, name: `Again ${i}` });
    for (let i = 0; i < 10; i++) rows.push({ number: 'not a phone', name: 'x' });
    for (let i = 0; i < 10; i++) rows.push({ name: 'no number' });
    for (let i = 0; i < 10; i++) rows.push({ number: `+52155${String(20_000_000 + i)}`, tags: 'not-an-array' });
    expect(rows).toHaveLength(10_000);

    const response = await t.as(key, 'post', `${base}/import`).send({ rows }).expect(200);

    expect(response.body).toMatchObject({ total: 10_000, created: 9_950, updated: 20, rejected: 30 });
    const rejections = response.body.rejections as Array<{ row: number; reason: string }>;
    expect(rejections.map((r) => r.row)).toEqual([...Array.from({ length: 30 }, (_, i) => 9_970 + i)]);
    expect(rejections[0].reason).toMatch(/not a phone number/);
    expect(rejections[10].reason).toMatch(/missing/);
    expect(rejections[20].reason).toMatch(/tags/);
    const again = await t.as(key, 'get', `${base}/+5215510000003`).expect(200);
    expect(again.body).toMatchObject({ number: '+525510000003', name: 'Again 3', stage: 'new', data: { firstSource: 'import' } });
  });

  it('lists newest first with cursor pagination and searches by number or name', async () => {
    const first = await t.as(key, 'get', `${base}?limit=5`).expect(200);
    expect(first.body.items).toHaveLength(5);
    const dates = first.body.items.map((p: { updatedAt: string }) => Date.parse(p.updatedAt));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    const second = await t.as(key, 'get', `${base}?limit=5&cursor=${first.body.nextCursor}`).expect(200);
    const ids = new Set([...first.body.items, ...second.body.items].map((p: { id: string }) => p.id));
    expect(ids.size).toBe(10);
    expect(Date.parse(second.body.items[0].updatedAt)).toBeLessThanOrEqual(dates[4]);

    const byNumber = await t.as(key, 'get', `${base}?search=${encodeURIComponent('+52551000994')}&limit=100`).expect(200);
    expect(byNumber.body.items.map((p: { number: string }) => p.number).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `+52551000994${i}`));
    const byName = await t.as(key, 'get', `${base}?search=lead%209949`).expect(200);
    expect(byName.body.items.map((p: { name: string }) => p.name)).toEqual(['Lead 9949']);
  });

  it('keys WhatsApp-style Mexican mobiles (+52 1 …) and E.164 to the same prospect', async () => {
    const response = await t.as(key, 'get', `${base}/${encodeURIComponent('5215510000007@c.us')}`).expect(200);
    expect(response.body.number).toBe('+525510000007');
  });

  it('gets and updates one prospect by number in any common notation', async () => {
    await t
      .as(key, 'patch', `${base}/5215510000042`)
      .send({ stage: 'qualified', tags: ['vip'], notes: 'called' })
      .expect(200);
    const response = await t.as(key, 'get', `${base}/${encodeURIComponent('+52 1 55 1000 0042')}`).expect(200);
    expect(response.body).toMatchObject({ number: '+525510000042', name: 'Lead 42', stage: 'qualified', tags: ['vip'], notes: 'called' });
  });

  it('answers bad input with 4xx and a stable code', async () => {
    const cases: Array<[request: ReturnType<TestApp['as']>, status: number, code: string]> = [
      [t.as(key, 'get', `${base}/12`), 400, 'INVALID_PHONE_NUMBER'],
      [t.as(key, 'get', `${base}/+525599999999`), 404, 'PROSPECT_NOT_FOUND'],
      [t.as(key, 'get', `${base}?limit=1000`), 400, 'VALIDATION_FAILED'],
      [t.as(key, 'get', `${base}?cursor=garbage`), 400, 'VALIDATION_FAILED'],
      [t.as(key, 'patch', `${base}/+5215510000042`).send({ stage: 7 }), 400, 'VALIDATION_FAILED'],
      [t.as(key, 'patch', `${base}/+5215510000042`).send({ owner: 'me' }), 400, 'VALIDATION_FAILED'],
      [t.as(key, 'post', `${base}/import`).send({ rows: 'nope' }), 400, 'VALIDATION_FAILED'],
      [t.as(key, 'post', `${base}/import`).send({ rows: Array.from({ length: 10_001 }, () => ({})) }), 400, 'IMPORT_TOO_LARGE'],
      [t.as(key, 'post', `${base}/import`).set('Content-Type', 'application/json').send('{"rows": ['), 400, 'MALFORMED_JSON'],
      [t.as(key, 'get', '/api/v1/nowhere'), 404, 'NOT_FOUND'],
    ];
    for (const [request, status, code] of cases) {
      const response = await request;
      expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
      expect(response.body).toEqual(expect.objectContaining({ statusCode: status, message: expect.any(String) }));
    }
  });
});

import { clientErrorBody } from './client-error';

describe('clientErrorBody', () => {
  it("answers Node's parser errors in the standard shape", () => {
    expect(clientErrorBody({ code: 'HPE_HEADER_OVERFLOW' })).toEqual({ statusCode: 431, code: 'HEADERS_TOO_LARGE', message: expect.any(String) });
    expect(clientErrorBody({ code: 'ERR_HTTP_REQUEST_TIMEOUT' })).toEqual({ statusCode: 408, code: 'REQUEST_TIMEOUT', message: expect.any(String) });
    expect(clientErrorBody({ code: 'HPE_INVALID_METHOD' })).toEqual({ statusCode: 400, code: 'MALFORMED_REQUEST', message: expect.any(String) });
  });
});

import { createServer } from 'node:http';

/** The baseline: node:http answering a tiny JSON body, like /health/live's, to every request. Port from argv. */
const body = Buffer.from(JSON.stringify({ status: 'ok', info: { process: { status: 'up' } } }));
createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  response.end(body);
}).listen(Number(process.argv[2]), '127.0.0.1', () => process.send?.('ready'));

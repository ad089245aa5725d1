// (a) The physical limit: node:http doing the same hot path in memory (API key look-up by SHA-256, HMAC-SHA256).
import { createHash, createHmac } from 'node:crypto';
import { createServer } from 'node:http';

const { PORT, API_KEY, SECRET } = process.env;
const keys = new Map([[createHash('sha256').update(API_KEY).digest('hex'), { secret: Buffer.from(SECRET) }]]);
const header = Buffer.from('{"typ":"JWT","alg":"HS256"}').toString('base64url');

createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const key = keys.get(createHash('sha256').update((req.headers.authorization ?? '').slice(7)).digest('hex'));
    const { userIdentifier } = JSON.parse(body);
    if (!key || typeof userIdentifier !== 'string') {
      res.writeHead(401).end();
      return;
    }
    const input = `${header}.${Buffer.from(JSON.stringify({ jti: userIdentifier })).toString('base64url')}`;
    const userHash = `${input}.${createHmac('sha256', key.secret).update(input).digest('base64url')}`;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ userIdentifier, userHash, keyVersion: 1 }));
  });
}).listen(Number(PORT), '127.0.0.1', () => process.send?.('ready'));

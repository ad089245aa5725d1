// The webhooks benchmark's receiver, in a process of its own (as a real receiver would be, and so that it does not
// share an event loop with autocannon): answers 200 at once, and reports the distinct webhook-ids it saw on request.
import { createServer } from 'node:http';

const seen = new Set();
let repeats = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const id = String(req.headers['webhook-id']);
    if (seen.has(id)) repeats += 1;
    seen.add(id);
    res.writeHead(200).end();
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send('ready'));
process.on('message', () => process.send({ distinct: seen.size, repeats }));

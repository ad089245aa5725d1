import type { AuditEvent } from '@keyring/contracts';
import { octetCounted, syslogMessage } from './syslog-message';
import { parseStreamTarget } from './stream-target';

const ORG = '4c0e8a52-7a47-4d55-9c7a-0d5b7b0c2f11';
const event: AuditEvent = {
  seq: 42,
  occurredAt: '2026-11-29T22:55:16.123Z',
  actor: { type: 'user', id: null, label: 'Zoë "the admin"' },
  action: 'secret.revealed',
  target: { type: 'widget', id: 'w1' },
  tenantId: null,
  ip: '127.0.0.1',
  userAgent: null,
  requestId: null,
  outcome: 'denied',
  details: { note: 'a]b\\c' },
  prevHash: 'a'.repeat(64),
  keyId: 'k1',
  hash: 'b'.repeat(64),
};

describe('syslog messages (RFC 5424, RFC 6587 octet counting)', () => {
  it('writes the header fields, structured data and the exported event as MSG', () => {
    const message = syslogMessage({ type: 'event', organizationId: ORG, event });
    // facility 13 (log audit) × 8 + severity 5 (notice) for a refused action
    expect(message).toMatch(/^<109>1 2026-11-29T22:55:16\.123Z [\x21-\x7e]+ keyring \d+ audit /);
    expect(message).toContain(` [keyring@32473 org="${ORG}" seq="42" action="secret.revealed" outcome="denied"] \ufeff{`);
    expect(JSON.parse(message.slice(message.indexOf('\ufeff') + 1))).toEqual(event);
    expect(message.endsWith('\n')).toBe(false);
  });

  it('sends a checkpoint as its own message, MSGID checkpoint, at its issue time', () => {
    const message = syslogMessage({ type: 'checkpoint', organizationId: ORG, seq: 40, issuedAt: '2026-11-29T22:55:00.000Z', jws: 'a.b.c' });
    expect(message).toMatch(new RegExp(`^<110>1 2026-11-29T22:55:00\\.000Z \\S+ keyring \\d+ checkpoint \\[keyring@32473 org="${ORG}" seq="40"\\] \ufeff\\{"checkpoint":"a\\.b\\.c"\\}$`));
  });

  it('escapes ", \\ and ] in structured data values', () => {
    const message = syslogMessage({ type: 'event', organizationId: ORG, event: { ...event, action: 'x"y]z\\' } });
    expect(message).toContain('action="x\\"y\\]z\\\\"');
  });

  it('counts octets, not characters', () => {
    const framed = octetCounted('<110>1 - - keyring - audit - \ufeffZoë');
    const text = framed.toString('utf8');
    const [length] = text.split(' ', 1);
    expect(Number(length)).toBe(framed.length - length.length - 1);
    expect(Number(length)).toBe(Buffer.byteLength('<110>1 - - keyring - audit - \ufeffZoë'));
  });
});

describe('stream targets', () => {
  it('takes tcp:// and tls:// for syslog, host and port only', () => {
    expect(parseStreamTarget('syslog', 'tcp://siem.example:6514', true)).toEqual({ kind: 'syslog', url: 'tcp://siem.example:6514', host: 'siem.example', port: 6514, tls: false });
    expect(parseStreamTarget('syslog', 'tls://[::1]:6514/', true)).toEqual({ kind: 'syslog', url: 'tls://[::1]:6514', host: '::1', port: 6514, tls: true });
    expect(parseStreamTarget('syslog', 'udp://siem.example:514', false)).toBe('url must be tcp://host:port or tls://host:port for syslog');
  });

  it('takes https://, and http:// to this machine only outside production', () => {
    expect(parseStreamTarget('https', 'https://siem.example/ingest?x=1', true)).toEqual({ kind: 'https', url: 'https://siem.example/ingest?x=1' });
    expect(parseStreamTarget('https', 'http://localhost:8080/ingest', false)).toEqual({ kind: 'https', url: 'http://localhost:8080/ingest' });
    expect(parseStreamTarget('https', 'http://127.0.0.1:8080/ingest', false)).toEqual({ kind: 'https', url: 'http://127.0.0.1:8080/ingest' });
    expect(parseStreamTarget('https', 'http://localhost:8080/ingest', true)).toBe('url must be an https:// URL');
    expect(parseStreamTarget('https', 'http://10.0.0.5/ingest', false)).toBe('url must be an https:// URL (http:// only to localhost, outside production)');
  });

  it('refuses credentials in the URL', () => {
    expect(parseStreamTarget('https', 'https://user:pw@siem.example/', false)).toBe('url must not hold credentials (user:password@)');
    expect(parseStreamTarget('syslog', 'tcp://user@siem.example:514', false)).toBe('url must not hold credentials (user:password@)');
  });
});

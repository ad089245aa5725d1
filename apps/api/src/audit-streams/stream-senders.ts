import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { checkpointLine, ndjsonLine } from '../audit/audit-export';
import type { OutboundPolicy } from '../common/outbound/outbound-address';
import { checkStreamTarget, type StreamTarget } from './stream-target';
import { octetCounted, syslogMessage, type FeedItem } from './syslog-message';

/** A receiver that is slower than this to connect, take a batch or answer counts as down. */
const TIMEOUT_MS = 10_000;

/** Sends batches of a stream to its receiver, over one connection kept between batches where there is one. */
export interface StreamSender {
  /**
   * Whether a resolved `send` means the receiver acknowledged the batch (HTTP 2xx). Over TCP it means only that the
   * batch was written: the stream counts it delivered once the connection has stayed up a while longer.
   */
  readonly acknowledges: boolean;
  /** Why the connection was lost, once it is: what was written on it and not yet counted delivered may never have arrived. */
  readonly lost: Error | null;
  send(items: FeedItem[]): Promise<void>;
  close(): void;
}

export function senderFor(target: StreamTarget, organizationId: string, policy: OutboundPolicy): StreamSender {
  return target.kind === 'syslog' ? new SyslogSender(target, policy) : new HttpsSender(target, organizationId, policy);
}

/** RFC 5424 messages over TCP or TLS, framed by octet counting (RFC 6587 §3.4.1). */
class SyslogSender implements StreamSender {
  readonly acknowledges = false;
  lost: Error | null = null;
  private socket?: Socket;

  constructor(
    private readonly target: Extract<StreamTarget, { kind: 'syslog' }>,
    private readonly policy: OutboundPolicy,
  ) {}

  async send(items: FeedItem[]): Promise<void> {
    if (this.lost) throw this.lost;
    const socket = this.socket ?? (this.socket = await this.connect());
    const frames = Buffer.concat(items.map((item) => octetCounted(syslogMessage(item))));
    await new Promise<void>((resolve, reject) => {
      socket.write(frames, (error) => (error ? reject(this.lost ?? error) : resolve()));
    });
    if (this.lost) throw this.lost;
  }

  close(): void {
    this.lost ??= new Error('closed');
    this.socket?.destroy();
  }

  /** To the address that was checked just now (TLS still verifies the certificate against the host name). */
  private async connect(): Promise<Socket> {
    const { host, port, tls } = this.target;
    const { address } = await checkStreamTarget(this.target, this.policy);
    return new Promise((resolve, reject) => {
      const socket = tls ? tlsConnect({ host: address, port, servername: isIP(host) ? undefined : host }) : tcpConnect({ host: address, port });
      // Idle for long between batches is normal; stuck for this long with bytes to write is not.
      socket.setTimeout(TIMEOUT_MS, () => {
        if (socket.connecting || socket.writableLength > 0) socket.destroy(new Error(`no progress talking to ${host}:${port} for ${TIMEOUT_MS / 1000} s`));
      });
      socket.once('error', reject);
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        socket.off('error', reject);
        // A peer that vanished without closing shows as an error after a few unanswered probes.
        socket.setKeepAlive(true, TIMEOUT_MS);
        socket.on('error', (error: Error) => {
          this.lost ??= error;
        });
        socket.on('close', () => {
          this.lost ??= new Error(`the receiver ${host}:${port} closed the connection`);
        });
        // A syslog receiver says nothing; whatever it sends is not read.
        socket.resume();
        resolve(socket);
      });
    });
  }
}

/** NDJSON batches POSTed, the lines of the NDJSON export; a 2xx answer acknowledges the batch. */
class HttpsSender implements StreamSender {
  readonly acknowledges = true;
  readonly lost = null;
  /** Aborts a request in flight when the stream stops (shutdown, deletion). */
  private readonly stop = new AbortController();

  constructor(
    private readonly target: Extract<StreamTarget, { kind: 'https' }>,
    private readonly organizationId: string,
    private readonly policy: OutboundPolicy,
  ) {}

  async send(items: FeedItem[]): Promise<void> {
    // Checked at every batch: fetch resolves the name again itself, so a DNS answer changed within this moment is
    // not caught (the syslog sender connects to the checked address instead).
    await checkStreamTarget(this.target, this.policy);
    const body = items.map((item) => (item.type === 'event' ? ndjsonLine(item.event) : checkpointLine(item.jws))).join('');
    let response: Response;
    try {
      response = await fetch(this.target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', 'keyring-organization-id': this.organizationId },
        body,
        // A receiver that moved says so by failing, not by sending the audit log somewhere else.
        redirect: 'manual',
        signal: AbortSignal.any([this.stop.signal, AbortSignal.timeout(TIMEOUT_MS)]),
      });
    } catch (error) {
      // fetch's own message is "fetch failed"; the cause says what happened (refused, timed out, certificate…).
      const cause = (error as Error & { cause?: unknown }).cause;
      throw cause instanceof Error ? cause : error;
    }
    await response.body?.cancel();
    if (response.status < 200 || response.status > 299) throw new Error(`the receiver answered HTTP ${response.status}`);
  }

  close(): void {
    this.stop.abort(new Error('closed'));
  }
}

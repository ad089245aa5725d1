import { randomBytes } from 'node:crypto';

/**
 * API keys look like `kr_<43 base62 characters><6 base62 checksum characters>`: a prefix a secret scanner can look
 * for, 32 random bytes, and a CRC-32 of them, so that a scanner (or Keyring itself, before any look-up) can tell a
 * real key from a lookalike.
 */
export const API_KEY_PREFIX = 'kr_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 43; // 62^43 > 2^256
const CHECKSUM_LENGTH = 6; // 62^6 > 2^32
const KEY_PATTERN = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${BODY_LENGTH + CHECKSUM_LENGTH}}$`);
/** How much of a key lists show. */
export const VISIBLE_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;

export function newApiKey(): string {
  const body = toBase62(randomBytes(32), BODY_LENGTH);
  return `${API_KEY_PREFIX}${body}${checksum(body)}`;
}

/** Whether `value` looks like a Keyring API key (a cheap first check, without the checksum). */
export function hasApiKeyShape(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** Whether `value` has the shape and checksum of a Keyring API key. */
export function isWellFormedApiKey(value: string): boolean {
  if (!hasApiKeyShape(value)) return false;
  const body = value.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + BODY_LENGTH);
  return value.endsWith(checksum(body));
}

function checksum(body: string): string {
  return toBase62(Buffer.from(crc32(Buffer.from(body, 'ascii')).toString(16).padStart(8, '0'), 'hex'), CHECKSUM_LENGTH);
}

function toBase62(bytes: Buffer, length: number): string {
  let value = BigInt(`0x${bytes.toString('hex') || '0'}`);
  let out = '';
  while (out.length < length) {
    out = BASE62[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * A short fingerprint of a widget secret, for a person to confirm a paste or tell versions apart without seeing
 * the secret: `XXXX-XXXX-XXXX-XXXX` (Crockford base32 of SHA-256). Salted with the widget id, so one secret used
 * by two widgets does not show the same fingerprint. WebCrypto, so the console can compute it before sending.
 */
export async function secretFingerprint(widgetId: string, secret: string): Promise<string> {
  const data = new TextEncoder().encode(`keyring-fingerprint-v1\u0000${widgetId}\u0000${secret}`);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest.subarray(0, 10)) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

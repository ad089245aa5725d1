/** C0 and C1 control characters (U+0000–U+001F, U+007F–U+009F): never legitimate in an identifier or a secret. */
export function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

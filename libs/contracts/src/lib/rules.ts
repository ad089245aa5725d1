/*
 * Rules the API enforces and the console checks before sending, so that both say the same thing.
 */

/** Something besides white space: what every name (tenant, widget, API key) must contain. */
export const NOT_BLANK_PATTERN = /\S/;

/** Any UUID, as ids are written in paths and bodies. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** C0 and C1 control characters (U+0000–U+001F, U+007F–U+009F): never legitimate in an identifier or a secret. */
export function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

export const SECRET_MIN_LENGTH = 8;
export const SECRET_MAX_LENGTH = 512;

/**
 * Why a pasted widget secret is refused, or null. White space at either end is refused, never trimmed: a
 * pasted newline is the classic mistake, and a silently changed secret would sign tokens Huggy rejects.
 */
export function secretProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'secret must be a string';
  if (value.length < SECRET_MIN_LENGTH || value.length > SECRET_MAX_LENGTH) {
    return `secret must have ${SECRET_MIN_LENGTH} to ${SECRET_MAX_LENGTH} characters`;
  }
  if (/^\s|\s$/.test(value)) {
    return 'secret starts or ends with white space (a pasted newline or space?); remove it, Keyring never trims a secret';
  }
  if (hasControlCharacter(value)) return 'secret must not contain control characters';
  return null;
}

/**
 * Widget search is served by trigram indexes, which need three characters: a shorter query is refused (400) rather
 * than answered by reading every widget.
 */
export const WIDGET_SEARCH_MIN_LENGTH = 3;

/**
 * The widget list's `status` filter: no active secret, one older than the rotation policy, no userHash issued lately,
 * queued for rotation (offboarding) and not rotated since.
 */
export const WIDGET_STATUS_FILTERS = ['no-secret', 'stale', 'unused', 'rotation-requested'] as const;
export type WidgetStatusFilter = (typeof WIDGET_STATUS_FILTERS)[number];

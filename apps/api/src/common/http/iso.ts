/** A database time as the contracts' ISO 8601 string. */
export function iso(time: Date | string): string {
  return new Date(time).toISOString();
}

export function isoOrNull(time: Date | string | null): string | null {
  return time === null ? null : iso(time);
}

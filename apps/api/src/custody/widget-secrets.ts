import type { EnvelopeBinding } from '../crypto/envelope';

/** What a widget secret's ciphertext is bound to: it opens only on its own row. */
export function widgetSecretBinding(organizationId: string, widgetId: string, version: number): EnvelopeBinding {
  return { purpose: 'widget-secret', organizationId, widgetId, version };
}

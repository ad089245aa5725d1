/**
 * Copy-ready browser snippets for the Huggy Chat widget, filled in with one visitor's identity.
 * Every value goes through {@link scriptLiteral}, so the output stays inert inside an HTML `<script>` element
 * whatever the identifier holds.
 */

export interface HuggyIdentity {
  userIdentifier: string;
  userHash: string;
}

export interface HuggyWidgetRef {
  /** The widget's uuid in the Huggy panel (`defaultWidget` in Huggy's embed code). */
  widgetUuid: string;
  /** The Huggy company id (`company` in Huggy's embed code). */
  companyId: string;
}

const UNSAFE_IN_SCRIPT: Record<string, string> = {
  '<': '\\u003C', // `</script>` and `<!--` cannot close or confuse the element
  '>': '\\u003E',
  '&': '\\u0026',
  "'": '\\u0027', // safe even if someone pastes it into a single-quoted attribute
  '\u2028': '\\u2028', // line terminators in old JavaScript engines
  '\u2029': '\\u2029',
};

/** A JavaScript string literal for `value` that is safe inside an HTML `<script>` element. */
export function scriptLiteral(value: string): string {
  // JSON.stringify escapes quotes, backslashes and control characters; the rest is HTML's business.
  return JSON.stringify(value).replace(/[<>&'\u2028\u2029]/g, (char) => UNSAFE_IN_SCRIPT[char]);
}

/** Set before the widget script loads: Huggy reads it at start. */
export function huggyDataSnippet(identity: HuggyIdentity): string {
  return [
    'window.huggyData = {',
    `  userIdentifier: ${scriptLiteral(identity.userIdentifier)},`,
    `  userHash: ${scriptLiteral(identity.userHash)}`,
    '};',
  ].join('\n');
}

/** Logs the visitor in after the widget has loaded, without a page reload. */
export function huggyLoginSnippet(identity: HuggyIdentity): string {
  return [
    'Huggy.login({',
    `  userIdentifier: ${scriptLiteral(identity.userIdentifier)},`,
    `  userHash: ${scriptLiteral(identity.userHash)}`,
    '});',
  ].join('\n');
}

/**
 * Logs the visitor out without reloading the page, then starts the widget again, which Huggy requires
 * after `Huggy.logout(false)`.
 */
export function huggyLogoutSnippet(widget: HuggyWidgetRef): string {
  return [
    'Huggy.logout(false);',
    'Huggy.init({',
    `  defaultWidget: ${scriptLiteral(widget.widgetUuid)},`,
    `  company: ${scriptLiteral(widget.companyId)}`,
    '});',
  ].join('\n');
}

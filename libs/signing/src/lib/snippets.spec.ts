import { runInNewContext } from 'node:vm';
import { huggyDataSnippet, huggyLoginSnippet, huggyLogoutSnippet, scriptLiteral } from './snippets';

const hostileIdentifiers = [
  'plain@example.com',
  '</script><script>alert(1)</script>',
  '</SCRIPT >',
  '<!-- <script>',
  `"'\`\${x}\\`,
  'line\u2028separator\u2029paragraph',
  'tab\tnew\nline\rnull\u0000',
  'josé 😀 漢字',
  ']]></script>',
];

/** What an HTML parser would see: the element ends at the first `</script`, and `<!--` changes its state. */
function isInertInScript(source: string): boolean {
  return !/<\/script/i.test(source) && !source.includes('<!--') && !/[\u2028\u2029]/.test(source);
}

describe('scriptLiteral', () => {
  it.each(hostileIdentifiers)('keeps %j inert and evaluates back to the same string', (value) => {
    const literal = scriptLiteral(value);
    expect(isInertInScript(literal)).toBe(true);
    expect(literal).not.toMatch(/[<>&']/);
    expect(runInNewContext(literal)).toBe(value);
  });
});

describe('browser snippets', () => {
  const userHash = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJ1In0.sig';

  it.each(hostileIdentifiers)('huggyData hands %j to the widget unaltered', (userIdentifier) => {
    const snippet = huggyDataSnippet({ userIdentifier, userHash });
    expect(isInertInScript(snippet)).toBe(true);
    const window: Record<string, unknown> = {};
    runInNewContext(snippet, { window });
    expect(window['huggyData']).toEqual({ userIdentifier, userHash });
  });

  it.each(hostileIdentifiers)('Huggy.login hands %j to the widget unaltered', (userIdentifier) => {
    const snippet = huggyLoginSnippet({ userIdentifier, userHash });
    expect(isInertInScript(snippet)).toBe(true);
    const login = jest.fn();
    runInNewContext(snippet, { Huggy: { login } });
    expect(login).toHaveBeenCalledWith({ userIdentifier, userHash });
  });

  it('logs out without a reload, then starts the widget again', () => {
    const snippet = huggyLogoutSnippet({ widgetUuid: '7c1b0f7e-0000-4000-8000-000000000001', companyId: '</script>42' });
    expect(isInertInScript(snippet)).toBe(true);
    const calls: unknown[][] = [];
    const Huggy = {
      logout: (...args: unknown[]) => calls.push(['logout', ...args]),
      init: (...args: unknown[]) => calls.push(['init', ...args]),
    };
    runInNewContext(snippet, { Huggy });
    expect(calls).toEqual([
      ['logout', false],
      ['init', { defaultWidget: '7c1b0f7e-0000-4000-8000-000000000001', company: '</script>42' }],
    ]);
  });
});

import { startBanner } from './start-banner';

describe('the start banner on a terminal', () => {
  const facts = { url: 'http://localhost:3000', seconds: '1.2', setupRequired: false, setupToken: null };

  it('says where Keyring is, in words rather than JSON', () => {
    const banner = startBanner(facts);
    expect(banner).toContain('Keyring is ready at http://localhost:3000 (started in 1.2 s)');
    expect(banner).not.toContain('{');
    expect(banner).not.toContain('setup');
  });

  it('while setup is pending: the setup link and the token generated at this start', () => {
    const banner = startBanner({ ...facts, setupRequired: true, setupToken: 'bn0aV-hfH9r7ytlJ6Efiq' });
    expect(banner).toContain('Finish the setup at http://localhost:3000/setup');
    expect(banner).toContain('Setup token (shown this once): bn0aV-hfH9r7ytlJ6Efiq');
  });

  it('while setup is pending with a token from an earlier start or the environment: where to find it', () => {
    expect(startBanner({ ...facts, setupRequired: true })).toContain('Setup token: the one in KEYRING_SETUP_TOKEN, or printed at the first start');
  });
});

import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  const email = 'Ana.Lima@agency.example';

  it('accepts a long, uncommon password', () => {
    expect(passwordProblem('violet-harbor-engine-42', email)).toBeNull();
  });

  it.each([
    ['short1234!', 'The password must have at least 12 characters.'],
    ['x'.repeat(1025), 'The password must have at most 1024 characters.'],
    ['ana.lima@agency.example', 'The password must not be your email address.'],
    ['ANA.LIMA@AGENCY.EXAMPLE', 'The password must not be your email address.'],
    ['Password1234', 'This password is too common; choose another.'],
    ['qwertyuiop123', 'This password is too common; choose another.'],
  ])('refuses %j', (password, problem) => {
    expect(passwordProblem(password, email)).toBe(problem);
  });
});

import { JSON_MAX_DEPTH, jsonTextProblem } from './json-body';

describe('jsonTextProblem', () => {
  const problem = (text: string) => (jsonTextProblem(text)?.getResponse() as { message?: string } | undefined)?.message ?? null;

  it('accepts ordinary JSON, escaped quotes and backslashes, and surrogate pairs', () => {
    for (const text of ['{"a":[1,{"b":"c"}]}', '"\\\\u0000"', '{"q":"\\"[[[["}', '"\\ud83d\\ude00"', '"\\u00e4"', `${'['.repeat(JSON_MAX_DEPTH)}${']'.repeat(JSON_MAX_DEPTH)}`]) {
      expect({ text, problem: problem(text) }).toEqual({ text, problem: null });
    }
  });

  it('refuses nesting deeper than the limit, whatever the brackets', () => {
    expect(problem(`${'['.repeat(JSON_MAX_DEPTH + 1)}${']'.repeat(JSON_MAX_DEPTH + 1)}`)).toBe(`The request body nests deeper than ${JSON_MAX_DEPTH} levels.`);
    expect(problem(`${'{"a":'.repeat(JSON_MAX_DEPTH + 1)}1${'}'.repeat(JSON_MAX_DEPTH + 1)}`)).toMatch(/nests deeper/);
  });

  it('refuses NUL and lone surrogates, the strings PostgreSQL cannot store', () => {
    for (const text of ['"\\u0000"', '{"a":"x\\ud800"}', '"\\udc00"', '"\\ud800\\u0041"', '"\\uD83D"']) {
      expect({ text, problem: problem(text) }).toEqual({ text, problem: expect.stringMatching(/cannot be stored/) });
    }
  });
});

import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // A feature owns its tables: others ask its services (exported by its module), never its repository. The
    // composition roots (app/, the operator commands in cli/) are exempt.
    files: ['src/**/*.ts'],
    ignores: ['src/app/**', 'src/cli/**', 'src/cli.ts', 'src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*/*.repository', '../../*/*.repository'],
              message: "A feature does not import another feature's repository: use the service its module exports.",
            },
          ],
        },
      ],
    },
  },
];

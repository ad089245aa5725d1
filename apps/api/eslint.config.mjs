import baseConfig from '../../eslint.config.mjs';

/**
 * The API's folders from the bottom up. A folder imports only folders of the layers below its own: never one above,
 * nor a neighbour on its own layer. What a lower layer needs from a higher one it declares as an abstract class
 * (access/access-lookups.ts, identity/membership-directory.ts) that the higher one provides or app.module binds.
 */
const LAYERS = [
  ['common'],
  ['crypto'],
  ['config'],
  ['database'],
  ['access'],
  ['changes'],
  ['metrics'],
  ['audit'],
  ['audit-streams'],
  ['identity'],
  ['organizations'],
  ['custody', 'setup'],
  ['tenant-api'],
  ['offboarding'],
  ['webhooks'],
  ['docs', 'health', 'console'],
  ['app', 'cli'],
];

/** The composition roots: they wire the features together. */
const ROOTS = ['app', 'cli'];

// A feature owns its tables: others ask its services (exported by its module), never its repository. The roots (the
// operator commands of cli/ read tables directly) are exempt.
const FOREIGN_REPOSITORY = {
  group: ['../*/*.repository', '../../*/*.repository'],
  message: "A feature does not import another feature's repository: use the service its module exports.",
};

/** The imports a file of `folder` (at any depth below it) must not make: the other folders of its layer and above. */
function notBelow(folder, layer) {
  const forbidden = LAYERS.slice(layer).flat().filter((other) => other !== folder);
  return {
    group: forbidden.flatMap((other) => [`../${other}/*`, `../../${other}/*`, `../../../${other}/*`]),
    message: `${folder}/ is on layer ${layer + 1} of the API (README's map): it imports only the folders of the layers below it.`,
  };
}

export default [
  ...baseConfig,
  ...LAYERS.flatMap((folders, layer) =>
    folders.map((folder) => ({
      files: [`src/${folder}/**/*.ts`],
      ignores: ['src/**/*.spec.ts'],
      rules: {
        'no-restricted-imports': ['error', { patterns: ROOTS.includes(folder) ? [notBelow(folder, layer)] : [notBelow(folder, layer), FOREIGN_REPOSITORY] }],
      },
    })),
  ),
  {
    // No `any` flows through the API's code: a raw query's rows are typed where it runs (`query<Row[]>(…)`), and the
    // few values Express types as any (req.cookies, req.route) are narrowed where they are read. Needs type information.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.app.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
    },
  },
];

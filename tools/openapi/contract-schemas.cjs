// Writes the JSON Schemas of the API's response types (libs/contracts/src/lib/api.ts) into
// apps/api/src/docs/contract-schemas.json, which the OpenAPI document uses for its responses.
// Usage: node tools/openapi/contract-schemas.cjs [--check]   (--check: exit 1 if the committed file is stale; a test runs it)
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { createGenerator } = require('ts-json-schema-generator');

const root = join(__dirname, '../..');
const OUTPUT = join(root, 'apps/api/src/docs/contract-schemas.json');

/** Every exported type of the contracts file, as `{ [name]: schema }` with `$ref`s between them. */
function contractSchemas() {
  const generator = createGenerator({
    path: join(root, 'libs/contracts/src/lib/api.ts'),
    tsconfig: join(root, 'libs/contracts/tsconfig.lib.json'),
    type: '*',
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    skipTypeCheck: true,
    additionalProperties: true,
  });
  const { definitions } = generator.createSchema('*');
  // OpenAPI components live at #/components/schemas, not #/definitions.
  return JSON.parse(JSON.stringify(definitions).replaceAll('#/definitions/', '#/components/schemas/'));
}

const text = `${JSON.stringify(contractSchemas(), null, 2)}\n`;
if (process.argv.includes('--check')) {
  const fresh = readFileSync(OUTPUT, 'utf8') === text;
  console.log(fresh ? 'contract-schemas.json is up to date' : 'contract-schemas.json is stale: run npm run contracts:schemas');
  process.exit(fresh ? 0 : 1);
}
writeFileSync(OUTPUT, text);
console.log(`Wrote ${OUTPUT}`);

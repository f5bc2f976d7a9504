/**
 * npm run schema: writes schema/dissect-frame.schema.json from the field registry (see
 * src/output/schema.ts), formatted as the rest of the repository.
 */
import { writeFileSync } from 'node:fs';
import * as prettier from 'prettier';
import { frameSchema } from '../src/output/schema.js';

const path = 'schema/dissect-frame.schema.json';
const options = (await prettier.resolveConfig(path)) ?? {};
writeFileSync(
  path,
  await prettier.format(JSON.stringify(frameSchema()), { ...options, filepath: path }),
);
console.error(`wrote ${path}`);

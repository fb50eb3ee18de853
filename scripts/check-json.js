#!/usr/bin/env node
/*
 * Validates the mini-program's JSON configs against the schemas shipped in miniprogram-ci:
 * project.config.json, app.json, sitemap.json, theme.json (when present) and every page/component json.
 */
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv').default;
const { config: schemas } = require('miniprogram-ci/dist/schema/dist/index.js');

const root = path.resolve(__dirname, '..');
const mp = path.join(root, 'miniprogram');
const ajv = new Ajv({ allErrors: true, strict: false });
const validators = {};
const validatorFor = (name) => (validators[name] ||= ajv.compile(schemas[name]));

function readJson(file, errors) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    errors.push(`${path.relative(root, file)}: ${e.message}`);
    return undefined;
  }
}

function check(file, schemaName, errors) {
  const data = readJson(file, errors);
  if (data === undefined) return undefined;
  const validate = validatorFor(schemaName);
  if (!validate(data)) {
    for (const e of validate.errors) {
      errors.push(
        `${path.relative(root, file)}: ${e.instancePath || '/'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`,
      );
    }
  }
  return data;
}

/** Every page/component .json reachable from app.json, following usingComponents of our own code. */
function collectComponentJsons(app) {
  const seen = new Set();
  const queue = [...(app.pages || []).map((p) => '/' + p)];
  for (const c of Object.values(app.usingComponents || {})) queue.push(c);
  const out = [];
  while (queue.length) {
    const ref = queue.shift();
    if (!ref.startsWith('/') || ref.startsWith('/miniprogram_npm/')) continue;
    const file = path.join(mp, ref + '.json');
    if (seen.has(file)) continue;
    seen.add(file);
    if (!fs.existsSync(file)) continue;
    out.push(file);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    const dir = path.dirname(ref);
    for (const target of Object.values(json.usingComponents || {})) {
      if (target.startsWith('/')) queue.push(target);
      else if (target.startsWith('.')) queue.push(path.posix.join(dir, target));
    }
  }
  return out;
}

function main() {
  const errors = [];
  check(path.join(root, 'project.config.json'), 'projectconfig', errors);
  const app = check(path.join(mp, 'app.json'), 'app', errors);
  if (fs.existsSync(path.join(mp, 'sitemap.json')))
    check(path.join(mp, 'sitemap.json'), 'sitemap', errors);
  if (app && app.themeLocation) check(path.join(mp, app.themeLocation), 'theme', errors);
  let count = 3;
  if (app) {
    for (const p of app.pages || []) {
      for (const ext of ['.json', '.ts', '.wxml']) {
        if (!fs.existsSync(path.join(mp, p + ext)))
          errors.push(`app.json page ${p}: missing ${p}${ext}`);
      }
    }
    for (const file of collectComponentJsons(app)) {
      // Components share the page schema (usingComponents, styleIsolation...); `component: true` is allowed there.
      check(file, 'page', errors);
      count++;
    }
  }
  if (errors.length) {
    console.error(`check-json: ${errors.length} problem(s)`);
    for (const e of errors) console.error('  ' + e);
    process.exit(1);
  }
  console.log(`check-json: ${count} config files valid`);
}

main();

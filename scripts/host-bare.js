/*
 * The same host mini-program without the customer service, to measure what adding it costs the
 * host's main package: the `cs` subpackage and its preload rules leave app.json, and every page
 * drops the components it took from `/cs/` (usingComponents, componentPlaceholder, their tags).
 * The host's configuration (`globalData.csConfig`) stays, so it counts as growth.
 */
const fs = require('fs');
const path = require('path');

const CS_PREFIX = '/cs/';

function stripApp(app) {
  const out = { ...app };
  const key = out.subPackages ? 'subPackages' : 'subpackages';
  out[key] = (out[key] || []).filter((s) => s.root.replace(/\/+$/, '') !== 'cs');
  if (out[key].length === 0) delete out[key];
  if (out.preloadRule) {
    const rules = {};
    for (const [page, rule] of Object.entries(out.preloadRule)) {
      const packages = (rule.packages || []).filter((p) => p !== 'cs');
      if (packages.length) rules[page] = { ...rule, packages };
    }
    out.preloadRule = rules;
    if (Object.keys(rules).length === 0) delete out.preloadRule;
  }
  return out;
}

function stripPage(dir, page) {
  const jsonFile = path.join(dir, `${page}.json`);
  if (!fs.existsSync(jsonFile)) return;
  const json = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  const tags = Object.entries(json.usingComponents || {})
    .filter(([, p]) => typeof p === 'string' && p.startsWith(CS_PREFIX))
    .map(([tag]) => tag);
  if (tags.length === 0) return;
  for (const tag of tags) {
    delete json.usingComponents[tag];
    if (json.componentPlaceholder) delete json.componentPlaceholder[tag];
  }
  fs.writeFileSync(jsonFile, JSON.stringify(json, null, 2));
  const wxmlFile = path.join(dir, `${page}.wxml`);
  let wxml = fs.readFileSync(wxmlFile, 'utf8');
  for (const tag of tags) {
    wxml = wxml
      .replace(new RegExp(`<${tag}\\b[^>]*?/>`, 'g'), '')
      .replace(new RegExp(`<${tag}\\b[^>]*>[\\s\\S]*?</${tag}>`, 'g'), '');
  }
  fs.writeFileSync(wxmlFile, wxml);
}

/** Copies `host` into `dir` without the customer service; returns `dir`. */
function bareHost(host, dir) {
  fs.cpSync(host, dir, { recursive: true, filter: (src) => path.basename(src) !== 'cs' });
  const appFile = path.join(dir, 'app.json');
  const app = stripApp(JSON.parse(fs.readFileSync(appFile, 'utf8')));
  fs.writeFileSync(appFile, JSON.stringify(app, null, 2));
  for (const page of app.pages) stripPage(dir, page);
  return dir;
}

module.exports = { bareHost, stripApp };

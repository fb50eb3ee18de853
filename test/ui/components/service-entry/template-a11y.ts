/**
 * Static accessibility checks on a component's WXML (miniprogram-simulate drops aria-* and
 * open-type attributes from its DOM, so they are read from the template itself).
 */
import fs from 'fs';
import path from 'path';
import { MP_ROOT } from '../../load';

export interface TemplateElement {
  tag: string;
  attrs: Record<string, string>;
}

/** Every element of `relPath`.wxml with its attributes, in document order. */
export function templateElements(relPath: string): TemplateElement[] {
  const source = fs.readFileSync(path.join(MP_ROOT, `${relPath}.wxml`), 'utf8');
  const doc = new DOMParser().parseFromString(`<body>${source}</body>`, 'text/html');
  return Array.from(doc.body.querySelectorAll('*')).map((el) => ({
    tag: el.tagName.toLowerCase(),
    attrs: Object.fromEntries(Array.from(el.attributes).map((a) => [a.name, a.value])),
  }));
}

/** Tappable: a tap binding, or a native button. */
export function isInteractive(el: TemplateElement): boolean {
  return el.tag === 'button' || Object.keys(el.attrs).some((a) => /^(bind|catch):?tap$/.test(a));
}

/** `{{name}}` → `name`; `undefined` for literal values. */
export function boundName(value: string | undefined): string | undefined {
  const m = value?.match(/^\{\{\s*(\w+)\s*\}\}$/);
  return m ? m[1] : undefined;
}

/** Schema errors of the component's `.json` (miniprogram-ci's page schema, as check-json uses). */
export function configErrors(relPath: string): unknown[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = require('ajv').default as new (o: object) => {
    compile(schema: unknown): ((data: unknown) => boolean) & { errors?: unknown[] | null };
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { config } = require('miniprogram-ci/dist/schema/dist/index.js') as {
    config: Record<string, unknown>;
  };
  const validate = new Ajv({ allErrors: true, strict: false }).compile(config.page);
  const json: unknown = JSON.parse(fs.readFileSync(path.join(MP_ROOT, `${relPath}.json`), 'utf8'));
  return validate(json) ? [] : (validate.errors ?? ['invalid']);
}

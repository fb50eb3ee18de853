/**
 * Accessibility of every page and component template: an element the user can tap is announced as
 * something (a role, or a native button) and has a name (an aria-label or its own text), so screen
 * readers (VoiceOver/TalkBack inside WeChat) read more than "button".
 */
import fs from 'fs';
import path from 'path';

const MP = path.resolve(__dirname, '../../miniprogram');

function templates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'miniprogram_npm' ? [] : templates(full);
    return e.name.endsWith('.wxml') ? [full] : [];
  });
}

interface Tag {
  name: string;
  attrs: string;
  /** Text up to the next tag, trimmed. */
  text: string;
  line: number;
}

/** Opening tags with their attributes and the text right after them. */
function openingTags(source: string): Tag[] {
  const noComments = source.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
  const out: Tag[] = [];
  const re = /<([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*(\/?)>([^<]*)/g;
  for (let m = re.exec(noComments); m; m = re.exec(noComments)) {
    out.push({
      name: m[1],
      attrs: m[2],
      text: m[3] === '/' ? '' : m[4].trim(),
      line: noComments.slice(0, m.index).split('\n').length,
    });
  }
  return out;
}

const TAP = /\s(?:bind|catch)(?::)?tap="/;
const NATIVE_CONTROLS = new Set(['button', 't-button', 'navigator', 'input', 'textarea']);
const has = (attrs: string, name: string): boolean => new RegExp(`\\s${name}="[^"]+"`).test(attrs);

describe('WXML accessibility', () => {
  const files = templates(MP);

  it('finds the templates and their tappable elements', () => {
    expect(files.length).toBeGreaterThan(10);
    const tappable = files.flatMap((f) =>
      openingTags(fs.readFileSync(f, 'utf8')).filter((t) => TAP.test(t.attrs)),
    );
    // Every bind:tap / bindtap / catchtap in the sources (30 when this was written).
    const raw = files
      .map((f) => fs.readFileSync(f, 'utf8').replace(/<!--[\s\S]*?-->/g, ''))
      .join('\n')
      .match(/\s(?:bind|catch):?tap="/g);
    expect(tappable.length).toBe(raw?.length);
    expect(tappable.length).toBeGreaterThanOrEqual(30);
  });

  it.each(files.map((f) => [path.relative(MP, f)]))(
    '%s: every tappable element has a role and a name',
    (file) => {
      const problems = openingTags(fs.readFileSync(path.join(MP, file), 'utf8'))
        .filter((tag) => TAP.test(tag.attrs))
        .filter((tag) => {
          // The full-screen mask of a sheet is a second way to close it, not a control of its own.
          if (/class="[^"]*__mask/.test(tag.attrs)) return false;
          const role = NATIVE_CONTROLS.has(tag.name) || has(tag.attrs, 'aria-role');
          const name = has(tag.attrs, 'aria-label') || tag.text !== '';
          return !(role && name);
        })
        .map((tag) => `line ${tag.line}: <${tag.name}${tag.attrs.replace(/\s+/g, ' ')}>`);
      expect(problems).toEqual([]);
    },
  );

  it('reads tags the way the checks need', () => {
    const tags = openingTags(
      '<view\n  bind:tap="a"\n  aria-role="button"\n>Go</view><!-- <view bindtap="x"> --><image src="{{a}}" />',
    );
    expect(tags.map((t) => [t.name, t.text, t.line])).toEqual([
      ['view', 'Go', 1],
      ['image', '', 4],
    ]);
    expect(TAP.test(tags[0].attrs)).toBe(true);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createTcccService, tcccOptionsFromEnv } from '../../../simulator/tccc';
import { DEFAULT_FLOW } from '../../../simulator/tccc/default-flow';
import {
  fill,
  loadFlowFile,
  localize,
  mergeFlow,
  validateFlow,
} from '../../../simulator/tccc/flow';
import { FakeBackend, kinds } from './support/fake-backend';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tccc-flow-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flow config', () => {
  it('ships a valid default flow that reaches every card kind', () => {
    expect(validateFlow(DEFAULT_FLOW)).toEqual([]);
    const types = new Set(Object.values(DEFAULT_FLOW.nodes).map((node) => node.type));
    for (const type of [
      'menu',
      'choice-form',
      'input-form',
      'product-card',
      'order-card',
      'rich-text',
      'stream-text',
      'task-branch',
      'task-form',
      'tips',
      'transfer',
    ]) {
      expect(types).toContain(type);
    }
  });

  it('reports broken references and malformed nodes', () => {
    const broken = {
      ...DEFAULT_FLOW,
      nodes: {
        ...DEFAULT_FLOW.nodes,
        product: { type: 'text', text: 'x', next: 'nowhere' },
        odd: { type: 'video' },
      },
    };
    const problems = validateFlow(broken);
    expect(problems.join('\n')).toMatch(/odd\.type/);
    const fixed = { ...broken, nodes: { ...broken.nodes, odd: { type: 'tips', content: 'ok' } } };
    expect(validateFlow(fixed)).toEqual(['nodes.product refers to missing node "nowhere"']);
    expect(validateFlow(null)).toEqual(['flow must be an object']);
    expect(validateFlow({ ...DEFAULT_FLOW, startNode: 'nope' })).toContain(
      'startNode must name a node',
    );
  });

  it('merges a partial override key by key', () => {
    const merged = mergeFlow(DEFAULT_FLOW, {
      texts: { fallback: '没听懂' },
      nodes: { notice: { type: 'tips', content: '今天休息' } },
    });
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.value.texts.fallback).toBe('没听懂');
    expect(merged.value.texts.queuing).toBe(DEFAULT_FLOW.texts.queuing);
    expect(merged.value.nodes.product).toBe(DEFAULT_FLOW.nodes.product);
    expect(mergeFlow(DEFAULT_FLOW, [1]).ok).toBe(false);
  });

  it('loads a JSON file, and reports unreadable or invalid ones', () => {
    const good = join(dir, 'good.json');
    writeFileSync(
      good,
      JSON.stringify({ texts: { fallback: { zh: '请换个说法', en: 'Say again?' } } }),
    );
    const loaded = loadFlowFile(good, DEFAULT_FLOW);
    expect(loaded.ok && localize(loaded.value.texts.fallback, 'en')).toBe('Say again?');

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    expect(loadFlowFile(bad, DEFAULT_FLOW)).toMatchObject({
      ok: false,
      error: [expect.stringMatching(/not JSON/)],
    });
    expect(loadFlowFile(join(dir, 'missing.json'), DEFAULT_FLOW)).toMatchObject({ ok: false });
  });

  it('drives the engine with an overridden flow', () => {
    const merged = mergeFlow(DEFAULT_FLOW, { texts: { fallback: '没听懂' } });
    if (!merged.ok) throw new Error(merged.error.join('; '));
    const backend = new FakeBackend();
    const service = createTcccService(backend, { flow: merged.value });
    backend.userText('u1', '???');
    const sent = backend.take('u1');
    expect(kinds(sent)).toEqual(['text', '15']);
    expect(sent[0].text).toBe('没听懂');
    service.close();
  });

  it('fills placeholders and localizes with a zh fallback', () => {
    expect(fill('前面 {ahead} 人，{missing}', { ahead: 2 })).toBe('前面 2 人，{missing}');
    expect(localize({ zh: '中' }, 'en')).toBe('中');
    expect(localize('same', 'en')).toBe('same');
  });
});

describe('tcccOptionsFromEnv', () => {
  it('reads switches and numbers', () => {
    const result = tcccOptionsFromEnv({
      TCCC_AUTO_ACCEPT: '1',
      TCCC_AGENTS_ONLINE: 'false',
      TCCC_OFF_HOURS: 'yes',
      TCCC_RATING_STYLE: 'number',
      TCCC_QUEUE_AHEAD: '3',
      TCCC_SESSION_TIMEOUT_MS: '0',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        autoAccept: true,
        agentsOnline: false,
        offHours: true,
        ratingStyle: 'number',
        queueAhead: 3,
        sessionTimeoutMs: 0,
      },
    });
    expect(tcccOptionsFromEnv({})).toEqual({ ok: true, value: {} });
  });

  it('reports bad values instead of throwing', () => {
    const result = tcccOptionsFromEnv({
      TCCC_RATING_STYLE: 'emoji',
      TCCC_QUEUE_DELAY_MS: '-5',
      TCCC_FLOW_FILE: join(dir, 'absent.json'),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toHaveLength(3);
  });
});

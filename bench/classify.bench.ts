/**
 * Classifies 100,000 mixed messages (every protocol fixture, text with and without cloudCustomData,
 * images, foreign custom messages, broken payloads) and prints messages per second, plus how many
 * times JSON.parse ran per message. Exits non-zero if any `payload.data` was parsed more than once.
 *
 * Then, side by side on the same corpus, one `classifyWithVisibility` (kind and visibility, one
 * parse) against the Tencent plugin's three checks (`bench/classify-side-by-side.ts`, bundled with
 * esbuild so both sides run as the mini-program runs them); exits non-zero below 2x.
 */
import { buildSync } from 'esbuild';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { classifyMessage, isMessageInvisible, previewText } from '../miniprogram/core/tccc';
import type { SideBySide } from './classify-side-by-side';

const MESSAGES = 100_000;
const RUNS = 5;
const FIXTURES = join(__dirname, '../test/fixtures/tccc');

function custom(data: string, cloudCustomData = ''): Record<string, unknown> {
  return {
    type: 'TIMCustomElem',
    payload: { data, description: '', extension: '' },
    cloudCustomData,
  };
}

function templates(): Record<string, unknown>[] {
  const protocol = readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.stringify(JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'))));
  const image = {
    type: 'TIMImageElem',
    payload: {
      imageInfoArray: [1, 2, 3].map((sizeType) => ({
        sizeType,
        type: sizeType - 1,
        width: 720,
        height: 540,
        url: `http://127.0.0.1/files/p.jpg?s=${sizeType}`,
      })),
    },
    cloudCustomData: '',
  };
  return [
    ...protocol.map((data) => custom(data)),
    ...protocol.slice(0, 8).map((data) => custom(data, '{"messageType":"aiReply","role":"robot"}')),
    ...Array.from({ length: 12 }, (_, i) => ({
      type: 'TIMTextElem',
      payload: { text: `您好，这是第 ${i} 条消息。您前面还有 ${i} 人。` },
      cloudCustomData: i % 2 === 0 ? '{"messageType":"queuing","role":"robot"}' : '',
    })),
    image,
    custom('{"businessID":"order","orderId":"1"}'),
    custom('not json at all'),
    custom('{"src":"15",'),
  ];
}

/**
 * Messages built as the SDK builds them: every one with the same fields in the same order (its
 * `Message` class), not by spreading a template, which leaves V8 with objects whose every property
 * read is several times slower and would measure the corpus, not the code.
 */
function buildMessages(): Record<string, unknown>[] {
  const pool = templates();
  return Array.from({ length: MESSAGES }, (_, i) => {
    const template = pool[i % pool.length];
    return {
      ID: `m-${i}`,
      type: template.type,
      payload: template.payload,
      cloudCustomData: template.cloudCustomData,
      flow: i % 3 === 0 ? 'out' : 'in',
      from: '@customer_service_account',
      time: 1_700_000_000 + i,
      isRevoked: i % 997 === 0,
    };
  });
}

function run(messages: readonly Record<string, unknown>[]): number {
  let visible = 0;
  const started = process.hrtime.bigint();
  for (const message of messages) {
    const classified = classifyMessage(message);
    if (!isMessageInvisible(classified)) {
      visible += 1;
      previewText(classified);
    }
  }
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (visible === 0) throw new Error('nothing visible: the bench input is broken');
  return elapsedMs;
}

/** One untimed pass with JSON.parse wrapped, counting calls overall and per payload string. */
function countParses(messages: readonly Record<string, unknown>[]): {
  total: number;
  worstPerData: number;
} {
  const original = JSON.parse;
  let total = 0;
  let worstPerData = 0;
  let current: unknown;
  let dataParses = 0;
  JSON.parse = ((text: string, reviver?: (key: string, value: unknown) => unknown) => {
    total += 1;
    if (text === current) dataParses += 1;
    return original(text, reviver);
  }) as typeof JSON.parse;
  try {
    for (const message of messages) {
      current = (message.payload as { data?: unknown }).data;
      dataParses = 0;
      const classified = classifyMessage(message);
      isMessageInvisible(classified);
      previewText(classified);
      worstPerData = Math.max(worstPerData, dataParses);
    }
  } finally {
    JSON.parse = original;
  }
  return { total, worstPerData };
}

const TARGET_RATIO = 2;

/** `classify-side-by-side.ts` bundled into one CommonJS function, loaded in this process. */
function loadSideBySide(): (
  messages: readonly Record<string, unknown>[],
  runs: number,
) => SideBySide {
  const bundle = buildSync({
    entryPoints: [join(__dirname, 'classify-side-by-side.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'error',
  });
  const module = { exports: {} as { sideBySide?: unknown } };
  // Our own bundle, built just above.
  new Function('module', 'exports', bundle.outputFiles[0].text)(module, module.exports);
  return module.exports.sideBySide as (
    messages: readonly Record<string, unknown>[],
    runs: number,
  ) => SideBySide;
}

function main(): void {
  const messages = buildMessages();
  run(messages); // warm-up
  const times = Array.from({ length: RUNS }, () => run(messages)).sort((a, b) => a - b);
  const median = times[Math.floor(RUNS / 2)];
  const parses = countParses(messages);
  console.log(`classify: ${MESSAGES} mixed messages, ${RUNS} runs after warm-up`);
  console.log(
    `  median ${median.toFixed(1)} ms (best ${times[0].toFixed(1)} ms, worst ${times[RUNS - 1].toFixed(1)} ms)`,
  );
  console.log(
    `  ${Math.round(MESSAGES / (median / 1000)).toLocaleString('en-US')} messages/second`,
  );
  console.log(
    `  JSON.parse calls per message: ${(parses.total / MESSAGES).toFixed(3)} (payload.data + cloudCustomData)`,
  );
  console.log(`  most parses of one payload.data: ${parses.worstPerData}`);
  if (parses.worstPerData > 1) {
    console.error('FAIL: a payload.data was parsed more than once');
    process.exitCode = 1;
  }
  const side = loadSideBySide()(messages, RUNS);
  const ratio = side.pluginUs / side.oursUs;
  console.log('side by side (esbuild bundle, best of runs):');
  console.log(`  classifyWithVisibility: ${side.oursUs.toFixed(2)} µs/message`);
  console.log(
    `  plugin isMessageInvisible + isCustomerServiceMessage + isMessageRating: ${side.pluginUs.toFixed(2)} µs/message`,
  );
  console.log(`  ratio ${ratio.toFixed(2)}x (target >= ${TARGET_RATIO}x)`);
  console.log(`  visible: ours ${side.oursVisible}, plugin ${side.pluginVisible}`);
  if (ratio < TARGET_RATIO) {
    console.error(`FAIL: classifyWithVisibility is not ${TARGET_RATIO}x faster than the plugin`);
    process.exitCode = 1;
  }
}

main();

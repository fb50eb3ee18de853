/**
 * Load on the simulated Chat backend: 200 concurrent wire-protocol clients (raw websockets speaking
 * the SDK's frames, so the figures measure the simulator, not 200 SDK instances) in a closed loop,
 * plus a few real SDK clients alongside. Everything runs in this one process on loopback.
 *
 *   npx tsx bench/simulator.bench.ts            (about 25 s; hard limit 60 s)
 *   BENCH_CLIENTS=50 BENCH_SECONDS=5 npx tsx bench/simulator.bench.ts
 *   BENCH_PERSIST=1 npx tsx bench/simulator.bench.ts   (with SIMULATOR_DATA: the journal's cost)
 *
 * The HTTP phase measures what the HTTP layer carries, each in a closed loop over keep-alive sockets
 * (BENCH_HTTP_CLIENTS at a time): the admin REST `sendmsg` (a login server's load), the agent console's
 * API (session list, transcript, reply) and a file download (an uploaded image).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

import { type RunningSimulator, startSimulator } from '../simulator';
import { createSdkClient } from '../test/support/real-sdk';
import {
  type Json,
  type WireClient,
  connectWire,
  pushedMessage,
} from '../test/support/wire-client';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SDK_CLIENTS = Number(process.env.BENCH_SDK_CLIENTS ?? 4);
const SDK_MESSAGES = 20;
const HTTP_CLIENTS = Number(process.env.BENCH_HTTP_CLIENTS ?? 32);
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 3);
const FILE_BYTES = 256 * 1024;
const HARD_LIMIT_MS = 58_000;

const hardStop = setTimeout(() => {
  console.error('benchmark exceeded its time limit; aborting');
  process.exit(1);
}, HARD_LIMIT_MS);
hardStop.unref();

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(name: string, samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const f = (x: number): string => x.toFixed(2).padStart(8);
  return `${name.padEnd(34)} n=${String(s.length).padStart(6)}  p50 ${f(percentile(s, 50))} ms  p95 ${f(percentile(s, 95))} ms  p99 ${f(percentile(s, 99))} ms  max ${f(s[s.length - 1] ?? NaN)} ms`;
}

const text = (t: string): Json[] => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];

async function rawPhase(sim: RunningSimulator): Promise<void> {
  const users = Array.from({ length: CLIENTS }, (_, i) => `bench-${i}`);
  const t0 = performance.now();
  const clients: WireClient[] = await Promise.all(users.map(() => connectWire(sim.wsUrl)));
  const loginTimes: number[] = [];
  await Promise.all(
    clients.map(async (c, i) => {
      const start = performance.now();
      const r = await c.login(users[i], sim.genUserSig(users[i]), sim.sdkAppID);
      if (r.ErrorCode !== 0) throw new Error(`login ${users[i]}: ${JSON.stringify(r)}`);
      loginTimes.push(performance.now() - start);
    }),
  );
  const connectAll = performance.now() - t0;

  // Delivery latency: sender stamps the text, the receiver's push handler measures.
  const deliveries: number[] = [];
  clients.forEach((c) =>
    c.ws.on('message', (data: Buffer) => {
      const s = data.toString('utf8');
      if (!s.includes('C2cMsgArray')) return;
      const frame = JSON.parse(s) as { body: Json };
      const m = pushedMessage(frame.body);
      const body = m?.MsgBody as { MsgContent: { Text: string } }[] | undefined;
      const stamp = Number(body?.[0]?.MsgContent.Text.split(':')[1]);
      if (Number.isFinite(stamp)) deliveries.push(performance.now() - stamp);
    }),
  );

  const rtts: number[] = [];
  let sent = 0;
  let failed = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const cpuBefore = process.cpuUsage();
  const runStart = performance.now();
  await Promise.all(
    clients.map(async (c, i) => {
      const peer = users[(i + 1) % users.length];
      let seq = 1;
      while (performance.now() < deadline) {
        const start = performance.now();
        const r = await c.request(
          'openim.sendmsg',
          {
            To_Account: peer,
            MsgSeq: seq++,
            MsgRandom: Math.floor(Math.random() * 2 ** 31),
            MsgClientTime: Math.floor(Date.now() / 1000),
            MsgBody: text(`t:${start}`),
            CloudCustomData: '',
          },
          {},
          15_000,
        );
        rtts.push(performance.now() - start);
        if (r.ErrorCode === 0) sent++;
        else failed++;
      }
    }),
  );
  const elapsed = (performance.now() - runStart) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await new Promise((r) => setTimeout(r, 200)); // let the last pushes land

  // Reads under load: one history page per client.
  const historyTimes: number[] = [];
  await Promise.all(
    clients.map(async (c, i) => {
      const start = performance.now();
      await c.request('openim.getroammsg', {
        Peer_Account: users[(i + users.length - 1) % users.length],
        MaxCnt: 15,
        LastMsgTime: 0,
        MsgKey: '',
      });
      historyTimes.push(performance.now() - start);
    }),
  );

  console.info(
    `\n== ${CLIENTS} wire-protocol clients, closed loop for ${SECONDS} s (one message in flight per client)`,
  );
  console.info(`connect + login of all clients       ${connectAll.toFixed(0)} ms`);
  console.info(summary('wslogin round trip', loginTimes));
  console.info(`messages sent (acknowledged)         ${sent}  (${failed} refused)`);
  console.info(`throughput                           ${(sent / elapsed).toFixed(0)} messages/s`);
  console.info(
    `process CPU during the loop          ${(((cpu.user + cpu.system) / 1000 / (elapsed * 1000)) * 100).toFixed(0)} % of one core (clients + server)`,
  );
  console.info(summary('sendmsg round trip (ack)', rtts));
  console.info(summary('delivery (send → peer push)', deliveries));
  console.info(summary('history page (15) after the load', historyTimes));
  console.info(
    `stored messages                      ${sim.backend.store.maxId()}, malformed frames ${sim.backend.counters.malformed}`,
  );

  await Promise.all(clients.map((c) => c.close()));
}

interface HttpAnswer {
  status: number;
  bytes: number;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: HTTP_CLIENTS * 2 });

function httpCall(
  url: string,
  method: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes <= 64 * 1024) chunks.push(c);
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          bytes,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.setTimeout(15_000, () => req.destroy(new Error(`timeout: ${method} ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `call` in HTTP_CLIENTS parallel closed loops for HTTP_SECONDS; reports rate and latency. */
async function loop(
  name: string,
  call: (client: number, n: number) => Promise<boolean>,
  unit = 'requests',
): Promise<void> {
  const times: number[] = [];
  let ok = 0;
  let failed = 0;
  const deadline = performance.now() + HTTP_SECONDS * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: HTTP_CLIENTS }, async (_, client) => {
      for (let n = 0; performance.now() < deadline; n++) {
        const t = performance.now();
        if (await call(client, n)) ok++;
        else failed++;
        times.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  console.info(
    `${name.padEnd(34)} ${(ok / elapsed).toFixed(0).padStart(6)} ${unit}/s  (${failed} failed)`,
  );
  console.info(summary(`  ${name} latency`, times));
}

async function httpPhase(sim: RunningSimulator): Promise<void> {
  const rest = (command: string): string => {
    const query = new URLSearchParams({
      sdkappid: String(sim.sdkAppID),
      identifier: sim.adminUserID,
      usersig: sim.genUserSig(sim.adminUserID),
      random: '1',
      contenttype: 'json',
    });
    return `${sim.httpUrl}/v4/${command}?${query.toString()}`;
  };
  const json = { 'content-type': 'application/json' };
  const users = Array.from({ length: HTTP_CLIENTS }, (_, i) => `http-bench-${i}`);
  const imported = await httpCall(
    rest('im_open_login_svc/multiaccount_import'),
    'POST',
    Buffer.from(JSON.stringify({ Accounts: users })),
    json,
  );
  if (imported.status !== 200) throw new Error(`account import: ${imported.body}`);
  const sendUrl = rest('openim/sendmsg');
  console.info(
    `\n== HTTP, ${HTTP_CLIENTS} keep-alive clients in a closed loop, ${HTTP_SECONDS} s per kind`,
  );
  await loop(
    'REST openim/sendmsg',
    async (client, n) => {
      const answer = await httpCall(
        sendUrl,
        'POST',
        Buffer.from(
          JSON.stringify({
            From_Account: users[client],
            To_Account: users[(client + 1) % users.length],
            MsgRandom: n,
            MsgSeq: n + 1,
            MsgBody: text(`rest ${n}`),
          }),
        ),
        json,
      );
      return answer.status === 200 && answer.body.includes('"ErrorCode":0');
    },
    'messages',
  );

  // Agent console: users write to the service account, an agent accepts each and replies.
  const service = sim.serviceAccounts[0].userID;
  for (const user of users) {
    const answer = await httpCall(
      sendUrl,
      'POST',
      Buffer.from(
        JSON.stringify({
          From_Account: user,
          To_Account: service,
          MsgRandom: 1,
          MsgBody: text('人工'),
        }),
      ),
      json,
    );
    if (!answer.body.includes('"ErrorCode":0')) throw new Error(`to service: ${answer.body}`);
  }
  for (const user of users) {
    const accepted = await httpCall(
      `${sim.httpUrl}/api/agent/accept`,
      'POST',
      Buffer.from(JSON.stringify({ userID: user })),
      json,
    );
    if (accepted.status !== 200) throw new Error(`accept ${user}: ${accepted.body}`);
  }
  await loop('console GET /api/agent/sessions', async () => {
    const answer = await httpCall(`${sim.httpUrl}/api/agent/sessions`, 'GET');
    return answer.status === 200;
  });
  await loop('console GET /api/agent/transcript', async (client) => {
    const answer = await httpCall(
      `${sim.httpUrl}/api/agent/transcript?userID=${users[client]}`,
      'GET',
    );
    return answer.status === 200;
  });
  await loop('console POST /api/agent/reply', async (client, n) => {
    const answer = await httpCall(
      `${sim.httpUrl}/api/agent/reply`,
      'POST',
      Buffer.from(JSON.stringify({ userID: users[client], text: `reply ${n}` })),
      json,
    );
    return answer.status === 200;
  });

  // A 256 KB image, uploaded once the way wx.uploadFile sends it, then downloaded.
  const ticket = sim.backend.files.issue('bench.png');
  const boundary = 'bench-boundary';
  const upload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.png"\r\n` +
        'Content-Type: image/png\r\n\r\n',
    ),
    Buffer.alloc(FILE_BYTES, 7),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const uploaded = await httpCall(ticket.uploadUrl, 'POST', upload, {
    'content-type': `multipart/form-data; boundary=${boundary}`,
  });
  if (uploaded.status !== 200) throw new Error(`upload: ${uploaded.status} ${uploaded.body}`);
  await loop(
    `GET /files/ (${FILE_BYTES / 1024} KB)`,
    async () => {
      const answer = await httpCall(ticket.downloadUrl, 'GET');
      return answer.status === 200 && answer.bytes === FILE_BYTES;
    },
    'downloads',
  );
}

async function sdkPhase(sim: RunningSimulator): Promise<void> {
  if (SDK_CLIENTS <= 0) return;
  const loginTimes: number[] = [];
  const sendTimes: number[] = [];
  const clients = Array.from({ length: SDK_CLIENTS }, (_, i) =>
    createSdkClient({ simulator: sim, userID: `sdk-bench-${i}` }),
  );
  try {
    await Promise.all(
      clients.map(async (c) => {
        const start = performance.now();
        await c.login();
        loginTimes.push(performance.now() - start);
      }),
    );
    await Promise.all(
      clients.map(async (c, i) => {
        for (let k = 0; k < SDK_MESSAGES; k++) {
          const msg = c.chat.createTextMessage({
            to: `sdk-bench-${(i + 1) % clients.length}`,
            conversationType: c.TencentCloudChat.TYPES.CONV_C2C,
            payload: { text: `sdk ${k}` },
          });
          const start = performance.now();
          await c.chat.sendMessage(msg);
          sendTimes.push(performance.now() - start);
        }
      }),
    );
  } finally {
    for (const c of clients) await c.destroy();
  }
  console.info(
    `\n== ${SDK_CLIENTS} real @tencentcloud/chat clients (login, then ${SDK_MESSAGES} sends each)`,
  );
  console.info(summary('login() → SDK_READY', loginTimes));
  console.info(summary('sendMessage() resolved', sendTimes));
}

async function main(): Promise<void> {
  const dataDir = process.env.BENCH_PERSIST ? mkdtempSync(join(tmpdir(), 'sim-bench-')) : undefined;
  if (dataDir) console.info(`persistence on (journal + snapshot in ${dataDir})`);
  const sim = await startSimulator({
    port: 0,
    quiet: true,
    service: false,
    env: false,
    ...(dataDir ? { persistFile: join(dataDir, 'chat.json') } : {}),
  });
  const started = performance.now();
  // The HTTP phase needs the agent console, so it runs on a simulator with the TCCC service.
  const withService = await startSimulator({ port: 0, quiet: true, env: false });
  try {
    await rawPhase(sim);
    await sdkPhase(sim);
    await httpPhase(withService);
  } finally {
    agent.destroy();
    await withService.close();
    await sim.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  console.info(
    `\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s, Node ${process.version}`,
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);

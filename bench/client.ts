/**
 * `npm run bench -- client`: the Stability client against the Sandbox (in a child process, zero
 * added latency).
 *
 * 1. Peak memory of this process while the client uploads a 10 MB image (target: under 2x the file).
 * 2. 200 text-to-image requests through the client, interleaved with 200 bare undici requests
 *    carrying the same multipart body and headers: median time per request for each, and the
 *    client's overhead (target: within 10%), the median of paired differences, and the CPU time
 *    spent in this process (the Sandbox runs in a child, so this is the client's own work).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import sharp from 'sharp';
import { Agent, FormData, request } from 'undici';
import { SANDBOX_API_KEY, startSandbox } from '../electron/core/sandbox';
import { createStabilityClient } from '../electron/core/stability';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);

async function serveSandbox(): Promise<void> {
  const sandbox = await startSandbox({
    faults: {},
    startingCredits: 1e9,
    rateLimit: { requests: 1e9, windowMs: 10_000, lockoutMs: 1 },
  });
  process.stdout.write(`${sandbox.url}\n`);
  process.on('SIGTERM', () => {
    void sandbox.close().then(() => process.exit(0));
  });
}

async function sandboxInChild(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [process.argv[1] ?? '', '--serve-sandbox'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ATELIER_SANDBOX_FAULTS: '' },
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    if (line.startsWith('http://')) return { url: line.trim(), child };
  }
  throw new Error('The Sandbox did not start.');
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

async function overhead(url: string): Promise<void> {
  const params = { prompt: 'a lighthouse at dusk', seed: 1234, output_format: 'jpeg' } as const;
  const client = createStabilityClient({ baseUrl: url, apiKey: SANDBOX_API_KEY });
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const bare = async (): Promise<number> => {
    const form = new FormData();
    form.append('prompt', params.prompt);
    form.append('seed', String(params.seed));
    form.append('output_format', params.output_format);
    const response = await request(`${url}/v2beta/stable-image/generate/core`, {
      method: 'POST',
      dispatcher: agent,
      headers: {
        authorization: `Bearer ${SANDBOX_API_KEY}`,
        accept: 'image/*',
        'stability-client-id': 'atelier',
        'stability-client-version': 'bench',
      },
      body: form,
    });
    const bytes = await response.body.arrayBuffer();
    if (response.statusCode !== 200) throw new Error(`bare request: ${response.statusCode}`);
    return bytes.byteLength;
  };
  // The floor: the same bytes, prebuilt once, no multipart encoding at all.
  const prebuiltForm = new globalThis.FormData();
  prebuiltForm.append('prompt', params.prompt);
  prebuiltForm.append('seed', String(params.seed));
  prebuiltForm.append('output_format', params.output_format);
  const prebuilt = new Response(prebuiltForm);
  const prebuiltType = prebuilt.headers.get('content-type') ?? '';
  const prebuiltBody = Buffer.from(await prebuilt.arrayBuffer());
  const floor = async (): Promise<number> => {
    const response = await request(`${url}/v2beta/stable-image/generate/core`, {
      method: 'POST',
      dispatcher: agent,
      headers: {
        authorization: `Bearer ${SANDBOX_API_KEY}`,
        accept: 'image/*',
        'content-type': prebuiltType,
      },
      body: prebuiltBody,
    });
    const bytes = await response.body.arrayBuffer();
    if (response.statusCode !== 200) throw new Error(`floor request: ${response.statusCode}`);
    return bytes.byteLength;
  };
  const viaClient = async (): Promise<number> => {
    const result = await client.send('generate.core', params);
    return result.bytes.byteLength;
  };
  // Warm up both paths (connections, JIT, the Sandbox's render cache).
  for (let i = 0; i < 10; i++) {
    await bare();
    await viaClient();
    await floor();
  }
  const clientTimes: number[] = [];
  const bareTimes: number[] = [];
  const clientCpu: number[] = [];
  const bareCpu: number[] = [];
  const floorTimes: number[] = [];
  let size = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const order = i % 2 === 0 ? [viaClient, bare] : [bare, viaClient];
    for (const fn of order) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      size = await fn();
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      (fn === bare ? bareTimes : clientTimes).push(ms);
      (fn === bare ? bareCpu : clientCpu).push((cpu.user + cpu.system) / 1000);
    }
    const t0 = performance.now();
    await floor();
    floorTimes.push(performance.now() - t0);
  }
  const c = median(clientTimes);
  const b = median(bareTimes);
  const pct = ((c - b) / b) * 100;
  const paired = median(clientTimes.map((t, i) => t - (bareTimes[i] ?? 0)));
  const cc = median(clientCpu);
  const bc = median(bareCpu);
  console.log(`text-to-image, ${REQUESTS} requests each, answer ${(size / 1024).toFixed(0)} KiB:`);
  console.log(`  bare undici request   median ${b.toFixed(2)} ms (undici FormData body)`);
  console.log(
    `  bare, prebuilt body   median ${median(floorTimes).toFixed(2)} ms (no encoding: the floor)`,
  );
  console.log(`  Atelier client        median ${c.toFixed(2)} ms`);
  console.log(
    `  client overhead       ${(c - b).toFixed(2)} ms per request (${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%; target within 10%: ${pct <= 10 ? 'met' : 'NOT met'})`,
  );
  console.log(`  paired difference     median ${paired.toFixed(2)} ms`);
  console.log(
    `  CPU in this process   median ${bc.toFixed(2)} ms bare, ${cc.toFixed(2)} ms client (${cc - bc >= 0 ? '+' : ''}${(cc - bc).toFixed(2)} ms)`,
  );
  await client.close();
  await agent.close();
}

/** Writes a ~10 MB PNG of noise (in a child process, so the measuring process never holds it). */
async function makeImage(file: string): Promise<void> {
  const side = 1820;
  const noise = Buffer.alloc(side * side * 3);
  let x = 12345;
  for (let i = 0; i < noise.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    noise[i] = x >>> 24;
  }
  await sharp(noise, { raw: { width: side, height: side, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toFile(file);
}

async function uploadMemory(url: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-bench-'));
  try {
    const file = join(dir, 'ten-megabytes.png');
    const maker = spawn(process.execPath, [process.argv[1] ?? '', '--make-image', file], {
      stdio: 'inherit',
    });
    await new Promise((resolve) => maker.on('exit', resolve));
    const fileSize = statSync(file).size;
    const client = createStabilityClient({ baseUrl: url, apiKey: SANDBOX_API_KEY });
    // Warm the connection, the upload path and libvips (its threads are made once) first.
    await client.balance();
    await client.send('generate.sd3', {
      prompt: 'warm up',
      mode: 'image-to-image',
      image: {
        bytes: await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } })
          .png()
          .toBuffer(),
      },
      strength: 0.4,
      output_format: 'jpeg',
    });
    sharp.cache(false);
    global.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed + before.external + before.arrayBuffers;
    const sample = (): void => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed + m.external + m.arrayBuffers);
    };
    const timer = setInterval(sample, 2);
    const result = await client.send('generate.sd3', {
      prompt: 'a bigger picture',
      mode: 'image-to-image',
      image: { path: file },
      strength: 0.4,
      output_format: 'jpeg',
    });
    sample();
    clearInterval(timer);
    const rssGrowth = peakRss - before.rss;
    const jsGrowth = peakHeap - (before.heapUsed + before.external + before.arrayBuffers);
    const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
    console.log(`upload of a ${mb(fileSize)} image (answer ${mb(result.bytes.byteLength)}):`);
    console.log(
      `  peak RSS growth        ${mb(rssGrowth)} (${(rssGrowth / fileSize).toFixed(2)}x the file; target under 2x: ${rssGrowth < 2 * fileSize ? 'met' : 'NOT met'})`,
    );
    console.log(`  peak JS heap+buffers   ${mb(jsGrowth)} (${(jsGrowth / fileSize).toFixed(2)}x)`);
    await client.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--serve-sandbox')) {
  await serveSandbox();
} else if (process.argv.includes('--make-image')) {
  await makeImage(process.argv[process.argv.indexOf('--make-image') + 1] ?? '');
} else {
  const { url, child } = await sandboxInChild();
  try {
    // Memory first: a fresh process, so freed pages of the other run do not hide growth.
    await uploadMemory(url);
    await overhead(url);
  } finally {
    child.kill('SIGTERM');
  }
}

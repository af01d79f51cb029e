/**
 * The browser shell as a person runs it: the real cli bundled the way build/scripts/bundle.mjs
 * does (esbuild, ESM, packages external), placed as <tmp>/electron/web/cli.js next to a tiny
 * <tmp>/renderer, and spawned with Node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFile, mkdir, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { WS_PATH } from '../../shared/transport';
import { connect, exchangeCode, get, makeRendererDir } from './helpers';

const LINE = /^Atelier is running at http:\/\/127\.0\.0\.1:(\d+)\/#code=([A-Za-z0-9_-]{43})$/;
const repo = path.resolve(import.meta.dirname, '../..');
let root: string;
let cli: string;

beforeAll(async () => {
  ({ root } = await makeRendererDir());
  cli = path.join(root, 'electron', 'web', 'cli.js');
  await build({
    absWorkingDir: repo,
    entryPoints: { 'web/cli': 'electron/web/cli.ts' },
    outdir: path.join(root, 'electron'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
    define: { __ATELIER_VERSION__: JSON.stringify('7.7.7-test') },
    banner: {
      js: "import { createRequire as __atelierCreateRequire } from 'node:module'; const require = __atelierCreateRequire(import.meta.url);",
    },
  });
  // Packages stay external, as in the real bundle: let the bundle find the repo's node_modules.
  await symlink(path.join(repo, 'node_modules'), path.join(root, 'node_modules'), 'dir');
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Run {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[], env: Record<string, string> = {}, script = cli): Run {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, ATELIER_DATA_DIR: path.join(root, 'data'), ...env },
    stdio: 'pipe',
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function firstLine(r: Run): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const at = r.stdout().indexOf('\n');
    if (at >= 0) return r.stdout().slice(0, at);
    if (r.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no line on stdout; stderr: ${r.stderr()}`);
}

describe('atelier browser shell cli', () => {
  it('prints exactly one line, serves the page, and exits 0 on SIGTERM', async () => {
    const r = run(['--no-open', '--port', '0', '--library', path.join(root, 'lib')]);
    const line = await firstLine(r);
    const match = LINE.exec(line);
    expect(match, line).not.toBeNull();
    const port = Number(match?.[1]);
    const code = match?.[2] ?? '';
    const res = await get(port, '/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Atelier test</title>');
    expect((await get(port, '/', { origin: 'http://evil.example' })).status).toBe(403);
    const exchanged = await exchangeCode(port, code);
    expect(exchanged.status).toBe(200);
    const { token } = JSON.parse(exchanged.body) as { token: string };
    expect(line).not.toContain(token);
    expect((await exchangeCode(port, code)).status).toBe(401);
    const socket = await connect(`ws://127.0.0.1:${port}${WS_PATH}`, {
      origin: `http://127.0.0.1:${port}`,
      protocols: ['atelier', `atelier.token.${token}`],
    });
    expect(socket.kind).toBe('open');
    if (socket.kind === 'open') {
      expect(await socket.socket.call(1, 'app.info', {})).toMatchObject({
        result: { ok: true, value: { shell: 'browser', version: '7.7.7-test' } },
      });
    }
    r.child.kill('SIGTERM');
    expect(await r.exit).toEqual({ code: 0, signal: null });
    expect(r.stdout()).toBe(`${line}\n`);
  });

  it('exits 0 on SIGINT too, and uses a new code each start', async () => {
    const first = run(['--no-open']);
    const second = run(['--no-open']);
    const [a, b] = await Promise.all([firstLine(first), firstLine(second)]);
    expect(LINE.exec(a)?.[2]).not.toBe(LINE.exec(b)?.[2]);
    first.child.kill('SIGINT');
    second.child.kill('SIGINT');
    expect((await first.exit).code).toBe(0);
    expect((await second.exit).code).toBe(0);
  });

  it('listens on the --port asked for', async () => {
    const port = await freePort();
    const r = run(['--no-open', `--port=${port}`]);
    expect(LINE.exec(await firstLine(r))?.[1]).toBe(String(port));
    r.child.kill('SIGTERM');
    expect((await r.exit).code).toBe(0);
  });

  it('says so in one sentence when the port is taken, and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const r = run(['--no-open', '--port', String(port)]);
      expect((await r.exit).code).toBe(1);
      expect(r.stdout()).toBe('');
      expect(r.stderr()).toContain(`Port ${port} is already in use.`);
    } finally {
      blocker.close();
    }
  });

  it('answers bad arguments with one sentence and the usage, exit 2', async () => {
    const r = run(['--port', 'abc']);
    expect((await r.exit).code).toBe(2);
    expect(r.stdout()).toBe('');
    expect(r.stderr()).toMatch(
      /^--port must be a whole number from 0 to 65535, not "abc"\.\n\nUsage: /,
    );
  });

  it('prints the usage on --help, exit 0', async () => {
    const r = run(['--help']);
    expect((await r.exit).code).toBe(0);
    expect(r.stdout()).toMatch(/^Usage: npm run serve -- \[--port N\]/);
  });

  it('says what to do when the page is not built', async () => {
    const lonely = path.join(root, 'lonely', 'electron', 'web');
    await mkdir(lonely, { recursive: true });
    const copy = path.join(lonely, 'cli.js');
    await copyFile(cli, copy);
    await symlink(
      path.join(repo, 'node_modules'),
      path.join(root, 'lonely', 'node_modules'),
      'dir',
    );
    const r = run(['--no-open'], {}, copy);
    expect((await r.exit).code).toBe(1);
    expect(r.stdout()).toBe('');
    expect(r.stderr()).toMatch(/page is not built yet .*Run "npm run build", then try again\./);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

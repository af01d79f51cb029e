/**
 * The boundary under fire: 10,000 malformed payloads through the real dispatch of a real host (temp
 * data and library folders, a memory vault, the in-process Sandbox). Random and real call names,
 * prototype names, wrong types, huge strings, deep objects, prototype-pollution keys, NaN/Infinity,
 * arrays for objects, null, very long arrays, structured-clone oddities, and real ids taken from
 * earlier answers so that payloads reach the handlers too. A payload that happens to be valid runs
 * (a valid jobs.add goes to the Sandbox, whose credits run out early on purpose).
 *
 * Every payload must get an answer of the CallResult shape; no exception may leave dispatch and no
 * promise may be left rejected; an error answer is one plain sentence with no stack trace.
 *
 * Reproduce a failure with its seed: ATELIER_FUZZ_SEED=<seed> npx vitest run tests/core/rpc/fuzz.test.ts
 * (ATELIER_FUZZ_COUNT=<n> for another count). Payload i is made from the seed and i alone; only the
 * ids reused from earlier answers depend on the order in which calls finished.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CallResult, calls } from '../../../shared/api';
import { createHost, type Host } from '../../../electron/core/host';
import { createMemoryVault } from '../../../electron/core/vault';
import { random as mulberry32 } from '../../../electron/core/sandbox/images';

const SEED = Number(process.env.ATELIER_FUZZ_SEED ?? 20261204);
const COUNT = Number(process.env.ATELIER_FUZZ_COUNT ?? 10_000);
/** Payloads in flight at once (a slow call must not hold up the rest). */
const IN_FLIGHT = 16;
/** A call with no answer after this long counts as a hang. */
const ANSWER_WITHIN_MS = 30_000;
/** Largest error answer accepted, as JSON: an answer must not echo a huge payload back. */
const MAX_ERROR_ANSWER_CHARS = 16 * 1024;

// ---------------------------------------------------------------------------------------------
// A seeded PRNG (the Sandbox's mulberry32): the same seed gives the same payloads.

type Rng = () => number;

const int = (rng: Rng, max: number) => Math.floor(rng() * max);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)] as T;
const chance = (rng: Rng, p: number) => rng() < p;

// ---------------------------------------------------------------------------------------------
// What the payloads are made of.

interface World {
  root: string;
  libraryDir: string;
  png: string;
  text: string;
  /** A FIFO named like a picture (a read that blocked on it would hang its worker); '' on Windows. */
  fifo: string;
  /** Ids and tokens seen in answers (uploads, jobs, library entries, undo tokens). */
  ids: string[];
  /** Library paths seen in answers. */
  paths: string[];
}

const CALL_NAMES = Object.keys(calls);
const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'isPrototypeOf',
];

function randomText(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) {
    const kind = int(rng, 10);
    const code =
      kind < 6
        ? 32 + int(rng, 95)
        : kind < 8
          ? int(rng, 0x2000)
          : kind < 9
            ? 0xd800 + int(rng, 0x800) // lone surrogates
            : int(rng, 32); // control characters, NUL included
    out += String.fromCharCode(code);
  }
  return out;
}

/**
 * The big values, built once each and shared by the payloads that use them (building a million-
 * element array 700 times would be most of the test's time; dispatch must not change its input).
 */
const built = new Map<string, unknown>();
function once<T>(key: string, build: () => T): T {
  if (!built.has(key)) built.set(key, build());
  return built.get(key) as T;
}

/** An object nested `depth` deep (built without recursion). */
function deep(depth: number, asArray: boolean): unknown {
  return once(`deep ${depth} ${asArray}`, () => {
    let value: unknown = asArray ? [] : {};
    for (let i = 0; i < depth; i += 1) value = asArray ? [value] : { a: value };
    return value;
  });
}

function hugeString(rng: Rng): string {
  const sizes = [4097, 20_001, 64 * 1024, 600 * 1024, 1024 * 1024, 5 * 1024 * 1024];
  // The biggest are rare: each is megabytes for zod to look at.
  const size = chance(rng, 0.9) ? pick(rng, sizes.slice(0, 4)) : pick(rng, sizes.slice(4));
  const unit = pick(rng, ['a', '/', '\u00e9', '💥', '\u0000', '../']);
  return once(`string ${unit} ${size}`, () => unit.repeat(size));
}

function strings(rng: Rng, world: World): string {
  const choices: (() => string)[] = [
    () => '',
    () => ' ',
    () => 'a',
    () => '\u0000',
    () => '\ud800',
    () => randomText(rng, 1 + int(rng, 200)),
    () => hugeString(rng),
    () => '../../../../etc/passwd',
    () => '..\\..\\..\\Windows\\win.ini',
    () => '/etc/passwd',
    () => '/dev/zero',
    () => world.fifo || '/dev/zero',
    () => path.join(world.root, 'missing', randomText(rng, 8).replace(/[^a-z]/gi, 'x')),
    () => world.png,
    () => world.text,
    () => world.root,
    () => world.libraryDir,
    () => 'C:\\Windows\\System32\\calc.exe',
    () => '\\\\attacker\\share\\x.png',
    () => 'file:///etc/passwd',
    () => 'http://127.0.0.1:9/',
    () => 'https://attacker.invalid/',
    () => 'javascript:alert(1)',
    () => '<img src=x onerror=alert(1)>',
    () => "'; DROP TABLE jobs; --",
    () => '%s%s%n%x',
    () => '${process.env.STABILITY_API_KEY}',
    () => `sk-${randomText(rng, 48).replace(/[^a-z0-9]/gi, 'Q')}`,
    () => pick(rng, CALL_NAMES),
    () => pick(rng, PROTOTYPE_NAMES),
    () => pick(rng, ['generate.core', 'upscale.creative', 'text-to-image', 'upscale', 'dark']),
    () => (world.ids.length > 0 ? pick(rng, world.ids) : 'x'),
    () => (world.paths.length > 0 ? pick(rng, world.paths) : 'a.png'),
  ];
  return pick(rng, choices)();
}

function numbers(rng: Rng): number {
  return pick(rng, [
    0,
    -0,
    -1,
    1,
    2,
    10,
    11,
    1.5,
    NaN,
    Infinity,
    -Infinity,
    2 ** 31,
    2 ** 53 + 2,
    -(2 ** 53),
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    1e308,
    int(rng, 100_000),
    64 * 1024 * 1024 + 1,
  ]);
}

/** A value of any kind that does not belong where it is put (and sometimes one that does). */
function hostile(rng: Rng, world: World, budget = 3): unknown {
  const kind = int(rng, 22);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return chance(rng, 0.5);
    case 3:
    case 4:
      return numbers(rng);
    case 5:
    case 6:
    case 7:
      return strings(rng, world);
    case 8:
      return {};
    case 9:
      return [];
    case 10:
      return deep(pick(rng, [10, 100, 1_000, 10_000, 100_000]), chance(rng, 0.5));
    case 11: {
      // A very long array.
      const length = pick(rng, [10_001, 100_000, 1_000_000]);
      const item = pick(rng, [1, 'x', null]);
      return once(`long ${length} ${String(item)}`, () => new Array<unknown>(length).fill(item));
    }
    case 12: {
      // A very wide object.
      const width = pick(rng, [100, 10_000, 50_000]);
      return once(`wide ${width}`, () => {
        const wide: Record<string, number> = {};
        for (let i = 0; i < width; i += 1) wide[`k${i}`] = i;
        return wide;
      });
    }
    case 13:
      // Own __proto__ / constructor keys, as JSON.parse (the browser shell) makes them.
      return JSON.parse(
        pick(rng, [
          '{"__proto__":{"polluted":true}}',
          '{"constructor":{"prototype":{"polluted":true}}}',
          '{"__proto__":{"__proto__":{"polluted":true}},"a":1}',
          '{"toString":"x","valueOf":1}',
          '{"hasOwnProperty":"x"}',
        ]),
      ) as unknown;
    case 14:
      return Object.create(null) as unknown;
    case 15:
      // What Electron's structured clone can carry besides JSON.
      return pick(rng, [
        new Date(NaN),
        new Map([['a', 1]]),
        new Set([1]),
        new Uint8Array(16),
        BigInt(2) ** BigInt(70),
        /x/g,
        new ArrayBuffer(8),
      ]);
    case 16:
    case 17:
      return budget > 0
        ? Array.from({ length: int(rng, 4) }, () => hostile(rng, world, budget - 1))
        : [];
    default: {
      if (budget <= 0) return {};
      const object: Record<string, unknown> = {};
      for (let i = int(rng, 4); i > 0; i -= 1) {
        object[chance(rng, 0.3) ? pick(rng, PROTOTYPE_NAMES) : randomText(rng, 1 + int(rng, 12))] =
          hostile(rng, world, budget - 1);
      }
      return object;
    }
  }
}

/** The fields a call's request names (from the contract itself), or none. */
function fieldsOf(call: string): string[] {
  const spec = (calls as Record<string, { request: unknown } | undefined>)[call];
  const shape = (spec?.request as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

/** A plausible value for a field, by its name, so that most of a mutated request still parses. */
function plausible(rng: Rng, world: World, field: string): unknown {
  const id = () => (world.ids.length > 0 && chance(rng, 0.7) ? pick(rng, world.ids) : 'nope');
  const side = () => ({
    source: pick(rng, [
      { kind: 'library', id: id() },
      { kind: 'input', id: id() },
      { kind: 'file', path: world.paths.length > 0 ? pick(rng, world.paths) : '../x.png' },
    ]),
    title: 'Side',
  });
  const byName: Record<string, () => unknown> = {
    id: id,
    token: id,
    input: id,
    ids: () => [id()],
    path: () =>
      pick(rng, [world.png, world.text, ...world.paths.slice(-3), 'a.png', '../escape.png']),
    to: () => path.join(world.root, 'moved'),
    name: () => 'picture.png',
    suggestedName: () => 'picture.png',
    size: () => pick(rng, [67, 128, 256, 1024]),
    offset: () => 0,
    data: () => 'iVBORw0KGgo=',
    message: () => 'hello',
    key: () => 'sk-0000000000000000000000000000000000000000000000000',
    sessionOnly: () => true,
    kind: () => pick(rng, ['text-to-image', 'image-to-image', 'upscale']),
    endpoint: () => pick(rng, ['generate.core', 'generate.sd3', 'upscale.fast']),
    params: () => ({ prompt: 'a lighthouse', aspect_ratio: '1:1' }),
    count: () => 1,
    favourite: () => true,
    multiple: () => false,
    title: () => 'Pick',
    theme: () => 'dark',
    sandboxMode: () => true,
    concurrency: () => 2,
    apiBaseUrl: () => null,
    libraryDir: () => world.libraryDir,
    left: side,
    right: side,
    limit: () => 10,
    search: () => 'lighthouse',
  };
  return (byName[field] ?? (() => hostile(rng, world, 1)))();
}

function callName(rng: Rng): unknown {
  const kind = int(rng, 20);
  if (kind < 14) return pick(rng, CALL_NAMES);
  if (kind < 16) return pick(rng, PROTOTYPE_NAMES);
  if (kind === 16) return randomText(rng, 1 + int(rng, 40));
  if (kind === 17) {
    const real = pick(rng, CALL_NAMES);
    return pick(rng, [
      real.toUpperCase(),
      ` ${real}`,
      `${real}\u0000`,
      `${real}.x`,
      hugeString(rng),
    ]);
  }
  return pick(rng, [
    null,
    undefined,
    42,
    NaN,
    {},
    [],
    ['app.info'],
    { toString: 'app.info' },
    JSON.parse('{"__proto__":"app.info"}') as unknown,
    Object.create(null) as unknown,
    true,
  ]);
}

function payload(index: number, world: World): { call: unknown; request: unknown } {
  const rng = mulberry32((SEED ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const call = callName(rng);
  if (chance(rng, 0.25)) return { call, request: hostile(rng, world) };
  const fields = typeof call === 'string' ? fieldsOf(call) : [];
  const request: Record<string, unknown> = {};
  for (const field of fields) {
    if (chance(rng, 0.85)) request[field] = plausible(rng, world, field);
  }
  for (let i = 1 + int(rng, 3); i > 0; i -= 1) {
    const mutation = int(rng, 6);
    const field = fields.length > 0 && chance(rng, 0.8) ? pick(rng, fields) : undefined;
    if (mutation <= 2 && field !== undefined) request[field] = hostile(rng, world);
    else if (mutation === 3 && field !== undefined) Reflect.deleteProperty(request, field);
    else if (mutation === 4) {
      // An extra key: a prototype name set as an own property, or anything.
      const key = chance(rng, 0.6) ? pick(rng, PROTOTYPE_NAMES) : randomText(rng, 1 + int(rng, 20));
      Object.defineProperty(request, key, {
        value: hostile(rng, world, 1),
        enumerable: true,
        configurable: true,
        writable: true,
      });
    } else if (field !== undefined) request[field] = plausible(rng, world, field);
  }
  if (chance(rng, 0.05)) return { call, request: [request] };
  return { call, request };
}

// ---------------------------------------------------------------------------------------------

/** Ids, tokens and library paths in an answer, for later payloads to reuse. */
function harvest(value: unknown, world: World, depth = 0): void {
  if (depth > 4 || value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (typeof inner === 'string' && (key === 'id' || key === 'token')) world.ids.push(inner);
    else if (typeof inner === 'string' && key === 'path') world.paths.push(inner);
    else harvest(inner, world, depth + 1);
  }
  if (world.ids.length > 200) world.ids.splice(0, 100);
  if (world.paths.length > 200) world.paths.splice(0, 100);
}

/** What is wrong with an answer, or null: the CallResult shape, and errors as sentences. */
function answerProblem(result: unknown): string | null {
  if (!CallResult.safeParse(result).success) return 'not a CallResult';
  const parsed = CallResult.parse(result);
  if (parsed.ok) return null;
  const { message, code } = parsed.error;
  if (typeof code !== 'string' || code === '') return 'an error with no code';
  if (!/^\S/.test(message) || message.length < 10)
    return `not a sentence: ${message.slice(0, 200)}`;
  if (!/[.!?)”"]$/.test(message)) return `no full stop: ${message.slice(0, 200)}`;
  if (/\n\s+at |\bat .*:\d+:\d+|Error: |node:internal|\/electron\/core\//.test(message)) {
    return `a stack trace or internals: ${message.slice(0, 200)}`;
  }
  if (/\[object Object\]|undefined/.test(message)) {
    return `a message with a broken value: ${message.slice(0, 200)}`;
  }
  const size = JSON.stringify(result).length;
  if (size > MAX_ERROR_ANSWER_CHARS) return `an error answer of ${size} characters`;
  return null;
}

/** A payload, shortly, for a failure message. */
function summary(value: unknown): string {
  try {
    return (JSON.stringify(value) ?? typeof value).slice(0, 160);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

let host: Host;
let world: World;
const logLines: string[] = [];

beforeAll(async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'atelier-fuzz-'));
  const libraryDir = path.join(root, 'library');
  await mkdir(libraryDir, { recursive: true });
  const png = path.join(root, 'small.png');
  await sharp({ create: { width: 96, height: 64, channels: 3, background: '#3a6' } })
    .png()
    .toFile(png);
  await sharp(png).toFile(path.join(libraryDir, 'kept.png'));
  const text = path.join(root, 'notes.png');
  await writeFile(text, 'not a picture at all');
  let fifo = '';
  if (process.platform !== 'win32') {
    fifo = path.join(root, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
  }
  world = { root, libraryDir, png, text, fifo, ids: [], paths: [] };
  host = await createHost({
    shell: 'browser',
    version: '0.0.0-fuzz',
    platform: 'linux',
    // Nothing leaves the machine: an API address that refuses connections at once.
    env: { ATELIER_DATA_DIR: path.join(root, 'data'), STABILITY_API_BASE: 'http://127.0.0.1:9' },
    libraryDir,
    vault: createMemoryVault(),
    keychain: false,
    // Few credits: once the valid jobs have spent them, the Sandbox answers 402 at once.
    sandboxOptions: { startingCredits: 30, faults: {} },
    libraryOptions: { watch: false },
    log: (line) => logLines.push(line),
  });
  expect((await host.dispatch('settings.set', { sandboxMode: true })).ok).toBe(true);
  harvest(await host.dispatch('library.query', {}), world);
}, 60_000);

afterAll(async () => {
  await host.close();
  await rm(world.root, { recursive: true, force: true });
}, 60_000);

it(`answers ${COUNT} malformed payloads (seed ${SEED}) with no crash, each with a CallResult`, async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  const crashes: string[] = [];
  const bad: string[] = [];
  const codes = new Map<string, number>();
  let ok = 0;
  let next = 0;
  let making = 0;
  const started = performance.now();

  const one = async (index: number) => {
    const made = performance.now();
    const { call, request } = payload(index, world);
    making += performance.now() - made;
    const where = () => `payload ${index} (seed ${SEED}): ${summary(call)} ${summary(request)}`;
    let timer: NodeJS.Timeout | undefined;
    try {
      const result: unknown = await Promise.race([
        host.dispatch(call, request),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('no answer')), ANSWER_WITHIN_MS);
        }),
      ]);
      const problem = answerProblem(result);
      if (problem) {
        bad.push(`${where()}: ${problem}`);
        return;
      }
      const parsed = CallResult.parse(result);
      if (parsed.ok) {
        ok += 1;
        harvest(parsed.value, world);
      } else {
        codes.set(parsed.error.code, (codes.get(parsed.error.code) ?? 0) + 1);
      }
    } catch (error) {
      crashes.push(`${where()}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  };

  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < COUNT) {
        const index = next;
        next += 1;
        await one(index);
      }
    }),
  );
  // Let what the handlers started in the background settle before looking for rejections.
  await new Promise((resolve) => setTimeout(resolve, 200));
  process.off('unhandledRejection', onUnhandled);

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  // The host catches what escapes createDispatch as a last line of defence and logs it: each such
  // line is an exception thrown out of dispatch.
  const escaped = logLines.filter((line) => line.includes('internal error in dispatch'));
  // Handler bugs answered with the generic sentence: not crashes, but worth a look.
  const handlerBugs = [
    ...new Set(
      logLines
        .filter((line) => /internal error in "/.test(line))
        .map((line) => (line.split('\n')[0] ?? line).replace(/\/tmp\/\S+/g, '<tmp>')),
    ),
  ];
  const refused = [...codes.entries()].sort((a, b) => b[1] - a[1]);
  console.log(
    `dispatch fuzz: seed ${SEED}, ${COUNT} payloads in ${seconds} s (${(making / 1000).toFixed(1)} s making them): ${ok} answered ok, ` +
      `${COUNT - ok} refused (${refused.map(([code, n]) => `${code} ${n}`).join(', ')}); ` +
      `${crashes.length + escaped.length} crashes, ${bad.length} bad answers, ${unhandled.length} unhandled rejections` +
      (handlerBugs.length > 0
        ? `; handler errors answered as internal: ${handlerBugs.join(' | ')}`
        : ''),
  );

  expect(crashes.slice(0, 5), `${crashes.length} payloads threw out of dispatch`).toEqual([]);
  expect(escaped.slice(0, 3), `${escaped.length} exceptions escaped createDispatch`).toEqual([]);
  expect(bad.slice(0, 5), `${bad.length} answers were not plain CallResults`).toEqual([]);
  expect(unhandled.map(String).slice(0, 5)).toEqual([]);
  expect(ok + [...codes.values()].reduce((a, b) => a + b, 0)).toBe(COUNT);
  // No prototype was polluted, and the core still answers.
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(await host.dispatch('app.ping', { message: 'still here' })).toMatchObject({
    ok: true,
    value: { message: 'still here' },
  });
}, 180_000);

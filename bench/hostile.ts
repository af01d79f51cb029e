/**
 * Hostile-file parsing benchmark: how long each bounded parser holds the event loop on the worst
 * input its limits allow (issue 12, part 3). Every step runs on the main thread, so each must stay
 * well under 50 ms. Prints the median and the slowest of --runs N (default 15) runs per case.
 *
 * Run: `npm run bench -- hostile`. Before the fix, parseXmp on 200 KB of unclosed tags took
 * 255 ms and 2 MB about 25 s; zTXt chunks inflated without a limit (1 GiB from a 1 MB file).
 */
import { performance } from 'node:perf_hooks';
import { constants, deflateRawSync } from 'node:zlib';
import sharp from 'sharp';
import { readEmbedded } from '../electron/core/library';
import { LIBRARY_LIMITS, parseBoundedJson } from '../electron/core/library/files';
import { imageInfo, isStructurallyComplete } from '../electron/core/library/imageinfo';
import { setJpegXmp } from '../electron/core/library/jpeg';
import { setPngTexts, writePngChunks, type PngChunk } from '../electron/core/library/png';
import { setWebpXmp } from '../electron/core/library/webp';
import { parseXmp } from '../electron/core/library/xmp';

const MiB = 1024 * 1024;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;

function zlibBomb(): Buffer {
  const piece = deflateRawSync(Buffer.alloc(MiB), {
    level: 9,
    finishFlush: constants.Z_FULL_FLUSH,
  });
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((2 ** 30 % 65521) << 16) | 1) >>> 0);
  return Buffer.concat([
    Buffer.from([0x78, 0xda]),
    ...Array<Buffer>(1024).fill(piece),
    Buffer.from([0x03, 0x00]),
    adler,
  ]);
}

const unclosed = (tag: string, bytes: number) =>
  `<${tag}>`.repeat(Math.ceil(bytes / (tag.length + 2)));

function time(name: string, fn: () => unknown): void {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)] ?? 0;
  const max = samples[samples.length - 1] ?? 0;
  console.log(
    `${name.padEnd(58)} median ${median.toFixed(2).padStart(7)} ms   max ${max.toFixed(2).padStart(7)} ms`,
  );
}

async function main(): Promise<void> {
  const raw = Buffer.alloc(64 * 48 * 3, 128);
  const img = () => sharp(raw, { raw: { width: 64, height: 48, channels: 3 } });
  const [png, jpeg, webp] = await Promise.all([
    img().png().toBuffer(),
    img().jpeg().toBuffer(),
    img().webp().toBuffer(),
  ]);
  const bomb = zlibBomb();
  const latin1 = (t: string) => Buffer.from(t, 'latin1');
  const ztxt = setPngTexts(png, [
    { type: 'zTXt', data: Buffer.concat([latin1('parameters\0\0'), bomb]) },
  ]);
  const itxt = setPngTexts(png, [
    { type: 'iTXt', data: Buffer.concat([latin1('atelier\0'), Buffer.from([1, 0, 0, 0]), bomb]) },
  ]);
  // 65,536 tiny chunks (the most the reader walks), then IEND.
  const many: PngChunk[] = [{ type: 'IHDR', data: Buffer.alloc(13) }];
  for (let i = 0; i < 65_000; i++) many.push({ type: 'tEXt', data: latin1(`k${i % 10}\0v`) });
  many.push({ type: 'IEND', data: Buffer.alloc(0) });
  const manyChunks = writePngChunks(many);
  // A JPEG of 4 MiB of fill bytes (the walk stops at its step and byte limits).
  const fill = Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(4 * MiB, 0xff)]);
  const sidecar = JSON.stringify({
    params: { prompt: 'x'.repeat(LIBRARY_LIMITS.sidecarBytes - 64) },
  });

  console.log(`hostile parsing, ${RUNS} runs each (Node ${process.version})`);
  time('PNG zTXt zip bomb (1 MB -> 1 GiB), readEmbedded', () => readEmbedded(ztxt));
  time('PNG iTXt zip bomb, readEmbedded', () => readEmbedded(itxt));
  time('PNG of 65,000 text chunks, readEmbedded', () => readEmbedded(manyChunks));
  const bigXmp = setWebpXmp(webp, unclosed('atelier:parameters', 2 * MiB));
  time('WebP with 2 MB XMP (over the cap), readEmbedded', () => readEmbedded(bigXmp));
  const capXmp = unclosed('dc:description', LIBRARY_LIMITS.xmpBytes - 64);
  time('parseXmp, 256 KB of unclosed tags (at the cap)', () => parseXmp(capXmp));
  const issueXmp = unclosed('atelier:parameters', 200 * 1024);
  time('parseXmp, 200 KB of unclosed tags (the issue: 255 ms)', () => parseXmp(issueXmp));
  const jpegXmp = setJpegXmp(jpeg, unclosed('atelier:recipe', 60_000));
  time('JPEG with 60 KB XMP of unclosed tags, readEmbedded', () => readEmbedded(jpegXmp));
  time('JPEG of 4 MiB of fill bytes, imageInfo + readEmbedded', () => {
    imageInfo(fill);
    readEmbedded(fill);
  });
  time('1 MiB sidecar, depth check + JSON.parse', () => parseBoundedJson(sidecar));
  const deep = `${'['.repeat(500_000)}${']'.repeat(500_000)}`;
  time('1 MB of nested brackets, refused before parsing', () => {
    try {
      parseBoundedJson(deep);
    } catch {
      // refused: too deep
    }
  });
  time('isStructurallyComplete on the bomb PNG', () => isStructurallyComplete(ztxt));
}

await main();

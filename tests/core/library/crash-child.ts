/**
 * Run by crash.test.ts in a child process (bundled by esbuild): saves images into a library in a
 * loop, printing `done <image path> <sha256>` after each save has returned, until it is killed.
 */
import { readFileSync } from 'node:fs';
import { saveResult } from '../../../electron/core/library/save';
import type { ImageFormat } from '../../../electron/core/library/format';

const [libraryDir, ...sources] = process.argv.slice(2);
if (!libraryDir) throw new Error('usage: crash-child <library> <png> <jpeg> <webp>');
const formats: ImageFormat[] = ['png', 'jpeg', 'webp'];
const images = sources.map((file, i) => ({
  bytes: readFileSync(file),
  format: formats[i] ?? 'png',
}));

async function main(): Promise<void> {
  process.stdout.write('ready\n');
  for (let n = 0; ; n++) {
    const image = images[n % images.length];
    if (!image) throw new Error('no images');
    const saved = await saveResult(libraryDir as string, {
      bytes: image.bytes,
      format: image.format,
      recipe: {
        operation: 'text-to-image',
        endpoint: '/v2beta/stable-image/generate/core',
        model: 'core',
        params: { prompt: `crash test ${n}` },
        seed: n,
        finishReason: 'SUCCESS',
        credits: 3,
        sandbox: true,
        inputs: n % 5 === 0 ? [{ role: 'image', bytes: image.bytes }] : [],
      },
    });
    process.stdout.write(`done ${saved.entry.path} ${saved.sidecar.image.sha256}\n`);
  }
}

void main();

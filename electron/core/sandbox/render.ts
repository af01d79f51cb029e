/**
 * What each endpoint draws in the Sandbox. Sizes come from the endpoint table (outputSize); the
 * effect only has to be visible, deterministic and plausible.
 */
import { openImage } from '../images/open';
import {
  modeOf,
  outputSize,
  type EndpointSpec,
  type ImageFormat,
  type ImageInfo,
  type ParamValues,
  type Size,
} from '../../../shared/endpoints';
import { isControlEndpoint, renderControl } from './control';
import { blend, finish, maskOf, pattern, radialMask, rawOf, type Raw } from './images';

export interface RenderRequest {
  spec: EndpointSpec;
  /** Text fields as sent. */
  text: Readonly<Record<string, string>>;
  /** File parts' bytes and facts. */
  files: Readonly<Record<string, { bytes: Buffer; info: ImageInfo }>>;
  /** The seed to use (already resolved when the request said 0 or nothing). */
  seed: number;
  format: ImageFormat;
  filtered: boolean;
}

export interface Rendered {
  bytes: Buffer;
  format: ImageFormat;
  size: Size;
}

const num = (value: string | undefined, fallback: number): number => {
  const n = value === undefined || value === '' ? NaN : Number(value);
  return Number.isFinite(n) ? n : fallback;
};

export async function render(req: RenderRequest): Promise<Rendered> {
  const { spec, text, files, seed } = req;
  const values: Record<string, ParamValues[string]> = { ...text };
  for (const [name, file] of Object.entries(files)) values[name] = file.info;
  const size = outputSize(spec, values) ?? { width: 1024, height: 1024 };
  const prompt = text.prompt ?? text.background_prompt ?? text.search_prompt ?? spec.id;
  const layoutKey = JSON.stringify({
    seed,
    endpoint: spec.id,
    ...Object.fromEntries(
      Object.entries(text).filter(([k]) => k !== 'output_format' && k !== 'prompt'),
    ),
  });
  const source = (name: string): Buffer | undefined => files[name]?.bytes;
  const art = (): Promise<Raw> => pattern(size, prompt, layoutKey);

  let raw: Raw;
  const id = spec.id;
  const mode = modeOf(spec, values);
  if (id === 'upscale.fast' || id === 'upscale.conservative' || id === 'upscale.creative') {
    const input = source('image') as Buffer;
    const data = await openImage(input)
      .resize(size.width, size.height, { kernel: 'lanczos3', fit: 'fill' })
      .removeAlpha()
      .raw()
      .toBuffer();
    raw = { data, width: size.width, height: size.height, channels: 3 };
  } else if (id === 'edit.remove-background') {
    const input = await rawOf(source('image') as Buffer, size);
    const alpha = radialMask(size, 0.5, 0.5, 0.45);
    const data = Buffer.alloc(size.width * size.height * 4);
    for (let p = 0; p < size.width * size.height; p++) {
      data[p * 4] = input.data[p * 3] ?? 0;
      data[p * 4 + 1] = input.data[p * 3 + 1] ?? 0;
      data[p * 4 + 2] = input.data[p * 3 + 2] ?? 0;
      data[p * 4 + 3] = alpha[p] ?? 0;
    }
    raw = { data, width: size.width, height: size.height, channels: 4 };
  } else if (id === 'edit.outpaint') {
    const input = source('image') as Buffer;
    const base = await art();
    const composed = await openImage(base.data, {
      raw: { width: size.width, height: size.height, channels: 3 },
    })
      .composite([
        {
          input: await openImage(input).removeAlpha().toBuffer(),
          left: num(text.left, 0),
          top: num(text.up, 0),
        },
      ])
      .raw()
      .toBuffer();
    raw = { data: composed, width: size.width, height: size.height, channels: 3 };
  } else if (id === 'edit.erase' || id === 'edit.inpaint') {
    const input = await rawOf(source('image') as Buffer, size);
    const mask =
      (await maskOf(size, source('mask'), source('image'))) ?? radialMask(size, 0.5, 0.5, 0.25);
    const fill =
      id === 'edit.erase'
        ? {
            data: await openImage(input.data, { raw: { ...size, channels: 3 } })
              .blur(Math.max(4, size.width / 24))
              .raw()
              .toBuffer(),
            width: size.width,
            height: size.height,
            channels: 3 as const,
          }
        : await art();
    raw = blend(input, fill, 1, mask);
  } else if (id === 'edit.search-and-replace') {
    const input = await rawOf(source('image') as Buffer, size);
    raw = blend(input, await art(), 0.9, radialMask(size));
  } else if (id === 'edit.search-and-recolor') {
    const input = await rawOf(source('image') as Buffer, size);
    const tinted = await rawOf(
      await openImage(source('image'))
        .modulate({ hue: (prompt.length * 47) % 360, saturation: 1.4 })
        .toBuffer(),
      size,
    );
    raw = blend(input, tinted, 1, radialMask(size));
  } else if (id === 'edit.replace-background-and-relight') {
    const subject = await rawOf(source('subject_image') as Buffer, size);
    const background = source('background_reference')
      ? await rawOf(source('background_reference') as Buffer, size)
      : await art();
    const inverse = Buffer.from(radialMask(size, 0.5, 0.5, 0.4).map((v) => 255 - v));
    raw = blend(subject, background, 1, inverse);
  } else if (isControlEndpoint(id)) {
    raw = await renderControl({ id, size, text, source, art });
  } else if (mode === 'image-to-image') {
    const input = await rawOf(source('image') as Buffer, size);
    raw = blend(input, await art(), num(text.strength, 0.5));
  } else {
    raw = await art();
  }
  const bytes = await finish(raw, req.format, { blur: req.filtered });
  return { bytes, format: req.format, size };
}

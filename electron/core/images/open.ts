/**
 * The one way the core opens an image with sharp. Every pipeline gets a pixel limit (a file that
 * claims 30000 × 30000 is refused before a pixel is decoded) and a timeout (a pathological file
 * cannot hold one of libvips' threads for ever). Nothing else in electron/core calls sharp().
 */
import sharp, { type Sharp, type SharpInput, type SharpOptions } from 'sharp';
import { MAX_INPUT_PIXELS } from './limits';

export { MAX_INPUT_PIXELS };

/** How long one sharp pipeline may work before it is stopped with an error. */
export const SHARP_TIMEOUT_SECONDS = 60;

export interface OpenImageOptions extends SharpOptions {
  /** Seconds before the output is abandoned; SHARP_TIMEOUT_SECONDS by default. */
  timeoutSeconds?: number;
}

/**
 * sharp(input, options) with `limitInputPixels` (MAX_INPUT_PIXELS unless the caller sets a
 * smaller or, for reading a header only, no limit) and `.timeout()`. With no input, `options.create`
 * or `options.raw` say what the image is, as in sharp.
 */
export function openImage(input?: SharpInput, options: OpenImageOptions = {}): Sharp {
  const { timeoutSeconds = SHARP_TIMEOUT_SECONDS, ...sharpOptions } = options;
  const opened =
    input === undefined
      ? sharp({ limitInputPixels: MAX_INPUT_PIXELS, ...sharpOptions })
      : sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, ...sharpOptions });
  return opened.timeout({ seconds: timeoutSeconds });
}

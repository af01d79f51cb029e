export { InputImageError, type InputImageErrorCode } from './errors';
export {
  inspectBytes,
  inspectImage,
  MAX_FILE_BYTES,
  readImageInput,
  type ImageInfo,
  type ImageInput,
  type ReadOptions,
} from './inspect';
export {
  MAX_INPUT_PIXELS,
  prepareInput,
  type PreparedImage,
  type PrepareOptions,
  type UploadFormat,
} from './prepare';
export type { InputLimits } from './limits';
export { sniffFormat, type ReadableFormat, type SniffedFormat } from './sniff';
export { exifHasGps } from './exif';

/** Why an input image was refused. Every one reaches the person as a plain sentence. */
export type InputImageErrorCode =
  /** The path does not exist. */
  | 'not_found'
  /** The path is a folder or something else that is not a file. */
  | 'not_a_file'
  /** The file exists but could not be read (permissions, disk). */
  | 'unreadable_file'
  /** Zero bytes. */
  | 'empty'
  /** The file is larger than Atelier will read at all. */
  | 'file_too_big'
  /** Not an image (text, a document, random bytes). */
  | 'not_an_image'
  /** An image in a format Atelier cannot read here (SVG, BMP, HEIC without a decoder ...). */
  | 'unsupported_format'
  /** Looks like an image, but is cut short or damaged. */
  | 'damaged'
  /** Claims more pixels than Atelier will decode (a decompression bomb, or simply enormous). */
  | 'too_many_pixels'
  /** Smaller than the endpoint accepts. */
  | 'too_small'
  /** Too long or too tall for the endpoint, or so stretched that shrinking it to fit would make it too thin. */
  | 'bad_shape'
  /** Could not be made small enough in bytes without going under the endpoint's minimum size. */
  | 'cannot_fit'
  /** Decoding took too long. */
  | 'too_slow';

export class InputImageError extends Error {
  readonly code: InputImageErrorCode;
  constructor(code: InputImageErrorCode, message: string) {
    super(message);
    this.name = 'InputImageError';
    this.code = code;
  }
}

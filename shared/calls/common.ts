/** Small schemas shared by several groups of calls. */
import { z } from 'zod';

/** The request of a call that takes nothing. */
export const Empty = z.object({}).strict();

/**
 * A picture saved in the library, as a call answers it: what a finished job and a saved comparison
 * both tell (spread into their objects).
 */
export const savedPictureShape = {
  /** The library entry id. */
  id: z.string(),
  /** The image, relative to the library folder, with `/` separators. */
  path: z.string(),
  width: z.number(),
  height: z.number(),
  /** Where the library folder is, for "saved to ..." lines. */
  libraryDir: z.string(),
};

/** A picture file's size: pixels and bytes (spread into the views of staged and library pictures). */
export const pictureFileShape = {
  width: z.number(),
  height: z.number(),
  bytes: z.number(),
};

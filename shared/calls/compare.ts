/**
 * Compare: "Save comparison" composes the two pictures side by side, with their labels, into one
 * PNG saved to the library (operation `comparison`, both pictures recorded as its inputs).
 */
import { z } from 'zod';
import { savedPictureShape } from './common';

const Id = z.string().min(1).max(100);

/** Where one side's picture comes from. */
export const CompareSource = z.discriminatedUnion('kind', [
  /** An entry of the library. */
  z.object({ kind: z.literal('library'), id: Id }).strict(),
  /**
   * The picture a library entry was made from: its recipe's input with this role (e.g. an
   * upscale's 'image'). The core finds the file from the entry's sidecar.
   */
  z.object({ kind: z.literal('made-from'), id: Id, role: z.string().min(1).max(64) }).strict(),
  /** A staged picture (a dropped or chosen file: the renderer's stageFile). */
  z.object({ kind: z.literal('input'), id: Id }).strict(),
]);
export type CompareSource = z.infer<typeof CompareSource>;

export const CompareSide = z
  .object({
    source: CompareSource,
    /** Which is which, as the person sees it ("Original", "Upscale", a file name). */
    title: z.string().min(1).max(200),
    /** The model, when known. */
    model: z.string().max(200).nullable().optional(),
  })
  .strict();
export type CompareSide = z.infer<typeof CompareSide>;

/** The library entry of the saved comparison. */
export const CompareSaved = z.object(savedPictureShape);
export type CompareSaved = z.infer<typeof CompareSaved>;

export const compareCalls = {
  /** Composes left | right into one labelled PNG and saves it to the library. */
  'compare.save': {
    request: z.object({ left: CompareSide, right: CompareSide }).strict(),
    response: CompareSaved,
  },
} as const;

export const compareEvents = {} as const;

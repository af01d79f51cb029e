/**
 * The shape of the endpoint table: what a Stability endpoint accepts and returns, as plain data.
 *
 * No Node, no DOM: the client (core), the Sandbox (core), the forms (renderer) and the tests all
 * read the same table. Nothing restates a limit by hand.
 */

/** The kind of a parameter on the wire (multipart text fields, or a file part for images). */
export type ParamKind = 'string' | 'number' | 'integer' | 'enum' | 'image' | 'boolean';

/** text-to-image or image-to-image (generate endpoints). */
export type Mode = 'text-to-image' | 'image-to-image';

/** An image format, as the API names it in `output_format` and in its input limits. */
export type ImageFormat = 'png' | 'jpeg' | 'webp';

/** When a parameter is required. */
export type RequiredRule =
  | true
  /** Required in these modes only (e.g. sd3 `image` in image-to-image). */
  | { readonly modes: readonly Mode[] }
  /** Required when another parameter is present (e.g. ultra `strength` when `image` is given). */
  | { readonly whenPresent: string };

/** A default that depends on the model (e.g. sd3 `cfg_scale`: 4 for Large, 1 for Turbo). */
export interface DefaultByModel {
  readonly byModel: Readonly<Record<string, number | string>>;
}

/** Limits on an input image, all optional; absent means "not limited / not documented". */
export interface ImageLimits {
  /** Accepted file formats. */
  readonly formats: readonly ImageFormat[];
  /** Every side at least this many pixels. */
  readonly minSide?: number;
  /** No side longer than this. */
  readonly maxSide?: number;
  /** Width * height at least this. */
  readonly minPixels?: number;
  /** Width * height at most this. */
  readonly maxPixels?: number;
  /** Smallest width / height (e.g. 0.4 for 1:2.5). */
  readonly minAspect?: number;
  /** Largest width / height (e.g. 2.5 for 2.5:1). */
  readonly maxAspect?: number;
  /** Largest file, in bytes. */
  readonly maxBytes: number;
}

export interface ParamSpec {
  readonly name: string;
  readonly kind: ParamKind;
  /** Absent = optional. */
  readonly required?: RequiredRule;
  /** Number range (number/integer) or length range (string). Inclusive. */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values (enum). */
  readonly values?: readonly string[];
  readonly default?: number | string | boolean | DefaultByModel;
  /** Applies only to these models (absent = all). */
  readonly models?: readonly string[];
  /** Applies only in these modes (absent = all). */
  readonly modes?: readonly Mode[];
  /** Input limits (image parameters). */
  readonly image?: ImageLimits;
  /** A short label for a form. */
  readonly label: string;
  /** One plain sentence of help for an artist. */
  readonly help?: string;
  /** Why a value is marked UNSURE in the API doc, when it is. */
  readonly unsure?: string;
}

/** A rule that ties several parameters together. `field` is where a form shows the message. */
export type CrossRule =
  | {
      readonly kind: 'atLeastOne';
      readonly params: readonly string[];
      readonly field: string;
      readonly message: string;
    }
  | {
      readonly kind: 'anyNonZero';
      readonly params: readonly string[];
      readonly field: string;
      readonly message: string;
    }
  | {
      readonly kind: 'needsOneOf';
      readonly param: string;
      readonly params: readonly string[];
      readonly field: string;
      readonly message: string;
    };

/** How the output size follows from the request. */
export type OutputRule =
  /** From the aspect_ratio parameter, through a size table (see OUTPUT_SIZES). */
  | { readonly kind: 'aspectTable'; readonly table: OutputTableName }
  /** The input image's aspect ratio at about this many pixels, sides rounded to `multiple`. */
  | {
      readonly kind: 'inputAspect';
      readonly param: string;
      readonly pixels: number;
      readonly multiple: number;
    }
  /** The input multiplied by `factor` on each side. */
  | { readonly kind: 'scale'; readonly param: string; readonly factor: number }
  /** The input's aspect ratio scaled to about this many pixels (never smaller than the input). */
  | { readonly kind: 'pixels'; readonly param: string; readonly pixels: number }
  /** The same size as the input. */
  | { readonly kind: 'input'; readonly param: string }
  /** The input enlarged by the left/right/up/down parameters. */
  | { readonly kind: 'outpaint'; readonly param: string };

export type OutputTableName = 'oneMegapixel' | 'core';

/** Credits per successful call: a number, or a price per model. */
export type CreditRule = number | { readonly byModel: Readonly<Record<string, number>> };

export type EndpointFamily = 'generate' | 'upscale' | 'edit' | 'control' | 'results' | 'account';

export interface EndpointSpec {
  readonly id: string;
  readonly family: EndpointFamily;
  /** A label for people. */
  readonly label: string;
  readonly method: 'GET' | 'POST';
  /** Path from the base URL; `{id}` stands for a generation id on results endpoints. */
  readonly path: string;
  readonly params: readonly ParamSpec[];
  readonly rules?: readonly CrossRule[];
  /** Accepted `accept` values, the default first. Empty: the endpoint declares none (JSON {id}). */
  readonly accept: readonly string[];
  /** The call starts a job: the answer is `{id}`, the result is polled at `pollWith`. */
  readonly async: boolean;
  readonly pollWith?: string;
  /** How the mode is known: from a parameter (sd3 `mode`) or from an image being present (ultra). */
  readonly modeFrom?:
    | { readonly kind: 'param'; readonly param: string }
    | { readonly kind: 'present'; readonly param: string };
  /** The parameter naming the model, when there is one. */
  readonly modelParam?: string;
  readonly output?: OutputRule | { readonly byMode: Readonly<Record<Mode, OutputRule>> };
  readonly credits: CreditRule;
  /** Largest request body in bytes (413 beyond). */
  readonly maxRequestBytes?: number;
  /** Notes on values the API doc marks UNSURE. */
  readonly unsure?: readonly string[];
}

/** What the validator knows about an image value (metadata; the bytes stay where they are). */
export interface ImageInfo {
  readonly kind: 'image';
  readonly width?: number;
  readonly height?: number;
  readonly bytes?: number;
  /** 'png' | 'jpeg' | 'webp' | anything else a file turned out to be. */
  readonly format?: string;
}

/** A parameter value: typed (from a form) or a string (from a multipart body). */
export type ParamValue = string | number | boolean | ImageInfo;

export type ParamValues = Readonly<Record<string, ParamValue | undefined>>;

/** Field name -> one plain message. Empty when the values are fine. */
export type FieldMessages = Record<string, string>;

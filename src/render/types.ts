import type { Model } from "../model/types.js";

/** One rendered file, relative to the output directory (POSIX separators). */
export interface RenderedFile {
  readonly path: string;
  readonly content: string;
}

/** A renderer is a pure function of the model: one output format, one module. */
export type Renderer = (model: Model) => RenderedFile[];

/**
 * A rendered host file as the pieces it was printed from: the template's own text, and for each
 * `eachItem` block a run of the block's text for a list shared between hosts (a subnet's peer
 * list in static mode; engine.ts). The content is their concatenation; the pieces let emit write
 * and the lock file hash a static-mode host's file — up to megabytes, with the square of the
 * nodes in all — from the shared texts' bytes without joining it, and the check (check.ts) read
 * each shared text once instead of once per host.
 *
 * The pieces are recorded beside the (frozen) file object, never in it: a file without them —
 * read from disk, built by a test, copied — is written, hashed and checked as a whole.
 */
import type { RenderedFile } from "./types.js";

/** One eachItem block's text for every item of one list, rendered once. */
export class SharedText {
  /** Where each item's text starts in `text` (and, last, its length). */
  readonly offsets: readonly number[];
  /** The items' texts joined (flattened: it is sliced for every host). */
  readonly text: string;
  private utf8: { bytes: Buffer; offsets: number[] } | undefined;

  constructor(readonly texts: readonly string[]) {
    const offsets = [0];
    let end = 0;
    for (const t of texts) offsets.push((end += t.length));
    this.offsets = offsets;
    this.text = texts.join("");
    this.text.charCodeAt(0); // flattens the rope join may build
  }

  /** The text of items [start, end). */
  slice(start: number, end: number): string {
    return this.text.slice(this.offsets[start], this.offsets[end]);
  }

  /** The UTF-8 bytes of items [start, end): a view of bytes made once. */
  bytes(start: number, end: number): Buffer {
    if (!this.utf8) {
      const offsets = [0];
      let end = 0;
      for (const t of this.texts) offsets.push((end += Buffer.byteLength(t, "utf8")));
      this.utf8 = { bytes: Buffer.from(this.text, "utf8"), offsets };
    }
    return this.utf8.bytes.subarray(this.utf8.offsets[start], this.utf8.offsets[end]);
  }
}

/** An eachItem block's output for one host: ranges of items of a shared text, in order. */
export interface ItemRun {
  readonly source: SharedText;
  readonly ranges: readonly (readonly [start: number, end: number])[];
}

export type Piece = string | ItemRun;

const recorded = new WeakMap<RenderedFile, readonly Piece[]>();
const bytes = new WeakMap<RenderedFile, readonly Buffer[]>();

export function joinPieces(pieces: readonly Piece[]): string {
  let out = "";
  for (const piece of pieces) {
    if (typeof piece === "string") out += piece;
    else for (const [a, b] of piece.ranges) out += piece.source.slice(a, b);
  }
  return out;
}

/**
 * A frozen rendered file whose content is the pieces joined. A file with item runs also keeps
 * its UTF-8 bytes as views of the shared texts' bytes (bytesOf), which emit writes and the lock
 * file hashes; its `content` string is joined only when something reads it.
 */
export function fileFromPieces(path: string, pieces: readonly Piece[]): RenderedFile {
  if (pieces.every((p) => typeof p === "string"))
    return Object.freeze({ path, content: joinPieces(pieces) });
  const frozen = Object.freeze([...pieces]);
  const parts: Buffer[] = [];
  for (const piece of frozen) {
    if (typeof piece === "string") {
      if (piece !== "") parts.push(Buffer.from(piece, "utf8"));
    } else for (const [a, b] of piece.ranges) parts.push(piece.source.bytes(a, b));
  }
  let content: string | undefined;
  const file: RenderedFile = Object.freeze({
    path,
    get content(): string {
      return (content ??= joinPieces(frozen));
    },
  });
  recorded.set(file, frozen);
  bytes.set(file, Object.freeze(parts));
  return file;
}

/** The pieces a file was rendered from, when fileFromPieces made it with item runs. */
export function piecesOf(file: RenderedFile): readonly Piece[] | undefined {
  return recorded.get(file);
}

/** The UTF-8 bytes of a file's content in parts (their concatenation is Buffer.from(content)). */
export function bytesOf(file: RenderedFile): readonly Buffer[] | undefined {
  return bytes.get(file);
}

/**
 * What the hostile-input tests share: values a repository controls that would forge lines,
 * move the cursor, write the clipboard or flip text direction if printed raw, and a YAML
 * writer that puts any of them into a file as escapes (the file itself stays printable text).
 */
import { removeDir, testdir, minimalRepo } from "../support.js";

/** Every character a human format must not print raw, with a name for the failure message. */
export const CONTROL_CHARACTERS =
  // eslint-disable-next-line no-control-regex
  /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A value that would print a fake diagnostic on a line of its own. */
export const FORGED_LINE = "netcompile.yaml:1:1: error NC0000: forged";

/** Attack strings: a forged line, OSC 52 (clipboard), CSI (clear screen, cursor up), C1 CSI, bidi. */
export const HOSTILE_TEXT = [
  `x\n${FORGED_LINE}`,
  `y\r${FORGED_LINE}`,
  "\x1b]52;c;ZWNobyBwd25lZA==\x07",
  "\x1b[2J\x1b[1A\x1b[8m",
  "\x9b31m\x9d0;title\x9c",
  "abc\u202Eevil\u202C\u2066\u2069",
  "del\x7f nel\x85 ls\u2028 ps\u2029",
] as const;

/** All of them in one value. */
export const HOSTILE = HOSTILE_TEXT.join(" ");

/** A YAML double-quoted scalar for any string, with everything outside printable ASCII escaped. */
export function yamlEscaped(value: string): string {
  return JSON.stringify(value).replace(
    /[^\x20-\x7e]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The first raw control character in `text` (a newline counts only when `newlines` is false). */
export function rawControl(text: string, allowNewlines = true): string | undefined {
  for (const ch of text) {
    if (allowNewlines && ch === "\n") continue;
    if (CONTROL_CHARACTERS.test(ch)) return `U+${ch.codePointAt(0)!.toString(16).padStart(4, "0")}`;
  }
  return undefined;
}

/** Lines of `text` that begin like a diagnostic someone forged. */
export function forgedLines(text: string): string[] {
  return text.split(/\r\n|[\n\r\u0085\u2028\u2029]/).filter((l) => l.startsWith(FORGED_LINE));
}

/** Temporary repositories, removed after each test. */
export function repositories(): {
  make(files: Readonly<Record<string, string>>, base?: Readonly<Record<string, string>>): string;
  cleanup(): void;
} {
  const dirs: string[] = [];
  return {
    make(files, base = minimalRepo) {
      const dir = testdir({ ...base, ...files });
      dirs.push(dir);
      return dir;
    },
    cleanup() {
      dirs.splice(0).forEach(removeDir);
    },
  };
}

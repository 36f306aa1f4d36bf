/**
 * The one escaping for human text (a terminal, a CI log): every value, name and file name from
 * a repository goes through `terminalText` before a formatter prints it, so nothing in a
 * repository can end a line (and forge a `file:line: error` line), move the cursor, hide text,
 * write the clipboard (OSC 52) or reverse the text's direction (Trojan Source).
 *
 * Escaped: C0 controls but the tab (`\n`, `\r`, else `\x1B`), DEL and C1 (`\x7F`, `\x9B`;
 * U+0085 NEL is a line break too), the Unicode line and paragraph separators and the bidi
 * controls (`\u{202E}`). Everything else, other scripts and emoji included, prints as it is.
 */

const UNSAFE =
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern is about
  /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function terminalText(value: string): string {
  return value.replace(UNSAFE, escapeOne);
}

function escapeOne(ch: string): string {
  if (ch === "\n") return "\\n";
  if (ch === "\r") return "\\r";
  const code = ch.charCodeAt(0);
  const hex = code.toString(16).toUpperCase();
  return code <= 0xff ? `\\x${hex.padStart(2, "0")}` : `\\u{${hex}}`;
}

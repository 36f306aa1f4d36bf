import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { terminalText } from "./terminal.js";

const UNSAFE =
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern is about
  /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe("terminalText", () => {
  it("writes line breaks, ESC, DEL, C1 and bidi controls as visible escapes", () => {
    expect(terminalText("a\nb\r\x1b]52;c;SGk=\x07\x7f\x85\x9b\u2028\u202e\u2066")).toBe(
      "a\\nb\\r\\x1B]52;c;SGk=\\x07\\x7F\\x85\\x9B\\u{2028}\\u{202E}\\u{2066}",
    );
  });

  it("leaves tabs, other scripts and emoji as they are", () => {
    expect(terminalText("a\tb ünï 漢字 🎉 \\n")).toBe("a\tb ünï 漢字 🎉 \\n");
  });

  it("never lets an unsafe character through, whatever the string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(UNSAFE.test(terminalText(s))).toBe(false);
      }),
    );
  });
});

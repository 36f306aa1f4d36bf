/**
 * The rendered-file check's INI reading: one regular expression over the whole file decides,
 * and it must decide exactly as the line by line reading does (which then says what is wrong).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { iniLineProblem, iniProblem } from "./check.js";
import { iniPiecesFine } from "./ini.js";
import { joinPieces, SharedText, type Piece } from "./pieces.js";

const PARAMS = { seed: Number(process.env.FC_SEED ?? 20261202), endOnFailure: true };

const line = fc.oneof(
  fc.constantFrom(
    "",
    "[Match]",
    "[Network]",
    "[Bad Section]",
    "[]",
    "[1x]",
    "Name=eth0",
    "Name= eth0",
    "Name=eth0 ",
    "Name=",
    "Name=a b",
    "=x",
    "1Key=x",
    "Key-2=x=y",
    "# comment",
    "; comment",
    " # indented",
    "Key=x\r",
    "Key=x\u2028y",
    "Key=\u00a0",
    "#\r",
    "\t",
  ),
  fc.string({ maxLength: 10 }),
  fc.string({ unit: "binary", maxLength: 6 }),
  fc
    .tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,6}$/), fc.string({ maxLength: 8 }))
    .map(([k, v]) => `${k}=${v}`),
);
const good = fc.constantFrom("", "# c", "[Link]", "MTUBytes=1500", "Name=cali*", "; x");
const file = fc
  .tuple(
    fc.constantFrom("", "[Match]\n", "# head\n\n[Match]\n"),
    fc.array(fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: line }), {
      maxLength: 12,
    }),
    fc.boolean(),
  )
  .map(([head, lines, newline]) => head + lines.join("\n") + (newline ? "\n" : ""));

describe("iniProblem", () => {
  it("accepts exactly what the line by line reading accepts", () => {
    let fine = 0;
    fc.assert(
      fc.property(file, (content) => {
        const slow = iniLineProblem(content);
        expect(iniProblem(content)).toBe(slow);
        if (slow === undefined) fine++;
      }),
      { ...PARAMS, numRuns: 5000 },
    );
    expect(fine).toBeGreaterThan(500);
  });

  it("says what is wrong", () => {
    expect(iniProblem("Name=x\n")).toBe("line 1 is outside any [Section]");
    expect(iniProblem("[Match]\nName=x")).toBe("does not end with a newline");
    expect(iniProblem("# only\n")).toBe("has no [Section]");
    expect(iniProblem("[Match]\nName =x\n")).toBe('line 2 is not Key=Value: "Name =x"');
    expect(iniProblem("# c\n\n[Match]\nName=x\n\n[Link]\nMTUBytes=9001\n")).toBeUndefined();
  });

  it("reads a file of a million lines (no backtracking limit)", () => {
    const big = `[Network]\n${"# Pod CIDR of n\nDestination=10.0.0.0/26\n\n".repeat(350_000)}`;
    expect(iniProblem(big)).toBeUndefined();
    expect(iniProblem(`${big}Bad line\n`)).toMatch(/is not Key=Value/);
  });
});

describe("iniPiecesFine (a file decided from its pieces, each shared text read once)", () => {
  const chunk = fc
    .tuple(
      fc.array(fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: line }), {
        maxLength: 5,
      }),
      fc.nat({ max: 9 }),
    )
    .map(([lines, r]) => (lines.length === 0 ? "" : lines.join("\n") + (r === 0 ? "" : "\n")));
  const item = fc.oneof(
    chunk,
    fc.constantFrom("\n# Pod CIDR of n\n[Route]\nDestination=10.0.0.0/26\n", "Gateway=x\n"),
  );
  const run = fc
    .tuple(fc.array(item, { minLength: 1, maxLength: 5 }), fc.integer({ min: -1, max: 5 }))
    .map(([texts, skip]): Piece => {
      const n = texts.length;
      const ranges = (
        skip >= 0 && skip < n
          ? [
              [0, skip],
              [skip + 1, n],
            ]
          : [[0, n]]
      ).filter(([a, b]) => a! < b!) as [number, number][];
      return { source: new SharedText(texts), ranges };
    });
  const pieces = fc.array(fc.oneof(chunk, run), { minLength: 1, maxLength: 5 });

  it("says fine only when iniProblem does, and exactly when it does for pieces of whole lines", () => {
    let fine = 0;
    fc.assert(
      fc.property(pieces, (ps) => {
        const verdict = iniPiecesFine(ps);
        const whole = iniProblem(joinPieces(ps)) === undefined;
        if (verdict) {
          fine++;
          expect(whole).toBe(true);
        }
        const texts = ps.flatMap((p) => (typeof p === "string" ? [p] : p.source.texts));
        if (texts.every((t) => t === "" || t.endsWith("\n"))) expect(verdict).toBe(whole);
      }),
      { ...PARAMS, numRuns: 5000 },
    );
    expect(fine).toBeGreaterThan(300);
  });
});

import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty, formatGithub } from "./format-github.js";
import type { Diagnostic } from "./types.js";

const base: Diagnostic = {
  code: "pool-cidr-invalid",
  severity: "error",
  message: 'IPPool "p": cidr "10.0.0.1" is not a CIDR',
  file: "pools.yaml",
  line: 6,
  column: 9,
  endLine: 6,
  endColumn: 17,
  resource: "IPPool/p",
  related: [],
};

describe("GitHub workflow commands", () => {
  it("write one annotation per finding, then the summary", () => {
    expect(formatGithub([base], { pathPrefix: "infra/net" })).toBe(
      '::error file=infra/net/pools.yaml,line=6,col=9,endLine=6,endColumn=17,title=pool-cidr-invalid::IPPool "p": cidr "10.0.0.1" is not a CIDR\n' +
        "1 error, 0 warnings, 0 info\n",
    );
  });

  it("escape %, CR and LF in messages, and also : and , in properties", () => {
    expect(escapeData("100% done\r\nnext")).toBe("100%25 done%0D%0Anext");
    expect(escapeProperty("a:b,c%")).toBe("a%3Ab%2Cc%25");
    // A line break inside a message is a value's (a name's): shown as \n, not as a new line.
    const odd = { ...base, file: "odd,name:x.yaml", message: "50% of\nthe nodes" };
    expect(formatGithub([odd]).split("\n")[0]).toBe(
      "::error file=odd%2Cname%3Ax.yaml,line=6,col=9,endLine=6,endColumn=17,title=pool-cidr-invalid::50%25 of\\nthe nodes",
    );
  });

  it("give columns only for a span on one line", () => {
    const multi = { ...base, endLine: 8, endColumn: 1 };
    expect(formatGithub([multi]).split("\n")[0]).toMatch(
      /^::error file=pools.yaml,line=6,endLine=8,title=pool-cidr-invalid::/,
    );
  });

  it("map warning and info, add related locations, and show a waived finding as a notice", () => {
    const lines = formatGithub([
      {
        ...base,
        severity: "warning",
        related: [{ ...base, line: 2, column: 3, message: "other" }],
      },
      { ...base, severity: "info" },
      { ...base, waived: { reason: "accepted: NET-1", file: "pools.yaml", line: 5, column: 27 } },
    ]).split("\n");
    expect(lines[0]).toMatch(
      /^::warning .*::IPPool "p": cidr "10.0.0.1" is not a CIDR%0Apools.yaml:2:3: note: other$/,
    );
    expect(lines[1]).toMatch(/^::notice .*title=pool-cidr-invalid::/);
    expect(lines[2]).toBe(
      '::notice file=pools.yaml,line=6,col=9,endLine=6,endColumn=17,title=pool-cidr-invalid (waived error)::IPPool "p": cidr "10.0.0.1" is not a CIDR%0Awaived: accepted: NET-1 (pools.yaml:5)',
    );
    expect(lines[3]).toBe("0 errors, 1 warning, 1 info, 1 waived");
  });
});

/**
 * Markdown injection (issue 18, item 15): the Action's job summary and `plan --format markdown`
 * (a pull-request comment) render repository values. Each value must render as text: the
 * documents are parsed with markdown-it (CommonMark, with GitHub's tables and autolinks) and
 * their structure — links, images, headings, HTML, table cells, lists, code — must be the same
 * as with a harmless value in the same places.
 */
import { spawnSync } from "node:child_process";
import MarkdownIt from "markdown-it";
import { afterEach, describe, expect, it } from "vitest";
import { renderSummary, type SummaryInput } from "../../src/action/summary.js";
import type { Diagnostic } from "../../src/diagnostics/types.js";
import { markdownText } from "../../src/util/markdown.js";
import { cli } from "../support.js";
import { repositories, yamlEscaped } from "./support.js";

const repos = repositories();
afterEach(() => repos.cleanup());

/** Everything Markdown or GitHub would act on, with bare CRs to leave an HTML block. */
const MARKDOWN_ATTACK = [
  "a\r\r[link](https://evil.example/) ![img](https://evil.example/i.png)",
  "<img src=x onerror=alert(1)> <a href='https://evil.example'>a</a> <details open>",
  "\n# heading\n\n| a | b |\n|---|---|\n| c | d |\n",
  "`code` ``x`` **bold** _em_ ~~gone~~ $x^2$ @someone #1",
  "www.evil.example https://evil.example <https://evil.example> mail@evil.example",
  "\r\n[ref]: https://evil.example\n\n---\n> quote\n- item\n1. one\n    indented code",
  "</code></td></tr></table>\n\n<script>alert(1)</script>\n\n```\nfence\n```",
  "&amp; &#60; \\* \\[",
].join(" ");

// GitHub autolinks only www., scheme:// and e-mail addresses, never a bare domain name.
const md = new MarkdownIt({ html: true, linkify: true });
md.linkify.set({ fuzzyLink: false });

/**
 * What GitHub's autolinks start from (www., evil's scheme, an e-mail) is not in the source
 * outside code blocks (a mermaid block's labels are mermaid's text, never linked).
 */
function expectNoAutolinkSource(markdown: string): void {
  const prose = markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, "");
  expect(prose).not.toMatch(/www\.|https?:\/\/evil|mail@/i);
}

/** The document's structure: every token but text, each with its tag or HTML. */
function structure(markdown: string): string[] {
  const out: string[] = [];
  const walk = (tokens: ReturnType<typeof md.parse>) => {
    for (const t of tokens) {
      if (t.children) walk(t.children);
      if (t.type === "inline" || t.type === "text" || t.type === "softbreak") continue;
      // A line break inside a value is written as <br>: text, not structure.
      if (t.type === "html_inline" && t.content === "<br>") continue;
      const detail = t.type.startsWith("html")
        ? htmlTags(t.content)
        : t.type === "fence"
          ? t.info
          : "";
      out.push(`${t.type}${t.tag ? `:${t.tag}` : ""}${detail ? ` ${detail}` : ""}`);
    }
  };
  walk(md.parse(markdown, {}));
  return out;
}

/** The tags of raw HTML (what GitHub renders of it), without the <br> that line breaks become. */
function htmlTags(html: string): string {
  return (html.match(/<\/?[A-Za-z][^>]*>/g) ?? []).filter((tag) => tag !== "<br>").join("");
}

function count(markdown: string, type: string): number {
  return structure(markdown).filter((s) => s.startsWith(type)).length;
}

describe("markdownText", () => {
  it("renders any value as exactly its text, in a table cell, a list item or HTML", () => {
    const value = MARKDOWN_ATTACK;
    for (const doc of [
      `| h |\n|---|\n| ${markdownText(value)} |\n`,
      `- ${markdownText(value)}\n`,
      `<table><tr><td>${markdownText(value)}</td></tr></table>\n`,
      `<code>${markdownText(value)}</code>\n`,
    ]) {
      const benign = doc.replace(markdownText(value), "x");
      expect(structure(doc)).toEqual(structure(benign));
    }
    // What the reader sees is the value, line breaks as breaks.
    const html = md.renderInline(markdownText("a*b*\r[l](u) <i>&amp;"));
    expect(html).toBe("a*b*<br>[l](u) &lt;i&gt;&amp;amp;");
  });
});

describe("the Action's job summary", () => {
  const diagnostic = (text: string): Diagnostic => ({
    code: `policy-${text}`,
    severity: "error",
    message: `IPPool "${text}" fails`,
    file: `pools/${text}.yaml`,
    line: 3,
    column: 5,
    endLine: 3,
    endColumn: 9,
    resource: `IPPool/${text}`,
    related: [
      { file: `a${text}.yaml`, line: 1, column: 1, endLine: 1, endColumn: 2, message: text },
    ],
    waived: { reason: text, file: "pools.yaml", line: 1, column: 1 },
  });
  const summary = (text: string, withPlan: boolean): string => {
    const input: SummaryInput = {
      failed: true,
      verdict: [`1 error: ${text}`],
      repo: text,
      diagnostics: [diagnostic(text), { ...diagnostic(text), waived: undefined }],
      notAnnotated: { error: 0, warning: 0, notice: 0 },
      planMarkdown: withPlan ? () => "### netcompile plan\n" : undefined,
      noPlanReason: `The base ${text} does not load`,
      location: (d) => ({
        text: `${d.file}:${d.line}`,
        href: `https://github.example/x#L${d.line}`,
      }),
    };
    return renderSummary(input);
  };

  it("links the location with its URL as written, and a quote in it cannot end the attribute", () => {
    const input = (href: string): SummaryInput => ({
      failed: true,
      verdict: ["1 error"],
      repo: "r",
      diagnostics: [diagnostic("benign")],
      notAnnotated: { error: 0, warning: 0, notice: 0 },
      planMarkdown: undefined,
      noPlanReason: "none",
      location: () => ({ text: "pools.yaml:3", href }),
    });
    expect(renderSummary(input("https://github.com/o/r/blob/abc/pools.yaml#L3"))).toContain(
      '<a href="https://github.com/o/r/blob/abc/pools.yaml#L3">',
    );
    const broken = renderSummary(input('https://x/"><img src=x onerror=alert(1)>'));
    expect(broken).toContain('href="https://x/&#34;&#62;&#60;img src=x onerror=alert(1)&#62;"');
    expect(count(broken, "image")).toBe(0);
  });

  it("a bare CR or any markup in a value adds no link, image, heading, HTML or cell", () => {
    for (const withPlan of [true, false]) {
      const hostile = summary(MARKDOWN_ATTACK, withPlan);
      expect(structure(hostile)).toEqual(structure(summary("benign", withPlan)));
      expect(count(hostile, "link_open")).toBe(0);
      expect(count(hostile, "image")).toBe(0);
      expectNoAutolinkSource(hostile);
    }
  });
});

describe("plan --format markdown", () => {
  function git(dir: string, ...args: string[]): void {
    const r = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  }

  /**
   * A pool switched from IP-in-IP to VXLAN (disruptive), with `text` in every free field Calico
   * accepts: an annotation value, the acknowledgement's reason, a subnet name, a node label.
   * (A pool name or label value with markup is Calico's verdict, pool-name-invalid and
   * pool-metadata-invalid, which nothing lowers: such a repository is never planned.)
   */
  async function planMarkdown(text: string): Promise<string> {
    const value = yamlEscaped(text);
    const cluster = (acks: string) => `apiVersion: netcompile.dev/v1alpha1
kind: Cluster
metadata:
  name: demo
spec:
  provider: bare-metal
${acks}`;
    const pool = (mode: string) => `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
  annotations:
    note: ${value}
spec:
  cidr: 192.168.0.0/16
  ${mode}
  natOutgoing: true
`;
    const topology = `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: ${value}
      cidr: 10.0.1.0/24
    - name: rack-2
      cidr: 10.0.2.0/24
  nodes:
    - name: node-1
      address: 10.0.1.10
      labels:
        team: ${value}
    - name: node-2
      address: 10.0.2.10
`;
    const dir = repos.make(
      {
        "netcompile.yaml": cluster(""),
        "pools.yaml": pool("ipipMode: CrossSubnet"),
        "topology.yaml": topology,
      },
      {},
    );
    git(dir, "init", "-q", "-b", "main");
    git(dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", "-A");
    git(dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "base");
    const acks = `  acknowledgements:
    - resource: IPPool/pods
      field: encapsulation
      from: IPIPCrossSubnet
      to: VXLAN
      reason: ${value}
`;
    const fs = await import("node:fs");
    const path = await import("node:path");
    fs.writeFileSync(path.join(dir, "netcompile.yaml"), cluster(acks));
    fs.writeFileSync(path.join(dir, "pools.yaml"), pool("vxlanMode: Always"));
    const r = await cli(["plan", "--repo", dir, "--base", "HEAD", "--format", "markdown"], dir);
    expect(r.stdout, r.stderr).toContain("### netcompile plan");
    return r.stdout;
  }

  it("names, labels, reasons and subnet names in every section add no markup", async () => {
    const hostile = await planMarkdown(MARKDOWN_ATTACK);
    const benign = await planMarkdown("benign");
    expect(hostile).toContain("Disruptive changes");
    // The attack is there, as text: the reason, at least.
    expect(hostile).toContain("evil.example");
    expect(structure(hostile)).toEqual(structure(benign));
    expect(count(hostile, "heading_open")).toBe(count(benign, "heading_open"));
    expect(count(hostile, "link_open")).toBe(0);
    expectNoAutolinkSource(hostile);
  });
});

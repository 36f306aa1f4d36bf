/**
 * Resource bounds on what a repository writes (issue 18, items 7 and 19): selectors nested
 * without end, and Policy assertions whose cost a hostile author chooses. Each is a diagnostic
 * naming the limit, never a stack overflow or a run past Argo CD's timeout.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { cidrContainsAddress } from "../../src/model/cidr.js";
import { parseSelector, MAX_SELECTOR_NESTING } from "../../src/model/selector.js";
import { MemoryRepoReader } from "../../src/load/reader.js";
import { compile } from "../../src/pipeline.js";
import { cli, minimalRepo } from "../support.js";
import { repositories, yamlEscaped } from "./support.js";

const repos = repositories();
afterEach(() => repos.cleanup());

const nested = (depth: number, inner = "a == 'b'") =>
  `${"(".repeat(depth)}${inner}${")".repeat(depth)}`;

const policy = (selector: string) => `apiVersion: netcompile.dev/v1alpha1
kind: Policy
metadata:
  name: team-label
spec:
  message: every pool has a team
  match:
    kinds: [IPPool]
    selector: ${yamlEscaped(selector)}
  assert:
    required: [metadata]
`;

describe("selector nesting (item 7)", () => {
  it("a Policy selector of 3,000 nested parentheses is a diagnostic, not a stack overflow", async () => {
    const dir = repos.make({ "policy.yaml": policy(nested(3000)) });
    const r = await cli(["validate", "--repo", dir, "--format", "json"], dir);
    expect(r.stderr).toBe("");
    const { diagnostics } = JSON.parse(r.stdout) as {
      diagnostics: { code: string; message: string; line: number }[];
    };
    // The Policy that fails its schema, and the info that it is left out of the rules.
    expect(diagnostics.map((d) => d.code)).toEqual(["NC2006", "NC2005"]);
    expect(diagnostics[1]!.message).toContain("1024");
    expect(r.code).toBe(1);
  });

  it("the parser refuses nesting past its limit, at the parenthesis that passes it", () => {
    const r = parseSelector(nested(MAX_SELECTOR_NESTING + 1));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toEqual({
      message: `parentheses nest deeper than ${MAX_SELECTOR_NESTING} levels`,
      offset: MAX_SELECTOR_NESTING,
    });
    // Every selector 1,024 characters can hold (what the schemas allow) is within the limit.
    const longest = nested(509, "has(a)");
    expect(longest).toHaveLength(1024);
    expect(parseSelector(longest).ok).toBe(true);
    expect(parseSelector(nested(MAX_SELECTOR_NESTING)).ok).toBe(true);
  });

  it("no input overflows the stack: nesting of any depth and shape parses or fails", () => {
    const piece = fc.constantFrom("(", ")", "!", "a == 'b'", " && ", " || ", "has(x)", "all()");
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.array(piece, { maxLength: 30 }),
        fc.constantFrom("(", "!(", "(!", "( "),
        (depth, middle, open) => {
          const text = `${open.repeat(depth)}${middle.join("")}${")".repeat(depth)}`;
          const r = parseSelector(text);
          expect(typeof r.ok).toBe("boolean");
        },
      ),
      { numRuns: 40 },
    );
  });

  it("a pool selector nested past the limit in a plan base's rendered manifests is refused, not a crash", async () => {
    const dir = repos.make({});
    const against = repos.make(
      {
        "netcompile.lock.json": "{}\n",
        "manifests/ippools.yaml": `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-1
spec:
  cidr: 192.168.0.0/16
  ipipMode: CrossSubnet
  nodeSelector: ${yamlEscaped(nested(100_000))}
`,
      },
      {},
    );
    const r = await cli(["plan", "--repo", dir, "--against", against], dir);
    expect(r.stderr).not.toContain("NC9001");
    expect(r.stdout).toContain("Plan:");
  });
});

describe("pools × nodes without the quadratic steps (item 19)", () => {
  // Labels drawn from a few values, so nodes share label sets (as node groups do) and differ.
  const label = fc.constantFrom("a", "b", "c");
  const selector = fc.oneof(
    fc.constantFrom("all()", "has(tier)", "!has(tier)", "kubernetes.io/hostname == 'n-3'"),
    label.map((v) => `tier == '${v}'`),
    fc.tuple(label, label).map(([x, y]) => `tier in {'${x}', '${y}'} || team == '${y}'`),
    label.map((v) => `topology.kubernetes.io/zone == 'z-${v}' && !has(team)`),
  );
  const node = fc.record({
    tier: fc.option(label, { nil: undefined }),
    team: fc.option(label, { nil: undefined }),
    subnet: fc.integer({ min: 0, max: 5 }),
  });

  it("each pool selects exactly the nodes its selector matches, in node order, in the subnets that contain them", () => {
    fc.assert(
      fc.property(
        fc.array(node, { minLength: 1, maxLength: 40 }),
        fc.array(selector, { minLength: 1, maxLength: 6 }),
        (nodes, selectors) => {
          // Subnets of several sizes, nested: 10.0.0.0/16 holds them all, /24s and /25s inside.
          const subnets = [
            "    - {name: all, cidr: 10.0.0.0/16}",
            ...[0, 1, 2, 3, 4, 5].map(
              (i) =>
                `    - {name: s-${i}, cidr: 10.0.${i}.0/${i % 2 ? 25 : 24}, zone: z-${"abc"[i % 3]}}`,
            ),
          ];
          const nodeLines = nodes.map((n, i) => {
            const labels = [n.tier && `tier: ${n.tier}`, n.team && `team: ${n.team}`].filter(
              Boolean,
            );
            return `    - {name: n-${i}, address: 10.0.${n.subnet}.${10 + i}, labels: {${labels.join(", ")}}}`;
          });
          const pools = selectors.map(
            (s, j) =>
              `---\napiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p-${j}}\nspec: {cidr: 10.${100 + j}.0.0/16, vxlanMode: Always, nodeSelector: ${JSON.stringify(s)}}\n`,
          );
          const result = compile(
            new MemoryRepoReader({
              "netcompile.yaml": minimalRepo["netcompile.yaml"]!,
              "topology.yaml": `apiVersion: netcompile.dev/v1alpha1\nkind: Topology\nmetadata: {name: t}\nspec:\n  subnets:\n${subnets.join("\n")}\n  nodes:\n${nodeLines.join("\n")}\n`,
              "pools.yaml": pools.join(""),
            }),
          );
          const model = result.model!;
          expect(model, JSON.stringify(result.diagnostics.slice(0, 3))).toBeDefined();
          for (const pool of model.pools) {
            const brute = model.topology.nodes.filter((n) => pool.nodeSelector!.matches(n.labels));
            expect(model.nodesByPool.get(pool.name)!.map((n) => n.name)).toEqual(
              brute.map((n) => n.name),
            );
          }
          for (const n of model.topology.nodes) {
            const brute = model.topology.subnets.filter(
              (s) => s.cidr && n.address && cidrContainsAddress(s.cidr, n.address),
            );
            expect(n.subnets.map((s) => s.name)).toEqual(brute.map((s) => s.name));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

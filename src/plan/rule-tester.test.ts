/** The plan rule tester refuses sloppy tests: each refusal is shown here on a toy plan rule. */
import { describe, expect, it } from "vitest";
import type { PlanRule } from "../policy/plan-rule.js";
import { BASE_REPO, poolYaml } from "../policy/tester.js";
import {
  PlanRuleTester,
  type ExpectedDisruption,
  type InvalidPlanCase,
  type ValidPlanCase,
} from "./rule-tester.js";

/** Reports every pool whose fields change, at its name. */
const toy: PlanRule = {
  id: "toy-plan-rule",
  meta: {
    description: "A pool changes.",
    defaultSeverity: "error",
    scope: "plan",
    acknowledgeable: true,
    titles: { title: "IPPool/{pool} changes", unusedTitle: "never" },
    messages: { changed: 'pool "{pool}" changes on {nodes}', other: "never reported" },
    steps: { roll: ["roll {pool}"], unusedSteps: ["never"] },
  },
  check(_model, ctx) {
    for (const { after } of ctx.diff.poolsChanged) {
      ctx.report({
        messageId: "changed",
        titleId: "title",
        stepsId: "roll",
        data: { pool: after.name, nodes: ctx.nodesText(after.nodes ?? []) },
        span: after.source!.at(["metadata", "name"]),
        resource: `IPPool/${after.name}`,
        change: { field: "spec.ipipMode", from: "CrossSubnet", to: after.ipipMode },
        pools: [after.name],
        nodes: after.nodes ?? [],
        targets: [{ kind: "IPPool", name: after.name }],
      });
    }
  },
};
const tidy: PlanRule = {
  ...toy,
  meta: {
    ...toy.meta,
    titles: { title: toy.meta.titles.title! },
    messages: { changed: toy.meta.messages.changed! },
    steps: { roll: toy.meta.steps!.roll! },
  },
};

const always = { "pools.yaml": poolYaml("pool-1", "cidr: 192.168.0.0/16", "ipipMode: Always") };
const same: ValidPlanCase = { name: "same", before: {}, after: {} };
const expected: ExpectedDisruption = {
  messageId: "changed",
  titleId: "title",
  stepsId: "roll",
  data: { pool: "pool-1", nodes: "2 nodes (node-1, node-2)" },
  file: "pools.yaml",
  line: 4,
  column: 9,
  change: { resource: "IPPool/pool-1", field: "spec.ipipMode", from: "CrossSubnet", to: "Always" },
  acknowledgeable: true,
  pools: ["pool-1"],
  nodes: ["node-1", "node-2"],
  addresses: ["projectcalico.org/v3/IPPool/pool-1"],
};
const changed: InvalidPlanCase = {
  name: "changed",
  before: {},
  after: always,
  disruptions: [expected],
};

/** Collects the tests the tester defines, so each can be run and its outcome checked. */
function collect(
  rule: PlanRule,
  valid: ValidPlanCase[],
  invalid: InvalidPlanCase[],
): Map<string, () => void> {
  const tests = new Map<string, () => void>();
  const path: string[] = [];
  new PlanRuleTester({
    describe(name, body) {
      path.push(name);
      body();
      path.pop();
    },
    it(name, body) {
      tests.set([...path, name].join(" > "), body);
    },
  }).run(rule, { valid, invalid });
  return tests;
}

const withOne = (change: Partial<ExpectedDisruption>): InvalidPlanCase => ({
  ...changed,
  disruptions: [{ ...expected, ...change }],
});

describe("PlanRuleTester", () => {
  it("passes a rule whose disruptions match, and names each case", () => {
    const tests = collect(tidy, [same], [changed]);
    expect([...tests.keys()]).toEqual([
      "toy-plan-rule > valid > same",
      "toy-plan-rule > invalid > changed",
      "toy-plan-rule > exercises every message, title and steps id in an invalid case, and every note id",
    ]);
    for (const body of tests.values()) body();
  });

  it("fails when a message, title or steps id is never exercised", () => {
    const tests = collect(toy, [same], [changed]);
    expect(() =>
      tests.get(
        "toy-plan-rule > exercises every message, title and steps id in an invalid case, and every note id",
      )!(),
    ).toThrow(
      'no invalid case expects message id "other", title id "unusedTitle", steps id "unusedSteps"',
    );
  });

  it("refuses duplicate case names and duplicate files", () => {
    expect(() => collect(tidy, [same, { ...same }], [changed])).toThrow(
      'duplicate case name "same"',
    );
    expect(() => collect(tidy, [same, { ...same, name: "again" }], [changed])).toThrow(
      'cases "same" and "again" have the same files',
    );
    // The same files planned --against the rendered tree are another case.
    expect(() =>
      collect(tidy, [same, { ...same, name: "rendered", rendered: {} }], [changed]),
    ).not.toThrow();
  });

  it("refuses an invalid case without expected disruptions", () => {
    expect(() => collect(tidy, [same], [{ ...changed, disruptions: [] }])).toThrow(
      "expects no disruptions",
    );
  });

  it("refuses an unknown message, title or steps id", () => {
    expect(() => collect(tidy, [same], [withOne({ messageId: "nope" })])).toThrow(
      'unknown message id "nope"',
    );
    expect(() => collect(tidy, [same], [withOne({ titleId: "nope" })])).toThrow(
      'unknown title id "nope"',
    );
    expect(() => collect(tidy, [same], [withOne({ stepsId: "nope" })])).toThrow(
      'unknown steps id "nope"',
    );
  });

  it("refuses data that does not fill exactly the message's, title's and steps' placeholders", () => {
    expect(() => collect(tidy, [same], [withOne({ data: { pool: "pool-1" } })])).toThrow(
      'data for "changed" must give exactly {nodes, pool}, not {pool}',
    );
    expect(() => collect(tidy, [same], [withOne({ data: { ...expected.data, x: 1 } })])).toThrow(
      "must give exactly {nodes, pool}, not {nodes, pool, x}",
    );
  });

  it("fails a case whose ids, data, place, change, pools, nodes or addresses differ", () => {
    const wrong: Partial<ExpectedDisruption>[] = [
      { stepsId: undefined },
      { data: { pool: "pool-1", nodes: "2 nodes" } },
      { line: 5 },
      { column: 10 },
      { change: { ...expected.change, to: "Never" } },
      { acknowledgeable: false },
      { pools: [] },
      { nodes: ["node-1"] },
      { addresses: [] },
      { related: [{ file: "pools.yaml", line: 4, column: 9, message: "here" }] },
    ];
    for (const change of wrong) {
      expect(
        () => collect(tidy, [same], [withOne(change)]).get("toy-plan-rule > invalid > changed")!(),
        JSON.stringify(change),
      ).toThrow("disruptions differ");
    }
  });

  it("fails a valid case the rule reports on", () => {
    const notValid = { name: "not valid", before: {}, after: always };
    expect(() =>
      collect(tidy, [notValid], [{ ...changed, before: { "x.yaml": null } }]).get(
        "toy-plan-rule > valid > not valid",
      )!(),
    ).toThrow("expected no disruptions");
  });

  it("fails a case whose before or after side does not compile", () => {
    const broken = { name: "broken", before: { "pools.yaml": "kind: [" }, after: {} };
    expect(() =>
      collect(tidy, [broken], [changed]).get("toy-plan-rule > valid > broken")!(),
    ).toThrow('case "broken": the before side does not compile');
  });

  it("plans a base with rule errors only when the case names them (as --base plans it)", () => {
    const outside = {
      "topology.yaml": BASE_REPO["topology.yaml"]!.replace("10.0.2.10", "10.0.9.10"),
    };
    const named = {
      ...changed,
      name: "named",
      before: outside,
      baseErrors: ["node-address-outside-subnets"],
    };
    expect(() =>
      collect(tidy, [same], [named]).get("toy-plan-rule > invalid > named")!(),
    ).not.toThrow();
    const unnamed = { ...named, name: "unnamed", baseErrors: undefined };
    expect(() =>
      collect(tidy, [same], [unnamed]).get("toy-plan-rule > invalid > unnamed")!(),
    ).toThrow('case "unnamed": the before side does not compile');
    const wrong = { ...named, name: "wrong", baseErrors: ["pool-overlap"] };
    expect(() => collect(tidy, [same], [wrong]).get("toy-plan-rule > invalid > wrong")!()).toThrow(
      "(the case expects errors pool-overlap)",
    );
  });

  it("fails a rule that reports data not filling its texts exactly", () => {
    const sloppy: PlanRule = {
      ...tidy,
      check(model, ctx) {
        tidy.check(model, {
          ...ctx,
          report: (r) => ctx.report({ ...r, data: { ...r.data, extra: 1 } }),
        });
      },
    };
    expect(() =>
      collect(sloppy, [same], [changed]).get("toy-plan-rule > invalid > changed")!(),
    ).toThrow('reported "changed" with data {extra, nodes, pool}');
  });

  describe("notes", () => {
    /** Notes every pool that changes, and reports nothing. */
    const noter: PlanRule = {
      id: "toy-plan-rule",
      meta: {
        description: "A pool changes.",
        defaultSeverity: "info",
        scope: "plan",
        acknowledgeable: false,
        notesOnly: true,
        titles: {},
        messages: {},
        notes: { changed: "IPPool/{pool} changes" },
      },
      check(_model, ctx) {
        for (const { after } of ctx.diff.poolsChanged)
          ctx.note({
            noteId: "changed",
            data: { pool: after.name },
            resource: `IPPool/${after.name}`,
          });
      },
    };
    const noted: ValidPlanCase = {
      name: "noted",
      before: {},
      after: always,
      notes: [{ noteId: "changed", data: { pool: "pool-1" }, resource: "IPPool/pool-1" }],
    };
    const run = (c: ValidPlanCase, rule: PlanRule = noter) =>
      collect(rule, [same, c], []).get(`toy-plan-rule > valid > ${c.name}`)!();

    it("passes a case whose notes match, and asks every note id to be exercised", () => {
      const tests = collect(noter, [same, noted], []);
      for (const body of tests.values()) body();
      const unused = collect(
        { ...noter, meta: { ...noter.meta, notes: { ...noter.meta.notes, other: "x" } } },
        [same, noted],
        [],
      );
      expect(() =>
        unused.get(
          "toy-plan-rule > exercises every message, title and steps id in an invalid case, and every note id",
        )!(),
      ).toThrow('no invalid case expects note id "other"');
    });

    it("fails a case that leaves out a note the rule adds, or expects another one", () => {
      expect(() => run({ ...noted, name: "silent", notes: undefined })).toThrow("notes differ");
      expect(() =>
        run({
          ...noted,
          name: "other pool",
          notes: [{ ...noted.notes![0]!, data: { pool: "x" } }],
        }),
      ).toThrow("notes differ");
    });

    it("refuses an unknown note id or data that does not fill the note", () => {
      expect(() =>
        collect(
          noter,
          [same, { ...noted, notes: [{ noteId: "nope", resource: "IPPool/pool-1" }] }],
          [],
        ),
      ).toThrow('expects unknown note id "nope"');
      expect(() =>
        collect(
          noter,
          [same, { ...noted, notes: [{ noteId: "changed", resource: "IPPool/pool-1" }] }],
          [],
        ),
      ).toThrow('data for note "changed" must give exactly {pool}, not {}');
    });

    it("refuses a rule that only notes but declares no notes, and fails one that reports", () => {
      expect(() => collect({ ...noter, meta: { ...noter.meta, notes: {} } }, [same], [])).toThrow(
        "declares no notes",
      );
      const reporting: PlanRule = { ...noter, check: (model, ctx) => tidy.check(model, ctx) };
      expect(() => run(noted, reporting)).toThrow("only notes; it reported");
    });
  });

  it("refuses a plan rule whose meta is sloppy", () => {
    expect(() => collect({ ...tidy, id: "Toy" }, [same], [changed])).toThrow("is not kebab-case");
    expect(() =>
      collect({ ...tidy, meta: { ...tidy.meta, defaultSeverity: "warning" } }, [same], [changed]),
    ).toThrow("defaultSeverity must be error");
    expect(() =>
      collect({ ...tidy, meta: { ...tidy.meta, titles: {} } }, [same], [changed]),
    ).toThrow("it declares no titles");
  });
});

/** The rule tester refuses sloppy tests: each refusal is shown here on a toy rule. */
import { describe, expect, it } from "vitest";
import type { Rule } from "./rule.js";
import { poolYaml, RuleTester, type InvalidCase, type ValidCase } from "./tester.js";

/** Reports every pool whose name starts with "bad", at its name. */
const toy: Rule = {
  id: "toy-rule",
  meta: {
    description: "A pool's name starts with bad.",
    defaultSeverity: "warning",
    messages: { bad: 'pool "{pool}" is bad', other: "never reported" },
  },
  check(model, ctx) {
    for (const pool of model.pools) {
      if (!pool.name.startsWith("bad")) continue;
      ctx.report({
        messageId: "bad",
        data: { pool: pool.name },
        span: pool.source.at(["metadata", "name"]),
        resource: `IPPool/${pool.name}`,
      });
    }
  },
};

const good: ValidCase = {
  name: "good",
  files: { "pools.yaml": poolYaml("good", "cidr: 10.0.0.0/16") },
};
const bad: InvalidCase = {
  name: "bad",
  files: { "pools.yaml": poolYaml("bad-1", "cidr: 10.0.0.0/16") },
  errors: [{ messageId: "bad", data: { pool: "bad-1" }, file: "pools.yaml", line: 4, column: 9 }],
};

/** Collects the tests the tester defines, so each can be run and its outcome checked. */
function collect(rule: Rule, valid: ValidCase[], invalid: InvalidCase[]): Map<string, () => void> {
  const tests = new Map<string, () => void>();
  const path: string[] = [];
  new RuleTester({
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

describe("RuleTester", () => {
  it("passes a rule whose findings match, and names each case", () => {
    const withOther: Rule = {
      ...toy,
      meta: { ...toy.meta, messages: { bad: toy.meta.messages.bad! } },
    };
    const tests = collect(withOther, [good], [bad]);
    expect([...tests.keys()]).toEqual([
      "toy-rule > valid > good",
      "toy-rule > invalid > bad",
      "toy-rule > exercises every message id in an invalid case",
    ]);
    for (const body of tests.values()) body();
  });

  it("fails when a message id is never exercised", () => {
    const tests = collect(toy, [good], [bad]);
    expect(() => tests.get("toy-rule > exercises every message id in an invalid case")!()).toThrow(
      "no invalid case expects message id(s): other",
    );
  });

  it("refuses duplicate case names and duplicate files", () => {
    expect(() => collect(toy, [good, { ...good }], [bad])).toThrow('duplicate case name "good"');
    expect(() => collect(toy, [good, { name: "again", files: good.files }], [bad])).toThrow(
      'cases "good" and "again" have the same files',
    );
  });

  it("refuses an invalid case without expected findings", () => {
    expect(() => collect(toy, [good], [{ ...bad, errors: [] }])).toThrow("expects no findings");
  });

  it("refuses an unknown message id", () => {
    const wrong = { ...bad, errors: [{ ...bad.errors[0]!, messageId: "nope" }] };
    expect(() => collect(toy, [good], [wrong])).toThrow('unknown message id "nope"');
  });

  it("refuses expected data that does not fill exactly the placeholders", () => {
    const missing = { ...bad, errors: [{ ...bad.errors[0]!, data: {} }] };
    expect(() => collect(toy, [good], [missing])).toThrow("must give exactly {pool}, not {}");
    const extra = { ...bad, errors: [{ ...bad.errors[0]!, data: { pool: "bad-1", x: 1 } }] };
    expect(() => collect(toy, [good], [extra])).toThrow("must give exactly {pool}, not {pool, x}");
  });

  it("fails a case whose data, line or column differ", () => {
    for (const change of [{ data: { pool: "bad-2" } }, { line: 5 }, { column: 10 }]) {
      const wrong = { ...bad, errors: [{ ...bad.errors[0]!, ...change }] };
      expect(() => collect(toy, [good], [wrong]).get("toy-rule > invalid > bad")!()).toThrow(
        "findings differ",
      );
    }
  });

  it("fails a valid case the rule reports on", () => {
    const notValid = {
      name: "not valid",
      files: { "pools.yaml": poolYaml("bad-2", "cidr: 10.0.0.0/16") },
    };
    expect(() => collect(toy, [notValid], [bad]).get("toy-rule > valid > not valid")!()).toThrow(
      "expected no findings",
    );
  });

  it("fails a case that does not reach the policy stage", () => {
    const broken = { name: "broken", files: { "pools.yaml": "kind: [" } };
    expect(() => collect(toy, [broken], [bad]).get("toy-rule > valid > broken")!()).toThrow(
      'case "broken" does not reach the policy stage',
    );
  });

  it("fails a rule that reports data not filling its message, or no resource", () => {
    const sloppy: Rule = {
      ...toy,
      check(model, ctx) {
        ctx.report({ messageId: "bad", span: model.pools[0]!.source.span, resource: "x" });
      },
    };
    expect(() => collect(sloppy, [good], [bad]).get("toy-rule > valid > good")!()).toThrow(
      'reported "bad" with data {}, but its message has placeholders {pool}',
    );
    const anonymous: Rule = {
      ...toy,
      check(model, ctx) {
        ctx.report({ messageId: "bad", data: { pool: "p" }, span: model.pools[0]!.source.span });
      },
    };
    expect(() => collect(anonymous, [good], [bad]).get("toy-rule > valid > good")!()).toThrow(
      "reported a finding with no resource",
    );
  });

  it("refuses a rule whose id or description is sloppy", () => {
    expect(() => collect({ ...toy, id: "Toy_Rule" }, [good], [bad])).toThrow("is not kebab-case");
    expect(() =>
      collect({ ...toy, meta: { ...toy.meta, description: "no capital" } }, [good], [bad]),
    ).toThrow("description must be a sentence");
  });
});

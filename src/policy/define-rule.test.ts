/**
 * defineRule, definePlanRule and defineLiveRule type a rule's reports from its own texts: tsc (npm run
 * typecheck) fails on each `@ts-expect-error` line below if that check ever stops holding.
 */
import { describe, expect, it } from "vitest";
import type { Span } from "../diagnostics/types.js";
import type { Model } from "../model/types.js";
import type { LiveSnapshot } from "../live/snapshot.js";
import { collectReports } from "./engine.js";
import { collectLiveReports } from "./live-engine.js";
import { defineLiveRule } from "./live-rule.js";
import { definePlanRule, type PlanReport, type PlanRuleContext } from "./plan-rule.js";
import { defineRule } from "./rule.js";

const span: Span = { file: "pools.yaml", line: 1, column: 1, endLine: 1, endColumn: 2 };

const typed = defineRule({
  id: "typed-rule",
  meta: {
    description: "Reports what the type checks allow.",
    defaultSeverity: "warning",
    messages: { bad: 'pool "{pool}" is bad in {cidr}', plain: "no placeholders" },
  },
  check(_model, ctx) {
    ctx.report({ messageId: "bad", data: { pool: "p", cidr: "10.0.0.0/16" }, span });
    ctx.report({ messageId: "plain", span });
    if (span.line > 0) return;
    // @ts-expect-error -- "worse" is not one of meta.messages' ids
    ctx.report({ messageId: "worse", span });
    // @ts-expect-error -- "bad" needs {cidr} as well
    ctx.report({ messageId: "bad", data: { pool: "p" }, span });
    // @ts-expect-error -- "bad" has no {extra}
    ctx.report({ messageId: "bad", data: { pool: "p", cidr: "c", extra: 1 }, span });
    // @ts-expect-error -- "bad" has placeholders, so data is required
    ctx.report({ messageId: "bad", span });
    // @ts-expect-error -- "plain" has no placeholder, so it takes no data
    ctx.report({ messageId: "plain", data: { pool: "p" }, span });
  },
});

const change = { field: "spec.ipipMode", from: "Always", to: "Never" };
const typedPlan = definePlanRule({
  id: "typed-plan-rule",
  meta: {
    description: "Reports what the type checks allow.",
    defaultSeverity: "error",
    scope: "plan",
    acknowledgeable: true,
    titles: { title: "IPPool/{pool} changes" },
    messages: { changed: "workloads on {nodes} are disrupted" },
    steps: { roll: ["roll {pool} at {when}"] },
  },
  check(_model, ctx) {
    const common = { span, resource: "IPPool/p", change, nodes: [], targets: [] };
    const data = { pool: "p", nodes: "no node" };
    ctx.report({ ...common, messageId: "changed", titleId: "title", data });
    const withSteps = { ...data, when: "tonight" };
    ctx.report({
      ...common,
      messageId: "changed",
      titleId: "title",
      stepsId: "roll",
      data: withSteps,
    });
    if (span.line > 0) return;
    // @ts-expect-error -- "other" is not one of meta.titles' ids
    ctx.report({ ...common, messageId: "changed", titleId: "other", data });
    // @ts-expect-error -- "other" is not one of meta.steps' ids
    ctx.report({ ...common, messageId: "changed", titleId: "title", stepsId: "other", data });
    // @ts-expect-error -- "roll" needs {when}
    ctx.report({ ...common, messageId: "changed", titleId: "title", stepsId: "roll", data });
    // @ts-expect-error -- the title needs {pool}
    ctx.report({ ...common, messageId: "changed", titleId: "title", data: { nodes: "a" } });
  },
});

const typedLive = defineLiveRule({
  id: "typed-live-rule",
  meta: {
    description: "Reports what the type checks allow.",
    defaultSeverity: "warning",
    scope: "live",
    category: "live",
    messages: { differs: 'node "{node}" runs with {live}', plain: "no placeholders" },
  },
  check(_model, ctx) {
    ctx.report({ messageId: "differs", data: { node: "a", live: ctx.countText(2, "pool") }, span });
    ctx.report({ messageId: "plain", span });
    if (span.line > 0) return;
    // @ts-expect-error -- "other" is not one of meta.messages' ids
    ctx.report({ messageId: "other", span });
    // @ts-expect-error -- "differs" needs {live} as well
    ctx.report({ messageId: "differs", data: { node: "a" }, span });
    // @ts-expect-error -- "plain" has no placeholder, so it takes no data
    ctx.report({ messageId: "plain", data: { node: "a" }, span });
  },
});

describe("defineRule", () => {
  it("passes the rule's reports through unchanged", () => {
    const reports = collectReports(typed, {} as Model);
    expect(reports).toEqual([
      { messageId: "bad", data: { pool: "p", cidr: "10.0.0.0/16" }, span },
      { messageId: "plain", span },
    ]);
  });
});

describe("definePlanRule", () => {
  it("passes the context's facts and the rule's reports through unchanged", () => {
    const reports: PlanReport[] = [];
    const ctx = {
      report: (report: PlanReport) => reports.push(report),
    } as unknown as PlanRuleContext;
    typedPlan.check({} as Model, ctx);
    expect(reports.map((r) => [r.messageId, r.titleId, r.stepsId, r.data])).toEqual([
      ["changed", "title", undefined, { pool: "p", nodes: "no node" }],
      ["changed", "title", "roll", { pool: "p", nodes: "no node", when: "tonight" }],
    ]);
  });
});

describe("defineLiveRule", () => {
  it("passes the context's helpers and the rule's reports through unchanged", () => {
    const reports = collectLiveReports(typedLive, {} as Model, {} as LiveSnapshot);
    expect(reports).toEqual([
      { messageId: "differs", data: { node: "a", live: "2 pools" }, span },
      { messageId: "plain", span },
    ]);
  });
});

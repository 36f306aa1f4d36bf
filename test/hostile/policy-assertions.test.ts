/**
 * Policy assertions a repository writes (issue 18, items 19 and 21): a JSON Schema must either
 * work as it reads or be refused — never pass silently (`required: [toString]`, `$async`) —
 * and must not cost more than a bounded amount whatever it says (a pattern that backtracks,
 * uniqueItems over a long list).
 */
import { afterEach, describe, expect, it } from "vitest";
import { cli } from "../support.js";
import { repositories } from "./support.js";

const repos = repositories();
afterEach(() => repos.cleanup());

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  line: number;
}

const policy = (assert: string, kinds = "[IPPool]") => `apiVersion: netcompile.dev/v1alpha1
kind: Policy
metadata:
  name: org-rule
spec:
  message: the organisation's rule
  match:
    kinds: ${kinds}
  assert:
${assert
  .split("\n")
  .map((l) => `    ${l}`)
  .join("\n")}
`;

async function validate(files: Record<string, string>) {
  const dir = repos.make(files);
  const r = await cli(["validate", "--repo", dir, "--format", "json"], dir);
  expect(r.stderr).toBe("");
  const diagnostics = (JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
  return { code: r.code, diagnostics };
}

describe("assertions that used to pass whatever the resource", () => {
  it.each(["toString", "constructor", "hasOwnProperty", "__proto__", "valueOf"])(
    "required: [%s] fails on a resource that has no such field (own fields only)",
    async (name) => {
      const { code, diagnostics } = await validate({
        "policy.yaml": policy(`required: [${JSON.stringify(name)}]`),
      });
      expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
        ["org-rule", `the organisation's rule (${name} is required)`],
      ]);
      expect(code).toBe(1);
    },
  );

  it("an $async schema is refused (NC3007): its answer would be a promise, always truthy", async () => {
    const { code, diagnostics } = await validate({
      "policy.yaml": policy("$async: true\nrequired: [nothere]"),
    });
    expect(diagnostics.map((d) => d.code)).toEqual(["NC3007"]);
    expect(diagnostics[0]!.message).toBe(
      'Policy "org-rule": spec.assert is not a usable JSON Schema: $async schemas are not supported: an assertion must answer at once',
    );
    expect(code).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { parseSelector, type Selector, type SelectorError } from "./selector.js";

type Labels = Record<string, string>;

function parse(source: string): Selector {
  const result = parseSelector(source);
  if (!result.ok) {
    throw new Error(`expected ${JSON.stringify(source)} to parse: ${result.error.message}`);
  }
  return result.selector;
}

function parseError(source: string): SelectorError {
  const result = parseSelector(source);
  if (result.ok) {
    throw new Error(`expected ${JSON.stringify(source)} to fail, got ${result.selector.canonical}`);
  }
  return result.error;
}

// Cases from projectcalico/calico libcalico-go/lib/selector/parser/parser_test.go (selectorTests):
// selector, label maps that match, label maps that do not.
const upstreamSelectorTests: readonly (readonly [string, readonly Labels[], readonly Labels[]])[] =
  [
    [`a == "b"`, [{ a: "b" }, { a: "b", c: "d" }], [{}, { a: "c" }, { c: "d" }]],
    [
      `a == "b" && c == "d"`,
      [{ a: "b", c: "d" }],
      [{}, { a: "b", c: "e" }, { a: "c", c: "d" }, { c: "d" }, { a: "b" }],
    ],
    [
      `a == "b" || c == "d"`,
      [{ a: "b", c: "d" }, { a: "b" }, { c: "d" }],
      [{}, { a: "e", c: "e" }, { c: "e" }, { a: "e" }],
    ],
    [`a in {"'", '"', "c"}`, [{ a: "c" }, { a: `"` }, { a: `'` }], [{}, { a: "e" }]],
    [`a not in {"'", '"', "c"}`, [{}, { a: "e" }], [{ a: "c" }, { a: `"` }, { a: `'` }]],
    [`a == 'a'`, [{ a: "a" }], []],
    [`a == "a"`, [{ a: "a" }], []],
    [`a != "b"`, [{ a: "a" }], []],
    [`a != "a"`, [{}], []],
    [
      `a contains "a"`,
      [{ a: "a" }, { a: "bab" }, { a: "aaa", b: "c" }],
      [{}, { a: "b" }, { b: "aaa" }],
    ],
    [
      `a starts with "a"`,
      [{ a: "a" }, { a: "abb" }, { a: "aaa", b: "c" }],
      [{}, { a: "b" }, { a: "baa" }, { b: "aaa" }],
    ],
    [
      `a ends with "a"`,
      [{ a: "a" }, { a: "bba" }, { a: "aaa", b: "c" }],
      [{}, { a: "b" }, { a: "aab" }, { b: "aaa" }],
    ],
    [`a in {"a"}`, [{ a: "a" }], []],
    [`!a in {"a"}`, [{ a: "b" }], []],
    [`a in {"a", "b"}`, [{ a: "a" }], []],
    [`a in {"a", "b"}`, [{ a: "b" }], []],
    [`a not in {"d", "e"}`, [{ a: "a" }], []],
    [`has(a)`, [{ a: "b" }], []],
    [`!has(a)`, [{ b: "b" }], []],
    [``, [{}], []],
    [` `, [{}], []],
    [``, [{ a: "b" }], []],
    [`all()`, [{}], []],
    [` all()`, [{}], []],
    [` all()`, [{ a: "b" }], []],
    [`global()`, [{}], []],
    [` global()`, [{}], []],
    [` global()`, [{ a: "b" }], []],
    [`a == 'a'`, [], [{ a: "b" }]],
    [`a == 'a'`, [], [{}]],
    [`a != "a"`, [], [{ a: "a" }]],
    [`a != 'a'`, [], [{ a: "a" }]],
    [`a in {"a"}`, [], [{ a: "b" }]],
    [`a not in {"a"}`, [], [{ a: "a" }]],
    [`a in {"a", "b"}`, [], [{ a: "c" }]],
    [`has(b)`, [], [{ a: "b" }]],
    [`!!has(b)`, [], [{ a: "b" }]],
    [`! has(a)`, [], [{ a: "b" }]],
    [`!has(a)`, [], [{ a: "b" }]],
    [`!!! has(a)`, [], [{ a: "b" }]],
    [`!!!has(a)`, [], [{ a: "b" }]],
    [`!! ! has(a)`, [], [{ a: "b" }]],
    [`! !!has(a)`, [], [{ a: "b" }]],
    // Boolean expressions...
    [`a == 'a1' && b == 'b1'`, [{ a: "a1", b: "b1" }], []],
    [`a == 'a1' && b != 'b1'`, [], [{ a: "a1", b: "b1" }]],
    [`a != 'a1' && b == 'b1'`, [], [{ a: "a1", b: "b1" }]],
    [`a != 'a1' && b != 'b1'`, [], [{ a: "a1", b: "b1" }]],
    [`a != 'a1' && !b == 'b1'`, [], [{ a: "a1", b: "b1" }]],
    [`!a == 'a1' && b == 'b1'`, [], [{ a: "a1", b: "b1" }]],
    [`has(a) && !has(b)`, [{ a: "a" }], []],
    [`!has(b) && has(a)`, [{ a: "a" }], []],
    [`!(!has(a) || has(b))`, [{ a: "a" }], []],
    [`!(has(b) || !has(a))`, [{ a: "a" }], []],
    [`a == 'a1' || b == 'b1'`, [{ a: "a1", b: "b1" }], []],
    [`a == 'a1' || b != 'b1'`, [{ a: "a1", b: "b1" }], []],
    [`a != 'a1' || b == 'b1'`, [{ a: "a1", b: "b1" }], []],
    [`a != 'a1' || b != 'b1'`, [], [{ a: "a1", b: "b1" }]],
    [`! a == 'a1' || ! b == 'b1'`, [], [{ a: "a1", b: "b1" }]],
  ];

// parser_test.go badSelectors.
const upstreamBadSelectors: readonly string[] = [
  "b == b", // label == label
  "b contains b", // label contains label
  "b starts with b", // label starts with label
  "b ends with b", // label ends with label
  "'b1' == b", // literal on lhs
  "b", // bare label
  "a b", // garbage
  "!",
  `foo == "bar" &`,
  `foo == "bar" |`,
  `foo != ||`,
  `foo in {"", ||`,
  `foo in ""`, // expect set literal
  `"FOO`, // unterminated string
  `"FOO'`,
  `'FOO`,
  `(`, // unterminated paren
  `(a == "foo"`,
  `)`,
  `()`,
  `%`, // unexpected char
  `a == "b" && %`,
  `a == "b" || %`,
  `a `, // should be followed by operator
  `has(foo) &&`,
];

// parser_test.go canonicalisationTests (input, String()).
const upstreamCanonicalisation: readonly (readonly [string, string])[] = [
  ["", "all()"],
  [" all() ", "all()"],
  [" (all() )", "all()"],
  [`! (has( b)||! has(a ))`, "!(has(b) || !has(a))"],
  [`! (a == "b"&&! c != "d")`, `!(a == "b" && !c != "d")`],
  [`a == "'"`, `a == "'"`],
  [`a == '"'`, `a == '"'`],
  [`a contains '"'`, `a contains '"'`],
  [`a contains "'"`, `a contains "'"`],
  [`a startswith '"'`, `a starts with '"'`],
  [`a endswith "'"`, `a ends with "'"`],
  [`a!='"'`, `a != '"'`],
  // Set items get sorted/de-duped.
  [`a in {"d"}`, `a in {"d"}`],
  [`a in {"a", "b"}`, `a in {"a", "b"}`],
  [`a in {"d", "a", "b"}`, `a in {"a", "b", "d"}`],
  [`a in {"z", "x", "y", "a"}`, `a in {"a", "x", "y", "z"}`],
  [`a in {"z", "z", "x", "y", "x", "a"}`, `a in {"a", "x", "y", "z"}`],
  // From the Visitor table in parser_test.go (without the label prefix it adds).
  ["k == 'v'", `k == "v"`],
  ["k != 'v'", `k != "v"`],
  ["k contains 'v'", `k contains "v"`],
  ["k starts with 'v'", `k starts with "v"`],
  ["k ends with 'v'", `k ends with "v"`],
  ["k == 'v' && x == 'y'", `(k == "v" && x == "y")`],
  ["k == 'v' || has(x)", `(k == "v" || has(x))`],
  ["!(k == 'v')", `!k == "v"`],
  ["k in {'v'}", `k in {"v"}`],
  ["k not in {'v'}", `k not in {"v"}`],
  [
    "!(!(k == 'v' && has(t) || all()) && (a in {'b', 'c'}))",
    `!(!((k == "v" && has(t)) || all()) && a in {"b", "c"})`,
  ],
];

describe("upstream parser_test.go selectorTests", () => {
  it.each(upstreamSelectorTests)("%j", (source, matching, notMatching) => {
    const selector = parse(source);
    // Upstream also re-parses String() and expects the same results.
    const reparsed = parse(selector.canonical);
    for (const labels of matching) {
      expect(selector.matches(labels), JSON.stringify(labels)).toBe(true);
      expect(reparsed.matches(labels), JSON.stringify(labels)).toBe(true);
    }
    for (const labels of notMatching) {
      expect(selector.matches(labels), JSON.stringify(labels)).toBe(false);
      expect(reparsed.matches(labels), JSON.stringify(labels)).toBe(false);
    }
  });
});

describe("upstream parser_test.go badSelectors", () => {
  it.each(upstreamBadSelectors.map((s) => [s]))("rejects %j", (source) => {
    const error = parseError(source);
    expect(error.message).not.toBe("");
    expect(error.offset).toBeGreaterThanOrEqual(0);
    expect(error.offset).toBeLessThanOrEqual(source.length);
  });
});

describe("upstream parser_test.go canonicalisationTests", () => {
  it.each(upstreamCanonicalisation)("%j canonicalises to %j and round-trips", (input, expected) => {
    const selector = parse(input);
    expect(selector.canonical).toBe(expected);
    expect(selector.source).toBe(input);
    expect(parse(expected).canonical).toBe(expected);
  });
});

// Inputs from projectcalico/calico libcalico-go/lib/selector/tokenizer/tokenizer_test.go.
describe("upstream tokenizer_test.go", () => {
  it.each([
    [`a=="b"`, `a == "b"`],
    [`a!="b"`, `a != "b"`],
    [`a != "b"`, `a != "b"`],
    [`(a=="b")`, `a == "b"`],
    [`label == "value"`, `label == "value"`],
    [`label contains "value"`, `label contains "value"`],
    [`contains contains "contains"`, `contains contains "contains"`],
    [`contains contains 'contains'`, `contains contains "contains"`],
    [`label contains"value"`, `label contains "value"`],
    [`label startswith "value"`, `label starts with "value"`],
    [`label endswith "value"`, `label ends with "value"`],
    [`label starts with "value"`, `label starts with "value"`],
    [`startswith starts with "value"`, `startswith starts with "value"`],
    [`label ends with "value"`, `label ends with "value"`],
    [`endswith ends with "value"`, `endswith ends with "value"`],
    [`label starts  with "value"`, `label starts with "value"`],
    [`label ends  with "value"`, `label ends with "value"`],
    [`has(calico/k8s_ns)`, `has(calico/k8s_ns)`],
    [`has(calico/k8s_ns/role)`, `has(calico/k8s_ns/role)`],
    [`has(calico/k8s_NS-.1/role)`, `has(calico/k8s_NS-.1/role)`],
    [
      `calico/k8s_ns == "kube-system" && k8s-app == "kube-dns"`,
      `(calico/k8s_ns == "kube-system" && k8s-app == "kube-dns")`,
    ],
    [`a not in {}`, `a not in {}`],
    [`a not in {"a"}`, `a not in {"a"}`],
    [`a not in {"a","B"}`, `a not in {"B", "a"}`],
    [`global()`, `global()`],
    [`global( )`, `global()`],
    [`all()`, `all()`],
    [`all( )`, `all()`],
  ])("accepts %j as %j", (input, canonical) => {
    expect(parse(input).canonical).toBe(canonical);
  });

  it.each([
    ["a".repeat(513) + ` == "value"`],
    [`label == "value`],
    [`label == 'value`],
    [`label = "value"`],
    [`all(`],
    [`global(`],
    [`has()`],
    [`has(foo`],
    [`has( foo `],
    [`a == "b" & has(foo)`],
    [`a == "b" | has(foo)`],
    [`label starts foo "value"`],
    [`label inf "value"`],
    [`label ends foo "value"`],
    [`label ends withs "value"`],
    [`label squiggles "value"`],
    // These tokenize upstream but do not parse ("in" needs a {set}).
    [`a not in "bar" && !has(foo) || b in c`],
    [`a notin"bar"&&!has(foo)||b in"c"`],
  ])("rejects %j", (input) => {
    parseError(input);
  });

  it("accepts a 512-character label and rejects 513, in comparisons and has()", () => {
    const long = "a".repeat(512);
    expect(parse(`${long} == "value"`).matches({ [long]: "value" })).toBe(true);
    expect(parse(`has(${long})`).canonical).toBe(`has(${long})`);
    expect(parseError(`${long}a == "value"`)).toEqual({
      message: "label is too long (513 characters; the maximum is 512)",
      offset: 0,
    });
    expect(parseError(`has( ${long}a)`).offset).toBe(5);
  });
});

// The selector table of the Calico docs ("Selectors" in the NetworkPolicy / IPPool reference,
// tigera/docs calico/_includes/content/_selectors.mdx).
describe("documented operators", () => {
  const none: Labels = {};
  it.each<[string, Labels[], Labels[]]>([
    ["( k == 'v' )", [{ k: "v" }], [none, { k: "w" }]],
    ["! k == 'v'", [none, { k: "w" }], [{ k: "v" }]],
    ["k == 'v' && j == 'w'", [{ k: "v", j: "w" }], [{ k: "v" }, { j: "w" }]],
    ["k == 'v' || j == 'w'", [{ k: "v" }, { j: "w" }], [none, { k: "w", j: "v" }]],
    ["all()", [none, { k: "v" }], []],
    ["!all()", [], [none, { k: "v" }]],
    ["global()", [none, { k: "v" }], []],
    ["k == 'v'", [{ k: "v" }], [none, { k: "vv" }, { K: "v" }]],
    ["k != 'v'", [none, { k: "w" }, { k: "" }], [{ k: "v" }]],
    ["has(k)", [{ k: "" }, { k: "v" }], [none, { K: "v" }]],
    ["!has(k)", [none, { j: "v" }], [{ k: "" }]],
    ["k in { 'v1', 'v2' }", [{ k: "v1" }, { k: "v2" }], [none, { k: "v3" }, { k: "v" }]],
    ["k not in { 'v1', 'v2' }", [none, { k: "v3" }, { k: "" }], [{ k: "v1" }, { k: "v2" }]],
    ["k contains 's'", [{ k: "s" }, { k: "xsx" }], [none, { k: "S" }, { k: "" }]],
    ["k starts with 's'", [{ k: "s" }, { k: "sx" }], [none, { k: "xs" }]],
    ["k ends with 's'", [{ k: "s" }, { k: "xs" }], [none, { k: "sx" }]],
  ])("%j", (source, matching, notMatching) => {
    const selector = parse(source);
    for (const labels of matching)
      expect(selector.matches(labels), JSON.stringify(labels)).toBe(true);
    for (const labels of notMatching) {
      expect(selector.matches(labels), JSON.stringify(labels)).toBe(false);
    }
  });

  it("brackets the documented precedence example as the docs say", () => {
    const source = `! has(my-label) || my-label starts with 'prod' && role in {'frontend','business'}`;
    const selector = parse(source);
    expect(selector.canonical).toBe(
      `(!has(my-label) || (my-label starts with "prod" && role in {"business", "frontend"}))`,
    );
    const bracketed = parse(
      `((!(has(my-label))) || ((my-label starts with 'prod') && (role in {'frontend','business'})))`,
    );
    expect(bracketed.canonical).toBe(selector.canonical);
    expect(selector.matches({})).toBe(true);
    expect(selector.matches({ role: "frontend" })).toBe(true);
    expect(selector.matches({ "my-label": "production", role: "business" })).toBe(true);
    expect(selector.matches({ "my-label": "production", role: "db" })).toBe(false);
    expect(selector.matches({ "my-label": "dev", role: "frontend" })).toBe(false);
  });
});

describe("precedence", () => {
  it("binds && tighter than ||", () => {
    const selector = parse(`a == "1" || b == "1" && c == "1"`);
    expect(selector.canonical).toBe(`(a == "1" || (b == "1" && c == "1"))`);
    expect(selector.matches({ a: "1" })).toBe(true);
    expect(selector.matches({ b: "1" })).toBe(false);
    expect(selector.matches({ b: "1", c: "1" })).toBe(true);

    const left = parse(`a == "1" && b == "1" || c == "1"`);
    expect(left.canonical).toBe(`((a == "1" && b == "1") || c == "1")`);
    expect(left.matches({ c: "1" })).toBe(true);
  });

  it("binds ! tighter than && and ||, and parentheses override", () => {
    expect(parse(`!has(a) && has(b)`).canonical).toBe("(!has(a) && has(b))");
    expect(parse(`!(has(a) && has(b))`).canonical).toBe("!(has(a) && has(b))");
    expect(parse(`!(has(a) && has(b))`).matches({ a: "" })).toBe(true);
    expect(parse(`!has(a) && has(b)`).matches({ a: "" })).toBe(false);
    expect(parse(`(a == "1" || b == "1") && c == "1"`).matches({ a: "1" })).toBe(false);
  });

  it("collapses runs of ! (an even count cancels out)", () => {
    expect(parse("!!has(a)").canonical).toBe("has(a)");
    expect(parse("! ! ! has(a)").canonical).toBe("!has(a)");
    expect(parse("!!!!(a == 'b' || has(c))").canonical).toBe(`(a == "b" || has(c))`);
  });

  it("keeps chains flat and nested groups nested, like upstream's And/Or nodes", () => {
    expect(parse("has(a) && has(b) && has(c)").canonical).toBe("(has(a) && has(b) && has(c))");
    expect(parse("has(a) || has(b) || has(c)").canonical).toBe("(has(a) || has(b) || has(c))");
    expect(parse("(has(a) && has(b)) && has(c)").canonical).toBe("((has(a) && has(b)) && has(c))");
    expect(parse("((((has(a)))))").canonical).toBe("has(a)");
  });
});

describe("missing labels (parser/ast.go Evaluate)", () => {
  it.each<[string, boolean]>([
    [`a == "x"`, false],
    [`a != "x"`, true],
    [`a in {"x"}`, false],
    [`a not in {"x"}`, true],
    [`a in {}`, false],
    [`a not in {}`, true],
    [`a contains ""`, false],
    [`a starts with ""`, false],
    [`a ends with ""`, false],
    [`has(a)`, false],
    [`!has(a)`, true],
    [`!a == "x"`, true],
    [`!a != "x"`, false],
  ])("%j on labels without a is %s", (source, expected) => {
    expect(parse(source).matches({ b: "x" })).toBe(expected);
  });

  it("treats an empty value as present", () => {
    expect(parse(`has(a)`).matches({ a: "" })).toBe(true);
    expect(parse(`a == ""`).matches({ a: "" })).toBe(true);
    expect(parse(`a != ""`).matches({ a: "" })).toBe(false);
    expect(parse(`a contains ""`).matches({ a: "" })).toBe(true);
    expect(parse(`a in {""}`).matches({ a: "" })).toBe(true);
    expect(parse(`a not in {""}`).matches({ a: "" })).toBe(false);
  });

  it("only looks at own properties (labels named like Object.prototype members)", () => {
    for (const key of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      expect(parse(`has(${key})`).matches({}), key).toBe(false);
      expect(parse(`${key} != "x"`).matches({}), key).toBe(true);
      expect(parse(`${key} not in {"x"}`).matches({}), key).toBe(true);
      expect(parse(`${key} contains ""`).matches({}), key).toBe(false);
      const labels: Labels = Object.fromEntries([[key, "x"]]);
      expect(parse(`${key} == "x"`).matches(labels), key).toBe(true);
      expect(parse(`${key} in {"x"}`).matches(labels), key).toBe(true);
      expect(parse(`${key} starts with "x"`).matches(labels), key).toBe(true);
    }
    expect(parse(`has(a)`).matches(Object.create(null) as Labels)).toBe(false);
  });
});

describe("the empty selector", () => {
  it.each([[""], [" "], ["\t"], [" \t  "]])("%j is all() and matches everything", (source) => {
    const selector = parse(source);
    expect(selector.canonical).toBe("all()");
    expect(selector.source).toBe(source);
    expect(selector.usesGlobal).toBe(false);
    expect(selector.matches({})).toBe(true);
    expect(selector.matches({ a: "b" })).toBe(true);
  });
});

describe("quoting and strings", () => {
  it("accepts single and double quotes with no escape sequences", () => {
    expect(parse(`a == 'b'`).canonical).toBe(`a == "b"`);
    expect(parse(`a == "it's"`).canonical).toBe(`a == "it's"`);
    expect(parse(`a == 'say "hi"'`).canonical).toBe(`a == 'say "hi"'`);
    const backslash = parse(`a == "x\\"`);
    expect(backslash.canonical).toBe(`a == "x\\"`);
    expect(backslash.matches({ a: "x\\" })).toBe(true);
    // A backslash does not escape the quote: the string is "it\\" and a stray label "s" follows.
    expect(parseError(`a == 'it\\'s'`)).toMatchObject({
      offset: 10,
      message: /unexpected label "s"/,
    });
  });

  it("keeps string contents verbatim, blanks, operators and newlines included", () => {
    const selector = parse(`a == " x && y || !has(z) \n"`);
    expect(selector.matches({ a: " x && y || !has(z) \n" })).toBe(true);
    expect(selector.matches({ a: "x && y || !has(z)" })).toBe(false);
    expect(parse(`a in {"ünïcode", '😀'}`).matches({ a: "😀" })).toBe(true);
  });

  it("compares case-sensitively", () => {
    expect(parse(`a == "B"`).matches({ a: "b" })).toBe(false);
    expect(parse(`A == "b"`).matches({ a: "b" })).toBe(false);
  });

  it("quotes set members individually", () => {
    expect(parse(`a in {'x"y', "z'"}`).canonical).toBe(`a in {'x"y', "z'"}`);
    expect(parse(`a not in {'x"y', "z'"}`).matches({ a: `x"y` })).toBe(false);
  });

  it("sorts set members by code point, as Go sorts strings by bytes", () => {
    expect(parse(`a in {"😀", "\uffff", "é", "Z", "a", ""}`).canonical).toBe(
      `a in {"", "Z", "a", "é", "\uffff", "😀"}`,
    );
  });

  it("accepts a trailing comma and the empty set, but not an empty member", () => {
    expect(parse(`a in {"x",}`).canonical).toBe(`a in {"x"}`);
    expect(parse(`a in {}`).canonical).toBe(`a in {}`);
    expect(parse(`a in{ }`).canonical).toBe(`a in {}`);
    parseError(`a in {,}`);
    parseError(`a in {"x",,}`);
    parseError(`a in {"x" "y"}`);
  });
});

describe("label keys", () => {
  it("accepts prefixed keys and every label character", () => {
    const selector = parse(
      `kubernetes.io/hostname == "node-1" && projectcalico.org/zone in {"z1"} && has(topology.kubernetes.io/region)`,
    );
    expect(
      selector.matches({
        "kubernetes.io/hostname": "node-1",
        "projectcalico.org/zone": "z1",
        "topology.kubernetes.io/region": "eu",
      }),
    ).toBe(true);
    expect(parse(`A-Z_a.z/0-9 == "v"`).matches({ "A-Z_a.z/0-9": "v" })).toBe(true);
    expect(parse(`-._/ == "v"`).canonical).toBe(`-._/ == "v"`);
    expect(parse(`123 == "v"`).matches({ "123": "v" })).toBe(true);
  });

  it("lets keywords be label names", () => {
    expect(parse(`in in {"a"}`).canonical).toBe(`in in {"a"}`);
    expect(parse(`not in {"a"}`).canonical).toBe(`not in {"a"}`);
    expect(parse(`not not in {"a"}`).canonical).toBe(`not not in {"a"}`);
    expect(parse(`has == "x"`).matches({ has: "x" })).toBe(true);
    expect(parse(`all == "x" || global != "y"`).canonical).toBe(`(all == "x" || global != "y")`);
    expect(parse(`starts starts with "s"`).matches({ starts: "sx" })).toBe(true);
    expect(parse(`a notin {"x"}`).canonical).toBe(`a not in {"x"}`);
    expect(parse(`a not\tin {"x"}`).canonical).toBe(`a not in {"x"}`);
  });

  it("rejects characters Calico does not allow in a label", () => {
    expect(parseError(`kubernetes.io/hostname: == 'casey-crc-kadm-node-4'`)).toMatchObject({
      offset: 22,
    });
    expect(parseError(`a:b == "c"`).offset).toBe(1);
    expect(parseError(`é == "c"`)).toEqual({ message: 'unexpected character "é"', offset: 0 });
    expect(parseError(`has(a:b)`)).toEqual({ message: 'expected ")" to close "has("', offset: 5 });
  });

  it("needs has(, all( and global( written without a space before the parenthesis", () => {
    parseError(`has (a)`);
    parseError(`all ()`);
    parseError(`global ()`);
    parseError(`HAS(a)`);
    expect(parse(`has(  a  )`).canonical).toBe("has(a)");
    expect(parse(`all(\t)`).canonical).toBe("all()");
  });
});

describe("whitespace", () => {
  it("allows spaces and tabs anywhere between tokens, and none at all", () => {
    expect(parse(`\ta\t==\t"b"\t&&\thas(c)\t`).canonical).toBe(`(a == "b" && has(c))`);
    expect(parse(`a=="b"&&!has(c)||d in{"e"}`).canonical).toBe(
      `((a == "b" && !has(c)) || d in {"e"})`,
    );
    expect(parse(`a contains"b"`).canonical).toBe(`a contains "b"`);
  });

  it("rejects newlines and other whitespace, with the offset of the character", () => {
    expect(parseError(`a == "b"\n`)).toEqual({
      message: 'unexpected character "\\n" (only spaces and tabs may separate tokens)',
      offset: 8,
    });
    expect(parseError(`has(a) &&\r\nhas(b)`).offset).toBe(9);
    expect(parseError(`\u00a0all()`).offset).toBe(0);
    expect(parseError(`a\n== "b"`).offset).toBe(1);
  });
});

describe("errors", () => {
  it.each<[string, string, number]>([
    [`a == b`, 'expected a quoted string after "==" but found label "b"', 5],
    [`a ==`, 'expected a quoted string after "==" but found the end of the selector', 4],
    [`a != has(b)`, 'expected a quoted string after "!=" but found "has(b)"', 5],
    [`a contains b`, 'expected a quoted string after "contains" but found label "b"', 11],
    [`a starts with b`, 'expected a quoted string after "starts with" but found label "b"', 14],
    [`a ends with {"b"}`, 'expected a quoted string after "ends with" but found "{"', 12],
    [`a in "b"`, `expected a set such as {"a", "b"} after "in" but found string "b"`, 5],
    [
      `a not in`,
      `expected a set such as {"a", "b"} after "not in" but found the end of the selector`,
      8,
    ],
    [`a in {"b"`, 'expected "," or "}" in set but found the end of the selector', 9],
    [`a in {"b" "c"}`, `expected "," or "}" in set but found string "c"`, 10],
    [`a in {"b", x}`, 'expected a quoted string or "}" in set but found label "x"', 11],
    [
      `a`,
      'expected an operator (==, !=, in, not in, contains, starts with, ends with) after label "a" but found the end of the selector',
      1,
    ],
    [
      `a b`,
      'expected an operator (==, !=, in, not in, contains, starts with, ends with) after label "a"',
      2,
    ],
    [`a = "b"`, 'expected "==" but found a single "="', 2],
    [`has(a) & has(b)`, 'expected "&&" but found a single "&"', 7],
    [`has(a) | has(b)`, 'expected "||" but found a single "|"', 7],
    [`a == "b`, 'unterminated string: no closing " for the string that starts here', 5],
    [`a == 'b"`, "unterminated string: no closing ' for the string that starts here", 5],
    [`has()`, 'expected a label name inside "has(...)"', 4],
    [`has( a b)`, 'expected ")" to close "has("', 7],
    [`all(x)`, 'expected ")" after "all("', 4],
    [`global(`, 'expected ")" after "global("', 7],
    [`(has(a)`, 'expected ")" to close the "(" at offset 0 but found the end of the selector', 7],
    [`(has(a) has(b))`, 'expected ")" to close the "(" at offset 0 but found "has(b)"', 8],
    [
      `has(a))`,
      'unexpected ")" after a complete expression; expected "&&", "||" or the end of the selector',
      6,
    ],
    [
      `has(a) has(b)`,
      'unexpected "has(b)" after a complete expression; expected "&&", "||" or the end of the selector',
      7,
    ],
    [
      `()`,
      'expected an expression (a label comparison, has(), all(), global(), "!" or "(") but found ")"',
      1,
    ],
    [
      `!`,
      'expected an expression (a label comparison, has(), all(), global(), "!" or "(") but found the end of the selector',
      1,
    ],
    [
      `has(a) &&`,
      'expected an expression (a label comparison, has(), all(), global(), "!" or "(") but found the end of the selector',
      9,
    ],
    [
      `has(a) || || has(b)`,
      'expected an expression (a label comparison, has(), all(), global(), "!" or "(") but found "||"',
      10,
    ],
    [
      `'b1' == b`,
      `expected an expression (a label comparison, has(), all(), global(), "!" or "(") but found string 'b1'`,
      0,
    ],
    [
      `!= "b"`,
      'expected an expression (a label comparison, has(), all(), global(), "!" or "(") but found "!="',
      0,
    ],
    [`%`, 'unexpected character "%"', 0],
  ])("%j: %s (offset %d)", (source, message, offset) => {
    expect(parseError(source)).toEqual({ message, offset });
  });

  it("reports the leftmost problem", () => {
    // Upstream tokenizes first, so it would complain about "%"; both are rejections.
    expect(parseError(`a == && %`).offset).toBe(5);
    expect(parseError(`a == "b" && %`).offset).toBe(12);
  });
});

// Selectors from projectcalico/calico libcalico-go/lib/validator/v3/validator_test.go.
describe("validator_test.go selectors", () => {
  it.each([
    [`foo == "bar"`],
    ["has(calico/k8s_ns)"],
    ["!all()"],
    [`region == "east" && environment == "production"`],
    [`region in {"east", "west"}`],
    [`team == "backend" || team == "frontend"`],
    [`environment contains "prod"`],
    ["projectcalico.org/name == 'test'"],
    ["  global()  "],
  ])("accepts %j", (source) => {
    parse(source);
  });

  it.each([
    ["thing=hello &"],
    ["this is not valid selector syntax"],
    ["kubernetes.io/hostname: == 'casey-crc-kadm-node-4'"],
  ])("rejects %j", (source) => {
    parseError(source);
  });
});

describe("usesGlobal", () => {
  it.each<[string, boolean]>([
    ["global()", true],
    ["  global( )  ", true],
    ["!global()", true],
    ["has(a) && (b == 'c' || !global())", true],
    ["all()", false],
    ["", false],
    ["global == 'x'", false],
    ["has(global)", false],
    ["a == 'global()'", false],
  ])("%j -> %s", (source, expected) => {
    expect(parse(source).usesGlobal).toBe(expected);
  });

  it("evaluates global() as true, like all()", () => {
    expect(parse("global()").matches({})).toBe(true);
    expect(parse("!global()").matches({ a: "b" })).toBe(false);
  });
});

describe("evaluation", () => {
  it("reuses one parsed selector across many label maps", () => {
    const selector = parse(
      `kubernetes.io/os == "linux" && topology.kubernetes.io/zone in {"z1", "z3"} && !has(node-role.kubernetes.io/control-plane)`,
    );
    const nodes: Labels[] = [];
    for (let i = 0; i < 10_000; i++) {
      const labels: Labels = { "kubernetes.io/os": i % 10 === 0 ? "windows" : "linux" };
      labels["topology.kubernetes.io/zone"] = `z${i % 4}`;
      if (i % 7 === 0) labels["node-role.kubernetes.io/control-plane"] = "";
      nodes.push(labels);
    }
    const expected = nodes.filter(
      (l) =>
        l["kubernetes.io/os"] === "linux" &&
        ["z1", "z3"].includes(l["topology.kubernetes.io/zone"]!) &&
        !("node-role.kubernetes.io/control-plane" in l),
    ).length;
    expect(nodes.filter((l) => selector.matches(l)).length).toBe(expected);
    expect(nodes.filter(selector.matches).length).toBe(expected);
    expect(expected).toBeGreaterThan(0);
  });
});

/**
 * Handlebars, set up once: strict (a missing value throws instead of rendering empty),
 * no HTML escaping (values are quoted for their format by helpers instead), every template
 * made the first time it is used and cached for the process.
 *
 * The bundles (the CLI's lib/netcompile.cjs, the Action's dist/) carry the templates precompiled
 * at build time (precompile.ts), so a run only wraps their code, which V8's code cache then holds
 * too, instead of parsing and compiling the template (`new Function`, never cached). A template
 * whose file differs from the one precompiled (templates/ ships beside lib/, and can be edited)
 * is compiled from the file, as every template is when running from source.
 *
 * `{{#eachItem list}}...{{/eachItem}}` is `each` for blocks that read only the item, over an
 * array or a PeerList (a list shared between hosts, less one entry: host-model.ts). The block's
 * text for every item of a list is rendered once and remembered for that list (SharedText), and
 * each host's output is a range of it: static-mode hosts of one subnet list the same peers, so
 * a peer's lines are rendered once per subnet instead of once per host. A template whose
 * eachItem block reads anything but its item (`../`, `@index`, a partial) is refused when it is
 * compiled, so the remembered text is always what rendering would give.
 */
import { createHash } from "node:crypto";
import Handlebars from "handlebars";
import { must } from "../util/must.js";
import { readAsset } from "../assets.js";
import { iniValue, yamlScalar } from "../util/quote.js";
import { SharedText, type ItemRun, type Piece } from "./pieces.js";
import { PRECOMPILED } from "./precompiled.js";

const hb = Handlebars.create();
hb.registerHelper("q", (value: unknown) => yamlScalar(value));
hb.registerHelper("ini", (value: unknown) => iniValue(value));
hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
hb.registerHelper("ne", (a: unknown, b: unknown) => a !== b);
hb.registerHelper("or", (...args: unknown[]) => args.slice(0, -1).some(Boolean));
hb.registerHelper("and", (...args: unknown[]) => args.slice(0, -1).every(Boolean));
hb.registerHelper("not", (value: unknown) => !value);

/** The template being rendered: the first half of eachItem's block key. */
let rendering: string | undefined;
// Values reach templates as data only: no prototype lookups. One object for every call.
const RUNTIME: Handlebars.RuntimeOptions = Object.freeze({
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
});

/** "template#block" -> shared list -> the block's text for each of its items. */
const sharedTexts = new Map<string, WeakMap<readonly unknown[], SharedText>>();
/** While renderTemplatePieces runs: each eachItem block's output, in order. */
let runs: ItemRun[] | undefined;
/** Marks where run i goes in the template's output: NUL never reaches it from a value. */
const MARK = "\0";

/** eachItem takes a PeerList (host-model.ts: a shared list less one entry) or an array. */
function asList(value: unknown): { shared: readonly unknown[]; skip: number } {
  if (Array.isArray(value)) return { shared: value, skip: -1 };
  const list = value as { shared?: unknown; skip?: unknown } | null;
  if (list && Array.isArray(list.shared) && typeof list.skip === "number")
    return { shared: list.shared, skip: list.skip };
  throw new TypeError("eachItem takes an array or a PeerList");
}

hb.registerHelper("eachItem", function (value: unknown, options: Handlebars.HelperOptions) {
  const { shared, skip } = asList(value);
  const block = `${rendering}#${(options.fn as { program?: number }).program}`;
  let memo = sharedTexts.get(block);
  if (!memo) sharedTexts.set(block, (memo = new WeakMap()));
  let source = memo.get(shared);
  if (!source) {
    source = new SharedText(shared.map((item) => options.fn(item)));
    memo.set(shared, source);
  }
  const n = shared.length;
  const around: [number, number][] =
    skip >= 0 && skip < n
      ? [
          [0, skip],
          [skip + 1, n],
        ]
      : [[0, n]];
  const ranges = around.filter(([a, b]) => a < b);
  if (!runs) return ranges.map(([a, b]) => source.slice(a, b)).join("");
  runs.push(Object.freeze({ source, ranges: Object.freeze(ranges) }));
  return `${MARK}${runs.length - 1}${MARK}`;
});

const HELPERS = {
  q: true,
  ini: true,
  eq: true,
  ne: true,
  or: true,
  and: true,
  not: true,
  eachItem: true,
} as const;

/** How every template is compiled, at build time and at run time alike. */
const OPTIONS = {
  // No @data variables (eachItem refuses them; no template uses them): no frames to make.
  data: false,
  strict: true,
  noEscape: true,
  knownHelpersOnly: true,
  knownHelpers: HELPERS,
} as const satisfies CompileOptions;

type Template = (context: object) => string;

const cache = new Map<string, Template>();
/** How each template made so far was made: from the bundle's code, or compiled here. */
const origins = new Map<string, "precompiled" | "compiled">();

/** Renders `templates/<name>.hbs` with `context`. */
export function renderTemplate(name: string, context: object): string {
  return template(name)(context);
}

/**
 * Renders `templates/<name>.hbs` with `context` as pieces (pieces.ts): the template's text,
 * with each eachItem block's output kept as its list of item texts.
 */
export function renderTemplatePieces(name: string, context: object): Piece[] {
  const collected: ItemRun[] = [];
  runs = collected;
  let text: string;
  try {
    text = template(name)(context);
  } finally {
    runs = undefined;
  }
  if (collected.length === 0) return [text];
  const parts = text.split(MARK);
  const marked =
    parts.length === 2 * collected.length + 1 &&
    parts.every((part, i) => i % 2 === 0 || part === String((i - 1) / 2));
  if (!marked) throw new Error(`templates/${name}.hbs: a rendered value holds a NUL character`);
  // Runs of no items (a host with no peers in a list) vanish; the text around them merges.
  const pieces: Piece[] = [];
  parts.forEach((part, i) => {
    const last = pieces.at(-1);
    if (i % 2 === 1) {
      const run = must(collected[(i - 1) / 2], "a marked item run");
      if (run.ranges.length > 0) pieces.push(run);
    } else if (typeof last === "string") pieces[pieces.length - 1] = last + part;
    else if (part !== "") pieces.push(part);
  });
  if (pieces.length === 0) pieces.push("");
  return pieces;
}

function template(name: string): Template {
  let made = cache.get(name);
  if (!made) {
    const source = readAsset(`templates/${name}.hbs`);
    const precompiled = PRECOMPILED[name];
    const current = precompiled !== undefined && precompiled.sha256 === templateHash(source);
    made = current ? running(name, hb.template(precompiled.spec)) : compileTemplate(name, source);
    cache.set(name, made);
    origins.set(name, current ? "precompiled" : "compiled");
  }
  return made;
}

/** The templates made so far in this process, and whether each was precompiled (tests). */
export function templateOrigins(): ReadonlyMap<string, "precompiled" | "compiled"> {
  return origins;
}

/** What a precompiled template is checked against: the SHA-256 of its source, hex. */
export function templateHash(source: string): string {
  return createHash("sha256").update(source, "utf8").digest("hex");
}

/** Compiles a template, refusing an eachItem block that reads anything but its item. */
export function compileTemplate(name: string, source: string): Template {
  // Compiled from the tree just checked: the source is parsed once.
  return running(name, hb.compile(checkedTree(name, source), OPTIONS));
}

/**
 * A template's code as JavaScript source (an object literal for `Handlebars.template`), for the
 * bundles; refuses what compileTemplate refuses, so such a template fails the build.
 */
export function precompileTemplate(name: string, source: string): string {
  // Handlebars' typings say a spec object; precompile returns its source text.
  return hb.precompile(checkedTree(name, source), OPTIONS) as unknown as string;
}

function checkedTree(name: string, source: string): hbs.AST.Program {
  const ast = hb.parse(source);
  checkItemBlocks(name, ast, false);
  return ast;
}

/** A template function that renders as `name` (eachItem's memo key) with the runtime options. */
function running(name: string, compiled: Handlebars.TemplateDelegate): Template {
  return (context) => {
    const outer = rendering;
    rendering = name;
    try {
      return compiled(context, RUNTIME);
    } finally {
      rendering = outer;
    }
  };
}

type AstNode = hbs.AST.Node & Record<string, unknown>;

function checkItemBlocks(name: string, node: unknown, inItem: boolean): void {
  if (Array.isArray(node)) {
    for (const child of node) checkItemBlocks(name, child, inItem);
    return;
  }
  if (!node || typeof node !== "object" || typeof (node as AstNode).type !== "string") return;
  const n = node as AstNode;
  const where = () => `templates/${name}.hbs:${n.loc?.start.line ?? "?"}`;
  if (inItem) {
    if (n.type === "PathExpression") {
      const path = n as unknown as hbs.AST.PathExpression;
      if (path.depth > 0 || path.data)
        throw new Error(`${where()}: an eachItem block reads ${path.original}, not its item`);
    }
    if (n.type === "PartialStatement" || n.type === "PartialBlockStatement")
      throw new Error(`${where()}: an eachItem block calls a partial`);
  }
  if (n.type === "BlockStatement" || n.type === "DecoratorBlock") {
    const block = n as unknown as hbs.AST.BlockStatement;
    if (block.path.original === "eachItem") {
      if (inItem) throw new Error(`${where()}: an eachItem block inside another`);
      if (block.inverse) throw new Error(`${where()}: eachItem has no {{else}}`);
      checkItemBlocks(name, block.params, inItem);
      checkItemBlocks(name, block.hash, inItem);
      checkItemBlocks(name, block.program, true);
      return;
    }
  }
  for (const key of Object.keys(n)) if (key !== "loc") checkItemBlocks(name, n[key], inItem);
}

import { must } from "../util/must.js";
/**
 * Calico label selectors: a parser and evaluator that accept exactly what Calico accepts and
 * match exactly what Calico matches.
 *
 * Behaviour follows projectcalico/calico libcalico-go/lib/selector:
 *  - tokenizer/tokenizer.go (what a token is, whitespace, label characters, operator words),
 *  - parser/parser.go (grammar, precedence, the empty selector),
 *  - parser/ast.go (evaluation of each operator and the canonical String() form).
 * The code here is written independently; only the behaviour is meant to be the same.
 *
 * Grammar (|| binds loosest, then &&, then a run of "!" prefixes):
 *
 *   selector  := <blank> | or
 *   or        := and ("||" and)*
 *   and       := operation ("&&" operation)*
 *   operation := "!"* ( "all()" | "global()" | "has(" label ")" | "(" or ")"
 *                     | label ("==" | "!=" | "contains" | "starts with" | "ends with") string
 *                     | label ("in" | "not in") "{" [string ("," string)* [","]] "}" )
 *
 * Whitespace is only space and tab; labels are runs of [A-Za-z0-9_./-] of at most 512
 * characters; strings are '...' or "..." with no escapes.
 *
 * Evaluation compiles the tree once into closures, so matching a label map does no parsing
 * and no regular-expression work.
 */

export interface Selector {
  /** The text as given. */
  readonly source: string;
  /** Calico's canonical string form (Selector.String() upstream), e.g. `all()`, `a == "b"`. */
  readonly canonical: string;
  /** True when the expression contains global() anywhere. */
  readonly usesGlobal: boolean;
  /** Every label the expression reads: labels outside it cannot change `matches`. */
  readonly labels: readonly string[];
  /** A plain function (it reads no `this`): it may be passed on alone, e.g. to filter. */
  readonly matches: (labels: Readonly<Record<string, string>>) => boolean;
}

export interface SelectorError {
  readonly message: string;
  /** 0-based offset into the source where parsing failed. */
  readonly offset: number;
}

export type SelectorParseResult =
  | { readonly ok: true; readonly selector: Selector }
  | { readonly ok: false; readonly error: SelectorError };

/** Longest label Calico accepts (tokenizer.MaxLabelLength). */
const MAX_LABEL_LENGTH = 512;

/**
 * Deepest nesting of parentheses parsed. Calico's parser has no limit of its own (Go's stack
 * grows); this one recurses per level, so a hostile selector (a Policy's, a base tree's) could
 * overflow the stack. 512 is more than the 1,024 characters the schemas allow can nest, so no
 * selector Calico would be given from a repository is refused for it.
 */
export const MAX_SELECTOR_NESTING = 512;

// ---------------------------------------------------------------------------------------------
// Tokens

type ValueOpKind = "eq" | "ne" | "contains" | "startswith" | "endswith";
type SetOpKind = "in" | "notin";

type TokenKind =
  | "label"
  | "string"
  | "lbrace"
  | "rbrace"
  | "comma"
  | ValueOpKind
  | SetOpKind
  | "not"
  | "all"
  | "global"
  | "has"
  | "lparen"
  | "rparen"
  | "and"
  | "or"
  | "eof"
  /** The lexer stopped here; `value` holds its message. Always the last token. */
  | "error";

interface Token {
  readonly kind: TokenKind;
  /** Label name, string contents, has() label, or an error message. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

const OPERATOR_TEXT: Readonly<Record<ValueOpKind | SetOpKind, string>> = {
  eq: "==",
  ne: "!=",
  contains: "contains",
  startswith: "starts with",
  endswith: "ends with",
  in: "in",
  notin: "not in",
};

const SPACE = 0x20;
const TAB = 0x09;

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}

function skipBlanks(src: string, i: number): number {
  while (i < src.length && isBlank(src.charCodeAt(i))) i++;
  return i;
}

/** Characters of a label name: A-Z a-z 0-9 _ . / - (tokenizer.go identifierChar). */
function isLabelChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x5f || // _
    code === 0x2e || // .
    code === 0x2f || // /
    code === 0x2d // -
  );
}

function scanLabel(src: string, i: number): number {
  while (i < src.length && isLabelChar(src.charCodeAt(i))) i++;
  return i;
}

/** A keyword ends at the end of input or at any character that cannot be part of a label. */
function atWordBoundary(src: string, i: number): boolean {
  return i >= src.length || !isLabelChar(src.charCodeAt(i));
}

/**
 * Matches the words of an operator at `i`, allowing blanks (or nothing) between them, so
 * "not in", "not  in" and "notin" are all the same operator. Returns the end offset.
 */
function matchWords(src: string, i: number, words: readonly string[]): number | undefined {
  let j = i;
  for (const [w, word] of words.entries()) {
    if (!src.startsWith(word, j)) return undefined;
    j += word.length;
    if (w < words.length - 1) j = skipBlanks(src, j);
  }
  return atWordBoundary(src, j) ? j : undefined;
}

/** The operator words that may follow a label, in the order Calico tries them. */
const OPERATOR_WORDS: readonly (readonly [ValueOpKind | SetOpKind, readonly string[]])[] = [
  ["contains", ["contains"]],
  ["startswith", ["starts", "with"]],
  ["endswith", ["ends", "with"]],
  ["notin", ["not", "in"]],
  ["in", ["in"]],
];

function describeChar(src: string, i: number): string {
  return JSON.stringify(
    String.fromCodePoint(must(src.codePointAt(i), "a character at the offset")),
  );
}

function labelTooLong(length: number): string {
  return `label is too long (${length} characters; the maximum is ${MAX_LABEL_LENGTH})`;
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, start: number, end: number, value = ""): void => {
    tokens.push({ kind, value, start, end });
  };
  const fail = (message: string, offset: number): Token[] => {
    push("error", offset, offset, message);
    return tokens;
  };

  let i = 0;
  for (;;) {
    i = skipBlanks(src, i);
    if (i >= src.length) {
      push("eof", src.length, src.length);
      return tokens;
    }
    const start = i;
    const ch = src[i];
    switch (ch) {
      case "(":
        push("lparen", i, ++i);
        break;
      case ")":
        push("rparen", i, ++i);
        break;
      case "{":
        push("lbrace", i, ++i);
        break;
      case "}":
        push("rbrace", i, ++i);
        break;
      case ",":
        push("comma", i, ++i);
        break;
      case '"':
      case "'": {
        const close = src.indexOf(ch, i + 1);
        if (close < 0) {
          return fail(`unterminated string: no closing ${ch} for the string that starts here`, i);
        }
        i = close + 1;
        push("string", start, i, src.slice(start + 1, close));
        break;
      }
      case "=":
        if (!src.startsWith("==", i)) return fail('expected "==" but found a single "="', i);
        i += 2;
        push("eq", start, i);
        break;
      case "!":
        if (src.startsWith("!=", i)) {
          i += 2;
          push("ne", start, i);
        } else {
          push("not", i, ++i);
        }
        break;
      case "&":
        if (!src.startsWith("&&", i)) return fail('expected "&&" but found a single "&"', i);
        i += 2;
        push("and", start, i);
        break;
      case "|":
        if (!src.startsWith("||", i)) return fail('expected "||" but found a single "|"', i);
        i += 2;
        push("or", start, i);
        break;
      default: {
        const previous = tokens[tokens.length - 1];
        if (previous?.kind === "label") {
          // Right after a label only an operator word can follow (tokenizer.go).
          let matched = false;
          for (const [kind, words] of OPERATOR_WORDS) {
            const end = matchWords(src, i, words);
            if (end !== undefined) {
              push(kind, start, end);
              i = end;
              matched = true;
              break;
            }
          }
          if (!matched) {
            return fail(
              `expected an operator (==, !=, in, not in, contains, starts with, ends with) ` +
                `after label ${JSON.stringify(previous.value)}`,
              i,
            );
          }
        } else if (src.startsWith("has(", i)) {
          const nameStart = skipBlanks(src, i + 4);
          const nameEnd = scanLabel(src, nameStart);
          if (nameEnd === nameStart) {
            return fail('expected a label name inside "has(...)"', nameStart);
          }
          if (nameEnd - nameStart > MAX_LABEL_LENGTH) {
            return fail(labelTooLong(nameEnd - nameStart), nameStart);
          }
          const close = skipBlanks(src, nameEnd);
          if (src[close] !== ")") return fail('expected ")" to close "has("', close);
          i = close + 1;
          push("has", start, i, src.slice(nameStart, nameEnd));
        } else if (src.startsWith("all(", i) || src.startsWith("global(", i)) {
          const isAll = src[i] === "a";
          const close = skipBlanks(src, i + (isAll ? 4 : 7));
          if (src[close] !== ")") {
            return fail(`expected ")" after "${isAll ? "all" : "global"}("`, close);
          }
          i = close + 1;
          push(isAll ? "all" : "global", start, i);
        } else {
          const end = scanLabel(src, i);
          if (end === i) {
            const hint = /\s/.test(src.charAt(i))
              ? " (only spaces and tabs may separate tokens)"
              : "";
            return fail(`unexpected character ${describeChar(src, i)}${hint}`, i);
          }
          if (end - i > MAX_LABEL_LENGTH) return fail(labelTooLong(end - i), i);
          i = end;
          push("label", start, end, src.slice(start, end));
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Syntax tree

type Node =
  | { readonly kind: "all" }
  | { readonly kind: "global" }
  | { readonly kind: "has"; readonly label: string }
  | { readonly kind: ValueOpKind; readonly label: string; readonly value: string }
  /** `values` sorted (by code point, as Go sorts bytes) and de-duplicated. */
  | { readonly kind: SetOpKind; readonly label: string; readonly values: readonly string[] }
  | { readonly kind: "not"; readonly operand: Node }
  | { readonly kind: "and" | "or"; readonly operands: readonly Node[] };

const ALL: Node = { kind: "all" };

class ParseFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function describeToken(src: string, token: Token): string {
  switch (token.kind) {
    case "eof":
      return "the end of the selector";
    case "label":
      return `label ${JSON.stringify(token.value)}`;
    case "string":
      return `string ${src.slice(token.start, token.end)}`;
    case "has":
      return `"has(${token.value})"`;
    case "all":
      return '"all()"';
    case "global":
      return '"global()"';
    case "eq":
    case "ne":
    case "contains":
    case "startswith":
    case "endswith":
    case "in":
    case "notin":
      return `"${OPERATOR_TEXT[token.kind]}"`;
    default:
      return JSON.stringify(src.slice(token.start, token.end));
  }
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly src: string,
    private readonly tokens: readonly Token[],
  ) {}

  // The lexer ends every token list with eof, which the parser never advances past.
  private peek(): Token {
    return must(this.tokens[this.pos], "a token before eof");
  }

  private advance(): Token {
    return must(this.tokens[this.pos++], "a token before eof");
  }

  /** Fails at `token`; if the lexer stopped there, its message is the better one. */
  private fail(token: Token, message: string): never {
    if (token.kind === "error") throw new ParseFailure(token.value, token.start);
    throw new ParseFailure(message, token.start);
  }

  parseRoot(): Node {
    // An empty (or all-blank) selector is all() (parser.go parseRoot).
    if (this.peek().kind === "eof") return ALL;
    const node = this.parseOr();
    const next = this.peek();
    if (next.kind !== "eof") {
      this.fail(
        next,
        `unexpected ${describeToken(this.src, next)} after a complete expression; ` +
          `expected "&&", "||" or the end of the selector`,
      );
    }
    return node;
  }

  private parseOr(): Node {
    const first = this.parseAnd();
    if (this.peek().kind !== "or") return first;
    const operands = [first];
    while (this.peek().kind === "or") {
      this.advance();
      operands.push(this.parseAnd());
    }
    return { kind: "or", operands };
  }

  private parseAnd(): Node {
    const first = this.parseOperation();
    if (this.peek().kind !== "and") return first;
    const operands = [first];
    while (this.peek().kind === "and") {
      this.advance();
      operands.push(this.parseOperation());
    }
    return { kind: "and", operands };
  }

  private parseOperation(): Node {
    // A run of "!" collapses to a single negation or none (parser.go parseOperation).
    let negated = false;
    while (this.peek().kind === "not") {
      this.advance();
      negated = !negated;
    }
    const node = this.parseOperand();
    return negated ? { kind: "not", operand: node } : node;
  }

  private parseOperand(): Node {
    const token = this.peek();
    switch (token.kind) {
      case "all":
        this.advance();
        return ALL;
      case "global":
        this.advance();
        return { kind: "global" };
      case "has":
        this.advance();
        return { kind: "has", label: token.value };
      case "label":
        return this.parseComparison();
      case "lparen": {
        this.advance();
        if (++this.depth > MAX_SELECTOR_NESTING) {
          throw new ParseFailure(
            `parentheses nest deeper than ${MAX_SELECTOR_NESTING} levels`,
            token.start,
          );
        }
        const inner = this.parseOr();
        const close = this.peek();
        if (close.kind !== "rparen") {
          this.fail(
            close,
            `expected ")" to close the "(" at offset ${token.start} but found ` +
              describeToken(this.src, close),
          );
        }
        this.advance();
        this.depth--;
        return inner;
      }
      default:
        return this.fail(
          token,
          `expected an expression (a label comparison, has(), all(), global(), "!" or "(") ` +
            `but found ${describeToken(this.src, token)}`,
        );
    }
  }

  private parseComparison(): Node {
    const label = this.advance().value;
    const op = this.peek();
    switch (op.kind) {
      case "eq":
      case "ne":
      case "contains":
      case "startswith":
      case "endswith": {
        this.advance();
        const literal = this.peek();
        if (literal.kind !== "string") {
          this.fail(
            literal,
            `expected a quoted string after "${OPERATOR_TEXT[op.kind]}" but found ` +
              describeToken(this.src, literal),
          );
        }
        this.advance();
        return { kind: op.kind, label, value: literal.value };
      }
      case "in":
      case "notin": {
        this.advance();
        const open = this.peek();
        if (open.kind !== "lbrace") {
          this.fail(
            open,
            `expected a set such as {"a", "b"} after "${OPERATOR_TEXT[op.kind]}" but found ` +
              describeToken(this.src, open),
          );
        }
        this.advance();
        const values: string[] = [];
        // Strings separated by commas; a trailing comma and the empty set are allowed.
        let afterString = false;
        for (;;) {
          const item = this.peek();
          if (item.kind === "string") {
            this.advance();
            values.push(item.value);
            if (this.peek().kind === "comma") {
              this.advance();
              continue;
            }
            afterString = true;
          }
          break;
        }
        const close = this.peek();
        if (close.kind !== "rbrace") {
          this.fail(
            close,
            (afterString
              ? 'expected "," or "}" in set'
              : 'expected a quoted string or "}" in set') +
              ` but found ${describeToken(this.src, close)}`,
          );
        }
        this.advance();
        return { kind: op.kind, label, values: sortedUnique(values) };
      }
      default:
        return this.fail(
          op,
          `expected an operator (==, !=, in, not in, contains, starts with, ends with) after ` +
            `label ${JSON.stringify(label)} but found ${describeToken(this.src, op)}`,
        );
    }
  }
}

/**
 * Orders strings by code point, which is the order of their UTF-8 bytes and so the order Go's
 * string comparison gives; plain `<` on JS strings compares UTF-16 units and differs for
 * characters above U+FFFF versus U+E000..U+FFFF.
 */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codeUnitRank(x) - codeUnitRank(y);
  }
  return a.length - b.length;
}

function codeUnitRank(unit: number): number {
  // Surrogates (U+D800..U+DFFF) start code points above U+FFFF, so they sort after U+E000..U+FFFF.
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

function sortedUnique(values: readonly string[]): string[] {
  const sorted = [...values].sort(compareCodePoints);
  return sorted.filter((v, i) => i === 0 || v !== sorted[i - 1]);
}

// ---------------------------------------------------------------------------------------------
// Canonical form (ast.go collectFragments)

/** Single quotes when the value holds a double quote, else double quotes. */
function quote(value: string): string {
  const q = value.includes('"') ? "'" : '"';
  return q + value + q;
}

function writeCanonical(node: Node, out: string[]): void {
  switch (node.kind) {
    case "all":
      out.push("all()");
      return;
    case "global":
      out.push("global()");
      return;
    case "has":
      out.push("has(", node.label, ")");
      return;
    case "eq":
    case "ne":
    case "contains":
    case "startswith":
    case "endswith":
      out.push(node.label, " ", OPERATOR_TEXT[node.kind], " ", quote(node.value));
      return;
    case "in":
    case "notin":
      out.push(
        node.label,
        " ",
        OPERATOR_TEXT[node.kind],
        " {",
        node.values.map(quote).join(", "),
        "}",
      );
      return;
    case "not":
      out.push("!");
      writeCanonical(node.operand, out);
      return;
    case "and":
    case "or": {
      const joiner = node.kind === "and" ? " && " : " || ";
      out.push("(");
      node.operands.forEach((operand, i) => {
        if (i > 0) out.push(joiner);
        writeCanonical(operand, out);
      });
      out.push(")");
      return;
    }
  }
}

function labelsOf(root: Node): readonly string[] {
  const out = new Set<string>();
  const stack = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.kind === "not") stack.push(node.operand);
    else if (node.kind === "and" || node.kind === "or") stack.push(...node.operands);
    else if ("label" in node) out.add(node.label);
  }
  return Object.freeze([...out].sort());
}

function containsGlobal(node: Node): boolean {
  switch (node.kind) {
    case "global":
      return true;
    case "not":
      return containsGlobal(node.operand);
    case "and":
    case "or":
      return node.operands.some(containsGlobal);
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation (ast.go Evaluate), compiled to closures

type Labels = Readonly<Record<string, string>>;
type Matcher = (labels: Labels) => boolean;

const hasOwn: (object: Labels, key: string) => boolean = Object.hasOwn;

const always: Matcher = () => true;

function compile(node: Node): Matcher {
  switch (node.kind) {
    case "all":
    case "global":
      // global() evaluates true; it only changes which resources are in scope upstream.
      return always;
    case "has": {
      const key = node.label;
      return (labels) => hasOwn(labels, key);
    }
    case "eq": {
      const { label: key, value } = node;
      return (labels) => labels[key] === value && hasOwn(labels, key);
    }
    case "ne": {
      // Matches when the label is absent or has another value.
      const { label: key, value } = node;
      return (labels) => labels[key] !== value || !hasOwn(labels, key);
    }
    case "contains":
    case "startswith":
    case "endswith": {
      const { label: key, value } = node;
      const test =
        node.kind === "contains"
          ? (v: string) => v.includes(value)
          : node.kind === "startswith"
            ? (v: string) => v.startsWith(value)
            : (v: string) => v.endsWith(value);
      return (labels) => {
        if (!hasOwn(labels, key)) return false;
        const v = labels[key];
        return typeof v === "string" && test(v);
      };
    }
    case "in":
    case "notin": {
      const key = node.label;
      const set = new Set(node.values);
      if (node.kind === "in") {
        return (labels) => {
          if (!hasOwn(labels, key)) return false;
          const v = labels[key];
          return v !== undefined && set.has(v);
        };
      }
      // Matches when the label is absent or its value is outside the set.
      return (labels) => {
        if (!hasOwn(labels, key)) return true;
        const v = labels[key];
        return v === undefined || !set.has(v);
      };
    }
    case "not": {
      const operand = compile(node.operand);
      return (labels) => !operand(labels);
    }
    case "and": {
      const operands = node.operands.map(compile);
      if (operands.length === 2) {
        const [a, b] = operands as [Matcher, Matcher];
        return (labels) => a(labels) && b(labels);
      }
      return (labels) => {
        for (const m of operands) if (!m(labels)) return false;
        return true;
      };
    }
    case "or": {
      const operands = node.operands.map(compile);
      if (operands.length === 2) {
        const [a, b] = operands as [Matcher, Matcher];
        return (labels) => a(labels) || b(labels);
      }
      return (labels) => {
        for (const m of operands) if (m(labels)) return true;
        return false;
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Entry point

/**
 * Parses a Calico selector. Accepts exactly the selectors Calico's parser.Parse accepts; the
 * empty or all-blank selector is `all()`. On failure, reports the first problem from the left
 * with its 0-based offset.
 */
export function parseSelector(source: string): SelectorParseResult {
  let root: Node;
  try {
    root = new Parser(source, tokenize(source)).parseRoot();
  } catch (e) {
    if (e instanceof ParseFailure) {
      return { ok: false, error: { message: e.message, offset: e.offset } };
    }
    throw e;
  }
  const out: string[] = [];
  writeCanonical(root, out);
  const selector: Selector = Object.freeze({
    source,
    canonical: out.join(""),
    usesGlobal: containsGlobal(root),
    labels: labelsOf(root),
    matches: compile(root),
  });
  return { ok: true, selector };
}

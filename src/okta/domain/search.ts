import { parseInstant } from '../../core/clock.ts';
import { oneOf } from '../../core/guards.ts';
import { invalidSearch } from './errors.ts';

/**
 * Okta's `filter` and `search` expressions (docs/fidelity/okta.md#okta-filter-search): comparisons
 * `attribute operator "value"` and `attribute pr`, joined by `and` / `or`, negated by `not`, grouped by
 * parentheses; `and` binds tighter than `or`. Operators and the logical words are matched without regard to
 * case, attribute names exactly. Which attributes and operators an endpoint takes is its `Dialect`.
 *
 * A recursive-descent parser over a token list: every way an expression can be wrong (a stray character, an
 * unterminated string, an operator the attribute does not take, a date that does not parse, too long, too
 * deep, too many terms) is 400 E0000031, never a 500, and nothing is evaluated before the whole expression
 * parsed.
 */

export type Operator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'sw' | 'co' | 'ew' | 'pr';
export type Literal = string | number | boolean | null;

export type Expression =
  | { kind: 'and' | 'or'; terms: Expression[] }
  | { kind: 'not'; term: Expression }
  | {
      kind: 'compare';
      attribute: string;
      operator: Exclude<Operator, 'pr'>;
      value: Literal;
      instant?: number;
    }
  | { kind: 'present'; attribute: string };

/** What one endpoint's `filter` or `search` accepts. */
export interface Dialect {
  /** `filter` or `search`, for the journal's detail. */
  readonly name: string;
  /** The operators `attribute` takes; `undefined` when the attribute cannot be used at all. */
  operators(attribute: string): readonly Operator[] | undefined;
  /** Whether `not` is allowed (the Users API's `filter` refuses it). */
  readonly allowsNot: boolean;
  /** Whether string values compare without regard to case (`search`), or exactly (`filter`). */
  readonly ignoreCase: boolean;
  /** Whether `attribute` holds an instant: its values must be ISO-8601 and compare as times. */
  isDate(attribute: string): boolean;
}

/**
 * Bounds on an expression, past which it is refused (docs/fidelity/okta.md#okta-admin-input-bounds): Okta
 * says only that an overly long or complex search fails.
 */
export const EXPRESSION_LIMITS = { length: 4096, depth: 32, terms: 256 } as const;

export const OPERATORS: readonly Operator[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'co', 'ew', 'pr'];

type Token =
  | { kind: '(' | ')'; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'word'; text: string; at: number };

const WORD = /[A-Za-z0-9_.:$+-]/;
const ATTRIBUTE = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses `text` in `dialect`; 400 E0000031 when it is not an expression the dialect accepts. */
export function parseExpression(text: string, dialect: Dialect): Expression {
  if (text.length > EXPRESSION_LIMITS.length) {
    throw invalidSearch(`${dialect.name} longer than ${EXPRESSION_LIMITS.length} characters`);
  }
  const parser = new Parser(tokenize(text, dialect.name), dialect);
  return parser.parse();
}

/**
 * Whether a record matches: `resolve` gives an attribute's value (a string, number, boolean, array, null,
 * or `undefined` when the record lacks it; instants as epoch milliseconds).
 */
export function matches(
  expression: Expression,
  resolve: (attribute: string) => unknown,
  dialect: Dialect,
): boolean {
  switch (expression.kind) {
    case 'and':
      return expression.terms.every((term) => matches(term, resolve, dialect));
    case 'or':
      return expression.terms.some((term) => matches(term, resolve, dialect));
    case 'not':
      return !matches(expression.term, resolve, dialect);
    case 'present': {
      const value = resolve(expression.attribute);
      return (
        value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)
      );
    }
    case 'compare': {
      const actual = resolve(expression.attribute);
      if (expression.operator === 'ne') return !compare(actual, 'eq', expression, dialect.ignoreCase);
      return compare(actual, expression.operator, expression, dialect.ignoreCase);
    }
  }
}

function compare(
  actual: unknown,
  operator: Exclude<Operator, 'pr' | 'ne'>,
  expression: Extract<Expression, { kind: 'compare' }>,
  ignoreCase: boolean,
): boolean {
  if (Array.isArray(actual)) return actual.some((item) => compare(item, operator, expression, ignoreCase));
  const expected = expression.value;
  if (actual === undefined || actual === null || expected === null) {
    return operator === 'eq' && expected === null && (actual === undefined || actual === null);
  }
  if (expression.instant !== undefined) {
    return typeof actual === 'number' && ordered(actual - expression.instant, operator);
  }
  if (typeof actual === 'number' && typeof expected === 'number') return ordered(actual - expected, operator);
  if (typeof actual === 'boolean' || typeof expected === 'boolean') {
    return operator === 'eq' && String(actual) === String(expected);
  }
  let a = String(actual);
  let b = String(expected);
  if (ignoreCase) {
    a = a.toLowerCase();
    b = b.toLowerCase();
  }
  switch (operator) {
    case 'sw':
      return a.startsWith(b);
    case 'co':
      return a.includes(b);
    case 'ew':
      return a.endsWith(b);
    default:
      return ordered(a < b ? -1 : a > b ? 1 : 0, operator);
  }
}

function ordered(difference: number, operator: Exclude<Operator, 'pr' | 'ne'>): boolean {
  switch (operator) {
    case 'eq':
      return difference === 0;
    case 'gt':
      return difference > 0;
    case 'ge':
      return difference >= 0;
    case 'lt':
      return difference < 0;
    case 'le':
      return difference <= 0;
    default:
      return false;
  }
}

function tokenize(text: string, name: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text.charAt(i);
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      i++;
    } else if (char === '(' || char === ')') {
      tokens.push({ kind: char, at: i });
      i++;
    } else if (char === '"') {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw invalidSearch(`${name}: unterminated string at ${start}`);
        const c = text.charAt(i);
        if (c === '"') break;
        if (c === '\\') {
          const escaped = text[i + 1];
          if (escaped === 'u') {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw invalidSearch(`${name}: bad \\u escape at ${i}`);
            value += String.fromCharCode(Number.parseInt(hex, 16));
            i += 6;
            continue;
          }
          const simple: Record<string, string> = {
            '"': '"',
            '\\': '\\',
            '/': '/',
            n: '\n',
            t: '\t',
            r: '\r',
          };
          if (escaped === undefined || !Object.hasOwn(simple, escaped)) {
            throw invalidSearch(`${name}: bad escape at ${i}`);
          }
          value += simple[escaped];
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      tokens.push({ kind: 'string', text: value, at: start });
      i++;
    } else if (WORD.test(char)) {
      const start = i;
      while (i < text.length && WORD.test(text.charAt(i))) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), at: start });
    } else {
      throw invalidSearch(`${name}: unexpected character ${JSON.stringify(char)} at ${i}`);
    }
  }
  return tokens;
}

class Parser {
  readonly #tokens: Token[];
  readonly #dialect: Dialect;
  #at = 0;
  #terms = 0;

  constructor(tokens: Token[], dialect: Dialect) {
    this.#tokens = tokens;
    this.#dialect = dialect;
  }

  parse(): Expression {
    if (this.#tokens.length === 0) throw this.#error('empty expression');
    const expression = this.#or(0);
    const extra = this.#tokens[this.#at];
    if (extra) throw this.#error(`unexpected ${describe(extra)} at ${extra.at}`);
    return expression;
  }

  #or(depth: number): Expression {
    const first = this.#and(depth);
    if (!this.#keyword('or')) return first;
    const terms = [first, this.#and(depth)];
    while (this.#keyword('or')) terms.push(this.#and(depth));
    return { kind: 'or', terms };
  }

  #and(depth: number): Expression {
    const first = this.#unary(depth);
    if (!this.#keyword('and')) return first;
    const terms = [first, this.#unary(depth)];
    while (this.#keyword('and')) terms.push(this.#unary(depth));
    return { kind: 'and', terms };
  }

  #unary(depth: number): Expression {
    if (depth >= EXPRESSION_LIMITS.depth) throw this.#error(`nested deeper than ${EXPRESSION_LIMITS.depth}`);
    const token = this.#tokens[this.#at];
    if (!token) throw this.#error('the expression ends too early');
    if (token.kind === '(') {
      this.#at++;
      const inner = this.#or(depth + 1);
      const close = this.#tokens[this.#at];
      if (close?.kind !== ')') throw this.#error(`missing ) for the ( at ${token.at}`);
      this.#at++;
      return inner;
    }
    if (
      token.kind === 'word' &&
      token.text.toLowerCase() === 'not' &&
      this.#tokens[this.#at + 1]?.kind === '('
    ) {
      if (!this.#dialect.allowsNot) throw this.#error('not is not supported');
      this.#at++;
      return { kind: 'not', term: this.#unary(depth + 1) };
    }
    return this.#comparison();
  }

  #comparison(): Expression {
    const attribute = this.#tokens[this.#at];
    if (attribute?.kind !== 'word' || !ATTRIBUTE.test(attribute.text)) {
      throw this.#error(`expected an attribute at ${attribute ? `${attribute.at}` : 'the end'}`);
    }
    const operatorToken = this.#tokens[this.#at + 1];
    if (operatorToken?.kind !== 'word') throw this.#error(`expected an operator after ${attribute.text}`);
    const operator = operatorToken.text.toLowerCase();
    if (!oneOf(OPERATORS, operator)) throw this.#error(`unknown operator ${operatorToken.text}`);
    const allowed = this.#dialect.operators(attribute.text);
    if (!allowed) throw this.#error(`${attribute.text} cannot be used`);
    if (!allowed.includes(operator)) throw this.#error(`${attribute.text} does not take ${operator}`);
    this.#terms += 1;
    if (this.#terms > EXPRESSION_LIMITS.terms)
      throw this.#error(`more than ${EXPRESSION_LIMITS.terms} terms`);
    if (operator === 'pr') {
      this.#at += 2;
      return { kind: 'present', attribute: attribute.text };
    }
    const valueToken = this.#tokens[this.#at + 2];
    if (valueToken?.kind !== 'string' && valueToken?.kind !== 'word') {
      throw this.#error(`expected a value after ${attribute.text} ${operator}`);
    }
    this.#at += 3;
    const value = literal(valueToken);
    if (value === undefined) throw this.#error(`${valueToken.text} is not a value (strings take quotes)`);
    const comparison: Extract<Expression, { kind: 'compare' }> = {
      kind: 'compare',
      attribute: attribute.text,
      operator,
      value,
    };
    if (this.#dialect.isDate(attribute.text)) {
      comparison.instant = this.#instant(attribute.text, value);
    } else if (operator === 'sw' || operator === 'co' || operator === 'ew') {
      if (typeof value !== 'string') throw this.#error(`${operator} takes a string`);
    }
    return comparison;
  }

  /** An ISO-8601 date in quotes as epoch milliseconds; anything else is refused. */
  #instant(attribute: string, value: Literal): number {
    if (typeof value === 'string' && ISO_INSTANT.test(value)) {
      try {
        return parseInstant(value);
      } catch {
        // Out of range or not a real date: refused below.
      }
    }
    throw this.#error(`${attribute} takes an ISO-8601 date in quotes`);
  }

  /** Consumes `word` (any case) when it comes next. */
  #keyword(word: string): boolean {
    const token = this.#tokens[this.#at];
    if (token?.kind !== 'word' || token.text.toLowerCase() !== word) return false;
    this.#at++;
    return true;
  }

  #error(detail: string) {
    return invalidSearch(`${this.#dialect.name}: ${detail}`);
  }
}

function literal(token: Extract<Token, { kind: 'string' | 'word' }>): Literal | undefined {
  if (token.kind === 'string') return token.text;
  const lower = token.text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (NUMBER.test(token.text)) return Number(token.text);
  return undefined;
}

function describe(token: Token): string {
  return 'text' in token ? JSON.stringify(token.text) : token.kind;
}

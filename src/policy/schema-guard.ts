/**
 * The subset of JSON Schema 2020-12 Keyhold enforces, checked before any schema is used: a rule
 * in a policy, or a body `schema` in a descriptor. A keyword outside the subset is refused by
 * name, never ignored, and every schema is bounded so that validating a 64 KiB body against it
 * stays fast whatever a hostile page or service wrote:
 *
 * - `pattern`, `patternProperties` and `format` are refused: a regular expression (or a format
 *   checked by one) can backtrack for minutes on a short string (ReDoS), and the worker cannot
 *   interrupt a running `RegExp`.
 * - `uniqueItems` is refused: it compares every pair of items (quadratic in the body).
 * - `$ref` may only name `#/$defs/<name>` of the same schema, and refs may not form a cycle
 *   (a cycle that consumes no input never ends); `$id`, `$anchor`, `$dynamicRef` and the other
 *   ways to reach another document are refused.
 * - Depth ≤ {@link MAX_DEPTH}, schema objects ≤ {@link MAX_NODES}, and ≤ {@link MAX_EXPANDED}
 *   once every `$ref` is expanded (which bounds "billion laughs" chains of refs).
 *
 * The checked schema is handed to @cfworker/json-schema (an interpreter: no `eval`, no
 * `new Function`, so it runs under the extension's CSP).
 * @module
 */
import { invalidParams } from '../protocol/errors.js';

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
export const MAX_DEPTH = 32;
export const MAX_NODES = 256;
export const MAX_EXPANDED = 1024;
/** JSON values (in `const`, `enum`, `default`, `examples`) in one schema. */
export const MAX_VALUES = 4096;
export const MAX_STRING_CHARS = 1024;
export const MAX_ARRAY_ITEMS = 256;

type Kind = 'schema' | 'schemaArray' | 'schemaMap' | 'number' | 'count' | 'strings' | 'types' | 'json' | 'jsonArray' | 'string' | 'boolean' | 'stringArrayMap' | 'ref' | 'defs' | 'dialect';

/** Every keyword Keyhold implements, with the shape of its value. */
const KEYWORDS: Readonly<Record<string, Kind>> = {
  $schema: 'dialect',
  $defs: 'defs',
  $ref: 'ref',
  $comment: 'string',
  title: 'string',
  description: 'string',
  default: 'json',
  examples: 'jsonArray',
  deprecated: 'boolean',
  readOnly: 'boolean',
  writeOnly: 'boolean',
  allOf: 'schemaArray',
  anyOf: 'schemaArray',
  oneOf: 'schemaArray',
  not: 'schema',
  if: 'schema',
  then: 'schema',
  else: 'schema',
  dependentSchemas: 'schemaMap',
  prefixItems: 'schemaArray',
  items: 'schema',
  contains: 'schema',
  properties: 'schemaMap',
  additionalProperties: 'schema',
  propertyNames: 'schema',
  unevaluatedItems: 'schema',
  unevaluatedProperties: 'schema',
  type: 'types',
  enum: 'jsonArray',
  const: 'json',
  multipleOf: 'number',
  maximum: 'number',
  exclusiveMaximum: 'number',
  minimum: 'number',
  exclusiveMinimum: 'number',
  maxLength: 'count',
  minLength: 'count',
  maxItems: 'count',
  minItems: 'count',
  maxContains: 'count',
  minContains: 'count',
  maxProperties: 'count',
  minProperties: 'count',
  required: 'strings',
  dependentRequired: 'stringArrayMap',
};

/** Why a keyword that JSON Schema has is not in the subset (see the module note). */
const REFUSED_BECAUSE: Readonly<Record<string, string>> = {
  pattern: 'regular expressions can take unbounded time',
  patternProperties: 'regular expressions can take unbounded time',
  format: 'formats are checked with regular expressions',
  uniqueItems: 'it takes time quadratic in the body',
};

const TYPES = ['null', 'boolean', 'object', 'array', 'number', 'string', 'integer'];
const REF = /^#\/\$defs\/([A-Za-z0-9_.-]{1,64})$/;

class Walk {
  nodes = 0;
  values = 0;
  /** $defs name → the refs its subtree makes and its own node count. */
  readonly defs = new Map<string, { refs: string[]; nodes: number }>();
  constructor(readonly field: string) {}

  fail(path: string, why: string): never {
    throw invalidParams(`${this.field}${path} ${why}`);
  }

  /** Checks one schema; returns the names of `#/$defs/…` it refers to (its own subtree). */
  schema(value: unknown, path: string, depth: number, refs: string[], root: boolean): void {
    if (depth > MAX_DEPTH) this.fail(path, `is nested deeper than ${MAX_DEPTH} levels.`);
    if (typeof value === 'boolean') return;
    if (!isPlainObject(value)) this.fail(path, 'must be a JSON Schema (an object or a boolean).');
    if (++this.nodes > MAX_NODES) this.fail('', `has more than ${MAX_NODES} schemas in it.`);
    for (const [key, v] of Object.entries(value)) {
      const at = `${path}/${key.slice(0, 40)}`;
      const kind = KEYWORDS[key];
      if (kind === undefined) {
        const because = REFUSED_BECAUSE[key];
        this.fail(at, because ? `is refused: Keyhold does not implement "${key}" (${because}).` : `is refused: Keyhold does not implement the keyword "${key.slice(0, 40)}".`);
      }
      this.keyword(kind, key, v, at, depth, refs, root);
    }
  }

  keyword(kind: Kind, key: string, v: unknown, at: string, depth: number, refs: string[], root: boolean): void {
    switch (kind) {
      case 'schema':
        return this.schema(v, at, depth + 1, refs, false);
      case 'schemaArray':
        if (!Array.isArray(v) || v.length === 0 || v.length > MAX_ARRAY_ITEMS) this.fail(at, `must be a non-empty array of at most ${MAX_ARRAY_ITEMS} schemas.`);
        return Array.from<unknown>(v).forEach((s, i) => this.schema(s, `${at}/${i}`, depth + 1, refs, false));
      case 'schemaMap':
        if (!isPlainObject(v)) this.fail(at, 'must be an object of schemas.');
        for (const [k, s] of Object.entries(v)) this.schema(s, `${at}/${k.slice(0, 40)}`, depth + 1, refs, false);
        return;
      case 'defs':
        if (!root) this.fail(at, 'is only allowed at the top of a schema.');
        if (!isPlainObject(v)) this.fail(at, 'must be an object of schemas.');
        for (const [name, s] of Object.entries(v)) {
          if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) this.fail(at, `has a name that is not 1 to 64 of A-Z a-z 0-9 _ . -.`);
          const before = this.nodes;
          const own: string[] = [];
          this.schema(s, `${at}/${name}`, depth + 1, own, false);
          this.defs.set(name, { refs: own, nodes: this.nodes - before });
        }
        return;
      case 'ref': {
        const name = typeof v === 'string' ? REF.exec(v)?.[1] : undefined;
        if (name === undefined) this.fail(at, 'must be "#/$defs/<name>": Keyhold resolves no other reference.');
        refs.push(name);
        return;
      }
      case 'dialect':
        if (v !== SCHEMA_DIALECT) this.fail(at, `must be "${SCHEMA_DIALECT}" (JSON Schema 2020-12) when given.`);
        if (!root) this.fail(at, 'is only allowed at the top of a schema.');
        return;
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(at, 'must be a finite number.');
        if (key === 'multipleOf' && v <= 0) this.fail(at, 'must be greater than 0.');
        return;
      case 'count':
        if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) this.fail(at, 'must be an integer ≥ 0.');
        return;
      case 'string':
        if (typeof v !== 'string' || v.length > MAX_STRING_CHARS) this.fail(at, `must be a string of at most ${MAX_STRING_CHARS} characters.`);
        return;
      case 'boolean':
        if (typeof v !== 'boolean') this.fail(at, 'must be a boolean.');
        return;
      case 'strings':
        if (!Array.isArray(v) || v.length > MAX_ARRAY_ITEMS || !Array.from<unknown>(v).every((s) => typeof s === 'string' && s.length <= MAX_STRING_CHARS)) {
          this.fail(at, `must be an array of at most ${MAX_ARRAY_ITEMS} strings.`);
        }
        return;
      case 'stringArrayMap':
        if (!isPlainObject(v)) this.fail(at, 'must be an object of string arrays.');
        for (const [k, s] of Object.entries(v)) this.keyword('strings', key, s, `${at}/${k.slice(0, 40)}`, depth, refs, false);
        return;
      case 'types': {
        const list = Array.isArray(v) ? Array.from<unknown>(v) : [v];
        if (list.length === 0 || !list.every((t) => typeof t === 'string' && TYPES.includes(t))) this.fail(at, `must be one of ${TYPES.join(', ')}, or an array of them.`);
        return;
      }
      case 'json':
        return this.json(v, at, depth + 1);
      case 'jsonArray':
        if (!Array.isArray(v) || v.length > MAX_ARRAY_ITEMS) this.fail(at, `must be an array of at most ${MAX_ARRAY_ITEMS} values.`);
        return Array.from<unknown>(v).forEach((x, i) => this.json(x, `${at}/${i}`, depth + 1));
    }
  }

  /** A plain JSON value, bounded in depth and count (a structured clone may carry cycles). */
  json(v: unknown, at: string, depth: number): void {
    if (depth > MAX_DEPTH) this.fail(at, `is nested deeper than ${MAX_DEPTH} levels.`);
    if (++this.values > MAX_VALUES) this.fail('', `holds more than ${MAX_VALUES} values.`);
    if (v === null || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) this.fail(at, 'must hold only finite numbers.');
      return;
    }
    if (typeof v === 'string') {
      if (v.length > MAX_STRING_CHARS) this.fail(at, `must hold strings of at most ${MAX_STRING_CHARS} characters.`);
      return;
    }
    if (Array.isArray(v)) return Array.from<unknown>(v).forEach((x, i) => this.json(x, `${at}/${i}`, depth + 1));
    if (isPlainObject(v)) {
      for (const [k, x] of Object.entries(v)) this.json(x, `${at}/${k.slice(0, 40)}`, depth + 1);
      return;
    }
    this.fail(at, 'must be JSON.');
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks `value` against the subset (module note) and returns a plain copy of it, safe to hand
 * to the validator (which annotates the schema it is given).
 * @throws ProviderRpcError -32602 naming `field` and, inside it, the offending keyword.
 */
export function checkSchema(value: unknown, field: string): unknown {
  const walk: Walk = new Walk(field);
  const rootRefs: string[] = [];
  walk.schema(value, '', 0, rootRefs, true);
  for (const name of rootRefs.concat(...[...walk.defs.values()].map((d) => d.refs))) {
    if (!walk.defs.has(name)) walk.fail('/$ref', `names "#/$defs/${name}", which is not defined.`);
  }
  // Size once every $ref is expanded, refusing cycles: memoised depth-first over the defs.
  const size = new Map<string, number>();
  const visiting = new Set<string>();
  const expanded = (name: string): number => {
    const known = size.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) walk.fail('/$defs', `refers to itself through "${name}": Keyhold refuses $ref cycles.`);
    visiting.add(name);
    const def = walk.defs.get(name);
    if (def === undefined) walk.fail('/$ref', `names "#/$defs/${name}", which is not defined.`);
    let n = def.nodes;
    for (const r of def.refs) {
      n += expanded(r);
      if (n > MAX_EXPANDED) walk.fail('', `expands to more than ${MAX_EXPANDED} schemas through $ref.`);
    }
    visiting.delete(name);
    size.set(name, n);
    return n;
  };
  let total = walk.nodes;
  for (const name of walk.defs.keys()) expanded(name);
  for (const r of rootRefs) {
    total += expanded(r);
    if (total > MAX_EXPANDED) walk.fail('', `expands to more than ${MAX_EXPANDED} schemas through $ref.`);
  }
  return structuredClone(value);
}

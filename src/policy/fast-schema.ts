/**
 * A checked schema (`schema-guard.ts`) compiled into plain closures, once per session per worker
 * life, so that a body is validated by a walk that allocates nothing: no `eval`, no
 * `new Function` (the extension's CSP forbids both, and closures need neither).
 *
 * The interpreter (@cfworker/json-schema) stays the reference: this compiler covers every
 * keyword of Keyhold's subset except `unevaluatedProperties` and `unevaluatedItems` (they read
 * the annotations every other keyword leaves, which the interpreter tracks), and answers what
 * the interpreter answers, keyword for keyword, including its readings of `integer`, `const`,
 * `enum` (its deep equality), string lengths (its code-point count) and `multipleOf` (its exact
 * decimal test). Anything else gets `null`, and the caller uses the interpreter.
 * Property tests check the two agree (`test/unit/fast-schema.test.ts`).
 * @module
 */
import { deepCompareStrict, ucs2length } from '@cfworker/json-schema';

export type BodyTest = (value: unknown) => boolean;

/** A keyword test that `assemble` applies only to values of its type. */
type Test<T> = (value: T) => boolean;

type Schema = Record<string, unknown>;

/** Thrown inside the compiler when a schema is not for the fast path. */
class NotCompiled extends Error {}

const ANNOTATIONS = new Set(['$schema', '$comment', 'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly']);
const COMPILED = new Set([
  '$defs', '$ref', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas', 'prefixItems', 'items', 'contains',
  'properties', 'additionalProperties', 'propertyNames', 'type', 'enum', 'const', 'multipleOf', 'maximum', 'exclusiveMaximum',
  'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'maxItems', 'minItems', 'maxContains', 'minContains', 'maxProperties',
  'minProperties', 'required', 'dependentRequired',
]);

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const ALWAYS: BodyTest = () => true;
const NEVER: BodyTest = () => false;

function need(ok: boolean): void {
  if (!ok) throw new NotCompiled();
}
function num(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new NotCompiled();
  return v;
}
function count(v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new NotCompiled();
  return v;
}
const isString = (v: unknown): v is string => typeof v === 'string';
function strings(v: unknown): string[] {
  if (!Array.isArray(v) || !v.every(isString)) throw new NotCompiled();
  return v;
}
function list(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new NotCompiled();
  return v;
}
function object(v: unknown): Schema {
  if (!isObject(v)) throw new NotCompiled();
  return v;
}

/** The interpreter's JSON type of `v` (`integer` is not a type of its own here). */
function typeName(v: unknown): string {
  const t = typeof v;
  if (t !== 'object') return t;
  return v === null ? 'null' : Array.isArray(v) ? 'array' : 'object';
}

/** The interpreter's exact decimal `multipleOf` (its `decimalInteger` and `isMultipleOf`). */
function decimalInteger(value: number): [bigint, number] {
  const [coefficient = '0', exponent = '0'] = Math.abs(value).toString().split('e');
  const point = coefficient.indexOf('.');
  const fractionLength = point === -1 ? 0 : coefficient.length - point - 1;
  return [BigInt(coefficient.replace('.', '')), Number(exponent) - fractionLength];
}

function isMultipleOf(instance: number, divisor: number): boolean {
  if (!Number.isFinite(instance) || !Number.isFinite(divisor) || divisor <= 0) return false;
  const [ic, ie] = decimalInteger(instance);
  const [dc, de] = decimalInteger(divisor);
  const diff = ie - de;
  return diff >= 0 ? (ic * 10n ** BigInt(diff)) % dc === 0n : ic % (dc * 10n ** BigInt(-diff)) === 0n;
}

/** One test from many: all must hold (an empty list holds). */
function every<T>(tests: Array<Test<T>>): Test<T> | null {
  const [first] = tests;
  if (first === undefined) return null;
  if (tests.length === 1) return first;
  return (v) => {
    for (const test of tests) if (!test(v)) return false;
    return true;
  };
}

class Compiler {
  readonly #defs: Schema;
  readonly #compiled = new Map<string, BodyTest>();
  readonly #compiling = new Set<string>();

  constructor(root: unknown) {
    this.#defs = isObject(root) && isObject(root.$defs) ? root.$defs : {};
  }

  #ref(ref: unknown): BodyTest {
    const m = typeof ref === 'string' ? /^#\/\$defs\/([A-Za-z0-9_.-]{1,64})$/.exec(ref) : null;
    const name = m?.[1];
    if (name === undefined || !hasOwn(this.#defs, name)) throw new NotCompiled();
    const done = this.#compiled.get(name);
    if (done) return done;
    // The guard refuses cycles; should one come here, the interpreter decides.
    need(!this.#compiling.has(name));
    this.#compiling.add(name);
    const test = this.schema(this.#defs[name]);
    this.#compiling.delete(name);
    this.#compiled.set(name, test);
    return test;
  }

  #list(v: unknown): BodyTest[] {
    const schemas = list(v);
    need(schemas.length > 0);
    return schemas.map((s) => this.schema(s));
  }

  #map(v: unknown): Array<[string, BodyTest]> {
    return Object.entries(object(v)).map(([k, s]) => [k, this.schema(s)]);
  }

  schema(schema: unknown): BodyTest {
    if (schema === true) return ALWAYS;
    if (schema === false) return NEVER;
    const s = object(schema);
    for (const key of Object.keys(s)) need(COMPILED.has(key) || ANNOTATIONS.has(key));
    const any: BodyTest[] = [];
    const obj: Array<Test<Schema>> = [];
    const arr: Array<Test<unknown[]>> = [];
    const numeric: Array<Test<number>> = [];
    const text: Array<Test<string>> = [];

    if (s.$ref !== undefined) any.push(this.#ref(s.$ref));
    if (s.type !== undefined) any.push(typeTest(s.type));
    if (s.const !== undefined) {
      const c = s.const;
      any.push((v) => (typeof v === 'object' && v !== null ? deepCompareStrict(v, c) : v === c));
    }
    if (s.enum !== undefined) {
      const values = list(s.enum);
      const scalars = new Set(values.filter((x) => typeof x !== 'object' || x === null));
      const composite = values.filter((x) => typeof x === 'object' && x !== null);
      any.push((v) => (typeof v === 'object' && v !== null ? composite.some((x) => deepCompareStrict(v, x)) : scalars.has(v)));
    }
    if (s.not !== undefined) {
      const not = this.schema(s.not);
      any.push((v) => !not(v));
    }
    if (s.anyOf !== undefined) {
      const subs = this.#list(s.anyOf);
      any.push((v) => subs.some((t) => t(v)));
    }
    if (s.allOf !== undefined) {
      // `#list` refuses an empty list, so `every` has a test to answer.
      const all = every(this.#list(s.allOf));
      if (all !== null) any.push(all);
    }
    if (s.oneOf !== undefined) {
      const subs = this.#list(s.oneOf);
      any.push((v) => {
        let matches = 0;
        for (const t of subs) if (t(v) && ++matches > 1) return false;
        return matches === 1;
      });
    }
    if (s.if !== undefined) {
      const cond = this.schema(s.if);
      const then = s.then === undefined ? ALWAYS : this.schema(s.then);
      const otherwise = s.else === undefined ? ALWAYS : this.schema(s.else);
      any.push((v) => (cond(v) ? then(v) : otherwise(v)));
    }

    // Objects.
    if (s.required !== undefined) {
      const keys = strings(s.required);
      obj.push((o) => keys.every((k) => hasOwn(o, k)));
    }
    if (s.minProperties !== undefined) {
      const n = count(s.minProperties);
      obj.push((o) => Object.keys(o).length >= n);
    }
    if (s.maxProperties !== undefined) {
      const n = count(s.maxProperties);
      obj.push((o) => Object.keys(o).length <= n);
    }
    if (s.propertyNames !== undefined) {
      const names = this.schema(s.propertyNames);
      obj.push((o) => {
        for (const k in o) if (!names(k)) return false;
        return true;
      });
    }
    if (s.dependentRequired !== undefined) {
      const deps = Object.entries(object(s.dependentRequired)).map(([k, v]) => [k, strings(v)] as const);
      obj.push((o) => deps.every(([k, needs]) => !hasOwn(o, k) || needs.every((d) => hasOwn(o, d))));
    }
    if (s.dependentSchemas !== undefined) {
      const deps = this.#map(s.dependentSchemas);
      obj.push((o) => deps.every(([k, t]) => !hasOwn(o, k) || t(o)));
    }
    const props = s.properties === undefined ? [] : this.#map(s.properties);
    if (props.length > 0) {
      obj.push((o) => {
        for (const [k, test] of props) if (hasOwn(o, k) && !test(o[k])) return false;
        return true;
      });
    }
    if (s.additionalProperties !== undefined) {
      const known = new Set(props.map(([k]) => k));
      const extra = this.schema(s.additionalProperties);
      obj.push(
        extra === NEVER
          ? (o) => {
              for (const k in o) if (!known.has(k)) return false;
              return true;
            }
          : (o) => {
              for (const k in o) if (!known.has(k) && !extra(o[k])) return false;
              return true;
            },
      );
    }

    // Arrays.
    if (s.maxItems !== undefined) {
      const n = count(s.maxItems);
      arr.push((a) => a.length <= n);
    }
    if (s.minItems !== undefined) {
      const n = count(s.minItems);
      arr.push((a) => a.length >= n);
    }
    const prefix = s.prefixItems === undefined ? [] : this.#list(s.prefixItems);
    if (prefix.length > 0) {
      arr.push((a) => {
        let i = 0;
        for (const test of prefix) {
          if (i >= a.length) break;
          if (!test(a[i++])) return false;
        }
        return true;
      });
    }
    if (s.items !== undefined) {
      const item = this.schema(s.items);
      arr.push((a) => {
        for (let i = Math.min(prefix.length, a.length); i < a.length; i++) if (!item(a[i])) return false;
        return true;
      });
    }
    if (s.contains !== undefined) {
      const contains = this.schema(s.contains);
      const min = s.minContains === undefined ? undefined : count(s.minContains);
      const max = s.maxContains === undefined ? undefined : count(s.maxContains);
      arr.push((a) => {
        if (min === undefined ? a.length === 0 : a.length < min) return false;
        let found = 0;
        for (const x of a) if (contains(x)) found++;
        if (min === undefined ? found === 0 : found < min) return false;
        return max === undefined || found <= max;
      });
    }

    // Numbers.
    if (s.minimum !== undefined) {
      const m = num(s.minimum);
      numeric.push((x) => x >= m);
    }
    if (s.maximum !== undefined) {
      const m = num(s.maximum);
      numeric.push((x) => x <= m);
    }
    if (s.exclusiveMinimum !== undefined) {
      const m = num(s.exclusiveMinimum);
      numeric.push((x) => x > m);
    }
    if (s.exclusiveMaximum !== undefined) {
      const m = num(s.exclusiveMaximum);
      numeric.push((x) => x < m);
    }
    if (s.multipleOf !== undefined) {
      const m = num(s.multipleOf);
      numeric.push((x) => isMultipleOf(x, m));
    }

    // Strings: lengths in code points, as the interpreter counts them.
    if (s.minLength !== undefined || s.maxLength !== undefined) {
      const min = s.minLength === undefined ? 0 : count(s.minLength);
      const max = s.maxLength === undefined ? Infinity : count(s.maxLength);
      text.push((str) => {
        // A string's code points are at most its UTF-16 units and at least half of them.
        if (str.length <= max && str.length >= 2 * min) return true;
        const n = ucs2length(str);
        return n >= min && n <= max;
      });
    }

    return assemble(every(any), every(obj), every(arr), every(numeric), every(text));
  }
}

function typeTest(type: unknown): BodyTest {
  if (Array.isArray(type)) {
    const types = strings(type);
    const integer = types.includes('integer');
    return (v) => {
      const t = typeName(v);
      if (types.includes(t)) return true;
      return integer && typeof v === 'number' && v % 1 === 0 && v === v;
    };
  }
  if (typeof type !== 'string') throw new NotCompiled();
  const t = type;
  if (t === 'integer') return (v) => typeof v === 'number' && !(v % 1) && v === v;
  if (t === 'object') return (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (t === 'array') return (v) => Array.isArray(v);
  if (t === 'null') return (v) => v === null;
  return (v) => typeof v === t;
}

/** The keyword tests, each applied only to values of its type (as JSON Schema says). */
function assemble(
  any: BodyTest | null,
  obj: Test<Schema> | null,
  arr: Test<unknown[]> | null,
  numeric: Test<number> | null,
  text: Test<string> | null,
): BodyTest {
  return (v) => {
    switch (typeof v) {
      case 'object':
        if (any !== null && !any(v)) return false;
        if (Array.isArray(v)) return arr === null || arr(v);
        return !isObject(v) || obj === null || obj(v);
      case 'number':
        return (any === null || any(v)) && (numeric === null || numeric(v));
      case 'string':
        return (any === null || any(v)) && (text === null || text(v));
      case 'boolean':
        return any === null || any(v);
      default:
        // Not a JSON value: the interpreter throws, which refuses.
        return false;
    }
  };
}

/**
 * `schema` (checked by `checkSchema`) as closures, or `null` when it uses a keyword this
 * compiler leaves to the interpreter.
 */
export function compileFast(schema: unknown): BodyTest | null {
  try {
    return new Compiler(schema).schema(schema);
  } catch (err) {
    if (err instanceof NotCompiled) return null;
    throw err;
  }
}

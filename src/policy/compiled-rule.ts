/**
 * A checked JSON Schema (see `schema-guard.ts`) made ready to validate bodies, once per session
 * per worker life: compiled into closures when it can be (`fast-schema.ts`), else handed to the
 * interpreter, @cfworker/json-schema.
 * @module
 */
import { Validator } from '@cfworker/json-schema';
import { compileFast, type BodyTest } from './fast-schema.js';

export type { BodyTest };

/** The interpreter, the reference for every schema (and the only path for some). */
export function interpretRule(schema: unknown): BodyTest {
  const validator = new Validator(structuredClone(schema) as object | boolean, '2020-12', true);
  return (value) => validator.validate(value).valid;
}

/** `schema` must have passed `checkSchema`. */
export function compileRule(schema: unknown): BodyTest {
  const test = compileFast(schema) ?? interpretRule(schema);
  return (value) => {
    try {
      return test(value);
    } catch {
      // A validator failure must refuse, never admit.
      return false;
    }
  };
}

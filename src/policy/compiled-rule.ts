/**
 * A checked JSON Schema (see `schema-guard.ts`) made ready to validate bodies, once per session
 * per worker life; validating is then a walk of the schema over the parsed body.
 * @module
 */
import { Validator } from '@cfworker/json-schema';

export type BodyTest = (value: unknown) => boolean;

/** `schema` must have passed `checkSchema`; the validator annotates a copy of it. */
export function compileRule(schema: unknown): BodyTest {
  const validator = new Validator(structuredClone(schema) as object | boolean, '2020-12', true);
  return (value) => {
    try {
      return validator.validate(value).valid;
    } catch {
      // A validator failure must refuse, never admit.
      return false;
    }
  };
}

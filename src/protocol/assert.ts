/**
 * Small validators for values that cross a boundary. Each takes `unknown`, returns the typed
 * value, and throws an EIP-1193 -32602 error whose message names the field.
 * @module
 */
import { invalidParams } from './errors.js';

export type Plain = Record<string, unknown>;

/**
 * Asserts a plain object (no class instances, no arrays) whose own keys are all in `allowed`.
 * `__proto__`, `constructor` and any other key not listed is refused by name.
 * @throws ProviderRpcError -32602
 */
export function aobject(value: unknown, field: string, allowed: readonly string[]): Plain {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidParams(`${field} must be an object.`);
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw invalidParams(`${field} must be a plain object.`);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw invalidParams(`${field} has an unknown field "${key.slice(0, 40)}".`);
  }
  return value as Plain;
}

/** @throws ProviderRpcError -32602 unless an integer in [min, max]. */
export function aint(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw invalidParams(`${field} must be an integer.`);
  }
  if (value < min || value > max) throw invalidParams(`${field} must be between ${min} and ${max}.`);
  return value;
}

/** @throws ProviderRpcError -32602 unless a string of at most `maxChars` characters. */
export function astring(value: unknown, field: string, maxChars: number): string {
  if (typeof value !== 'string') throw invalidParams(`${field} must be a string.`);
  // Code points, not UTF-16 units: an emoji is one character to a user.
  if (value.length > maxChars && [...value].length > maxChars) {
    throw invalidParams(`${field} must be at most ${maxChars} characters.`);
  }
  return value;
}

/** @throws ProviderRpcError -32602 unless one of `options`. */
export function aoneOf<T extends string>(value: unknown, field: string, options: readonly T[]): T {
  const found = options.find((o) => o === value);
  if (found === undefined) throw invalidParams(`${field} must be one of ${options.map((o) => `"${o}"`).join(', ')}.`);
  return found;
}

/**
 * EIP-1193 params of a method that takes one object: exactly `[object]`.
 * @throws ProviderRpcError -32602
 */
export function asingleParam(params: unknown, method: string, allowed: readonly string[]): Plain {
  if (!Array.isArray(params) || params.length !== 1) {
    throw invalidParams(`${method} takes params [{…}]: an array holding one object.`);
  }
  return aobject(params[0], 'params[0]', allowed);
}

/**
 * EIP-1193 params of a method that takes none: absent or `[]`.
 * @throws ProviderRpcError -32602
 */
export function anoParams(params: unknown, method: string): null {
  if (params === undefined || (Array.isArray(params) && params.length === 0)) return null;
  throw invalidParams(`${method} takes no params.`);
}

/** Combining marks one character may carry in a label; real scripts stack two or three. */
export const MAX_MARKS_IN_A_ROW = 4;
const LYING_CHARACTERS = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;
/** Built on first use: a Unicode-property pattern costs a cold worker start 0.4 ms to build. */
let stackedMarks: RegExp | undefined;

/**
 * Asserts text a page supplies for Keyhold's own windows to show (a session label, an API key
 * name): no control or bidi-override characters, which could make it lie about what it says,
 * and no run of more than {@link MAX_MARKS_IN_A_ROW} combining marks, which stack into a tower
 * of ink that draws over the lines around it (a warning, the site's name).
 * @throws ProviderRpcError -32602 naming the field
 */
export function areadable(text: string, field: string): string {
  if (LYING_CHARACTERS.test(text)) throw invalidParams(`${field} must not contain control characters.`);
  stackedMarks ??= new RegExp(`\\p{M}{${MAX_MARKS_IN_A_ROW + 1},}`, 'u');
  if (stackedMarks.test(text)) throw invalidParams(`${field} must not stack more than ${MAX_MARKS_IN_A_ROW} combining marks on one character.`);
  return text;
}

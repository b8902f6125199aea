/**
 * Reading a value that crossed a boundary (a stored record, a port or window message) field by
 * field, each field `unknown` until checked, instead of a cast that claims the types being
 * checked. Its own module so the content scripts need nothing else.
 * @module
 */

/** An object's fields, each `unknown` until checked. */
export const fieldsOf = <T>(o: object): Partial<Record<keyof T, unknown>> => o;

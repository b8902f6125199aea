/**
 * A request body in words for the user: the descriptor's summary filled from the JSON body, the
 * body's fields, or, for a binary body, its size and a hex preview.
 * @module
 */
import type { RequestTypeDescriptor } from '../protocol/descriptor.js';
import { parsePointer, resolvePointer } from './json-pointer.js';
import { parseStrictJson } from './strict-json.js';

export const HEX_PREVIEW_BYTES = 32;
const MAX_TEXT_CHARS = 4000;
const MAX_VALUE_CHARS = 64;

export type BodyPreview =
  /** `text`: the body pretty-printed (cut at 4000 characters). */
  | { kind: 'json'; size: number; text: string }
  /** `hex`: the first {@link HEX_PREVIEW_BYTES} bytes, lowercase, space every byte. */
  | { kind: 'binary'; size: number; hex: string };

const CONTROL = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;

export function previewBody(bytes: Uint8Array): BodyPreview {
  const parsed = parseStrictJson(bytes);
  if (parsed.ok) {
    const text = JSON.stringify(parsed.value, null, 2) ?? '';
    return { kind: 'json', size: bytes.length, text: text.length > MAX_TEXT_CHARS ? `${text.slice(0, MAX_TEXT_CHARS)}…` : text };
  }
  const hex = Array.from(bytes.subarray(0, HEX_PREVIEW_BYTES), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return { kind: 'binary', size: bytes.length, hex: bytes.length > HEX_PREVIEW_BYTES ? `${hex} …` : hex };
}

/** What the activity log keeps of a binary body: its size and its first bytes. Bounded. */
export interface BinaryPreview {
  /** The body's length in bytes. */
  size: number;
  /** The first {@link HEX_PREVIEW_BYTES} bytes (fewer when the body is shorter), lowercase hex, no separators. */
  hex: string;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function binaryPreview(bytes: Uint8Array): BinaryPreview {
  let hex = '';
  for (let i = 0, end = Math.min(bytes.length, HEX_PREVIEW_BYTES); i < end; i++) hex += HEX[bytes[i]!];
  return { size: bytes.length, hex };
}

/**
 * What the activity log says of a signed body of a type a descriptor describes: a JSON body its
 * summary (when the type has a template); a binary body (declared so, or not JSON) its name and
 * size as the summary, and a {@link BinaryPreview}. A type no descriptor describes gets nothing:
 * the log keeps no word of bodies Keyhold cannot name.
 */
export function loggedBody(type: RequestTypeDescriptor, bytes: Uint8Array): { summary?: string; bodyPreview?: BinaryPreview } {
  const binary = { summary: `${type.name}: ${bytes.length} bytes`, bodyPreview: binaryPreview(bytes) };
  if (type.body === 'binary') return binary;
  const parsed = parseStrictJson(bytes);
  if (!parsed.ok) return binary;
  return type.summary === undefined ? {} : { summary: fill(type.summary, parsed.value) };
}

/** One value for a summary: short, without control characters. */
function word(v: unknown): string {
  const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === undefined ? '?' : JSON.stringify(v);
  const clean = text.replace(CONTROL, '');
  return clean.length > MAX_VALUE_CHARS ? `${clean.slice(0, MAX_VALUE_CHARS)}…` : clean;
}

/** The summary of `bytes` by `type`'s template ("Buy {/qty} {/symbol}" → "Buy 1 BTC-USD"), or a binary body's size. */
export function summarize(type: RequestTypeDescriptor | undefined, bytes: Uint8Array): string | undefined {
  if (type?.summary === undefined) return undefined;
  const parsed = parseStrictJson(bytes);
  if (!parsed.ok) return `${type.name}: ${bytes.length} bytes`;
  return fill(type.summary, parsed.value);
}

const fill = (template: string, value: unknown): string =>
  template.replace(/\{([^}]*)\}/g, (_, ptr: string) => word(resolvePointer(value, parsePointer(ptr) ?? [])));

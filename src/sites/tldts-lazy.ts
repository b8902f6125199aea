/**
 * What the extension bundle links in place of `tldts` (scripts/build.ts, `lazyModules`): the
 * same `parse`, but the Public Suffix List behind it (tldts's trie, about 120 KB of script that
 * builds a large object graph) is evaluated on the first call, not when the worker starts. A
 * signature never needs it; an approval or a policy's site check does. The `require` is the
 * bundler's (esbuild wraps the required module in a function run on first use); Node and the
 * unit tests import `tldts` itself.
 * @module
 */
import type * as Tldts from 'tldts';

let tldts: typeof Tldts | undefined;

export const parse: typeof Tldts.parse = (url, options) => (tldts ??= require('tldts') as typeof Tldts).parse(url, options);

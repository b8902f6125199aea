/**
 * The localisation layer: English is complete and well formed, every key the code names exists,
 * the manifest's strings resolve, and substitutions work as the browsers do them.
 * @module
 */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import en from '../../_locales/en/messages.json' with { type: 'json' };
import { manifest } from '../../scripts/manifest.js';
import { t, tCount, useCatalog } from '../../popup/i18n.js';

const root = join(import.meta.dirname, '..', '..');

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(path)));
    else if (/\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe('i18n', () => {
  test('every English message is a non-empty string with a description, and keys are valid', () => {
    for (const [key, entry] of Object.entries(en)) {
      assert.match(key, /^[A-Za-z0-9_@]+$/, `key ${key}`);
      assert.ok(!key.startsWith('@@'), `${key}: @@ keys are the browser's`);
      assert.equal(typeof entry.message, 'string', key);
      assert.ok(entry.message.trim().length > 0, `${key} has an empty message`);
      assert.equal(typeof entry.description, 'string', `${key} has no description for translators`);
    }
  });

  test('the manifest names only messages that exist', () => {
    for (const target of ['chromium', 'firefox'] as const) {
      const text = JSON.stringify(manifest(target));
      for (const [, key] of text.matchAll(/__MSG_([A-Za-z0-9_@]+)__/g)) {
        assert.ok(key !== undefined && key in en, `manifest names __MSG_${key}__`);
      }
    }
  });

  test('every t()/tCount() key in the code exists in English, and every English key is used', async () => {
    const files = [...(await sources('popup')), ...(await sources('background'))];
    const used = new Set<string>();
    // A key may also be named as a literal in a table (e.g. a unit's keys), then passed to t().
    const literals = new Set<string>(['extDescription', 'actionTitle']);
    for (const file of files.filter((f) => !f.endsWith('i18n.ts'))) {
      const text = await readFile(join(root, file), 'utf8');
      for (const m of text.matchAll(/\bt(?:Count)?\(\s*[^)]*?'([A-Za-z0-9_@]+)'/g)) {
        // tCount(n, 'a_one', 'a_other') names two keys.
        for (const k of m[0].matchAll(/'([A-Za-z0-9_@]+)'/g)) used.add(k[1]!);
      }
      for (const m of text.matchAll(/'([A-Za-z0-9_@]+)'/g)) literals.add(m[1]!);
    }
    for (const key of used) assert.ok(key in en, `the code names a missing key "${key}"`);
    const unused = Object.keys(en).filter((k) => !used.has(k) && !literals.has(k));
    assert.deepEqual(unused, [], 'keys no code uses');
  });

  test('substitutes $1…$9 and $$, and shows a missing key as itself', () => {
    useCatalog({ a: { message: 'Pay $1 to $2, cost $$5' }, n_one: { message: '$1 thing' }, n_other: { message: '$1 things' } });
    try {
      assert.equal(t('a' as never, 'Bob', 3), 'Pay Bob to 3, cost $5');
      assert.equal(tCount(1, 'n_one' as never, 'n_other' as never), '1 thing');
      assert.equal(tCount(4, 'n_one' as never, 'n_other' as never), '4 things');
      assert.equal(t('nope' as never), 'nope');
    } finally {
      useCatalog(en);
    }
  });

  test('prefers the browser i18n API when there is one', () => {
    const g = globalThis as { chrome?: unknown };
    g.chrome = { i18n: { getMessage: (k: string, s: string[]) => (k === 'actionTitle' ? `B:${s.join(',')}` : '') } };
    try {
      assert.equal(t('actionTitle', 'x'), 'B:x');
      assert.equal(t('extDescription'), en.extDescription.message, 'falls back when the API has no message');
    } finally {
      delete g.chrome;
    }
  });
});

describe('ensureMessages', () => {
  test('reads the English catalog from the extension when the browser answers "" for every key', async () => {
    const { ensureMessages } = await import('../../popup/i18n.js');
    const g = globalThis as { chrome?: unknown; fetch: typeof fetch };
    const realFetch = g.fetch;
    const asked: string[] = [];
    g.chrome = { i18n: { getMessage: () => '' } };
    g.fetch = (async (url: string) => {
      asked.push(url);
      return new Response(JSON.stringify({ actionTitle: { message: 'From the file' } }));
    }) as typeof fetch;
    useCatalog(undefined as never);
    try {
      assert.equal(t('actionTitle'), 'actionTitle', 'a key without any catalog shows as itself');
      await ensureMessages();
      assert.deepEqual(asked, ['/_locales/en/messages.json']);
      assert.equal(t('actionTitle'), 'From the file');
    } finally {
      delete g.chrome;
      g.fetch = realFetch;
      useCatalog(en);
    }
  });

  test('fetches nothing when the browser has the strings', async () => {
    const { ensureMessages } = await import('../../popup/i18n.js');
    const g = globalThis as { chrome?: unknown; fetch: typeof fetch };
    const realFetch = g.fetch;
    let fetched = false;
    g.chrome = { i18n: { getMessage: (k: string) => k } };
    g.fetch = (async () => {
      fetched = true;
      return new Response('{}');
    }) as typeof fetch;
    useCatalog(undefined as never);
    try {
      await ensureMessages();
      assert.equal(fetched, false);
    } finally {
      delete g.chrome;
      g.fetch = realFetch;
      useCatalog(en);
    }
  });
});

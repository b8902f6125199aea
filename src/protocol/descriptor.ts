/**
 * Service descriptors: a service's names for its request types, their risk, and the schema and
 * summary of their JSON bodies (`spec/descriptor.md`). Served at
 * `<baseUrl>/.well-known/keyhold.json`, or passed by a page as `descriptor`.
 * @module
 */

export type Risk = 'read' | 'trade' | 'transfer' | 'admin';
export const RISKS: readonly Risk[] = ['read', 'trade', 'transfer', 'admin'];

export interface RequestTypeDescriptor {
  name: string;
  risk: Risk;
  body?: 'json' | 'binary';
  /** A JSON Schema 2020-12 (Keyhold's subset) every JSON body of this type must satisfy. */
  schema?: unknown;
  /** Words with `{/json/pointer}` placeholders filled from the body, e.g. "Buy {/qty} {/symbol}". */
  summary?: string;
}

export interface ServiceDescriptor {
  name: string;
  /** Request type (decimal) → how to show and check it. */
  requestTypes: Record<string, RequestTypeDescriptor>;
}

/** Whose word a descriptor is: the service's own (fetched from its baseUrl) or the page's. */
export type DescriptorSource = 'service' | 'site';

export interface SessionDescriptor {
  source: DescriptorSource;
  descriptor: ServiceDescriptor;
}

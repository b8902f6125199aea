/**
 * `eth_signTypedData_v4` (EIP-712): checked before the user sees it (it must encode, and be
 * for Keyhold's active chain), shown as a tree in the approval window, signed by the master.
 * What is signed is what EIP-712 hashes: fields the types do not declare are shown as not
 * signed and left out (`wallet/typed-data.ts`).
 * @module
 */
import { invalidParams } from '../../src/protocol/errors.js';
import type { SignTypedDataParams } from '../../src/protocol/wallet-api.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { signTypedData } from '../vault/eth-sign.js';
import { awaitApproval } from '../approvals/await.js';
import { requireConnected } from '../wallet/connected.js';
import { prepareTypedData } from '../wallet/typed-data.js';

/** A throwaway key (the scalar 1) to check that typed data encodes before asking the user. */
const PROBE_KEY = Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? 1 : 0));

export async function signTypedDataMethod(deps: WorkerDeps, p: SignTypedDataParams, ctx: PageContext): Promise<string> {
  await requireConnected(deps, ctx.origin, p.address);
  const { signed, unsigned } = prepareTypedData(p.typedData);
  const { chainId } = await deps.vault.settings();
  const domainChain = signed.domain.chainId;
  if (domainChain !== undefined) {
    let n: bigint;
    try {
      n = BigInt(domainChain as string | number);
    } catch {
      throw invalidParams('typedData.domain.chainId must be an integer.');
    }
    if (n !== BigInt(chainId)) throw invalidParams(`typedData.domain.chainId is ${n}, but Keyhold's active chain is ${BigInt(chainId)}.`);
  }
  try {
    signTypedData(signed, PROBE_KEY);
  } catch {
    // prepareTypedData checked every value; what is left is the encoder's own limits. Its
    // message is not shown: it speaks of its internals, not of the page's request.
    throw invalidParams('The typed data does not encode under EIP-712: check each value against its declared type, and the sizes of lists and nesting.');
  }
  const approval = unsigned.length > 0 ? { address: p.address, typedData: signed, unsigned } : { address: p.address, typedData: signed };
  const { signature } = await awaitApproval(deps, ctx, 'signTypedData', approval, 'The user rejected the signature request.');
  return signature;
}

/**
 * The wallet's page handlers (merged into `methods/index.ts`).
 * @module
 */
import type { WalletMethods } from '../../src/protocol/wallet-api.js';
import type { WorkerDeps } from '../deps.js';
import type { PageContext } from '../router/page-context.js';
import { addEthereumChain, switchEthereumChain } from './chain-methods.js';
import { createApiKey } from './create-api-key.js';
import { ecRecover } from './ec-recover.js';
import { ethAccounts, ethChainId, ethRequestAccounts } from './eth-accounts.js';
import { personalSignMethod } from './personal-sign.js';
import { signTypedDataMethod } from './sign-typed-data.js';
import { walletGetPermissions, walletRequestPermissions, walletRevokePermissions } from './wallet-permissions.js';

type Handlers = {
  [M in keyof WalletMethods]: (deps: WorkerDeps, params: WalletMethods[M]['params'], ctx: PageContext) => Promise<WalletMethods[M]['result']>;
};

export const walletHandlers: Handlers = {
  eth_requestAccounts: ethRequestAccounts,
  eth_accounts: ethAccounts,
  eth_chainId: ethChainId,
  personal_sign: personalSignMethod,
  personal_ecRecover: ecRecover,
  wallet_switchEthereumChain: switchEthereumChain,
  wallet_addEthereumChain: addEthereumChain,
  eth_signTypedData_v4: signTypedDataMethod,
  wallet_requestPermissions: walletRequestPermissions,
  wallet_getPermissions: walletGetPermissions,
  wallet_revokePermissions: walletRevokePermissions,
  keyhold_createApiKey: createApiKey,
};

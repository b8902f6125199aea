/**
 * A request type's risk (`spec/descriptor.md`) in the user's language, for its badge.
 * @module
 */
import type { Risk } from '../../src/protocol/descriptor.js';
import { t, type MessageKey } from '../i18n.js';

const RISK_WORDS: Record<Risk, MessageKey> = {
  read: 'approvalRiskRead',
  trade: 'approvalRiskTrade',
  transfer: 'approvalRiskTransfer',
  admin: 'approvalRiskAdmin',
};

export const riskWord = (risk: Risk): string => t(RISK_WORDS[risk]);

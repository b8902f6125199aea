/**
 * A request type's risk (`spec/descriptor.md`) in the user's language, for its badge.
 * @module
 */
import type { Risk } from '../../src/protocol/descriptor.js';
import { t } from '../i18n.js';

export function riskWord(risk: Risk): string {
  switch (risk) {
    case 'read':
      return t('approvalRiskRead');
    case 'trade':
      return t('approvalRiskTrade');
    case 'transfer':
      return t('approvalRiskTransfer');
    case 'admin':
      return t('approvalRiskAdmin');
  }
}

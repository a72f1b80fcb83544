import type { ConversationReference } from 'botbuilder';
import type { PersonalAddress } from './proactive.js';

/**
 * A line manager's personal chat: the one stored when they last answered the bot, or else one opened
 * with their Teams id in the tenant and service their record holds.
 */
export function managerAddress(
  doc: {
    managerTeamsId: string;
    reference?: Partial<ConversationReference> | undefined;
    tenantId?: string | undefined;
    serviceUrl?: string | undefined;
  },
  bot?: { id: string; name?: string },
): PersonalAddress {
  if (doc.reference) return { reference: doc.reference };
  return { teamsUserId: doc.managerTeamsId, tenantId: doc.tenantId, serviceUrl: doc.serviceUrl, bot };
}

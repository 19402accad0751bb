import { formatDuration, isDisposition } from '../../../core/call/rules';
import type { Locale } from '../../../core/locale';
import { translate } from '../../i18n/i18n';

/**
 * What the phone writes for people, in the agent's language: the incoming-call notice, the ticket
 * note a finished call leaves, and the subject of a ticket created for a caller. The store keeps no
 * wording of its own (stores/ import no i18n/).
 */
export const callWording = {
  incomingTitle: (locale: Locale, autoAnswered: boolean): string => translate(locale, autoAnswered ? 'phone.autoAnswered.title' : 'phone.incoming.title'),

  /** The internal note on the call's ticket: who, how long, the disposition, then the agent's own note. */
  ticketNote(locale: Locale, call: { who: string; durationMs: number; disposition: string; note?: string | undefined }): string {
    return [
      translate(locale, 'phone.note.body', {
        who: call.who,
        duration: formatDuration(call.durationMs),
        disposition: isDisposition(call.disposition) ? translate(locale, `phone.disposition.${call.disposition}`) : call.disposition,
      }),
      call.note ?? '',
    ]
      .filter(Boolean)
      .join('\n\n');
  },

  ticketSubject: (locale: Locale, who: string): string => translate(locale, 'phone.ticket.subject', { who }),
};

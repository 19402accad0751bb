import { z } from 'zod';

/** What the agent chose to be; routing (calls, chats) offers work only to `available`. */
export const Presence = z.enum(['available', 'busy', 'after-call', 'break', 'offline']);
export type Presence = z.infer<typeof Presence>;
export const presences: readonly Presence[] = Presence.options;

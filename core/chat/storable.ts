import type { z } from 'zod';
import { unstorableText } from './safeText';

/**
 * The zod form of core/chat/safeText unstorableText, for every schema that accepts text to be stored:
 * `z.string().superRefine(refuseUnstorable)`. A refusal is a 400 with the policy's message.
 */
export function refuseUnstorable(value: string, ctx: z.RefinementCtx): void {
  const problem = unstorableText(value);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
}

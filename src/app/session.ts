// The open dialog of the asker (conversation_state): read with the asker in one locked statement
// (src/app/asker.ts), checked against its flow (expired, a flow changed shape, a draft that no
// longer fits), and written back after the handler in the same transaction.
import type { EntityManager } from 'typeorm';
import { ConversationState } from '../entities/conversation-state.js';
import type { Router } from '../handlers/router.js';
import type { Asker, ConversationSnapshot, HandlerResult } from '../handlers/types.js';
import type { StoredConversation } from './asker.js';
import { DIALOG_EXPIRED_TEXT, DIALOG_OUTDATED_TEXT } from './views.js';

export interface OpenedSession {
  conversation: ConversationSnapshot | undefined;
  /** Said before the answer when a stored dialog is dropped. */
  note: string | undefined;
  /** A row exists (kept, or to be deleted): what saving must replace or remove. */
  stored: boolean;
}

/** The stored dialog as the router sees it, or why it was dropped. */
export function openSession(
  router: Router,
  stored: StoredConversation | undefined,
  now: Date,
): OpenedSession {
  if (!stored) return { conversation: undefined, note: undefined, stored: false };
  if (stored.expiresAt <= now) return { conversation: undefined, note: DIALOG_EXPIRED_TEXT, stored: true };
  const flow = router.flow(stored.flow);
  const fits =
    flow !== undefined &&
    flow.version === stored.version &&
    flow.steps[stored.step] !== undefined &&
    (flow.accepts?.(stored.data) ?? true);
  if (!fits) return { conversation: undefined, note: DIALOG_OUTDATED_TEXT, stored: true };
  return {
    conversation: {
      flow: stored.flow,
      step: stored.step,
      data: (stored.data ?? {}) as Record<string, unknown>,
      ...(stored.role ? { role: stored.role, unitId: stored.unitId } : {}),
    },
    note: undefined,
    stored: true,
  };
}

/** Writes what the handler left: the next step, the same step kept alive, or nothing. */
export async function saveSession(
  tx: EntityManager,
  router: Router,
  asker: Asker,
  session: OpenedSession,
  result: HandlerResult,
  now: Date,
  defaultTtlMinutes: number,
): Promise<void> {
  const userid = asker.userid;
  const target = result.next === 'end' ? undefined : (result.next ?? session.conversation);
  if (!target) {
    // Nothing stored, nothing to remove: no statement at all (the usual command outside dialogs).
    if (session.stored) await tx.getRepository(ConversationState).delete({ userid });
    return;
  }
  const flow = router.flow(target.flow);
  if (!flow) throw new Error(`unknown flow ${target.flow}`);
  const ttl = flow.ttlMinutes ?? defaultTtlMinutes;
  await tx.getRepository(ConversationState).upsert(
    {
      userid,
      flow: target.flow,
      step: target.step,
      data: target.data,
      version: flow.version,
      // The router ends a dialog whose person changed, so the asker now is who started it.
      role: asker.role,
      unitId: asker.topUnit?.id ?? null,
      expiresAt: new Date(now.getTime() + ttl * 60_000),
    },
    ['userid'],
  );
}

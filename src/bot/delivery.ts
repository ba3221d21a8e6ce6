// The contract between the transport and the app: the callback hands each verified, decrypted
// delivery to a receiver and answers WeCom with what it returns. The transport knows nothing of
// what the receiver does with it.
import type { Inbound } from './inbound.js';

/** A reply the callback can answer in the HTTP response itself. */
export type PassiveReply =
  | { type: 'text'; content: string; toUser: string }
  | { type: 'update_button'; replaceName: string; toUser: string };

/** The delivery could not be recorded: the callback answers 503 so that WeCom retries. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

export interface DeliveryReceiver {
  /**
   * Records and handles one delivery. Returns a passive reply, or undefined for an empty 200.
   * Throws DatabaseUnavailableError only when the delivery could not be recorded.
   */
  receive(xml: string, inbound: Inbound): Promise<PassiveReply | undefined>;
}

// Server-side records of the board's sessions. The cookie carries a random token (signed, so that a
// forged cookie costs no query); the table keeps only the token's SHA-256 with the member and the
// role they signed in with. Ending a person's sessions deletes their rows: every browser they used,
// and every copy of a cookie, is signed out at once.
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { BoardSession } from '../../entities/board-session.js';
import type { Role } from '../../entities/person.js';

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Records a new session; returns the token for the cookie (never stored). */
export async function startBoardSession(
  manager: EntityManager,
  member: { userid: string; role: Role },
  expiresAt: Date,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await manager.getRepository(BoardSession).insert({
    tokenHash: tokenHash(token),
    userid: member.userid,
    role: member.role,
    expiresAt,
  });
  return token;
}

/** The live session a token stands for, or undefined (unknown, ended or expired). */
export async function findBoardSession(
  manager: EntityManager,
  token: string,
  now: Date,
): Promise<BoardSession | undefined> {
  const session = await manager.getRepository(BoardSession).findOneBy({ tokenHash: tokenHash(token) });
  return session && session.expiresAt > now ? session : undefined;
}

/** Ends every board session of a person (logout, deactivation, a change of role); returns how many. */
export async function endBoardSessions(manager: EntityManager, userid: string): Promise<number> {
  const result = await manager.getRepository(BoardSession).delete({ userid });
  return result.affected ?? 0;
}

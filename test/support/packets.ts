// What the bot sends MariaDB, packet by packet (src/db/batch.ts joins statements into packets).
import type { DataSource } from 'typeorm';

/** The packets the pool's connections sent while `action` ran (mysql2 queues one command per packet). */
export async function recordPackets(db: DataSource, action: () => Promise<unknown>): Promise<string[]> {
  const pool = (
    db.driver as unknown as { pool: { getConnection(cb: (e: Error | null, c: object) => void): void } }
  ).pool;
  const connection = await new Promise<{ release(): void }>((resolve, reject) =>
    pool.getConnection((error, c) => (error ? reject(error) : resolve(c as { release(): void }))),
  );
  // addCommand is where every query becomes a command on the wire; it lives on the prototype chain.
  type Owner = { addCommand: (cmd: { sql?: string }) => unknown };
  let owner = Object.getPrototypeOf(connection) as Owner | null;
  while (owner && !Object.prototype.hasOwnProperty.call(owner, 'addCommand'))
    owner = Object.getPrototypeOf(owner) as Owner | null;
  connection.release();
  if (!owner) throw new Error('mysql2 has no addCommand');
  const original = owner.addCommand;
  const packets: string[] = [];
  owner.addCommand = function (this: unknown, cmd: { sql?: string }) {
    if (typeof cmd.sql === 'string') packets.push(cmd.sql);
    return original.call(this, cmd);
  };
  try {
    await action();
  } finally {
    owner.addCommand = original;
  }
  return packets;
}

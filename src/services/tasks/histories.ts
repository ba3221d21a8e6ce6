// The replies, reviews and extension requests of many tasks at once (a unit's page on the board):
// three queries per thousand tasks, whatever their number, in the shape `taskHistory` gives for one.
import { In, type EntityManager } from 'typeorm';
import { ExtensionRequest } from '../../entities/extension-request.js';
import { StoredFile } from '../../entities/stored-file.js';
import { TaskReply } from '../../entities/task-reply.js';
import { TaskReview } from '../../entities/task-review.js';
import type { TaskHistory } from './store.js';

const CHUNK = 1000;

export async function taskHistories(tx: EntityManager, taskIds: number[]): Promise<Map<number, TaskHistory>> {
  const ids = [...new Set(taskIds)];
  const result = new Map<number, TaskHistory>(
    ids.map((id) => [id, { replies: [], reviews: [], extensions: [] }]),
  );
  for (let i = 0; i < ids.length; i += CHUNK) {
    const where = { taskId: In(ids.slice(i, i + CHUNK)) };
    const [replies, reviews, extensions] = await Promise.all([
      tx.getRepository(TaskReply).find({ where, order: { id: 'ASC' } }),
      tx.getRepository(TaskReview).find({ where, order: { id: 'ASC' } }),
      tx.getRepository(ExtensionRequest).find({ where, order: { id: 'ASC' } }),
    ]);
    for (const reply of replies) result.get(reply.taskId)?.replies.push(reply);
    for (const review of reviews) result.get(review.taskId)?.reviews.push(review);
    for (const request of extensions) result.get(request.taskId)?.extensions.push(request);
  }
  return result;
}

/** The names of stored files (a reply's attachments), by id. */
export async function storedFileNames(tx: EntityManager, fileIds: number[]): Promise<Map<number, string>> {
  const ids = [...new Set(fileIds)];
  const names = new Map<number, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const files = await tx.getRepository(StoredFile).find({
      select: { id: true, fileName: true },
      where: { id: In(ids.slice(i, i + CHUNK)) },
    });
    for (const file of files) names.set(file.id, file.fileName);
  }
  return names;
}

import { createServer, type Server } from 'node:http';
import type Koa from 'koa';

/** An HTTP server for a koa app (koa's handler returns a promise that node's types do not expect). */
export function httpServer(app: Koa): Server {
  const handle = app.callback();
  return createServer((request, response) => void handle(request, response));
}

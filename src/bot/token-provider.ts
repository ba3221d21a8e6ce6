// The access token (doc 91039): cached in memory and in the database so that every instance
// shares one token; refreshed before expiry, one refresh at a time across instances.
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { WecomToken } from '../entities/wecom-token.js';
import type { Clock } from '../clock.js';
import { countTokenRefresh } from '../metrics/metrics.js';

export interface FetchedToken {
  token: string;
  expiresInSeconds: number;
}

export interface TokenProviderOptions {
  /** Refresh when less than this is left (WeCom may also end a token early). */
  refreshMarginMs?: number;
  /** How long one instance may hold the refresh lock. */
  lockMs?: number;
  pollMs?: number;
}

export class TokenProvider {
  private memory: { token: string; expiresAt: number } | undefined;
  private inflight: Promise<string> | undefined;
  private readonly margin: number;
  private readonly lockMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly appKey: string,
    private readonly fetchToken: () => Promise<FetchedToken>,
    private readonly clock: Clock,
    options: TokenProviderOptions = {},
  ) {
    this.margin = options.refreshMarginMs ?? 5 * 60_000;
    this.lockMs = options.lockMs ?? 15_000;
    this.pollMs = options.pollMs ?? 100;
  }

  async get(): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.memory && this.memory.expiresAt - now > this.margin) return this.memory.token;
    // Single flight inside this process; the database lock below covers other instances.
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Forgets a token WeCom rejected (only if nobody has replaced it yet). */
  async invalidate(badToken: string): Promise<void> {
    if (this.memory?.token === badToken) this.memory = undefined;
    await this.dataSource
      .createQueryBuilder()
      .update(WecomToken)
      .set({ accessToken: null, expiresAt: null })
      .where('app_key = :key AND access_token = :token', { key: this.appKey, token: badToken })
      .execute();
  }

  private async load(): Promise<string> {
    const repo = this.dataSource.getRepository(WecomToken);
    await repo.createQueryBuilder().insert().values({ appKey: this.appKey }).orIgnore().execute();
    // A real wait, whatever the injected clock says (tests freeze it while instances poll).
    const deadline = performance.now() + this.lockMs * 2;
    for (;;) {
      const row = await repo.findOneByOrFail({ appKey: this.appKey });
      const now = this.clock.now();
      if (row.accessToken && row.expiresAt && row.expiresAt.getTime() - now.getTime() > this.margin) {
        this.memory = { token: row.accessToken, expiresAt: row.expiresAt.getTime() };
        return row.accessToken;
      }
      if (await this.acquireLock(now)) {
        try {
          return await this.refresh();
        } finally {
          await repo.update({ appKey: this.appKey }, { refreshingUntil: null });
        }
      }
      if (performance.now() > deadline)
        throw new Error('timed out waiting for another instance to refresh the token');
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  private async acquireLock(now: Date): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(WecomToken)
      .set({ refreshingUntil: new Date(now.getTime() + this.lockMs) })
      .where('app_key = :key AND (refreshing_until IS NULL OR refreshing_until < :now)', {
        key: this.appKey,
        now,
      })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  private async refresh(): Promise<string> {
    const fetched = await countTokenRefresh(this.fetchToken());
    const expiresAt = new Date(this.clock.now().getTime() + fetched.expiresInSeconds * 1000);
    await this.dataSource
      .getRepository(WecomToken)
      .update({ appKey: this.appKey }, { accessToken: fetched.token, expiresAt });
    this.memory = { token: fetched.token, expiresAt: expiresAt.getTime() };
    return fetched.token;
  }
}

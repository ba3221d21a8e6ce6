// /metrics as Prometheus scrapes it, after real traffic: encrypted callbacks in (answered passively,
// empty, or refused), messages out through the fake WeCom API (one refused for good), a token
// fetched, scheduled jobs fired, a worker pool registered.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scheduler } from '../src/jobs/scheduler.js';
import type { Job } from '../src/jobs/types.js';
import { registerWorkerPool } from '../src/metrics/registry.js';
import { sendText } from './support/chat.js';
import { startTestBot, type TestBot } from './support/harness.js';

/** The value of one sample line, e.g. `duban_callbacks_total{outcome="passive",status="200"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(bot: TestBot, headers: Record<string, string> = {}): Promise<string> {
  const response = await request(bot.url).get('/metrics').set(headers);
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text;
}

describe('/metrics after traffic', () => {
  let bot: TestBot;
  let text: string;

  beforeAll(async () => {
    // Near real time: the outbox's created_at comes from the database's clock.
    bot = await startTestBot({ now: new Date().toISOString() });
    await bot.addPerson('liaison_a', { unit: '市大数据局' });

    // Answered passively (one short text), through the outbox (markdown: an empty 200), refused.
    const passive = await sendText(bot, 'liaison_a', '工作日 2026-10-01');
    expect(passive.result.reply?.content).toContain('2026-10-01');
    bot.fake.failNext(
      1,
      { kind: 'errcode', errcode: 81013, errmsg: 'user & party & tag all invalid' },
      '/cgi-bin/message/send',
    );
    const viaOutbox = await sendText(bot, 'liaison_a', '帮助');
    expect(viaOutbox.result.body).toBe('');
    const forged = await bot.client.post(bot.client.textXml('liaison_a', '帮助'), {
      signature: 'f'.repeat(40),
    });
    expect(forged.status).toBe(401);
    // Sent after the refused one: delivered.
    await sendText(bot, 'liaison_a', '帮助');

    // One message left waiting, ten minutes old by the bot's clock.
    await bot.client.sendText('liaison_a', '帮助');
    bot.clock.advance(600_000);

    const jobs: Job[] = [
      { name: 'metrics_ok', cron: '* * * * *', everyInstance: true, run: async () => 'done' },
      {
        name: 'metrics_broken',
        cron: '* * * * *',
        everyInstance: true,
        run: async () => {
          throw new Error('job failed on purpose');
        },
      },
    ];
    const scheduler = new Scheduler(bot.runtime.jobDeps, jobs);
    await scheduler.fire(jobs[0]!, bot.clock.now());
    await scheduler.fire(jobs[1]!, bot.clock.now());
    await scheduler.stop();

    const unregister = registerWorkerPool('article-parse', () => ({ queued: 3, running: 2 }));
    text = await scrape(bot);
    unregister();
  });

  afterAll(async () => {
    await bot.close();
  });

  it('counts callbacks by outcome and times them', () => {
    expect(sample(text, 'duban_callbacks_total{outcome="passive",status="200"}')).toBe(1);
    expect(sample(text, 'duban_callbacks_total{outcome="empty",status="200"}')).toBe(3);
    expect(sample(text, 'duban_callbacks_total{outcome="rejected",status="401"}')).toBe(1);
    expect(sample(text, 'duban_callback_duration_seconds_count{outcome="empty"}')).toBe(3);
    expect(sample(text, 'duban_callback_duration_seconds_bucket{le="+Inf",outcome="passive"}')).toBe(1);
  });

  it('shows the outbox: waiting, how long the oldest has waited, dead', () => {
    expect(sample(text, 'duban_outbox_pending_messages')).toBe(1);
    const age = sample(text, 'duban_outbox_oldest_pending_age_seconds')!;
    expect(age).toBeGreaterThan(500);
    expect(age).toBeLessThanOrEqual(600);
    expect(sample(text, 'duban_outbox_dead_messages')).toBe(1);
    expect(sample(text, 'duban_outbox_messages_total{outcome="dead"}')).toBe(1);
    expect(sample(text, 'duban_outbox_messages_total{outcome="sent"}')).toBe(1);
    expect(sample(text, 'duban_database_up')).toBe(1);
  });

  it('counts WeCom API calls by errcode, and token refreshes', () => {
    expect(sample(text, 'duban_wecom_api_calls_total{path="/cgi-bin/gettoken",errcode="0"}')).toBe(1);
    expect(sample(text, 'duban_wecom_api_calls_total{path="/cgi-bin/message/send",errcode="0"}')).toBe(1);
    expect(sample(text, 'duban_wecom_api_calls_total{path="/cgi-bin/message/send",errcode="81013"}')).toBe(1);
    expect(sample(text, 'duban_wecom_token_refreshes_total{result="ok"}')).toBe(1);
  });

  it('counts job runs and failures', () => {
    expect(sample(text, 'duban_job_runs_total{job="metrics_ok",outcome="ran"}')).toBe(1);
    expect(sample(text, 'duban_job_runs_total{job="metrics_broken",outcome="failed"}')).toBe(1);
  });

  it('shows a registered worker pool, memory and event-loop delay', () => {
    expect(sample(text, 'duban_worker_pool_queue_depth{pool="article-parse"}')).toBe(3);
    expect(sample(text, 'duban_worker_pool_running_tasks{pool="article-parse"}')).toBe(2);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
  });

  it('drops a pool that unregistered', async () => {
    const later = await scrape(bot);
    expect(later).toContain('# TYPE duban_worker_pool_queue_depth gauge');
    expect(later).not.toContain('duban_worker_pool_queue_depth{pool="article-parse"}');
  });

  it('answers loopback clients without a token, but not through a proxy on this machine', async () => {
    const proxied = await request(bot.url).get('/metrics').set('X-Forwarded-For', '127.0.0.1');
    expect(proxied.status).toBe(403);
    expect(proxied.text).not.toContain('duban_');
    const posted = await request(bot.url).post('/metrics');
    expect(posted.status).toBe(405);
  });

  it('reports the database down instead of stale outbox figures', async () => {
    const other = await startTestBot();
    try {
      await other.database.dataSource.destroy();
      const down = await scrape(other);
      expect(sample(down, 'duban_database_up')).toBe(0);
      expect(sample(down, 'duban_outbox_pending_messages')).toBeNaN();
      expect(sample(down, 'duban_outbox_oldest_pending_age_seconds')).toBeNaN();
    } finally {
      await other.close();
    }
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  const token = 'scrape-token-0123456789';
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({ env: { METRICS_TOKEN: token } });
  });
  afterAll(async () => {
    await bot.close();
  });

  it.each([
    ['no header', {}],
    ['a wrong token', { Authorization: 'Bearer scrape-token-0123456780' }],
    ['a prefix of the token', { Authorization: 'Bearer scrape-token' }],
    ['the token with another scheme', { Authorization: `Basic ${token}` }],
    ['the token alone', { Authorization: token }],
  ])('refuses %s with 401, even from loopback', async (_case, headers: Record<string, string>) => {
    const response = await request(bot.url).get('/metrics').set(headers);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(response.text).not.toContain('duban_');
  });

  it('answers the bearer token, also through a proxy', async () => {
    const text = await scrape(bot, { Authorization: `Bearer ${token}`, 'X-Forwarded-For': '203.0.113.9' });
    expect(text).toContain('# TYPE duban_callbacks_total counter');
  });
});

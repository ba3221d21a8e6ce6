// The fake WeCom API as a process of its own, for the benchmark and the fault runs.
// FAKE_PORT, FAKE_CREDENTIALS (JSON of the app's credentials).
import type { WeComCredentials } from '../src/config.js';
import { FakeWeCom } from '../src/sandbox/fake-wecom.js';

const credentials = JSON.parse(process.env.FAKE_CREDENTIALS ?? '{}') as WeComCredentials;
const fake = new FakeWeCom({
  corpId: credentials.corpId,
  agents: [{ agentId: credentials.agentId, secret: credentials.secret }],
  members: 'any',
  robotKeys: 'any',
});
await fake.listen(Number(process.env.FAKE_PORT ?? 0));
process.on('SIGTERM', () => {
  void fake.close().then(() => process.exit(0));
});

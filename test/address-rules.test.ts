// What a live bot may fetch: the address ranges it refuses (every IPv6 form that hides an IPv4
// address among them), the 80/443 rule, and the FETCH_ALLOW exceptions for extranet sites.
import { describe, expect, it } from 'vitest';
import { AddressRules, isInternalAddress } from '../src/services/content/address-rules.js';

describe('isInternalAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.12.3.4', true],
    ['172.31.255.255', true],
    ['192.168.1.1', true],
    ['100.64.0.1', true],
    ['169.254.169.254', true],
    ['0.0.0.0', true],
    ['198.18.0.1', true],
    ['192.0.2.10', true],
    ['203.0.113.9', true],
    ['224.0.0.1', true],
    ['255.255.255.255', true],
    ['::', true],
    ['::1', true],
    // IPv4-compatible, -mapped and -translated forms of 127.0.0.1 and 10.0.0.1
    ['::7f00:1', true],
    ['::127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:a00:1', true],
    ['::ffff:0:7f00:1', true],
    ['::ffff:0:a00:1', true],
    // NAT64 (well-known and local-use), Teredo, 6to4, site-local, unique local, link-local, multicast
    ['64:ff9b::7f00:1', true],
    ['64:ff9b::808:808', true],
    ['64:ff9b:1::a00:1', true],
    ['2001::1', true],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', true],
    ['2002:7f00:1::', true],
    ['fec0::1', true],
    ['feff::1', true],
    ['fd12:3456::1', true],
    ['fe80::1', true],
    ['ff02::1', true],
    ['2001:db8::1', true],
    ['not an address', true],
    // the public internet
    ['8.8.8.8', false],
    ['121.40.1.1', false],
    ['::ffff:8.8.8.8', false],
    ['2400:3200::1', false],
    ['2001:4860:4860::8888', false],
  ])('%s is internal: %s', (address, internal) => {
    expect(isInternalAddress(address)).toBe(internal);
  });
});

describe('AddressRules', () => {
  const live = new AddressRules({ anyAddress: false });
  const extranet = new AddressRules({
    anyAddress: false,
    allow: ['10.12.0.0/16', 'zwfw.zibo.gov.cn', '127.0.0.1', '::ffff:172.20.0.0/112'],
  });

  it.each([
    // host, port, resolved addresses, live, with the allow list
    ['www.zibo.gov.cn', 443, ['121.40.1.1'], null, null],
    ['www.zibo.gov.cn', 80, ['121.40.1.1'], null, null],
    ['www.zibo.gov.cn', 8080, ['121.40.1.1'], 'port', 'port'],
    ['www.zibo.gov.cn', 22, ['121.40.1.1'], 'port', 'port'],
    ['10.12.3.4', 8080, ['10.12.3.4'], 'internal', null],
    ['10.12.3.4', 80, ['10.12.3.4'], 'internal', null],
    ['::ffff:a0c:304', 8080, ['::ffff:a0c:304'], 'internal', null],
    ['10.13.0.1', 80, ['10.13.0.1'], 'internal', 'internal'],
    ['zwfw.zibo.gov.cn', 8443, ['10.99.0.7'], 'internal', null],
    ['ZWFW.zibo.gov.cn.', 8443, ['10.99.0.7'], 'internal', null],
    ['other.zibo.gov.cn', 80, ['10.12.0.9'], 'internal', null],
    ['other.zibo.gov.cn', 80, ['10.12.0.9', '10.40.0.1'], 'internal', 'internal'],
    ['mixed.example', 80, ['121.40.1.1', '127.0.0.1'], 'internal', null],
    ['127.0.0.1', 45678, ['127.0.0.1'], 'internal', null],
    ['127.0.0.2', 80, ['127.0.0.2'], 'internal', 'internal'],
    ['172.20.1.1', 9000, ['172.20.1.1'], 'internal', null],
    ['nothing.example', 80, [], 'internal', 'internal'],
  ] as const)('%s:%i at %j → live %s, allowed %s', (host, port, addresses, refusedLive, refusedAllowed) => {
    expect(live.refusal(host, port, addresses)).toBe(refusedLive);
    expect(extranet.refusal(host, port, addresses)).toBe(refusedAllowed);
  });

  it('lets the sandbox reach everything', () => {
    expect(new AddressRules({ anyAddress: true }).refusal('localhost', 1, ['127.0.0.1'])).toBeNull();
  });

  it.each([
    ['http://a.example/', 80],
    ['https://a.example/', 443],
    ['http://a.example:8080/', 8080],
    ['https://a.example:443/', 443],
  ])('the port of %s is %i', (url, port) => {
    expect(AddressRules.portOf(new URL(url))).toBe(port);
  });
});

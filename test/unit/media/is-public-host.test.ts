import { describe, expect, it } from 'vitest';
import { isPublicHost } from '../../../src/media/is-public-host';

/** What `new URL(...)` hands over as `hostname`, so the table also covers the parser's own normalisation. */
const hostOf = (url: string) => new URL(url).hostname;

describe('isPublicHost', () => {
  it.each([
    'example.com',
    'upload.wikimedia.org',
    'cdn.example.co.uk',
    'xn--bcher-kva.example',
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '192.169.0.1',
    '[2001:4860:4860::8888]',
    '2606:4700:4700::1111',
    '[::ffff:8.8.8.8]',
    '[64:ff9b::808:808]',
    '[2001:200::1]',
    '[2620:4f:8000::42]',
    '[2002:808:808::1]',
    '[3ff0::1]',
    '[3fff:1000::1]',
  ])('allows %s', (host) => {
    expect(isPublicHost(host)).toBe(true);
  });

  it.each([
    // names
    'localhost',
    'LOCALHOST',
    'localhost.',
    'api.localhost',
    'printer.local',
    'metadata.google.internal',
    'db.internal',
    'router.lan',
    'nas.home.arpa',
    'metadata',
    'intranet',
    '',
    // IPv4, every spelling
    '127.0.0.1',
    '127.1',
    '0x7f.1',
    '0x7f000001',
    '2130706433',
    '0177.0.0.1',
    '017700000001',
    '0.0.0.0',
    '0',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.100.100.200',
    '192.0.0.1',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '1.2.3.4.5',
    '256.1.1.1',
    // IPv6
    '[::1]',
    '::1',
    '[::]',
    '[0:0:0:0:0:0:0:1]',
    '[fc00::1]',
    '[fd00:ec2::254]',
    '[fe80::1%25eth0]',
    '[fe80::abcd]',
    '[ff02::1]',
    '[::ffff:127.0.0.1]',
    '[::ffff:7f00:1]',
    '[::ffff:169.254.169.254]',
    '[::ffff:a9fe:a9fe]',
    '[::127.0.0.1]',
    '[64:ff9b::7f00:1]',
    '[2002:7f00:1::]',
    '[2001:db8::1]',
    // IANA special-purpose IPv6 (and everything outside global unicast 2000::/3)
    '[::ffff:0:7f00:1]',
    '[0:0:0:0:ffff:0:a9fe:a9fe]',
    '[::ffff:0:0]',
    '[::8.8.8.8]',
    '[64:ff9b:1::7f00:1]',
    '[64:ff9b:1::808:808]',
    '[100::1]',
    '[100:0:0:1::1]',
    '[2001::1]',
    '[2001:0:4136:e378:8000:63bf:3fff:fdd2]',
    '[2001:2::1]',
    '[2001:20::1]',
    '[3fff::1]',
    '[3fff:fff::1]',
    '[5f00::1]',
    '[4000::1]',
    '[::ffff:1.2.3]',
    '[1::2::3]',
    '[gggg::1]',
  ])('refuses %j', (host) => {
    expect(isPublicHost(host)).toBe(false);
  });

  it.each([
    ['https://0x7f.1/a.png', false],
    ['https://2130706433/a.png', false],
    ['https://0177.0.0.1/a.png', false],
    ['https://[::ffff:127.0.0.1]/a.png', false],
    ['https://LocalHost./a.png', false],
    ['https://[0:0::1]/a.png', false],
    ['https://169.254.169.254./latest/meta-data', false],
    ['https://images.example.com/a.png', true],
  ])('as parsed from %s → %s', (url, expected) => {
    expect(isPublicHost(hostOf(url))).toBe(expected);
  });
});

/**
 * Whether a URL host may be fetched on a client's behalf (media URLs in chat messages). Refuses names that
 * resolve inside private networks by convention and every literal address outside the public unicast
 * space, in any spelling the WHATWG URL parser or an HTTP client accepts (`0x7f.1`, `2130706433`,
 * `0177.0.0.1`, `[::ffff:127.0.0.1]` …). A public name that resolves to a private address (DNS rebinding)
 * cannot be caught here: the Edge runtime has no DNS lookup; see docs/compatibility.md.
 */

/** Single-label names (`metadata`, `intranet`) are refused too: they only resolve inside a network. */
const BLOCKED_SUFFIXES = [
  '.localhost',
  '.local',
  '.internal',
  '.intranet',
  '.lan',
  '.home.arpa',
  '.corp',
  '.private',
] as const;

/** [first address, prefix length] of IPv4 ranges that are not public unicast (RFC 6890 and friends). */
const BLOCKED_IPV4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT (also Alibaba Cloud's metadata 100.100.100.200)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

const BLOCKED_IPV4_RANGES = BLOCKED_IPV4.map(([address, bits]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: ((parseIpv4(address) ?? 0) & mask) >>> 0, mask };
});

export function isPublicHost(host: string): boolean {
  let name = host.trim().toLowerCase();
  if (name.startsWith('[') && name.endsWith(']')) return isPublicIpv6(name.slice(1, -1));
  if (name.includes(':')) return isPublicIpv6(name);
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name === '') return false;
  const ipv4 = parseIpv4(name);
  if (ipv4 !== null) return isPublicIpv4(ipv4);
  // A name whose last label is numeric is an address to a URL parser (or invalid): never a public name.
  if (/(^|\.)(0x[0-9a-f]*|\d+)$/.test(name)) return false;
  if (!name.includes('.') || name === 'localhost') return false;
  return !BLOCKED_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

function isPublicIpv4(address: number): boolean {
  return !BLOCKED_IPV4_RANGES.some(({ base, mask }) => (address & mask) >>> 0 === base);
}

/**
 * IPv4 in every form inet_aton and the WHATWG URL parser accept: 1–4 parts, each decimal, octal (leading 0)
 * or hex (0x); the last part fills the remaining bytes. Null if it is not an address.
 */
function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length > 4) return null;
  const numbers: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]+$/.test(part)) value = parseInt(part.slice(1), 8);
    else if (/^(0|[1-9]\d*)$/.test(part)) value = Number(part);
    else return null;
    numbers.push(value);
  }
  const last = numbers.pop() ?? 0;
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return null;
  let address = last;
  for (const [i, n] of numbers.entries()) address += n * 256 ** (3 - i);
  return address >>> 0;
}

/**
 * Public IPv6 is global unicast (2000::/3) outside IANA's special-purpose blocks
 * (https://www.iana.org/assignments/iana-ipv6-special-registry). Outside 2000::/3, only the two forms that
 * carry an IPv4 address a dual-stack host or a NAT64 gateway connects to are judged by that address: every
 * other address there (::, ::1, IPv4-compatible, IPv4-translated ::ffff:0:0:0/96, 64:ff9b:1::/48, 100::/64,
 * unique local, link-local, multicast …) is refused.
 */
function isPublicIpv6(text: string): boolean {
  const groups = parseIpv6(text.split('%')[0] ?? '');
  if (!groups) return false;
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const embedded = ((g6 << 16) >>> 0) + g7;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return isPublicIpv4(embedded); // ::ffff:a.b.c.d (IPv4-mapped)
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isPublicIpv4(embedded); // NAT64 64:ff9b::/96
  if ((g0 & 0xe000) !== 0x2000) return false; // not global unicast
  if (g0 === 0x2002) return isPublicIpv4(((g1 << 16) >>> 0) + g2); // 6to4 carries an IPv4 address
  if (g0 === 0x2001 && g1 < 0x0200) return false; // 2001::/23 IETF protocol assignments: Teredo 2001::/32, benchmarking, ORCHID …
  if (g0 === 0x2001 && g1 === 0x0db8) return false; // documentation
  if (g0 === 0x3fff && g1 < 0x1000) return false; // documentation 3fff::/20 (RFC 9637)
  return true;
}

/** Eight 16-bit groups, with `::` and a dotted IPv4 tail expanded; null if not IPv6. */
function parseIpv6(text: string): number[] | null {
  let body = text;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(last) ? parseIpv4(last) : null;
    if (v4 === null) return null;
    tail = [v4 >>> 16, v4 & 0xffff];
    body = text.slice(0, lastColon + 1);
    if (!body.endsWith('::')) body = body.slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves[1] ? halves[1].split(':') : [];
  if (![...head, ...rest].every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  const missing = 8 - tail.length - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const hex = (group: string) => parseInt(group, 16);
  return [...head.map(hex), ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest.map(hex), ...tail];
}

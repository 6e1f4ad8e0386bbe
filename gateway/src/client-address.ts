import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';

const trustOneHop = (_address: string, hop: number) => hop < 1;

/**
 * Who a request comes from, for per-client limits: the address the one proxy in front of the
 * gateway (nginx, or a cluster's ingress) reports as its peer, i.e. the last X-Forwarded-For entry;
 * without that header, the TCP peer. Entries before the last one are the client's own words and
 * are never used. nginx, trusting REAL_IP_FROM, puts a load balancer's client there itself.
 * The gateway must therefore be reachable through that proxy only (CONTRACT.md: it is not public).
 */
export function clientAddress(request: IncomingMessage): string {
  return clientOf(proxyAddr(request, trustOneHop));
}

/**
 * An IPv6 client holds a whole /64 (2^64 addresses): one of them is not one client. IPv4 (also
 * when written as IPv4-mapped IPv6) is kept as it is.
 */
export function clientOf(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${(parsed as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
}

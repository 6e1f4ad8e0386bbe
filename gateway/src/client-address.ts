import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/**
 * Who a request comes from, for per-client limits: the address the one proxy in front of the
 * gateway (nginx, or a cluster's ingress) reports as its peer, i.e. the last X-Forwarded-For entry;
 * without that header, the TCP peer. Entries before the last one are the client's own words and
 * are never used. nginx, trusting REAL_IP_FROM, puts a load balancer's client there itself.
 * The gateway must therefore be reachable through that proxy only (CONTRACT.md: it is not public).
 */
const trustOneHop = (_address: string, hop: number) => hop < 1;

export function clientAddress(request: IncomingMessage): string {
  return proxyAddr(request, trustOneHop);
}

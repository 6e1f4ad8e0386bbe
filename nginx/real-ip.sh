#!/bin/sh
# Behind a load balancer (Elastic Beanstalk's, a cluster's), nginx would see the balancer as the
# only client. REAL_IP_FROM lists the balancer's addresses (CIDRs, comma-separated): nginx then
# takes the client's address from X-Forwarded-For (the last entry no trusted balancer added) for
# its limits, and passes it on to the gateway as the last X-Forwarded-For entry. Unset: the TCP
# peer is the client. Writes nginx's settings to $1 (the image runs this from /docker-entrypoint.d/
# with no argument: conf.d/real-ip.conf); the local stack runs the same file
# (packages/devstack/src/nginx.ts).
set -eu
out="${1:-/etc/nginx/conf.d/real-ip.conf}"
: > "$out"
[ -n "${REAL_IP_FROM:-}" ] || exit 0
for cidr in $(echo "$REAL_IP_FROM" | tr ',' ' '); do
    case "$cidr" in
        *[!0-9A-Fa-f.:/]* | "") echo "REAL_IP_FROM: not an address or CIDR: $cidr" >&2; exit 1 ;;
    esac
    echo "set_real_ip_from $cidr;" >> "$out"
done
echo "real_ip_header X-Forwarded-For;" >> "$out"
echo "real_ip_recursive on;" >> "$out"

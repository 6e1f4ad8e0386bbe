#!/bin/sh
# Names that move: a recreated container comes back with a new address under the same name. The
# upstream `server` lines of default.conf carry `resolve` (nginx >= 1.27.3), so nginx asks a DNS
# server again every 10 s instead of keeping what it found at start. That needs a DNS server that
# knows the names, which not every platform has:
#   NGINX_RESOLVER unset  the first nameserver of /etc/resolv.conf (Docker's embedded DNS in
#                         compose), except where names come from elsewhere: a name in /etc/hosts
#                         (container links, as Elastic Beanstalk's) or a Kubernetes pod (nginx's
#                         resolver ignores search domains; a Service keeps its address anyway).
#   NGINX_RESOLVER=off    names resolved once, at start, the way the system resolver does it.
#   NGINX_RESOLVER=ADDR   these DNS servers (comma- or space-separated).
# Writes DIR/resolver.conf (empty when off) and DIR/default.conf (SOURCE, without `resolve` when
# off). The image runs this from /docker-entrypoint.d/ with no argument: SOURCE
# /etc/nginx/fibgraph/default.conf, DIR conf.d. RESOLV_CONF and HOSTS_FILE name other files for tests.
set -eu
source="${1:-/etc/nginx/fibgraph/default.conf}"
dir="${2:-/etc/nginx/conf.d}"
resolv_conf="${RESOLV_CONF:-/etc/resolv.conf}"
hosts_file="${HOSTS_FILE:-/etc/hosts}"

servers=""
why=""
case "${NGINX_RESOLVER:-}" in
    off) why="NGINX_RESOLVER=off" ;;
    "")
        names=$(sed -n 's/^[[:space:]]*server[[:space:]]\{1,\}\([^:;[:space:]]*\).*[[:space:]]resolve[[:space:];].*$/\1/p' "$source")
        for name in $names; do
            if grep -Eq "^[^#]*[[:space:]]$name([[:space:]]|\$)" "$hosts_file" 2>/dev/null; then
                why="$name is in $hosts_file (container links)"
                break
            fi
        done
        if [ -z "$why" ] && grep -Eq '^search([[:space:]].*)?[[:space:]]svc\.cluster\.local([[:space:]]|$)' "$resolv_conf" 2>/dev/null; then
            why="Kubernetes: Services keep their address"
        fi
        if [ -z "$why" ]; then
            servers=$(awk '$1 == "nameserver" { print $2; exit }' "$resolv_conf" 2>/dev/null || true)
            [ -n "$servers" ] || why="no nameserver in $resolv_conf"
        fi
        ;;
    *) servers=$(echo "$NGINX_RESOLVER" | tr ',' ' ') ;;
esac

resolver=""
for server in $servers; do
    case "$server" in
        *[!0-9A-Za-z.:_-]*) echo "NGINX_RESOLVER: not an address: $server" >&2; exit 1 ;;
        *:*:*) resolver="$resolver [$server]" ;; # IPv6
        *) resolver="$resolver $server" ;;
    esac
done

if [ -n "$resolver" ]; then
    # valid=10s: Docker's embedded DNS answers with a TTL of 600 s. The services listen on IPv4.
    echo "resolver$resolver valid=10s ipv6=off;" > "$dir/resolver.conf"
    cp "$source" "$dir/default.conf"
    echo "$0: upstream names re-resolved every 10 s through$resolver"
else
    : > "$dir/resolver.conf"
    sed '/^[[:space:]]*server[[:space:]]/s/[[:space:]]\{1,\}resolve\([[:space:];]\)/\1/' "$source" > "$dir/default.conf"
    echo "$0: upstream names resolved once, at start ($why)"
fi

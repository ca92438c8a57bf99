#!/usr/bin/env bash
# netlab plan for lab home-router: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down home-router`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/home-router}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.home-router.underlay
ip -n netlab.home-router.underlay link add br0 address d2:7d:14:e7:7e:80 mtu 1500 type bridge
ip -n netlab.home-router.underlay link set dev br0 alias netlab:home-router up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.home-router.internet
ip -n netlab.home-router.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.home-router.internet
ip -n netlab.home-router.underlay link set dev internet master br0 alias netlab:home-router up
ip -n netlab.home-router.internet link set dev lo up
ip -n netlab.home-router.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.home-router.internet link set dev eth0 alias netlab:home-router up
ip -n netlab.home-router.internet link add br0 address 66:e0:63:58:7e:cb mtu 1500 type bridge
ip -n netlab.home-router.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.home-router.internet link set dev br0 alias netlab:home-router up
ip netns exec netlab.home-router.internet sysctl -qw net.ipv4.ip_forward=1

# internet host web
ip netns add netlab.home-router.web
ip -n netlab.home-router.internet link add web mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.home-router.web
ip -n netlab.home-router.internet link set dev web master br0 alias netlab:home-router up
ip -n netlab.home-router.web link set dev lo up
ip -n netlab.home-router.web addr add 203.0.113.10/24 dev eth0
ip -n netlab.home-router.web link set dev eth0 alias netlab:home-router up
ip -n netlab.home-router.web route add default via 203.0.113.1 dev eth0

# internet host ns1
ip netns add netlab.home-router.ns1
ip -n netlab.home-router.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.home-router.ns1
ip -n netlab.home-router.internet link set dev ns1 master br0 alias netlab:home-router up
ip -n netlab.home-router.ns1 link set dev lo up
ip -n netlab.home-router.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.home-router.ns1 link set dev eth0 alias netlab:home-router up
ip -n netlab.home-router.ns1 route add default via 203.0.113.1 dev eth0

# node router: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.home-router.router
ip -n netlab.home-router.underlay link add router mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.home-router.router
ip -n netlab.home-router.underlay link set dev router master br0 alias netlab:home-router up
ip -n netlab.home-router.router link set dev lo up
ip -n netlab.home-router.router addr add 192.168.56.11/24 dev eth0
ip -n netlab.home-router.router link set dev eth0 alias netlab:home-router up
ip -n netlab.home-router.router route add default via 192.168.56.1 dev eth0

# node router: LAN 192.168.1.0/24 on br-lan (192.168.1.1); it routes, and translates nothing unless its rules say so
ip -n netlab.home-router.router link add br-lan address b2:23:2a:68:93:83 mtu 1500 type bridge
ip -n netlab.home-router.router addr add 192.168.1.1/24 dev br-lan
ip -n netlab.home-router.router link set dev br-lan alias netlab:home-router up
ip netns exec netlab.home-router.router sysctl -qw net.ipv4.ip_forward=1

# LAN host laptop: 192.168.1.2/24 on br-lan through veth9fb95617
ip netns add netlab.home-router.laptop
ip -n netlab.home-router.router link add veth9fb95617 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.home-router.laptop
ip -n netlab.home-router.router link set dev veth9fb95617 master br-lan alias netlab:home-router up
ip -n netlab.home-router.laptop link set dev lo up
ip -n netlab.home-router.laptop addr add 192.168.1.2/24 dev eth0
ip -n netlab.home-router.laptop link set dev eth0 alias netlab:home-router up
ip -n netlab.home-router.laptop route add default via 192.168.1.1 dev eth0

# LAN host nas: 192.168.1.3/24 on br-lan through vethcc23b7e6
ip netns add netlab.home-router.nas
ip -n netlab.home-router.router link add vethcc23b7e6 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.home-router.nas
ip -n netlab.home-router.router link set dev vethcc23b7e6 master br-lan alias netlab:home-router up
ip -n netlab.home-router.nas link set dev lo up
ip -n netlab.home-router.nas addr add 192.168.1.3/24 dev eth0
ip -n netlab.home-router.nas link set dev eth0 alias netlab:home-router up
ip -n netlab.home-router.nas route add default via 192.168.1.1 dev eth0

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.home-router.nas setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name nas --http 80 >"$NETLAB_STATE/logs/echo-nas.log" 2>&1 </dev/null
ip netns exec netlab.home-router.web setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web --http 80 >"$NETLAB_STATE/logs/echo-web.log" 2>&1 </dev/null

# dns: ns1 (203.0.113.53) serves example.com on the internet
mkdir -p "$NETLAB_STATE/dns/ns1" && cat > "$NETLAB_STATE/dns/ns1/unbound.conf" <<'EOF'
server:
    interface: 0.0.0.0
    port: 53
    do-ip6: no
    access-control: 0.0.0.0/0 allow
    username: ""
    chroot: ""
    pidfile: ""
    use-syslog: no
    logfile: ""
    verbosity: 1
    num-threads: 1
    module-config: "iterator"
    cache-max-ttl: 30
    cache-max-negative-ttl: 30
    local-zone: "." static
    local-zone: "113.0.203.in-addr.arpa." static
    local-zone: "example.com." static
remote-control:
    control-enable: yes
    control-interface: 127.0.0.1
    control-port: 8953
    control-use-cert: no
EOF
ip netns exec netlab.home-router.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.home-router.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.home-router.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.home-router.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 3195249576 7200 1800 86400 300
example.com. 300 IN NS ns1.example.com.
10.113.0.203.in-addr.arpa. 300 IN PTR web.example.com.
53.113.0.203.in-addr.arpa. 300 IN PTR ns1.example.com.
ns1.example.com. 300 IN A 203.0.113.53
web.example.com. 300 IN A 203.0.113.10
EOF
mkdir -p "/etc/netns/netlab.home-router.router" && cat > "/etc/netns/netlab.home-router.router/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.home-router.web" && cat > "/etc/netns/netlab.home-router.web/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.home-router.ns1" && cat > "/etc/netns/netlab.home-router.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.home-router.laptop" && cat > "/etc/netns/netlab.home-router.laptop/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.home-router.nas" && cat > "/etc/netns/netlab.home-router.nas/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF

# node router: extra iptables rules from the topology
ip netns exec netlab.home-router.router iptables-restore --noflush <<'EOF'
*nat
-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.3:80
-A POSTROUTING -s 192.168.1.0/24 -o eth0 -j SNAT --to-source 192.168.56.11
COMMIT
EOF

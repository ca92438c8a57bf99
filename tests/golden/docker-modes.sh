#!/usr/bin/env bash
# netlab plan for lab docker-modes: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down docker-modes`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/docker-modes}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.docker-modes.underlay
ip -n netlab.docker-modes.underlay link add br0 address b2:84:9a:22:37:74 mtu 1500 type bridge
ip -n netlab.docker-modes.underlay link set dev br0 alias netlab:docker-modes up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.docker-modes.internet
ip -n netlab.docker-modes.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-modes.internet
ip -n netlab.docker-modes.underlay link set dev internet master br0 alias netlab:docker-modes up
ip -n netlab.docker-modes.internet link set dev lo up
ip -n netlab.docker-modes.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.docker-modes.internet link set dev eth0 alias netlab:docker-modes up
ip -n netlab.docker-modes.internet link add br0 address 0e:56:d6:30:be:a4 mtu 1500 type bridge
ip -n netlab.docker-modes.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.docker-modes.internet link set dev br0 alias netlab:docker-modes up
ip netns exec netlab.docker-modes.internet sysctl -qw net.ipv4.ip_forward=1

# internet host customer
ip netns add netlab.docker-modes.customer
ip -n netlab.docker-modes.internet link add customer mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-modes.customer
ip -n netlab.docker-modes.internet link set dev customer master br0 alias netlab:docker-modes up
ip -n netlab.docker-modes.customer link set dev lo up
ip -n netlab.docker-modes.customer addr add 203.0.113.10/24 dev eth0
ip -n netlab.docker-modes.customer link set dev eth0 alias netlab:docker-modes up
ip -n netlab.docker-modes.customer route add default via 203.0.113.1 dev eth0

# internet host ns1
ip netns add netlab.docker-modes.ns1
ip -n netlab.docker-modes.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-modes.ns1
ip -n netlab.docker-modes.internet link set dev ns1 master br0 alias netlab:docker-modes up
ip -n netlab.docker-modes.ns1 link set dev lo up
ip -n netlab.docker-modes.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.docker-modes.ns1 link set dev eth0 alias netlab:docker-modes up
ip -n netlab.docker-modes.ns1 route add default via 203.0.113.1 dev eth0

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.docker-modes.node1
ip -n netlab.docker-modes.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-modes.node1
ip -n netlab.docker-modes.underlay link set dev node1 master br0 alias netlab:docker-modes up
ip -n netlab.docker-modes.node1 link set dev lo up
ip -n netlab.docker-modes.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.docker-modes.node1 link set dev eth0 alias netlab:docker-modes up
ip -n netlab.docker-modes.node1 route add default via 192.168.56.1 dev eth0

# node node1: dockerd creates docker0 172.17.0.1/16 and turns on forwarding
ip -n netlab.docker-modes.node1 link add docker0 address ee:dc:55:a9:d1:2e mtu 1500 type bridge
ip -n netlab.docker-modes.node1 addr add 172.17.0.1/16 dev docker0
ip -n netlab.docker-modes.node1 link set dev docker0 alias netlab:docker-modes up
ip netns exec netlab.docker-modes.node1 sysctl -qw net.ipv4.ip_forward=1

# node node1: dockerd's iptables rules, as Docker 29 writes them (nat, then filter, then raw)
ip netns exec netlab.docker-modes.node1 iptables-restore --noflush <<'EOF'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
COMMIT
EOF
ip netns exec netlab.docker-modes.node1 iptables-restore --noflush <<'EOF'
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-BRIDGE - [0:0]
:DOCKER-CT - [0:0]
:DOCKER-FORWARD - [0:0]
:DOCKER-INTERNAL - [0:0]
:DOCKER-USER - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-FORWARD
-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
-A DOCKER ! -i docker0 -o docker0 -j DROP
-A DOCKER-BRIDGE -o docker0 -j DOCKER
-A DOCKER-CT -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A DOCKER-FORWARD -j DOCKER-CT
-A DOCKER-FORWARD -j DOCKER-INTERNAL
-A DOCKER-FORWARD -j DOCKER-BRIDGE
-A DOCKER-FORWARD -i docker0 -j ACCEPT
COMMIT
EOF
ip netns exec netlab.docker-modes.node1 iptables-restore --noflush <<'EOF'
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP
COMMIT
EOF

# container web: 172.17.0.2/16 on docker0 through veth57103bc
ip netns add netlab.docker-modes.web
ip -n netlab.docker-modes.node1 link add veth57103bc mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-modes.web
ip -n netlab.docker-modes.node1 link set dev veth57103bc master docker0 alias netlab:docker-modes up
ip -n netlab.docker-modes.web link set dev lo up
ip -n netlab.docker-modes.web addr add 172.17.0.2/16 dev eth0
ip -n netlab.docker-modes.web link set dev eth0 alias netlab:docker-modes up
ip -n netlab.docker-modes.web route add default via 172.17.0.1 dev eth0

# container sealed: --network none, a namespace with lo alone
ip netns add netlab.docker-modes.sealed
ip -n netlab.docker-modes.sealed link set dev lo up

# node node1: dockerd starts one docker-proxy per published port
ip netns exec netlab.docker-modes.node1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.docker_proxy -proto tcp -host-ip 0.0.0.0 -host-port 8080 -container-ip 172.17.0.2 -container-port 80 >"$NETLAB_STATE/logs/docker-proxy-node1-tcp-8080.log" 2>&1 </dev/null

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.docker-modes.web setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web --http 80 >"$NETLAB_STATE/logs/echo-web.log" 2>&1 </dev/null
ip netns exec netlab.docker-modes.web setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name sidecar --http 8081 >"$NETLAB_STATE/logs/echo-sidecar.log" 2>&1 </dev/null
ip netns exec netlab.docker-modes.node1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name tool --http 9000 >"$NETLAB_STATE/logs/echo-tool.log" 2>&1 </dev/null

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
ip netns exec netlab.docker-modes.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.docker-modes.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.docker-modes.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.docker-modes.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 313178267 7200 1800 86400 300
example.com. 300 IN NS ns1.example.com.
10.113.0.203.in-addr.arpa. 300 IN PTR customer.example.com.
53.113.0.203.in-addr.arpa. 300 IN PTR ns1.example.com.
customer.example.com. 300 IN A 203.0.113.10
ns1.example.com. 300 IN A 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.docker-modes.node1" && cat > "/etc/netns/netlab.docker-modes.node1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.docker-modes.customer" && cat > "/etc/netns/netlab.docker-modes.customer/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.docker-modes.ns1" && cat > "/etc/netns/netlab.docker-modes.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.docker-modes.web" && cat > "/etc/netns/netlab.docker-modes.web/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.docker-modes.sealed" && cat > "/etc/netns/netlab.docker-modes.sealed/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF

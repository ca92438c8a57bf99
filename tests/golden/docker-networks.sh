#!/usr/bin/env bash
# netlab plan for lab docker-networks: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down docker-networks`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/docker-networks}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.docker-networks.underlay
ip -n netlab.docker-networks.underlay link add br0 address c2:b0:8f:06:9f:df mtu 1500 type bridge
ip -n netlab.docker-networks.underlay link set dev br0 alias netlab:docker-networks up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.docker-networks.internet
ip -n netlab.docker-networks.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-networks.internet
ip -n netlab.docker-networks.underlay link set dev internet master br0 alias netlab:docker-networks up
ip -n netlab.docker-networks.internet link set dev lo up
ip -n netlab.docker-networks.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.docker-networks.internet link set dev eth0 alias netlab:docker-networks up
ip -n netlab.docker-networks.internet link add br0 address 46:c5:bd:6f:a7:e7 mtu 1500 type bridge
ip -n netlab.docker-networks.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.docker-networks.internet link set dev br0 alias netlab:docker-networks up
ip netns exec netlab.docker-networks.internet sysctl -qw net.ipv4.ip_forward=1

# internet host customer
ip netns add netlab.docker-networks.customer
ip -n netlab.docker-networks.internet link add customer mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-networks.customer
ip -n netlab.docker-networks.internet link set dev customer master br0 alias netlab:docker-networks up
ip -n netlab.docker-networks.customer link set dev lo up
ip -n netlab.docker-networks.customer addr add 203.0.113.10/24 dev eth0
ip -n netlab.docker-networks.customer link set dev eth0 alias netlab:docker-networks up
ip -n netlab.docker-networks.customer route add default via 203.0.113.1 dev eth0

# internet host ns1
ip netns add netlab.docker-networks.ns1
ip -n netlab.docker-networks.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-networks.ns1
ip -n netlab.docker-networks.internet link set dev ns1 master br0 alias netlab:docker-networks up
ip -n netlab.docker-networks.ns1 link set dev lo up
ip -n netlab.docker-networks.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.docker-networks.ns1 link set dev eth0 alias netlab:docker-networks up
ip -n netlab.docker-networks.ns1 route add default via 203.0.113.1 dev eth0

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.docker-networks.node1
ip -n netlab.docker-networks.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-networks.node1
ip -n netlab.docker-networks.underlay link set dev node1 master br0 alias netlab:docker-networks up
ip -n netlab.docker-networks.node1 link set dev lo up
ip -n netlab.docker-networks.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.docker-networks.node1 link set dev eth0 alias netlab:docker-networks up
ip -n netlab.docker-networks.node1 route add default via 192.168.56.1 dev eth0

# node node1: dockerd creates docker0 172.17.0.1/16 and turns on forwarding
ip -n netlab.docker-networks.node1 link add docker0 address be:2e:2e:6c:fb:50 mtu 1500 type bridge
ip -n netlab.docker-networks.node1 addr add 172.17.0.1/16 dev docker0
ip -n netlab.docker-networks.node1 link set dev docker0 alias netlab:docker-networks up
ip netns exec netlab.docker-networks.node1 sysctl -qw net.ipv4.ip_forward=1

# node node1: docker network create shop: bridge br-b5cc6d382625 172.18.0.1/16
ip -n netlab.docker-networks.node1 link add br-b5cc6d382625 address 76:c6:46:9d:f9:f7 mtu 1500 type bridge
ip -n netlab.docker-networks.node1 addr add 172.18.0.1/16 dev br-b5cc6d382625
ip -n netlab.docker-networks.node1 link set dev br-b5cc6d382625 alias netlab:docker-networks up

# node node1: docker network create billing: bridge billing0 192.168.100.1/24
ip -n netlab.docker-networks.node1 link add billing0 address 36:40:7a:cd:3e:79 mtu 1500 type bridge
ip -n netlab.docker-networks.node1 addr add 192.168.100.1/24 dev billing0
ip -n netlab.docker-networks.node1 link set dev billing0 alias netlab:docker-networks up

# node node1: dockerd's iptables rules, as Docker 29 writes them (nat, then filter, then raw)
ip netns exec netlab.docker-networks.node1 iptables-restore --noflush <<'EOF'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 192.168.100.0/24 ! -o billing0 -j MASQUERADE
-A POSTROUTING -s 172.18.0.0/16 ! -o br-b5cc6d382625 -j MASQUERADE
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A DOCKER ! -i br-b5cc6d382625 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80
COMMIT
EOF
ip netns exec netlab.docker-networks.node1 iptables-restore --noflush <<'EOF'
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
-A DOCKER -d 172.18.0.2/32 ! -i br-b5cc6d382625 -o br-b5cc6d382625 -p tcp -m tcp --dport 80 -j ACCEPT
-A DOCKER ! -i docker0 -o docker0 -j DROP
-A DOCKER ! -i br-b5cc6d382625 -o br-b5cc6d382625 -j DROP
-A DOCKER ! -i billing0 -o billing0 -j DROP
-A DOCKER-BRIDGE -o docker0 -j DOCKER
-A DOCKER-BRIDGE -o br-b5cc6d382625 -j DOCKER
-A DOCKER-BRIDGE -o billing0 -j DOCKER
-A DOCKER-CT -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A DOCKER-CT -o br-b5cc6d382625 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A DOCKER-CT -o billing0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A DOCKER-FORWARD -j DOCKER-CT
-A DOCKER-FORWARD -j DOCKER-INTERNAL
-A DOCKER-FORWARD -j DOCKER-BRIDGE
-A DOCKER-FORWARD -i docker0 -j ACCEPT
-A DOCKER-FORWARD -i br-b5cc6d382625 -j ACCEPT
-A DOCKER-FORWARD -i billing0 -j ACCEPT
COMMIT
EOF
ip netns exec netlab.docker-networks.node1 iptables-restore --noflush <<'EOF'
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP
-A PREROUTING -d 172.18.0.2/32 ! -i br-b5cc6d382625 -j DROP
-A PREROUTING -d 172.18.0.3/32 ! -i br-b5cc6d382625 -j DROP
-A PREROUTING -d 192.168.100.2/32 ! -i billing0 -j DROP
COMMIT
EOF

# container legacy: 172.17.0.2/16 on docker0 through vethd380fbf
ip netns add netlab.docker-networks.legacy
ip -n netlab.docker-networks.node1 link add vethd380fbf mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-networks.legacy
ip -n netlab.docker-networks.node1 link set dev vethd380fbf master docker0 alias netlab:docker-networks up
ip -n netlab.docker-networks.legacy link set dev lo up
ip -n netlab.docker-networks.legacy addr add 172.17.0.2/16 dev eth0
ip -n netlab.docker-networks.legacy link set dev eth0 alias netlab:docker-networks up
ip -n netlab.docker-networks.legacy route add default via 172.17.0.1 dev eth0

# container web: 172.18.0.2/16 on br-b5cc6d382625 through vethf11aced
ip netns add netlab.docker-networks.web
ip -n netlab.docker-networks.node1 link add vethf11aced mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-networks.web
ip -n netlab.docker-networks.node1 link set dev vethf11aced master br-b5cc6d382625 alias netlab:docker-networks up
ip -n netlab.docker-networks.web link set dev lo up
ip -n netlab.docker-networks.web addr add 172.18.0.2/16 dev eth0
ip -n netlab.docker-networks.web link set dev eth0 alias netlab:docker-networks up
ip -n netlab.docker-networks.web route add default via 172.18.0.1 dev eth0

# container db: 172.18.0.3/16 on br-b5cc6d382625 through veth2e89def
ip netns add netlab.docker-networks.db
ip -n netlab.docker-networks.node1 link add veth2e89def mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-networks.db
ip -n netlab.docker-networks.node1 link set dev veth2e89def master br-b5cc6d382625 alias netlab:docker-networks up
ip -n netlab.docker-networks.db link set dev lo up
ip -n netlab.docker-networks.db addr add 172.18.0.3/16 dev eth0
ip -n netlab.docker-networks.db link set dev eth0 alias netlab:docker-networks up
ip -n netlab.docker-networks.db route add default via 172.18.0.1 dev eth0

# container invoices: 192.168.100.2/24 on billing0 through vethba1960c
ip netns add netlab.docker-networks.invoices
ip -n netlab.docker-networks.node1 link add vethba1960c mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-networks.invoices
ip -n netlab.docker-networks.node1 link set dev vethba1960c master billing0 alias netlab:docker-networks up
ip -n netlab.docker-networks.invoices link set dev lo up
ip -n netlab.docker-networks.invoices addr add 192.168.100.2/24 dev eth0
ip -n netlab.docker-networks.invoices link set dev eth0 alias netlab:docker-networks up
ip -n netlab.docker-networks.invoices route add default via 192.168.100.1 dev eth0

# node node1: dockerd's embedded DNS server at 127.0.0.11 in each container on a user-defined network
mkdir -p "/etc/netns/netlab.docker-networks.web" && cat > "/etc/netns/netlab.docker-networks.web/resolv.conf" <<'EOF'
# Generated by Docker Engine.
# This file can be edited; Docker Engine will not make further changes once it
# has been modified.

nameserver 127.0.0.11
options ndots:0

# Based on host file: '/etc/resolv.conf' (internal resolver)
# ExtServers: [host(203.0.113.53)]
# Overrides: []
# Option ndots from: internal
EOF
ip netns exec netlab.docker-networks.web iptables-restore --noflush <<'EOF'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER_OUTPUT - [0:0]
:DOCKER_POSTROUTING - [0:0]
-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT
-A POSTROUTING -d 127.0.0.11/32 -j DOCKER_POSTROUTING
-A DOCKER_OUTPUT -d 127.0.0.11/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:54900
-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:59140
-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport 54900 -j SNAT --to-source :53
-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p udp -m udp --sport 59140 -j SNAT --to-source :53
COMMIT
EOF
mkdir -p "/etc/netns/netlab.docker-networks.db" && cat > "/etc/netns/netlab.docker-networks.db/resolv.conf" <<'EOF'
# Generated by Docker Engine.
# This file can be edited; Docker Engine will not make further changes once it
# has been modified.

nameserver 127.0.0.11
options ndots:0

# Based on host file: '/etc/resolv.conf' (internal resolver)
# ExtServers: [host(203.0.113.53)]
# Overrides: []
# Option ndots from: internal
EOF
ip netns exec netlab.docker-networks.db iptables-restore --noflush <<'EOF'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER_OUTPUT - [0:0]
:DOCKER_POSTROUTING - [0:0]
-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT
-A POSTROUTING -d 127.0.0.11/32 -j DOCKER_POSTROUTING
-A DOCKER_OUTPUT -d 127.0.0.11/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:48697
-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:44321
-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport 48697 -j SNAT --to-source :53
-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p udp -m udp --sport 44321 -j SNAT --to-source :53
COMMIT
EOF
mkdir -p "/etc/netns/netlab.docker-networks.invoices" && cat > "/etc/netns/netlab.docker-networks.invoices/resolv.conf" <<'EOF'
# Generated by Docker Engine.
# This file can be edited; Docker Engine will not make further changes once it
# has been modified.

nameserver 127.0.0.11
options ndots:0

# Based on host file: '/etc/resolv.conf' (internal resolver)
# ExtServers: [host(203.0.113.53)]
# Overrides: []
# Option ndots from: internal
EOF
ip netns exec netlab.docker-networks.invoices iptables-restore --noflush <<'EOF'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER_OUTPUT - [0:0]
:DOCKER_POSTROUTING - [0:0]
-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT
-A POSTROUTING -d 127.0.0.11/32 -j DOCKER_POSTROUTING
-A DOCKER_OUTPUT -d 127.0.0.11/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:55778
-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:37914
-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport 55778 -j SNAT --to-source :53
-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p udp -m udp --sport 37914 -j SNAT --to-source :53
COMMIT
EOF
ip netns exec netlab.docker-networks.node1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.docker_dns --upstream 203.0.113.53 --container netlab.docker-networks.web,59140,54900,shop --container netlab.docker-networks.db,44321,48697,shop --container netlab.docker-networks.invoices,37914,55778,billing --record shop,web,172.18.0.2 --record shop,db,172.18.0.3 --record billing,invoices,192.168.100.2 >"$NETLAB_STATE/logs/docker-dns-node1.log" 2>&1 </dev/null

# node node1: dockerd starts one docker-proxy per published port
ip netns exec netlab.docker-networks.node1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.docker_proxy -proto tcp -host-ip 0.0.0.0 -host-port 8080 -container-ip 172.18.0.2 -container-port 80 >"$NETLAB_STATE/logs/docker-proxy-node1-tcp-8080.log" 2>&1 </dev/null

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.docker-networks.web setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web --http 80 >"$NETLAB_STATE/logs/echo-web.log" 2>&1 </dev/null
ip netns exec netlab.docker-networks.db setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name db --tcp 5432 >"$NETLAB_STATE/logs/echo-db.log" 2>&1 </dev/null
ip netns exec netlab.docker-networks.invoices setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name invoices --http 80 >"$NETLAB_STATE/logs/echo-invoices.log" 2>&1 </dev/null
ip netns exec netlab.docker-networks.legacy setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name legacy --http 80 >"$NETLAB_STATE/logs/echo-legacy.log" 2>&1 </dev/null

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
ip netns exec netlab.docker-networks.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.docker-networks.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.docker-networks.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.docker-networks.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 313178267 7200 1800 86400 300
example.com. 300 IN NS ns1.example.com.
10.113.0.203.in-addr.arpa. 300 IN PTR customer.example.com.
53.113.0.203.in-addr.arpa. 300 IN PTR ns1.example.com.
customer.example.com. 300 IN A 203.0.113.10
ns1.example.com. 300 IN A 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.docker-networks.node1" && cat > "/etc/netns/netlab.docker-networks.node1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.docker-networks.customer" && cat > "/etc/netns/netlab.docker-networks.customer/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.docker-networks.ns1" && cat > "/etc/netns/netlab.docker-networks.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.docker-networks.legacy" && cat > "/etc/netns/netlab.docker-networks.legacy/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF

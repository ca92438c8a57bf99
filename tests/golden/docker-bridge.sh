#!/usr/bin/env bash
# netlab plan for lab docker-bridge: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down docker-bridge`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/docker-bridge}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.docker-bridge.underlay
ip -n netlab.docker-bridge.underlay link add br0 address de:51:ab:75:3f:81 mtu 1500 type bridge
ip -n netlab.docker-bridge.underlay link set dev br0 alias netlab:docker-bridge up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.docker-bridge.internet
ip -n netlab.docker-bridge.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-bridge.internet
ip -n netlab.docker-bridge.underlay link set dev internet master br0 alias netlab:docker-bridge up
ip -n netlab.docker-bridge.internet link set dev lo up
ip -n netlab.docker-bridge.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.docker-bridge.internet link set dev eth0 alias netlab:docker-bridge up
ip -n netlab.docker-bridge.internet link add br0 address ba:c2:15:f6:cd:a5 mtu 1500 type bridge
ip -n netlab.docker-bridge.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.docker-bridge.internet link set dev br0 alias netlab:docker-bridge up
ip netns exec netlab.docker-bridge.internet sysctl -qw net.ipv4.ip_forward=1

# internet host web
ip netns add netlab.docker-bridge.web
ip -n netlab.docker-bridge.internet link add web mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-bridge.web
ip -n netlab.docker-bridge.internet link set dev web master br0 alias netlab:docker-bridge up
ip -n netlab.docker-bridge.web link set dev lo up
ip -n netlab.docker-bridge.web addr add 203.0.113.10/24 dev eth0
ip -n netlab.docker-bridge.web link set dev eth0 alias netlab:docker-bridge up
ip -n netlab.docker-bridge.web route add default via 203.0.113.1 dev eth0

# internet host ns1
ip netns add netlab.docker-bridge.ns1
ip -n netlab.docker-bridge.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-bridge.ns1
ip -n netlab.docker-bridge.internet link set dev ns1 master br0 alias netlab:docker-bridge up
ip -n netlab.docker-bridge.ns1 link set dev lo up
ip -n netlab.docker-bridge.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.docker-bridge.ns1 link set dev eth0 alias netlab:docker-bridge up
ip -n netlab.docker-bridge.ns1 route add default via 203.0.113.1 dev eth0

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.docker-bridge.node1
ip -n netlab.docker-bridge.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-bridge.node1
ip -n netlab.docker-bridge.underlay link set dev node1 master br0 alias netlab:docker-bridge up
ip -n netlab.docker-bridge.node1 link set dev lo up
ip -n netlab.docker-bridge.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.docker-bridge.node1 link set dev eth0 alias netlab:docker-bridge up
ip -n netlab.docker-bridge.node1 route add default via 192.168.56.1 dev eth0

# node node1: dockerd creates docker0 172.17.0.1/16 and turns on forwarding
ip -n netlab.docker-bridge.node1 link add docker0 address 0e:13:c3:03:fc:d0 mtu 1500 type bridge
ip -n netlab.docker-bridge.node1 addr add 172.17.0.1/16 dev docker0
ip -n netlab.docker-bridge.node1 link set dev docker0 alias netlab:docker-bridge up
ip netns exec netlab.docker-bridge.node1 sysctl -qw net.ipv4.ip_forward=1

# node node1: dockerd's iptables rules, as Docker 29 writes them (nat, then filter, then raw)
ip netns exec netlab.docker-bridge.node1 iptables-restore --noflush <<'EOF'
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
-A DOCKER ! -i docker0 -p udp -m udp --dport 5353 -j DNAT --to-destination 172.17.0.2:53
COMMIT
EOF
ip netns exec netlab.docker-bridge.node1 iptables-restore --noflush <<'EOF'
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
-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p udp -m udp --dport 53 -j ACCEPT
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
ip netns exec netlab.docker-bridge.node1 iptables-restore --noflush <<'EOF'
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP
-A PREROUTING -d 172.17.0.3/32 ! -i docker0 -j DROP
COMMIT
EOF

# container app1: 172.17.0.2/16 on docker0 through veth3251419
ip netns add netlab.docker-bridge.app1
ip -n netlab.docker-bridge.node1 link add veth3251419 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-bridge.app1
ip -n netlab.docker-bridge.node1 link set dev veth3251419 master docker0 alias netlab:docker-bridge up
ip -n netlab.docker-bridge.app1 link set dev lo up
ip -n netlab.docker-bridge.app1 addr add 172.17.0.2/16 dev eth0
ip -n netlab.docker-bridge.app1 link set dev eth0 alias netlab:docker-bridge up
ip -n netlab.docker-bridge.app1 route add default via 172.17.0.1 dev eth0

# container app2: 172.17.0.3/16 on docker0 through veth740ad29
ip netns add netlab.docker-bridge.app2
ip -n netlab.docker-bridge.node1 link add veth740ad29 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.docker-bridge.app2
ip -n netlab.docker-bridge.node1 link set dev veth740ad29 master docker0 alias netlab:docker-bridge up
ip -n netlab.docker-bridge.app2 link set dev lo up
ip -n netlab.docker-bridge.app2 addr add 172.17.0.3/16 dev eth0
ip -n netlab.docker-bridge.app2 link set dev eth0 alias netlab:docker-bridge up
ip -n netlab.docker-bridge.app2 route add default via 172.17.0.1 dev eth0

# node node1: dockerd starts one docker-proxy per published port
ip netns exec netlab.docker-bridge.node1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.docker_proxy -proto tcp -host-ip 0.0.0.0 -host-port 8080 -container-ip 172.17.0.2 -container-port 80 >"$NETLAB_STATE/logs/docker-proxy-node1-tcp-8080.log" 2>&1 </dev/null
ip netns exec netlab.docker-bridge.node1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.docker_proxy -proto udp -host-ip 0.0.0.0 -host-port 5353 -container-ip 172.17.0.2 -container-port 53 >"$NETLAB_STATE/logs/docker-proxy-node1-udp-5353.log" 2>&1 </dev/null

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.docker-bridge.app1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name app1 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-app1.log" 2>&1 </dev/null
ip netns exec netlab.docker-bridge.app2 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name app2 --http 80 >"$NETLAB_STATE/logs/echo-app2.log" 2>&1 </dev/null
ip netns exec netlab.docker-bridge.web setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web --http 80 --tcp 7 --udp 53 >"$NETLAB_STATE/logs/echo-web.log" 2>&1 </dev/null

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
ip netns exec netlab.docker-bridge.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.docker-bridge.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.docker-bridge.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.docker-bridge.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 3195249576 7200 1800 86400 300
example.com. 300 IN NS ns1.example.com.
10.113.0.203.in-addr.arpa. 300 IN PTR web.example.com.
53.113.0.203.in-addr.arpa. 300 IN PTR ns1.example.com.
ns1.example.com. 300 IN A 203.0.113.53
web.example.com. 300 IN A 203.0.113.10
EOF
mkdir -p "/etc/netns/netlab.docker-bridge.node1" && cat > "/etc/netns/netlab.docker-bridge.node1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.docker-bridge.web" && cat > "/etc/netns/netlab.docker-bridge.web/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.docker-bridge.ns1" && cat > "/etc/netns/netlab.docker-bridge.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.docker-bridge.app1" && cat > "/etc/netns/netlab.docker-bridge.app1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.docker-bridge.app2" && cat > "/etc/netns/netlab.docker-bridge.app2/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF

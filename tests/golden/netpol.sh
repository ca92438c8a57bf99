#!/usr/bin/env bash
# netlab plan for lab netpol: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down netpol`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/netpol}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.netpol.underlay
ip -n netlab.netpol.underlay link add br0 address 1a:62:e1:6b:1a:29 mtu 1500 type bridge
ip -n netlab.netpol.underlay link set dev br0 alias netlab:netpol up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.netpol.internet
ip -n netlab.netpol.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.netpol.internet
ip -n netlab.netpol.underlay link set dev internet master br0 alias netlab:netpol up
ip -n netlab.netpol.internet link set dev lo up
ip -n netlab.netpol.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.netpol.internet link set dev eth0 alias netlab:netpol up
ip -n netlab.netpol.internet link add br0 address 52:7b:d6:d0:43:82 mtu 1500 type bridge
ip -n netlab.netpol.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.netpol.internet link set dev br0 alias netlab:netpol up
ip netns exec netlab.netpol.internet sysctl -qw net.ipv4.ip_forward=1

# internet host ns1
ip netns add netlab.netpol.ns1
ip -n netlab.netpol.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.netpol.ns1
ip -n netlab.netpol.internet link set dev ns1 master br0 alias netlab:netpol up
ip -n netlab.netpol.ns1 link set dev lo up
ip -n netlab.netpol.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.netpol.ns1 link set dev eth0 alias netlab:netpol up
ip -n netlab.netpol.ns1 route add default via 203.0.113.1 dev eth0

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.netpol.node1
ip -n netlab.netpol.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.netpol.node1
ip -n netlab.netpol.underlay link set dev node1 master br0 alias netlab:netpol up
ip -n netlab.netpol.node1 link set dev lo up
ip -n netlab.netpol.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.netpol.node1 link set dev eth0 alias netlab:netpol up
ip -n netlab.netpol.node1 route add default via 192.168.56.1 dev eth0

# node node2: eth0 192.168.56.12 on the underlay, default route via the router
ip netns add netlab.netpol.node2
ip -n netlab.netpol.underlay link add node2 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.netpol.node2
ip -n netlab.netpol.underlay link set dev node2 master br0 alias netlab:netpol up
ip -n netlab.netpol.node2 link set dev lo up
ip -n netlab.netpol.node2 addr add 192.168.56.12/24 dev eth0
ip -n netlab.netpol.node2 link set dev eth0 alias netlab:netpol up
ip -n netlab.netpol.node2 route add default via 192.168.56.1 dev eth0

# node node1: flanneld (vxlan) leases 10.244.0.0/24; forwarding and bridge netfilter on
ip netns exec netlab.netpol.node1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.netpol.node1 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node1" && cat > "$NETLAB_STATE/flannel/node1/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.0.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node1: flanneld's masquerade and forward rules
ip netns exec netlab.netpol.node1 iptables-restore --noflush <<'EOF'
*nat
:FLANNEL-POSTRTG - [0:0]
-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG
-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG -s 10.244.0.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.0.0/24 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/24 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
COMMIT
EOF
ip netns exec netlab.netpol.node1 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node1: the VXLAN tunnel endpoint flannel.1
ip -n netlab.netpol.node1 link add flannel.1 address 2e:5c:a9:ca:5f:54 mtu 1450 type vxlan id 1 local 192.168.56.11 dev eth0 nolearning
ip -n netlab.netpol.node1 addr add 10.244.0.0/32 dev flannel.1
ip -n netlab.netpol.node1 link set dev flannel.1 alias netlab:netpol up

# node node1: how to reach 10.244.1.0/24 on node2 (ARP, FDB, route)
ip -n netlab.netpol.node1 neigh add 10.244.1.0 lladdr 5e:f3:2d:2d:1f:9b dev flannel.1 nud permanent
bridge -n netlab.netpol.node1 fdb add 5e:f3:2d:2d:1f:9b dev flannel.1 dst 192.168.56.12 self permanent
ip -n netlab.netpol.node1 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink

# node node2: flanneld (vxlan) leases 10.244.1.0/24; forwarding and bridge netfilter on
ip netns exec netlab.netpol.node2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.netpol.node2 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node2" && cat > "$NETLAB_STATE/flannel/node2/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.1.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node2: flanneld's masquerade and forward rules
ip netns exec netlab.netpol.node2 iptables-restore --noflush <<'EOF'
*nat
:FLANNEL-POSTRTG - [0:0]
-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG
-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
COMMIT
EOF
ip netns exec netlab.netpol.node2 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node2: the VXLAN tunnel endpoint flannel.1
ip -n netlab.netpol.node2 link add flannel.1 address 5e:f3:2d:2d:1f:9b mtu 1450 type vxlan id 1 local 192.168.56.12 dev eth0 nolearning
ip -n netlab.netpol.node2 addr add 10.244.1.0/32 dev flannel.1
ip -n netlab.netpol.node2 link set dev flannel.1 alias netlab:netpol up

# node node2: how to reach 10.244.0.0/24 on node1 (ARP, FDB, route)
ip -n netlab.netpol.node2 neigh add 10.244.0.0 lladdr 2e:5c:a9:ca:5f:54 dev flannel.1 nud permanent
bridge -n netlab.netpol.node2 fdb add 2e:5c:a9:ca:5f:54 dev flannel.1 dst 192.168.56.11 self permanent
ip -n netlab.netpol.node2 route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink

# node node1: the CNI bridge plugin creates cni0 10.244.0.1/24
ip -n netlab.netpol.node1 link add cni0 address 72:ff:41:a8:2b:1c mtu 1450 type bridge
ip -n netlab.netpol.node1 addr add 10.244.0.1/24 dev cni0
ip -n netlab.netpol.node1 link set dev cni0 alias netlab:netpol up

# pod frontend: 10.244.0.2/24 on cni0 through veth3fd3f1d2
ip netns add netlab.netpol.frontend
ip -n netlab.netpol.node1 link add veth3fd3f1d2 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.netpol.frontend
ip -n netlab.netpol.node1 link set dev veth3fd3f1d2 master cni0 alias netlab:netpol up
ip netns exec netlab.netpol.frontend sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.netpol.frontend link set dev lo up
ip -n netlab.netpol.frontend addr add 10.244.0.2/24 dev eth0
ip -n netlab.netpol.frontend link set dev eth0 alias netlab:netpol up
bridge -n netlab.netpol.node1 link set dev veth3fd3f1d2 hairpin on
ip -n netlab.netpol.frontend route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.netpol.frontend route add default via 10.244.0.1 dev eth0

# pod db-1: 10.244.0.3/24 on cni0 through veth39fb2f86
ip netns add netlab.netpol.db-1
ip -n netlab.netpol.node1 link add veth39fb2f86 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.netpol.db-1
ip -n netlab.netpol.node1 link set dev veth39fb2f86 master cni0 alias netlab:netpol up
ip netns exec netlab.netpol.db-1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.netpol.db-1 link set dev lo up
ip -n netlab.netpol.db-1 addr add 10.244.0.3/24 dev eth0
ip -n netlab.netpol.db-1 link set dev eth0 alias netlab:netpol up
bridge -n netlab.netpol.node1 link set dev veth39fb2f86 hairpin on
ip -n netlab.netpol.db-1 route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.netpol.db-1 route add default via 10.244.0.1 dev eth0

# pod intruder: 10.244.0.4/24 on cni0 through vethf3417878
ip netns add netlab.netpol.intruder
ip -n netlab.netpol.node1 link add vethf3417878 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.netpol.intruder
ip -n netlab.netpol.node1 link set dev vethf3417878 master cni0 alias netlab:netpol up
ip netns exec netlab.netpol.intruder sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.netpol.intruder link set dev lo up
ip -n netlab.netpol.intruder addr add 10.244.0.4/24 dev eth0
ip -n netlab.netpol.intruder link set dev eth0 alias netlab:netpol up
bridge -n netlab.netpol.node1 link set dev vethf3417878 hairpin on
ip -n netlab.netpol.intruder route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.netpol.intruder route add default via 10.244.0.1 dev eth0

# pod coredns-7b5fc74fc-gmtxp: 10.244.0.5/24 on cni0 through vetha90b3907
ip netns add netlab.netpol.coredns-7b5fc74fc-gmtxp
ip -n netlab.netpol.node1 link add vetha90b3907 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.netpol.coredns-7b5fc74fc-gmtxp
ip -n netlab.netpol.node1 link set dev vetha90b3907 master cni0 alias netlab:netpol up
ip netns exec netlab.netpol.coredns-7b5fc74fc-gmtxp sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.netpol.coredns-7b5fc74fc-gmtxp link set dev lo up
ip -n netlab.netpol.coredns-7b5fc74fc-gmtxp addr add 10.244.0.5/24 dev eth0
ip -n netlab.netpol.coredns-7b5fc74fc-gmtxp link set dev eth0 alias netlab:netpol up
bridge -n netlab.netpol.node1 link set dev vetha90b3907 hairpin on
ip -n netlab.netpol.coredns-7b5fc74fc-gmtxp route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.netpol.coredns-7b5fc74fc-gmtxp route add default via 10.244.0.1 dev eth0

# node node2: the CNI bridge plugin creates cni0 10.244.1.1/24
ip -n netlab.netpol.node2 link add cni0 address 9e:8c:4b:c4:3c:8c mtu 1450 type bridge
ip -n netlab.netpol.node2 addr add 10.244.1.1/24 dev cni0
ip -n netlab.netpol.node2 link set dev cni0 alias netlab:netpol up

# pod api-1: 10.244.1.2/24 on cni0 through veth2252c263
ip netns add netlab.netpol.api-1
ip -n netlab.netpol.node2 link add veth2252c263 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.netpol.api-1
ip -n netlab.netpol.node2 link set dev veth2252c263 master cni0 alias netlab:netpol up
ip netns exec netlab.netpol.api-1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.netpol.api-1 link set dev lo up
ip -n netlab.netpol.api-1 addr add 10.244.1.2/24 dev eth0
ip -n netlab.netpol.api-1 link set dev eth0 alias netlab:netpol up
bridge -n netlab.netpol.node2 link set dev veth2252c263 hairpin on
ip -n netlab.netpol.api-1 route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.netpol.api-1 route add default via 10.244.1.1 dev eth0

# pod prometheus: 10.244.1.3/24 on cni0 through vethebee8991
ip netns add netlab.netpol.prometheus
ip -n netlab.netpol.node2 link add vethebee8991 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.netpol.prometheus
ip -n netlab.netpol.node2 link set dev vethebee8991 master cni0 alias netlab:netpol up
ip netns exec netlab.netpol.prometheus sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.netpol.prometheus link set dev lo up
ip -n netlab.netpol.prometheus addr add 10.244.1.3/24 dev eth0
ip -n netlab.netpol.prometheus link set dev eth0 alias netlab:netpol up
bridge -n netlab.netpol.node2 link set dev vethebee8991 hairpin on
ip -n netlab.netpol.prometheus route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.netpol.prometheus route add default via 10.244.1.1 dev eth0

# pod coredns-7b5fc74fc-896cd: 10.244.1.4/24 on cni0 through veth6cd5f537
ip netns add netlab.netpol.coredns-7b5fc74fc-896cd
ip -n netlab.netpol.node2 link add veth6cd5f537 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.netpol.coredns-7b5fc74fc-896cd
ip -n netlab.netpol.node2 link set dev veth6cd5f537 master cni0 alias netlab:netpol up
ip netns exec netlab.netpol.coredns-7b5fc74fc-896cd sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.netpol.coredns-7b5fc74fc-896cd link set dev lo up
ip -n netlab.netpol.coredns-7b5fc74fc-896cd addr add 10.244.1.4/24 dev eth0
ip -n netlab.netpol.coredns-7b5fc74fc-896cd link set dev eth0 alias netlab:netpol up
bridge -n netlab.netpol.node2 link set dev veth6cd5f537 hairpin on
ip -n netlab.netpol.coredns-7b5fc74fc-896cd route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.netpol.coredns-7b5fc74fc-896cd route add default via 10.244.1.1 dev eth0

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.netpol.frontend setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name frontend --http 80 >"$NETLAB_STATE/logs/echo-frontend.log" 2>&1 </dev/null
ip netns exec netlab.netpol.api-1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name api-1 --http 8080 >"$NETLAB_STATE/logs/echo-api-1.log" 2>&1 </dev/null
ip netns exec netlab.netpol.db-1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name db-1 --tcp 5432 >"$NETLAB_STATE/logs/echo-db-1.log" 2>&1 </dev/null

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
ip netns exec netlab.netpol.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.netpol.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.netpol.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.netpol.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 4029877709 7200 1800 86400 300
example.com. 300 IN NS ns1.example.com.
53.113.0.203.in-addr.arpa. 300 IN PTR ns1.example.com.
ns1.example.com. 300 IN A 203.0.113.53
EOF

# dns: kube-dns 10.96.0.10 → the coredns pods (unbound standing in for CoreDNS)
mkdir -p "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp" && cat > "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" <<'EOF'
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
    local-zone: "100.10.in-addr.arpa." static
    local-zone: "101.10.in-addr.arpa." static
    local-zone: "102.10.in-addr.arpa." static
    local-zone: "103.10.in-addr.arpa." static
    local-zone: "104.10.in-addr.arpa." static
    local-zone: "105.10.in-addr.arpa." static
    local-zone: "106.10.in-addr.arpa." static
    local-zone: "107.10.in-addr.arpa." static
    local-zone: "108.10.in-addr.arpa." static
    local-zone: "109.10.in-addr.arpa." static
    local-zone: "110.10.in-addr.arpa." static
    local-zone: "111.10.in-addr.arpa." static
    local-zone: "113.0.203.in-addr.arpa." nodefault
    local-zone: "244.10.in-addr.arpa." static
    local-zone: "96.10.in-addr.arpa." static
    local-zone: "97.10.in-addr.arpa." static
    local-zone: "98.10.in-addr.arpa." static
    local-zone: "99.10.in-addr.arpa." static
    local-zone: "cluster.local." static
forward-zone:
    name: "."
    forward-addr: 203.0.113.53
remote-control:
    control-enable: yes
    control-interface: 127.0.0.1
    control-port: 8953
    control-use-cert: no
EOF
ip netns exec netlab.netpol.coredns-7b5fc74fc-gmtxp setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-gmtxp.log" 2>&1 </dev/null
ip netns exec netlab.netpol.coredns-7b5fc74fc-gmtxp sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf"
ip netns exec netlab.netpol.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_zones <<'EOF'
100.10.in-addr.arpa. static
101.10.in-addr.arpa. static
102.10.in-addr.arpa. static
103.10.in-addr.arpa. static
104.10.in-addr.arpa. static
105.10.in-addr.arpa. static
106.10.in-addr.arpa. static
107.10.in-addr.arpa. static
108.10.in-addr.arpa. static
109.10.in-addr.arpa. static
110.10.in-addr.arpa. static
111.10.in-addr.arpa. static
113.0.203.in-addr.arpa. nodefault
244.10.in-addr.arpa. static
96.10.in-addr.arpa. static
97.10.in-addr.arpa. static
98.10.in-addr.arpa. static
99.10.in-addr.arpa. static
cluster.local. static
EOF
ip netns exec netlab.netpol.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 2445975414 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.shop.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.db.shop.svc.cluster.local. 30 IN A 10.244.0.3
10-244-0-3.shop.pod.cluster.local. 30 IN A 10.244.0.3
10-244-0-4.default.pod.cluster.local. 30 IN A 10.244.0.4
10-244-0-5.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.5
10-244-0-5.kube-system.pod.cluster.local. 30 IN A 10.244.0.5
10-244-1-2.api.shop.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.shop.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.monitoring.pod.cluster.local. 30 IN A 10.244.1.3
10-244-1-4.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.4
10-244-1-4.kube-system.pod.cluster.local. 30 IN A 10.244.1.4
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR api.shop.svc.cluster.local.
12.0.96.10.in-addr.arpa. 30 IN PTR db.shop.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.api.shop.svc.cluster.local.
3.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-3.db.shop.svc.cluster.local.
4.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-4.kube-dns.kube-system.svc.cluster.local.
5.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-5.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
api.shop.svc.cluster.local. 30 IN A 10.96.0.11
api.shop.svc.cluster.local. 30 IN SRV 0 100 8080 api.shop.svc.cluster.local.
db.shop.svc.cluster.local. 30 IN A 10.96.0.12
db.shop.svc.cluster.local. 30 IN SRV 0 100 5432 db.shop.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
EOF
mkdir -p "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd" && cat > "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" <<'EOF'
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
    local-zone: "100.10.in-addr.arpa." static
    local-zone: "101.10.in-addr.arpa." static
    local-zone: "102.10.in-addr.arpa." static
    local-zone: "103.10.in-addr.arpa." static
    local-zone: "104.10.in-addr.arpa." static
    local-zone: "105.10.in-addr.arpa." static
    local-zone: "106.10.in-addr.arpa." static
    local-zone: "107.10.in-addr.arpa." static
    local-zone: "108.10.in-addr.arpa." static
    local-zone: "109.10.in-addr.arpa." static
    local-zone: "110.10.in-addr.arpa." static
    local-zone: "111.10.in-addr.arpa." static
    local-zone: "113.0.203.in-addr.arpa." nodefault
    local-zone: "244.10.in-addr.arpa." static
    local-zone: "96.10.in-addr.arpa." static
    local-zone: "97.10.in-addr.arpa." static
    local-zone: "98.10.in-addr.arpa." static
    local-zone: "99.10.in-addr.arpa." static
    local-zone: "cluster.local." static
forward-zone:
    name: "."
    forward-addr: 203.0.113.53
remote-control:
    control-enable: yes
    control-interface: 127.0.0.1
    control-port: 8953
    control-use-cert: no
EOF
ip netns exec netlab.netpol.coredns-7b5fc74fc-896cd setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-896cd.log" 2>&1 </dev/null
ip netns exec netlab.netpol.coredns-7b5fc74fc-896cd sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf"
ip netns exec netlab.netpol.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_zones <<'EOF'
100.10.in-addr.arpa. static
101.10.in-addr.arpa. static
102.10.in-addr.arpa. static
103.10.in-addr.arpa. static
104.10.in-addr.arpa. static
105.10.in-addr.arpa. static
106.10.in-addr.arpa. static
107.10.in-addr.arpa. static
108.10.in-addr.arpa. static
109.10.in-addr.arpa. static
110.10.in-addr.arpa. static
111.10.in-addr.arpa. static
113.0.203.in-addr.arpa. nodefault
244.10.in-addr.arpa. static
96.10.in-addr.arpa. static
97.10.in-addr.arpa. static
98.10.in-addr.arpa. static
99.10.in-addr.arpa. static
cluster.local. static
EOF
ip netns exec netlab.netpol.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 2445975414 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.shop.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.db.shop.svc.cluster.local. 30 IN A 10.244.0.3
10-244-0-3.shop.pod.cluster.local. 30 IN A 10.244.0.3
10-244-0-4.default.pod.cluster.local. 30 IN A 10.244.0.4
10-244-0-5.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.5
10-244-0-5.kube-system.pod.cluster.local. 30 IN A 10.244.0.5
10-244-1-2.api.shop.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.shop.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.monitoring.pod.cluster.local. 30 IN A 10.244.1.3
10-244-1-4.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.4
10-244-1-4.kube-system.pod.cluster.local. 30 IN A 10.244.1.4
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR api.shop.svc.cluster.local.
12.0.96.10.in-addr.arpa. 30 IN PTR db.shop.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.api.shop.svc.cluster.local.
3.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-3.db.shop.svc.cluster.local.
4.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-4.kube-dns.kube-system.svc.cluster.local.
5.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-5.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
api.shop.svc.cluster.local. 30 IN A 10.96.0.11
api.shop.svc.cluster.local. 30 IN SRV 0 100 8080 api.shop.svc.cluster.local.
db.shop.svc.cluster.local. 30 IN A 10.96.0.12
db.shop.svc.cluster.local. 30 IN SRV 0 100 5432 db.shop.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
EOF
mkdir -p "/etc/netns/netlab.netpol.node1" && cat > "/etc/netns/netlab.netpol.node1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.netpol.node2" && cat > "/etc/netns/netlab.netpol.node2/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.netpol.ns1" && cat > "/etc/netns/netlab.netpol.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.netpol.frontend" && cat > "/etc/netns/netlab.netpol.frontend/resolv.conf" <<'EOF'
search shop.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.netpol.api-1" && cat > "/etc/netns/netlab.netpol.api-1/resolv.conf" <<'EOF'
search shop.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.netpol.db-1" && cat > "/etc/netns/netlab.netpol.db-1/resolv.conf" <<'EOF'
search shop.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.netpol.prometheus" && cat > "/etc/netns/netlab.netpol.prometheus/resolv.conf" <<'EOF'
search monitoring.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.netpol.intruder" && cat > "/etc/netns/netlab.netpol.intruder/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.netpol.coredns-7b5fc74fc-gmtxp" && cat > "/etc/netns/netlab.netpol.coredns-7b5fc74fc-gmtxp/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.netpol.coredns-7b5fc74fc-896cd" && cat > "/etc/netns/netlab.netpol.coredns-7b5fc74fc-896cd/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
ip netns exec netlab.netpol.node1 ipset restore -exist <<'EOF'
create KUBE-DST-NXYZW53K55LD6XB7 hash:ip family inet hashsize 1024 maxelem 65536 timeout 0
add KUBE-DST-NXYZW53K55LD6XB7 10.244.0.2
add KUBE-DST-NXYZW53K55LD6XB7 10.244.1.2
add KUBE-DST-NXYZW53K55LD6XB7 10.244.0.3
create KUBE-DST-WDCLPGLOAMGN24T7 hash:ip family inet hashsize 1024 maxelem 65536 timeout 0
add KUBE-DST-WDCLPGLOAMGN24T7 10.244.1.2
create KUBE-SRC-ZLW5CL66EVD7SD22 hash:ip family inet hashsize 1024 maxelem 65536 timeout 0
add KUBE-SRC-ZLW5CL66EVD7SD22 10.244.0.2
create KUBE-DST-35ORORZT2QBQ45JS hash:ip family inet hashsize 1024 maxelem 65536 timeout 0
add KUBE-DST-35ORORZT2QBQ45JS 10.244.1.2
create KUBE-SRC-XYT7JO25H3TDRDCE hash:ip family inet hashsize 1024 maxelem 65536 timeout 0
add KUBE-SRC-XYT7JO25H3TDRDCE 10.244.1.3
create KUBE-DST-S43OXVGJOSO5ZC2Q hash:ip family inet hashsize 1024 maxelem 65536 timeout 0
add KUBE-DST-S43OXVGJOSO5ZC2Q 10.244.0.3
create KUBE-SRC-TXCRLXHSPWK3JMSR hash:ip family inet hashsize 1024 maxelem 65536 timeout 0
add KUBE-SRC-TXCRLXHSPWK3JMSR 10.244.1.2
EOF
ip netns exec netlab.netpol.node2 ipset restore -exist <<'EOF'
create KUBE-DST-NXYZW53K55LD6XB7 hash:ip family inet hashsize 1024 maxelem 65536 timeout 0
add KUBE-DST-NXYZW53K55LD6XB7 10.244.0.2
add KUBE-DST-NXYZW53K55LD6XB7 10.244.1.2
add KUBE-DST-NXYZW53K55LD6XB7 10.244.0.3
create KUBE-DST-WDCLPGLOAMGN24T7 hash:ip family inet hashsize 1024 maxelem 65536 timeout 0
add KUBE-DST-WDCLPGLOAMGN24T7 10.244.1.2
create KUBE-SRC-ZLW5CL66EVD7SD22 hash:ip family inet hashsize 1024 maxelem 65536 timeout 0
add KUBE-SRC-ZLW5CL66EVD7SD22 10.244.0.2
create KUBE-DST-35ORORZT2QBQ45JS hash:ip family inet hashsize 1024 maxelem 65536 timeout 0
add KUBE-DST-35ORORZT2QBQ45JS 10.244.1.2
create KUBE-SRC-XYT7JO25H3TDRDCE hash:ip family inet hashsize 1024 maxelem 65536 timeout 0
add KUBE-SRC-XYT7JO25H3TDRDCE 10.244.1.3
create KUBE-DST-S43OXVGJOSO5ZC2Q hash:ip family inet hashsize 1024 maxelem 65536 timeout 0
add KUBE-DST-S43OXVGJOSO5ZC2Q 10.244.0.3
create KUBE-SRC-TXCRLXHSPWK3JMSR hash:ip family inet hashsize 1024 maxelem 65536 timeout 0
add KUBE-SRC-TXCRLXHSPWK3JMSR 10.244.1.2
EOF

# node node1: kube-proxy (iptables mode) programs 3 services
ip netns exec netlab.netpol.node1 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.netpol.node1 iptables-restore --noflush <<'EOF'
*mangle
:KUBE-PROXY-CANARY - [0:0]
COMMIT
*filter
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I INPUT 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
-I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
-I INPUT 1 -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS
-I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I OUTPUT 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I FORWARD 1 -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
-I INPUT 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-I OUTPUT 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-I INPUT 1 -j KUBE-FIREWALL
-I OUTPUT 1 -j KUBE-FIREWALL
-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-LASJGFFJP3UOS6RQ - [0:0]
:KUBE-SEP-5BME6LXGYWTVD5D3 - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-LPGSDLJ3FDW46N4W - [0:0]
:KUBE-SEP-222YD7DQOUNKFRLL - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-FVQSBIWR5JTECIVC - [0:0]
:KUBE-SEP-NG3JZDJDUTWZSDOR - [0:0]
:KUBE-SVC-YI7FANR2652WTB3A - [0:0]
:KUBE-SEP-PQAPR3YKTPHXHZKX - [0:0]
:KUBE-SVC-YXV5H5BMJ7R44KSX - [0:0]
:KUBE-SEP-B3PXXO3YN5WLXNWV - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.5:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LASJGFFJP3UOS6RQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.1.4:53" -j KUBE-SEP-5BME6LXGYWTVD5D3
-A KUBE-SEP-LASJGFFJP3UOS6RQ -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-LASJGFFJP3UOS6RQ -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:53
-A KUBE-SEP-5BME6LXGYWTVD5D3 -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-5BME6LXGYWTVD5D3 -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.5:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LPGSDLJ3FDW46N4W
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.4:53" -j KUBE-SEP-222YD7DQOUNKFRLL
-A KUBE-SEP-LPGSDLJ3FDW46N4W -m comment --comment kube-system/kube-dns:dns -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-LPGSDLJ3FDW46N4W -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.5:53
-A KUBE-SEP-222YD7DQOUNKFRLL -m comment --comment kube-system/kube-dns:dns -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-222YD7DQOUNKFRLL -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.1.4:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.5:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-FVQSBIWR5JTECIVC
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.1.4:9153" -j KUBE-SEP-NG3JZDJDUTWZSDOR
-A KUBE-SEP-FVQSBIWR5JTECIVC -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-FVQSBIWR5JTECIVC -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:9153
-A KUBE-SEP-NG3JZDJDUTWZSDOR -m comment --comment kube-system/kube-dns:metrics -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-NG3JZDJDUTWZSDOR -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:9153
-A KUBE-SERVICES -m comment --comment "shop/api cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 8080 -j KUBE-SVC-YI7FANR2652WTB3A
-A KUBE-SVC-YI7FANR2652WTB3A -m comment --comment "shop/api cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 8080 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-YI7FANR2652WTB3A -m comment --comment "shop/api -> 10.244.1.2:8080" -j KUBE-SEP-PQAPR3YKTPHXHZKX
-A KUBE-SEP-PQAPR3YKTPHXHZKX -m comment --comment shop/api -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-PQAPR3YKTPHXHZKX -m comment --comment shop/api -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:8080
-A KUBE-SERVICES -m comment --comment "shop/db cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 5432 -j KUBE-SVC-YXV5H5BMJ7R44KSX
-A KUBE-SVC-YXV5H5BMJ7R44KSX -m comment --comment "shop/db cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 5432 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-YXV5H5BMJ7R44KSX -m comment --comment "shop/db -> 10.244.0.3:5432" -j KUBE-SEP-B3PXXO3YN5WLXNWV
-A KUBE-SEP-B3PXXO3YN5WLXNWV -m comment --comment shop/db -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-B3PXXO3YN5WLXNWV -m comment --comment shop/db -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:5432
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node2: kube-proxy (iptables mode) programs 3 services
ip netns exec netlab.netpol.node2 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.netpol.node2 iptables-restore --noflush <<'EOF'
*mangle
:KUBE-PROXY-CANARY - [0:0]
COMMIT
*filter
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I INPUT 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
-I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
-I INPUT 1 -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS
-I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I OUTPUT 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I FORWARD 1 -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
-I INPUT 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-I OUTPUT 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-I INPUT 1 -j KUBE-FIREWALL
-I OUTPUT 1 -j KUBE-FIREWALL
-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-LASJGFFJP3UOS6RQ - [0:0]
:KUBE-SEP-5BME6LXGYWTVD5D3 - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-LPGSDLJ3FDW46N4W - [0:0]
:KUBE-SEP-222YD7DQOUNKFRLL - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-FVQSBIWR5JTECIVC - [0:0]
:KUBE-SEP-NG3JZDJDUTWZSDOR - [0:0]
:KUBE-SVC-YI7FANR2652WTB3A - [0:0]
:KUBE-SEP-PQAPR3YKTPHXHZKX - [0:0]
:KUBE-SVC-YXV5H5BMJ7R44KSX - [0:0]
:KUBE-SEP-B3PXXO3YN5WLXNWV - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.5:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LASJGFFJP3UOS6RQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.1.4:53" -j KUBE-SEP-5BME6LXGYWTVD5D3
-A KUBE-SEP-LASJGFFJP3UOS6RQ -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-LASJGFFJP3UOS6RQ -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:53
-A KUBE-SEP-5BME6LXGYWTVD5D3 -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-5BME6LXGYWTVD5D3 -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.5:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LPGSDLJ3FDW46N4W
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.4:53" -j KUBE-SEP-222YD7DQOUNKFRLL
-A KUBE-SEP-LPGSDLJ3FDW46N4W -m comment --comment kube-system/kube-dns:dns -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-LPGSDLJ3FDW46N4W -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.5:53
-A KUBE-SEP-222YD7DQOUNKFRLL -m comment --comment kube-system/kube-dns:dns -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-222YD7DQOUNKFRLL -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.1.4:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.5:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-FVQSBIWR5JTECIVC
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.1.4:9153" -j KUBE-SEP-NG3JZDJDUTWZSDOR
-A KUBE-SEP-FVQSBIWR5JTECIVC -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-FVQSBIWR5JTECIVC -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:9153
-A KUBE-SEP-NG3JZDJDUTWZSDOR -m comment --comment kube-system/kube-dns:metrics -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-NG3JZDJDUTWZSDOR -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:9153
-A KUBE-SERVICES -m comment --comment "shop/api cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 8080 -j KUBE-SVC-YI7FANR2652WTB3A
-A KUBE-SVC-YI7FANR2652WTB3A -m comment --comment "shop/api cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 8080 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-YI7FANR2652WTB3A -m comment --comment "shop/api -> 10.244.1.2:8080" -j KUBE-SEP-PQAPR3YKTPHXHZKX
-A KUBE-SEP-PQAPR3YKTPHXHZKX -m comment --comment shop/api -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-PQAPR3YKTPHXHZKX -m comment --comment shop/api -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:8080
-A KUBE-SERVICES -m comment --comment "shop/db cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 5432 -j KUBE-SVC-YXV5H5BMJ7R44KSX
-A KUBE-SVC-YXV5H5BMJ7R44KSX -m comment --comment "shop/db cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 5432 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-YXV5H5BMJ7R44KSX -m comment --comment "shop/db -> 10.244.0.3:5432" -j KUBE-SEP-B3PXXO3YN5WLXNWV
-A KUBE-SEP-B3PXXO3YN5WLXNWV -m comment --comment shop/db -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-B3PXXO3YN5WLXNWV -m comment --comment shop/db -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:5432
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node1: kube-router's netpol controller enforces 3 network policies for its 4 pods
ip netns exec netlab.netpol.node1 iptables-restore --noflush <<'EOF'
*filter
:KUBE-ROUTER-INPUT - [0:0]
:KUBE-ROUTER-FORWARD - [0:0]
:KUBE-ROUTER-OUTPUT - [0:0]
:KUBE-NWPLCY-COMMON - [0:0]
:KUBE-NWPLCY-DEFAULT - [0:0]
:KUBE-NWPLCY-TAIL - [0:0]
:KUBE-NWPLCY-RZPZZUCY45MOVUGD - [0:0]
:KUBE-NWPLCY-F2WWWRZ5RUDI7N6W - [0:0]
:KUBE-NWPLCY-WGZPGQF7M7HODFL2 - [0:0]
:KUBE-POD-FW-DSEPURI323KE4JNH - [0:0]
:KUBE-POD-FW-IXNH2GHRC5LV5DIJ - [0:0]
:KUBE-POD-FW-XWHBHMFZXFVSZG7A - [0:0]
:KUBE-POD-FW-MEJSLZOZHTKB7YSG - [0:0]
-I INPUT 1 -m comment --comment "kube-router netpol - 4IA2OSFRMVNDXBVV" -j KUBE-ROUTER-INPUT
-I FORWARD 1 -m comment --comment "kube-router netpol - TEMCG2JMHZYE7H7T" -j KUBE-ROUTER-FORWARD
-I OUTPUT 1 -m comment --comment "kube-router netpol - VEAAIY32XVBHCSCY" -j KUBE-ROUTER-OUTPUT
-A KUBE-ROUTER-INPUT -d 10.96.0.0/12 -m comment --comment "allow traffic to primary/secondary cluster IP range - BVHX2PIHDXXEO43X" -j RETURN
-A KUBE-ROUTER-INPUT -p tcp -m comment --comment "allow LOCAL TCP traffic to node ports - LR7XO7NXDBGQJD2M" -m addrtype --dst-type LOCAL -m multiport --dports 30000:32767 -j RETURN
-A KUBE-ROUTER-INPUT -p udp -m comment --comment "allow LOCAL UDP traffic to node ports - 76UCBPIZNGJNWNUZ" -m addrtype --dst-type LOCAL -m multiport --dports 30000:32767 -j RETURN
-A KUBE-ROUTER-INPUT -p sctp -m comment --comment "allow LOCAL SCTP traffic to node ports - YU47VQ3DEDE3VDG7" -m addrtype --dst-type LOCAL -m multiport --dports 30000:32767 -j RETURN
-A KUBE-NWPLCY-COMMON -m comment --comment "\"rule to drop invalid state for pod\"" -m conntrack --ctstate INVALID -j DROP
-A KUBE-NWPLCY-COMMON -m comment --comment "\"rule for stateful firewall for pod\"" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A KUBE-NWPLCY-COMMON -p icmp -m comment --comment "allow icmp echo requests" -m icmp --icmp-type 8 -j ACCEPT
-A KUBE-NWPLCY-COMMON -p icmp -m comment --comment "allow icmp destination unreachable messages" -m icmp --icmp-type 3 -j ACCEPT
-A KUBE-NWPLCY-COMMON -p icmp -m comment --comment "allow icmp time exceeded messages" -m icmp --icmp-type 11 -j ACCEPT
-A KUBE-NWPLCY-DEFAULT -m comment --comment "rule to mark traffic matching a network policy" -j MARK --set-xmark 0x10000/0x10000
-A KUBE-NWPLCY-TAIL -m comment --comment "accept netpol-ok" -m mark --mark 0x20000/0x20000 -j ACCEPT
-A KUBE-NWPLCY-F2WWWRZ5RUDI7N6W -p tcp -m comment --comment "shop/api-allow ingress pods np" -m set --match-set KUBE-SRC-ZLW5CL66EVD7SD22 src -m set --match-set KUBE-DST-35ORORZT2QBQ45JS dst -m tcp --dport 8080 -j MARK --set-xmark 0x10000/0x10000
-A KUBE-NWPLCY-F2WWWRZ5RUDI7N6W -p tcp -m comment --comment "shop/api-allow ingress pods np" -m set --match-set KUBE-SRC-ZLW5CL66EVD7SD22 src -m set --match-set KUBE-DST-35ORORZT2QBQ45JS dst -m tcp --dport 8080 -m mark --mark 0x10000/0x10000 -j RETURN
-A KUBE-NWPLCY-F2WWWRZ5RUDI7N6W -m comment --comment "shop/api-allow ingress pods" -m set --match-set KUBE-SRC-XYT7JO25H3TDRDCE src -m set --match-set KUBE-DST-WDCLPGLOAMGN24T7 dst -j MARK --set-xmark 0x10000/0x10000
-A KUBE-NWPLCY-F2WWWRZ5RUDI7N6W -m comment --comment "shop/api-allow ingress pods" -m set --match-set KUBE-SRC-XYT7JO25H3TDRDCE src -m set --match-set KUBE-DST-WDCLPGLOAMGN24T7 dst -m mark --mark 0x10000/0x10000 -j RETURN
-A KUBE-NWPLCY-WGZPGQF7M7HODFL2 -p tcp -m comment --comment "shop/db-from-api ingress pods" -m set --match-set KUBE-SRC-TXCRLXHSPWK3JMSR src -m set --match-set KUBE-DST-S43OXVGJOSO5ZC2Q dst -m tcp --dport 5432 -j MARK --set-xmark 0x10000/0x10000
-A KUBE-NWPLCY-WGZPGQF7M7HODFL2 -p tcp -m comment --comment "shop/db-from-api ingress pods" -m set --match-set KUBE-SRC-TXCRLXHSPWK3JMSR src -m set --match-set KUBE-DST-S43OXVGJOSO5ZC2Q dst -m tcp --dport 5432 -m mark --mark 0x10000/0x10000 -j RETURN
-A KUBE-ROUTER-FORWARD -d 10.244.0.2/32 -m comment --comment "shop/frontend in" -j KUBE-POD-FW-DSEPURI323KE4JNH
-A KUBE-ROUTER-FORWARD -d 10.244.0.2/32 -m physdev --physdev-is-bridged -m comment --comment "shop/frontend in" -j KUBE-POD-FW-DSEPURI323KE4JNH
-A KUBE-ROUTER-FORWARD -s 10.244.0.2/32 -m comment --comment "shop/frontend out" -j KUBE-POD-FW-DSEPURI323KE4JNH
-A KUBE-ROUTER-FORWARD -s 10.244.0.2/32 -m physdev --physdev-is-bridged -m comment --comment "shop/frontend out" -j KUBE-POD-FW-DSEPURI323KE4JNH
-A KUBE-ROUTER-INPUT -s 10.244.0.2/32 -m comment --comment "shop/frontend out" -j KUBE-POD-FW-DSEPURI323KE4JNH
-A KUBE-ROUTER-OUTPUT -d 10.244.0.2/32 -m comment --comment "shop/frontend in" -j KUBE-POD-FW-DSEPURI323KE4JNH
-A KUBE-ROUTER-OUTPUT -s 10.244.0.2/32 -m comment --comment "shop/frontend out" -j KUBE-POD-FW-DSEPURI323KE4JNH
-A KUBE-POD-FW-DSEPURI323KE4JNH -m comment --comment "common netpol rules" -j KUBE-NWPLCY-COMMON
-A KUBE-POD-FW-DSEPURI323KE4JNH -d 10.244.0.2/32 -m comment --comment "from local node" -m addrtype --src-type LOCAL -j ACCEPT
-A KUBE-POD-FW-DSEPURI323KE4JNH -s 10.244.0.2/32 -m comment --comment "default egress" -j KUBE-NWPLCY-DEFAULT
-A KUBE-POD-FW-DSEPURI323KE4JNH -d 10.244.0.2/32 -m comment --comment "shop/default-deny policy" -j KUBE-NWPLCY-RZPZZUCY45MOVUGD
-A KUBE-POD-FW-DSEPURI323KE4JNH -m comment --comment "shop/frontend log-drop" -m mark ! --mark 0x10000/0x10000 -m limit --limit 10/min --limit-burst 10 -j NFLOG --nflog-group 100
-A KUBE-POD-FW-DSEPURI323KE4JNH -m comment --comment "shop/frontend reject" -m mark ! --mark 0x10000/0x10000 -j REJECT --reject-with icmp-port-unreachable
-A KUBE-POD-FW-DSEPURI323KE4JNH -j MARK --set-xmark 0x0/0x10000
-A KUBE-POD-FW-DSEPURI323KE4JNH -m comment --comment "set netpol-ok mark" -j MARK --set-xmark 0x20000/0x20000
-A KUBE-ROUTER-FORWARD -d 10.244.0.3/32 -m comment --comment "shop/db-1 in" -j KUBE-POD-FW-IXNH2GHRC5LV5DIJ
-A KUBE-ROUTER-FORWARD -d 10.244.0.3/32 -m physdev --physdev-is-bridged -m comment --comment "shop/db-1 in" -j KUBE-POD-FW-IXNH2GHRC5LV5DIJ
-A KUBE-ROUTER-FORWARD -s 10.244.0.3/32 -m comment --comment "shop/db-1 out" -j KUBE-POD-FW-IXNH2GHRC5LV5DIJ
-A KUBE-ROUTER-FORWARD -s 10.244.0.3/32 -m physdev --physdev-is-bridged -m comment --comment "shop/db-1 out" -j KUBE-POD-FW-IXNH2GHRC5LV5DIJ
-A KUBE-ROUTER-INPUT -s 10.244.0.3/32 -m comment --comment "shop/db-1 out" -j KUBE-POD-FW-IXNH2GHRC5LV5DIJ
-A KUBE-ROUTER-OUTPUT -d 10.244.0.3/32 -m comment --comment "shop/db-1 in" -j KUBE-POD-FW-IXNH2GHRC5LV5DIJ
-A KUBE-ROUTER-OUTPUT -s 10.244.0.3/32 -m comment --comment "shop/db-1 out" -j KUBE-POD-FW-IXNH2GHRC5LV5DIJ
-A KUBE-POD-FW-IXNH2GHRC5LV5DIJ -m comment --comment "common netpol rules" -j KUBE-NWPLCY-COMMON
-A KUBE-POD-FW-IXNH2GHRC5LV5DIJ -d 10.244.0.3/32 -m comment --comment "from local node" -m addrtype --src-type LOCAL -j ACCEPT
-A KUBE-POD-FW-IXNH2GHRC5LV5DIJ -s 10.244.0.3/32 -m comment --comment "default egress" -j KUBE-NWPLCY-DEFAULT
-A KUBE-POD-FW-IXNH2GHRC5LV5DIJ -d 10.244.0.3/32 -m comment --comment "shop/db-from-api policy" -j KUBE-NWPLCY-WGZPGQF7M7HODFL2
-A KUBE-POD-FW-IXNH2GHRC5LV5DIJ -d 10.244.0.3/32 -m comment --comment "shop/default-deny policy" -j KUBE-NWPLCY-RZPZZUCY45MOVUGD
-A KUBE-POD-FW-IXNH2GHRC5LV5DIJ -m comment --comment "shop/db-1 log-drop" -m mark ! --mark 0x10000/0x10000 -m limit --limit 10/min --limit-burst 10 -j NFLOG --nflog-group 100
-A KUBE-POD-FW-IXNH2GHRC5LV5DIJ -m comment --comment "shop/db-1 reject" -m mark ! --mark 0x10000/0x10000 -j REJECT --reject-with icmp-port-unreachable
-A KUBE-POD-FW-IXNH2GHRC5LV5DIJ -j MARK --set-xmark 0x0/0x10000
-A KUBE-POD-FW-IXNH2GHRC5LV5DIJ -m comment --comment "set netpol-ok mark" -j MARK --set-xmark 0x20000/0x20000
-A KUBE-ROUTER-FORWARD -d 10.244.0.4/32 -m comment --comment "default/intruder in" -j KUBE-POD-FW-XWHBHMFZXFVSZG7A
-A KUBE-ROUTER-FORWARD -d 10.244.0.4/32 -m physdev --physdev-is-bridged -m comment --comment "default/intruder in" -j KUBE-POD-FW-XWHBHMFZXFVSZG7A
-A KUBE-ROUTER-FORWARD -s 10.244.0.4/32 -m comment --comment "default/intruder out" -j KUBE-POD-FW-XWHBHMFZXFVSZG7A
-A KUBE-ROUTER-FORWARD -s 10.244.0.4/32 -m physdev --physdev-is-bridged -m comment --comment "default/intruder out" -j KUBE-POD-FW-XWHBHMFZXFVSZG7A
-A KUBE-ROUTER-INPUT -s 10.244.0.4/32 -m comment --comment "default/intruder out" -j KUBE-POD-FW-XWHBHMFZXFVSZG7A
-A KUBE-ROUTER-OUTPUT -d 10.244.0.4/32 -m comment --comment "default/intruder in" -j KUBE-POD-FW-XWHBHMFZXFVSZG7A
-A KUBE-ROUTER-OUTPUT -s 10.244.0.4/32 -m comment --comment "default/intruder out" -j KUBE-POD-FW-XWHBHMFZXFVSZG7A
-A KUBE-POD-FW-XWHBHMFZXFVSZG7A -m comment --comment "common netpol rules" -j KUBE-NWPLCY-COMMON
-A KUBE-POD-FW-XWHBHMFZXFVSZG7A -d 10.244.0.4/32 -m comment --comment "from local node" -m addrtype --src-type LOCAL -j ACCEPT
-A KUBE-POD-FW-XWHBHMFZXFVSZG7A -s 10.244.0.4/32 -m comment --comment "default egress" -j KUBE-NWPLCY-DEFAULT
-A KUBE-POD-FW-XWHBHMFZXFVSZG7A -d 10.244.0.4/32 -m comment --comment "default ingress" -j KUBE-NWPLCY-DEFAULT
-A KUBE-POD-FW-XWHBHMFZXFVSZG7A -m comment --comment "default/intruder log-drop" -m mark ! --mark 0x10000/0x10000 -m limit --limit 10/min --limit-burst 10 -j NFLOG --nflog-group 100
-A KUBE-POD-FW-XWHBHMFZXFVSZG7A -m comment --comment "default/intruder reject" -m mark ! --mark 0x10000/0x10000 -j REJECT --reject-with icmp-port-unreachable
-A KUBE-POD-FW-XWHBHMFZXFVSZG7A -j MARK --set-xmark 0x0/0x10000
-A KUBE-POD-FW-XWHBHMFZXFVSZG7A -m comment --comment "set netpol-ok mark" -j MARK --set-xmark 0x20000/0x20000
-A KUBE-ROUTER-FORWARD -d 10.244.0.5/32 -m comment --comment "kube-system/coredns-7b5fc74fc-gmtxp in" -j KUBE-POD-FW-MEJSLZOZHTKB7YSG
-A KUBE-ROUTER-FORWARD -d 10.244.0.5/32 -m physdev --physdev-is-bridged -m comment --comment "kube-system/coredns-7b5fc74fc-gmtxp in" -j KUBE-POD-FW-MEJSLZOZHTKB7YSG
-A KUBE-ROUTER-FORWARD -s 10.244.0.5/32 -m comment --comment "kube-system/coredns-7b5fc74fc-gmtxp out" -j KUBE-POD-FW-MEJSLZOZHTKB7YSG
-A KUBE-ROUTER-FORWARD -s 10.244.0.5/32 -m physdev --physdev-is-bridged -m comment --comment "kube-system/coredns-7b5fc74fc-gmtxp out" -j KUBE-POD-FW-MEJSLZOZHTKB7YSG
-A KUBE-ROUTER-INPUT -s 10.244.0.5/32 -m comment --comment "kube-system/coredns-7b5fc74fc-gmtxp out" -j KUBE-POD-FW-MEJSLZOZHTKB7YSG
-A KUBE-ROUTER-OUTPUT -d 10.244.0.5/32 -m comment --comment "kube-system/coredns-7b5fc74fc-gmtxp in" -j KUBE-POD-FW-MEJSLZOZHTKB7YSG
-A KUBE-ROUTER-OUTPUT -s 10.244.0.5/32 -m comment --comment "kube-system/coredns-7b5fc74fc-gmtxp out" -j KUBE-POD-FW-MEJSLZOZHTKB7YSG
-A KUBE-POD-FW-MEJSLZOZHTKB7YSG -m comment --comment "common netpol rules" -j KUBE-NWPLCY-COMMON
-A KUBE-POD-FW-MEJSLZOZHTKB7YSG -d 10.244.0.5/32 -m comment --comment "from local node" -m addrtype --src-type LOCAL -j ACCEPT
-A KUBE-POD-FW-MEJSLZOZHTKB7YSG -s 10.244.0.5/32 -m comment --comment "default egress" -j KUBE-NWPLCY-DEFAULT
-A KUBE-POD-FW-MEJSLZOZHTKB7YSG -d 10.244.0.5/32 -m comment --comment "default ingress" -j KUBE-NWPLCY-DEFAULT
-A KUBE-POD-FW-MEJSLZOZHTKB7YSG -m comment --comment "kube-system/coredns-7b5fc74fc-gmtxp log-drop" -m mark ! --mark 0x10000/0x10000 -m limit --limit 10/min --limit-burst 10 -j NFLOG --nflog-group 100
-A KUBE-POD-FW-MEJSLZOZHTKB7YSG -m comment --comment "kube-system/coredns-7b5fc74fc-gmtxp reject" -m mark ! --mark 0x10000/0x10000 -j REJECT --reject-with icmp-port-unreachable
-A KUBE-POD-FW-MEJSLZOZHTKB7YSG -j MARK --set-xmark 0x0/0x10000
-A KUBE-POD-FW-MEJSLZOZHTKB7YSG -m comment --comment "set netpol-ok mark" -j MARK --set-xmark 0x20000/0x20000
-A KUBE-ROUTER-INPUT -m comment --comment "rule to explicitly handle traffic for network policies ACCEPT/REJECT decision" -j KUBE-NWPLCY-TAIL
-A KUBE-ROUTER-INPUT -m comment --comment "rule to explicitly ACCEPT traffic that comply to network policies" -m mark --mark 0x20000/0x20000 -j ACCEPT
-A KUBE-ROUTER-FORWARD -m comment --comment "rule to explicitly handle traffic for network policies ACCEPT/REJECT decision" -j KUBE-NWPLCY-TAIL
-A KUBE-ROUTER-FORWARD -m comment --comment "rule to explicitly ACCEPT traffic that comply to network policies" -m mark --mark 0x20000/0x20000 -j ACCEPT
-A KUBE-ROUTER-OUTPUT -m comment --comment "rule to explicitly handle traffic for network policies ACCEPT/REJECT decision" -j KUBE-NWPLCY-TAIL
-A KUBE-ROUTER-OUTPUT -m comment --comment "rule to explicitly ACCEPT traffic that comply to network policies" -m mark --mark 0x20000/0x20000 -j ACCEPT
COMMIT
EOF

# node node2: kube-router's netpol controller enforces 3 network policies for its 3 pods
ip netns exec netlab.netpol.node2 iptables-restore --noflush <<'EOF'
*filter
:KUBE-ROUTER-INPUT - [0:0]
:KUBE-ROUTER-FORWARD - [0:0]
:KUBE-ROUTER-OUTPUT - [0:0]
:KUBE-NWPLCY-COMMON - [0:0]
:KUBE-NWPLCY-DEFAULT - [0:0]
:KUBE-NWPLCY-TAIL - [0:0]
:KUBE-NWPLCY-RZPZZUCY45MOVUGD - [0:0]
:KUBE-NWPLCY-F2WWWRZ5RUDI7N6W - [0:0]
:KUBE-NWPLCY-WGZPGQF7M7HODFL2 - [0:0]
:KUBE-POD-FW-OYMPMKPJVAOSQEFQ - [0:0]
:KUBE-POD-FW-NGI5TZCWOMGHLZZ3 - [0:0]
:KUBE-POD-FW-WZSU45R2I5KKFAZX - [0:0]
-I INPUT 1 -m comment --comment "kube-router netpol - 4IA2OSFRMVNDXBVV" -j KUBE-ROUTER-INPUT
-I FORWARD 1 -m comment --comment "kube-router netpol - TEMCG2JMHZYE7H7T" -j KUBE-ROUTER-FORWARD
-I OUTPUT 1 -m comment --comment "kube-router netpol - VEAAIY32XVBHCSCY" -j KUBE-ROUTER-OUTPUT
-A KUBE-ROUTER-INPUT -d 10.96.0.0/12 -m comment --comment "allow traffic to primary/secondary cluster IP range - BVHX2PIHDXXEO43X" -j RETURN
-A KUBE-ROUTER-INPUT -p tcp -m comment --comment "allow LOCAL TCP traffic to node ports - LR7XO7NXDBGQJD2M" -m addrtype --dst-type LOCAL -m multiport --dports 30000:32767 -j RETURN
-A KUBE-ROUTER-INPUT -p udp -m comment --comment "allow LOCAL UDP traffic to node ports - 76UCBPIZNGJNWNUZ" -m addrtype --dst-type LOCAL -m multiport --dports 30000:32767 -j RETURN
-A KUBE-ROUTER-INPUT -p sctp -m comment --comment "allow LOCAL SCTP traffic to node ports - YU47VQ3DEDE3VDG7" -m addrtype --dst-type LOCAL -m multiport --dports 30000:32767 -j RETURN
-A KUBE-NWPLCY-COMMON -m comment --comment "\"rule to drop invalid state for pod\"" -m conntrack --ctstate INVALID -j DROP
-A KUBE-NWPLCY-COMMON -m comment --comment "\"rule for stateful firewall for pod\"" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A KUBE-NWPLCY-COMMON -p icmp -m comment --comment "allow icmp echo requests" -m icmp --icmp-type 8 -j ACCEPT
-A KUBE-NWPLCY-COMMON -p icmp -m comment --comment "allow icmp destination unreachable messages" -m icmp --icmp-type 3 -j ACCEPT
-A KUBE-NWPLCY-COMMON -p icmp -m comment --comment "allow icmp time exceeded messages" -m icmp --icmp-type 11 -j ACCEPT
-A KUBE-NWPLCY-DEFAULT -m comment --comment "rule to mark traffic matching a network policy" -j MARK --set-xmark 0x10000/0x10000
-A KUBE-NWPLCY-TAIL -m comment --comment "accept netpol-ok" -m mark --mark 0x20000/0x20000 -j ACCEPT
-A KUBE-NWPLCY-F2WWWRZ5RUDI7N6W -p tcp -m comment --comment "shop/api-allow ingress pods np" -m set --match-set KUBE-SRC-ZLW5CL66EVD7SD22 src -m set --match-set KUBE-DST-35ORORZT2QBQ45JS dst -m tcp --dport 8080 -j MARK --set-xmark 0x10000/0x10000
-A KUBE-NWPLCY-F2WWWRZ5RUDI7N6W -p tcp -m comment --comment "shop/api-allow ingress pods np" -m set --match-set KUBE-SRC-ZLW5CL66EVD7SD22 src -m set --match-set KUBE-DST-35ORORZT2QBQ45JS dst -m tcp --dport 8080 -m mark --mark 0x10000/0x10000 -j RETURN
-A KUBE-NWPLCY-F2WWWRZ5RUDI7N6W -m comment --comment "shop/api-allow ingress pods" -m set --match-set KUBE-SRC-XYT7JO25H3TDRDCE src -m set --match-set KUBE-DST-WDCLPGLOAMGN24T7 dst -j MARK --set-xmark 0x10000/0x10000
-A KUBE-NWPLCY-F2WWWRZ5RUDI7N6W -m comment --comment "shop/api-allow ingress pods" -m set --match-set KUBE-SRC-XYT7JO25H3TDRDCE src -m set --match-set KUBE-DST-WDCLPGLOAMGN24T7 dst -m mark --mark 0x10000/0x10000 -j RETURN
-A KUBE-NWPLCY-WGZPGQF7M7HODFL2 -p tcp -m comment --comment "shop/db-from-api ingress pods" -m set --match-set KUBE-SRC-TXCRLXHSPWK3JMSR src -m set --match-set KUBE-DST-S43OXVGJOSO5ZC2Q dst -m tcp --dport 5432 -j MARK --set-xmark 0x10000/0x10000
-A KUBE-NWPLCY-WGZPGQF7M7HODFL2 -p tcp -m comment --comment "shop/db-from-api ingress pods" -m set --match-set KUBE-SRC-TXCRLXHSPWK3JMSR src -m set --match-set KUBE-DST-S43OXVGJOSO5ZC2Q dst -m tcp --dport 5432 -m mark --mark 0x10000/0x10000 -j RETURN
-A KUBE-ROUTER-FORWARD -d 10.244.1.2/32 -m comment --comment "shop/api-1 in" -j KUBE-POD-FW-OYMPMKPJVAOSQEFQ
-A KUBE-ROUTER-FORWARD -d 10.244.1.2/32 -m physdev --physdev-is-bridged -m comment --comment "shop/api-1 in" -j KUBE-POD-FW-OYMPMKPJVAOSQEFQ
-A KUBE-ROUTER-FORWARD -s 10.244.1.2/32 -m comment --comment "shop/api-1 out" -j KUBE-POD-FW-OYMPMKPJVAOSQEFQ
-A KUBE-ROUTER-FORWARD -s 10.244.1.2/32 -m physdev --physdev-is-bridged -m comment --comment "shop/api-1 out" -j KUBE-POD-FW-OYMPMKPJVAOSQEFQ
-A KUBE-ROUTER-INPUT -s 10.244.1.2/32 -m comment --comment "shop/api-1 out" -j KUBE-POD-FW-OYMPMKPJVAOSQEFQ
-A KUBE-ROUTER-OUTPUT -d 10.244.1.2/32 -m comment --comment "shop/api-1 in" -j KUBE-POD-FW-OYMPMKPJVAOSQEFQ
-A KUBE-ROUTER-OUTPUT -s 10.244.1.2/32 -m comment --comment "shop/api-1 out" -j KUBE-POD-FW-OYMPMKPJVAOSQEFQ
-A KUBE-POD-FW-OYMPMKPJVAOSQEFQ -m comment --comment "common netpol rules" -j KUBE-NWPLCY-COMMON
-A KUBE-POD-FW-OYMPMKPJVAOSQEFQ -d 10.244.1.2/32 -m comment --comment "from local node" -m addrtype --src-type LOCAL -j ACCEPT
-A KUBE-POD-FW-OYMPMKPJVAOSQEFQ -s 10.244.1.2/32 -m comment --comment "default egress" -j KUBE-NWPLCY-DEFAULT
-A KUBE-POD-FW-OYMPMKPJVAOSQEFQ -d 10.244.1.2/32 -m comment --comment "shop/api-allow policy" -j KUBE-NWPLCY-F2WWWRZ5RUDI7N6W
-A KUBE-POD-FW-OYMPMKPJVAOSQEFQ -d 10.244.1.2/32 -m comment --comment "shop/default-deny policy" -j KUBE-NWPLCY-RZPZZUCY45MOVUGD
-A KUBE-POD-FW-OYMPMKPJVAOSQEFQ -m comment --comment "shop/api-1 log-drop" -m mark ! --mark 0x10000/0x10000 -m limit --limit 10/min --limit-burst 10 -j NFLOG --nflog-group 100
-A KUBE-POD-FW-OYMPMKPJVAOSQEFQ -m comment --comment "shop/api-1 reject" -m mark ! --mark 0x10000/0x10000 -j REJECT --reject-with icmp-port-unreachable
-A KUBE-POD-FW-OYMPMKPJVAOSQEFQ -j MARK --set-xmark 0x0/0x10000
-A KUBE-POD-FW-OYMPMKPJVAOSQEFQ -m comment --comment "set netpol-ok mark" -j MARK --set-xmark 0x20000/0x20000
-A KUBE-ROUTER-FORWARD -d 10.244.1.3/32 -m comment --comment "monitoring/prometheus in" -j KUBE-POD-FW-NGI5TZCWOMGHLZZ3
-A KUBE-ROUTER-FORWARD -d 10.244.1.3/32 -m physdev --physdev-is-bridged -m comment --comment "monitoring/prometheus in" -j KUBE-POD-FW-NGI5TZCWOMGHLZZ3
-A KUBE-ROUTER-FORWARD -s 10.244.1.3/32 -m comment --comment "monitoring/prometheus out" -j KUBE-POD-FW-NGI5TZCWOMGHLZZ3
-A KUBE-ROUTER-FORWARD -s 10.244.1.3/32 -m physdev --physdev-is-bridged -m comment --comment "monitoring/prometheus out" -j KUBE-POD-FW-NGI5TZCWOMGHLZZ3
-A KUBE-ROUTER-INPUT -s 10.244.1.3/32 -m comment --comment "monitoring/prometheus out" -j KUBE-POD-FW-NGI5TZCWOMGHLZZ3
-A KUBE-ROUTER-OUTPUT -d 10.244.1.3/32 -m comment --comment "monitoring/prometheus in" -j KUBE-POD-FW-NGI5TZCWOMGHLZZ3
-A KUBE-ROUTER-OUTPUT -s 10.244.1.3/32 -m comment --comment "monitoring/prometheus out" -j KUBE-POD-FW-NGI5TZCWOMGHLZZ3
-A KUBE-POD-FW-NGI5TZCWOMGHLZZ3 -m comment --comment "common netpol rules" -j KUBE-NWPLCY-COMMON
-A KUBE-POD-FW-NGI5TZCWOMGHLZZ3 -d 10.244.1.3/32 -m comment --comment "from local node" -m addrtype --src-type LOCAL -j ACCEPT
-A KUBE-POD-FW-NGI5TZCWOMGHLZZ3 -s 10.244.1.3/32 -m comment --comment "default egress" -j KUBE-NWPLCY-DEFAULT
-A KUBE-POD-FW-NGI5TZCWOMGHLZZ3 -d 10.244.1.3/32 -m comment --comment "default ingress" -j KUBE-NWPLCY-DEFAULT
-A KUBE-POD-FW-NGI5TZCWOMGHLZZ3 -m comment --comment "monitoring/prometheus log-drop" -m mark ! --mark 0x10000/0x10000 -m limit --limit 10/min --limit-burst 10 -j NFLOG --nflog-group 100
-A KUBE-POD-FW-NGI5TZCWOMGHLZZ3 -m comment --comment "monitoring/prometheus reject" -m mark ! --mark 0x10000/0x10000 -j REJECT --reject-with icmp-port-unreachable
-A KUBE-POD-FW-NGI5TZCWOMGHLZZ3 -j MARK --set-xmark 0x0/0x10000
-A KUBE-POD-FW-NGI5TZCWOMGHLZZ3 -m comment --comment "set netpol-ok mark" -j MARK --set-xmark 0x20000/0x20000
-A KUBE-ROUTER-FORWARD -d 10.244.1.4/32 -m comment --comment "kube-system/coredns-7b5fc74fc-896cd in" -j KUBE-POD-FW-WZSU45R2I5KKFAZX
-A KUBE-ROUTER-FORWARD -d 10.244.1.4/32 -m physdev --physdev-is-bridged -m comment --comment "kube-system/coredns-7b5fc74fc-896cd in" -j KUBE-POD-FW-WZSU45R2I5KKFAZX
-A KUBE-ROUTER-FORWARD -s 10.244.1.4/32 -m comment --comment "kube-system/coredns-7b5fc74fc-896cd out" -j KUBE-POD-FW-WZSU45R2I5KKFAZX
-A KUBE-ROUTER-FORWARD -s 10.244.1.4/32 -m physdev --physdev-is-bridged -m comment --comment "kube-system/coredns-7b5fc74fc-896cd out" -j KUBE-POD-FW-WZSU45R2I5KKFAZX
-A KUBE-ROUTER-INPUT -s 10.244.1.4/32 -m comment --comment "kube-system/coredns-7b5fc74fc-896cd out" -j KUBE-POD-FW-WZSU45R2I5KKFAZX
-A KUBE-ROUTER-OUTPUT -d 10.244.1.4/32 -m comment --comment "kube-system/coredns-7b5fc74fc-896cd in" -j KUBE-POD-FW-WZSU45R2I5KKFAZX
-A KUBE-ROUTER-OUTPUT -s 10.244.1.4/32 -m comment --comment "kube-system/coredns-7b5fc74fc-896cd out" -j KUBE-POD-FW-WZSU45R2I5KKFAZX
-A KUBE-POD-FW-WZSU45R2I5KKFAZX -m comment --comment "common netpol rules" -j KUBE-NWPLCY-COMMON
-A KUBE-POD-FW-WZSU45R2I5KKFAZX -d 10.244.1.4/32 -m comment --comment "from local node" -m addrtype --src-type LOCAL -j ACCEPT
-A KUBE-POD-FW-WZSU45R2I5KKFAZX -s 10.244.1.4/32 -m comment --comment "default egress" -j KUBE-NWPLCY-DEFAULT
-A KUBE-POD-FW-WZSU45R2I5KKFAZX -d 10.244.1.4/32 -m comment --comment "default ingress" -j KUBE-NWPLCY-DEFAULT
-A KUBE-POD-FW-WZSU45R2I5KKFAZX -m comment --comment "kube-system/coredns-7b5fc74fc-896cd log-drop" -m mark ! --mark 0x10000/0x10000 -m limit --limit 10/min --limit-burst 10 -j NFLOG --nflog-group 100
-A KUBE-POD-FW-WZSU45R2I5KKFAZX -m comment --comment "kube-system/coredns-7b5fc74fc-896cd reject" -m mark ! --mark 0x10000/0x10000 -j REJECT --reject-with icmp-port-unreachable
-A KUBE-POD-FW-WZSU45R2I5KKFAZX -j MARK --set-xmark 0x0/0x10000
-A KUBE-POD-FW-WZSU45R2I5KKFAZX -m comment --comment "set netpol-ok mark" -j MARK --set-xmark 0x20000/0x20000
-A KUBE-ROUTER-INPUT -m comment --comment "rule to explicitly handle traffic for network policies ACCEPT/REJECT decision" -j KUBE-NWPLCY-TAIL
-A KUBE-ROUTER-INPUT -m comment --comment "rule to explicitly ACCEPT traffic that comply to network policies" -m mark --mark 0x20000/0x20000 -j ACCEPT
-A KUBE-ROUTER-FORWARD -m comment --comment "rule to explicitly handle traffic for network policies ACCEPT/REJECT decision" -j KUBE-NWPLCY-TAIL
-A KUBE-ROUTER-FORWARD -m comment --comment "rule to explicitly ACCEPT traffic that comply to network policies" -m mark --mark 0x20000/0x20000 -j ACCEPT
-A KUBE-ROUTER-OUTPUT -m comment --comment "rule to explicitly handle traffic for network policies ACCEPT/REJECT decision" -j KUBE-NWPLCY-TAIL
-A KUBE-ROUTER-OUTPUT -m comment --comment "rule to explicitly ACCEPT traffic that comply to network policies" -m mark --mark 0x20000/0x20000 -j ACCEPT
COMMIT
EOF

#!/usr/bin/env bash
# netlab plan for lab host-network: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down host-network`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/host-network}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.host-network.underlay
ip -n netlab.host-network.underlay link add br0 address 1e:db:7b:54:82:b1 mtu 1500 type bridge
ip -n netlab.host-network.underlay link set dev br0 alias netlab:host-network up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.host-network.internet
ip -n netlab.host-network.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.host-network.internet
ip -n netlab.host-network.underlay link set dev internet master br0 alias netlab:host-network up
ip -n netlab.host-network.internet link set dev lo up
ip -n netlab.host-network.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.host-network.internet link set dev eth0 alias netlab:host-network up
ip -n netlab.host-network.internet link add br0 address 0a:60:be:ab:8c:77 mtu 1500 type bridge
ip -n netlab.host-network.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.host-network.internet link set dev br0 alias netlab:host-network up
ip netns exec netlab.host-network.internet sysctl -qw net.ipv4.ip_forward=1

# internet host ns1
ip netns add netlab.host-network.ns1
ip -n netlab.host-network.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.host-network.ns1
ip -n netlab.host-network.internet link set dev ns1 master br0 alias netlab:host-network up
ip -n netlab.host-network.ns1 link set dev lo up
ip -n netlab.host-network.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.host-network.ns1 link set dev eth0 alias netlab:host-network up
ip -n netlab.host-network.ns1 route add default via 203.0.113.1 dev eth0

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.host-network.node1
ip -n netlab.host-network.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.host-network.node1
ip -n netlab.host-network.underlay link set dev node1 master br0 alias netlab:host-network up
ip -n netlab.host-network.node1 link set dev lo up
ip -n netlab.host-network.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.host-network.node1 link set dev eth0 alias netlab:host-network up
ip -n netlab.host-network.node1 route add default via 192.168.56.1 dev eth0

# node node2: eth0 192.168.56.12 on the underlay, default route via the router
ip netns add netlab.host-network.node2
ip -n netlab.host-network.underlay link add node2 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.host-network.node2
ip -n netlab.host-network.underlay link set dev node2 master br0 alias netlab:host-network up
ip -n netlab.host-network.node2 link set dev lo up
ip -n netlab.host-network.node2 addr add 192.168.56.12/24 dev eth0
ip -n netlab.host-network.node2 link set dev eth0 alias netlab:host-network up
ip -n netlab.host-network.node2 route add default via 192.168.56.1 dev eth0

# node node1: flanneld (vxlan) leases 10.244.0.0/24; forwarding and bridge netfilter on
ip netns exec netlab.host-network.node1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.host-network.node1 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node1" && cat > "$NETLAB_STATE/flannel/node1/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.0.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node1: flanneld's masquerade and forward rules
ip netns exec netlab.host-network.node1 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.host-network.node1 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node1: the VXLAN tunnel endpoint flannel.1
ip -n netlab.host-network.node1 link add flannel.1 address 06:d1:d9:a7:31:04 mtu 1450 type vxlan id 1 local 192.168.56.11 dev eth0 nolearning
ip -n netlab.host-network.node1 addr add 10.244.0.0/32 dev flannel.1
ip -n netlab.host-network.node1 link set dev flannel.1 alias netlab:host-network up

# node node1: how to reach 10.244.1.0/24 on node2 (ARP, FDB, route)
ip -n netlab.host-network.node1 neigh add 10.244.1.0 lladdr 72:be:1e:e8:15:3c dev flannel.1 nud permanent
bridge -n netlab.host-network.node1 fdb add 72:be:1e:e8:15:3c dev flannel.1 dst 192.168.56.12 self permanent
ip -n netlab.host-network.node1 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink

# node node2: flanneld (vxlan) leases 10.244.1.0/24; forwarding and bridge netfilter on
ip netns exec netlab.host-network.node2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.host-network.node2 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node2" && cat > "$NETLAB_STATE/flannel/node2/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.1.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node2: flanneld's masquerade and forward rules
ip netns exec netlab.host-network.node2 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.host-network.node2 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node2: the VXLAN tunnel endpoint flannel.1
ip -n netlab.host-network.node2 link add flannel.1 address 72:be:1e:e8:15:3c mtu 1450 type vxlan id 1 local 192.168.56.12 dev eth0 nolearning
ip -n netlab.host-network.node2 addr add 10.244.1.0/32 dev flannel.1
ip -n netlab.host-network.node2 link set dev flannel.1 alias netlab:host-network up

# node node2: how to reach 10.244.0.0/24 on node1 (ARP, FDB, route)
ip -n netlab.host-network.node2 neigh add 10.244.0.0 lladdr 06:d1:d9:a7:31:04 dev flannel.1 nud permanent
bridge -n netlab.host-network.node2 fdb add 06:d1:d9:a7:31:04 dev flannel.1 dst 192.168.56.11 self permanent
ip -n netlab.host-network.node2 route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink

# node node1: the CNI bridge plugin creates cni0 10.244.0.1/24
ip -n netlab.host-network.node1 link add cni0 address a6:35:14:9e:a1:32 mtu 1450 type bridge
ip -n netlab.host-network.node1 addr add 10.244.0.1/24 dev cni0
ip -n netlab.host-network.node1 link set dev cni0 alias netlab:host-network up

# pod client: 10.244.0.2/24 on cni0 through veth75c0f20d
ip netns add netlab.host-network.client
ip -n netlab.host-network.node1 link add veth75c0f20d mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.host-network.client
ip -n netlab.host-network.node1 link set dev veth75c0f20d master cni0 alias netlab:host-network up
ip netns exec netlab.host-network.client sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.host-network.client link set dev lo up
ip -n netlab.host-network.client addr add 10.244.0.2/24 dev eth0
ip -n netlab.host-network.client link set dev eth0 alias netlab:host-network up
bridge -n netlab.host-network.node1 link set dev veth75c0f20d hairpin on
ip -n netlab.host-network.client route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.host-network.client route add default via 10.244.0.1 dev eth0

# pod coredns-7b5fc74fc-gmtxp: 10.244.0.3/24 on cni0 through veth2d4c2424
ip netns add netlab.host-network.coredns-7b5fc74fc-gmtxp
ip -n netlab.host-network.node1 link add veth2d4c2424 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.host-network.coredns-7b5fc74fc-gmtxp
ip -n netlab.host-network.node1 link set dev veth2d4c2424 master cni0 alias netlab:host-network up
ip netns exec netlab.host-network.coredns-7b5fc74fc-gmtxp sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.host-network.coredns-7b5fc74fc-gmtxp link set dev lo up
ip -n netlab.host-network.coredns-7b5fc74fc-gmtxp addr add 10.244.0.3/24 dev eth0
ip -n netlab.host-network.coredns-7b5fc74fc-gmtxp link set dev eth0 alias netlab:host-network up
bridge -n netlab.host-network.node1 link set dev veth2d4c2424 hairpin on
ip -n netlab.host-network.coredns-7b5fc74fc-gmtxp route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.host-network.coredns-7b5fc74fc-gmtxp route add default via 10.244.0.1 dev eth0

# node node2: the CNI bridge plugin creates cni0 10.244.1.1/24
ip -n netlab.host-network.node2 link add cni0 address fa:9b:cb:fb:46:5e mtu 1450 type bridge
ip -n netlab.host-network.node2 addr add 10.244.1.1/24 dev cni0
ip -n netlab.host-network.node2 link set dev cni0 alias netlab:host-network up

# pod coredns-7b5fc74fc-896cd: 10.244.1.2/24 on cni0 through veth58a8d023
ip netns add netlab.host-network.coredns-7b5fc74fc-896cd
ip -n netlab.host-network.node2 link add veth58a8d023 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.host-network.coredns-7b5fc74fc-896cd
ip -n netlab.host-network.node2 link set dev veth58a8d023 master cni0 alias netlab:host-network up
ip netns exec netlab.host-network.coredns-7b5fc74fc-896cd sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.host-network.coredns-7b5fc74fc-896cd link set dev lo up
ip -n netlab.host-network.coredns-7b5fc74fc-896cd addr add 10.244.1.2/24 dev eth0
ip -n netlab.host-network.coredns-7b5fc74fc-896cd link set dev eth0 alias netlab:host-network up
bridge -n netlab.host-network.node2 link set dev veth58a8d023 hairpin on
ip -n netlab.host-network.coredns-7b5fc74fc-896cd route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.host-network.coredns-7b5fc74fc-896cd route add default via 10.244.1.1 dev eth0

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.host-network.node1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name node-exporter-klltr --version v1.8.2 --tcp 9100 >"$NETLAB_STATE/logs/echo-node-exporter-klltr.log" 2>&1 </dev/null
ip netns exec netlab.host-network.node2 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name node-exporter-x5bm2 --version v1.8.2 --tcp 9100 >"$NETLAB_STATE/logs/echo-node-exporter-x5bm2.log" 2>&1 </dev/null

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
ip netns exec netlab.host-network.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.host-network.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.host-network.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.host-network.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
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
ip netns exec netlab.host-network.coredns-7b5fc74fc-gmtxp setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-gmtxp.log" 2>&1 </dev/null
ip netns exec netlab.host-network.coredns-7b5fc74fc-gmtxp sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf"
ip netns exec netlab.host-network.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.host-network.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 7131069 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.3
10-244-0-3.kube-system.pod.cluster.local. 30 IN A 10.244.0.3
10-244-1-2.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.kube-system.pod.cluster.local. 30 IN A 10.244.1.2
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR node-exporter.default.svc.cluster.local.
11.56.168.192.in-addr.arpa. 30 IN PTR 192-168-56-11.node-exporter.default.svc.cluster.local.
12.56.168.192.in-addr.arpa. 30 IN PTR 192-168-56-12.node-exporter.default.svc.cluster.local.
192-168-56-11.default.pod.cluster.local. 30 IN A 192.168.56.11
192-168-56-11.node-exporter.default.svc.cluster.local. 30 IN A 192.168.56.11
192-168-56-12.default.pod.cluster.local. 30 IN A 192.168.56.12
192-168-56-12.node-exporter.default.svc.cluster.local. 30 IN A 192.168.56.12
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.kube-dns.kube-system.svc.cluster.local.
3.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-3.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
_metrics._tcp.node-exporter.default.svc.cluster.local. 30 IN SRV 0 100 9100 node-exporter.default.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
node-exporter.default.svc.cluster.local. 30 IN A 10.96.0.11
node-exporter.default.svc.cluster.local. 30 IN SRV 0 100 9100 node-exporter.default.svc.cluster.local.
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
ip netns exec netlab.host-network.coredns-7b5fc74fc-896cd setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-896cd.log" 2>&1 </dev/null
ip netns exec netlab.host-network.coredns-7b5fc74fc-896cd sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf"
ip netns exec netlab.host-network.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.host-network.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 7131069 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.3
10-244-0-3.kube-system.pod.cluster.local. 30 IN A 10.244.0.3
10-244-1-2.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.kube-system.pod.cluster.local. 30 IN A 10.244.1.2
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR node-exporter.default.svc.cluster.local.
11.56.168.192.in-addr.arpa. 30 IN PTR 192-168-56-11.node-exporter.default.svc.cluster.local.
12.56.168.192.in-addr.arpa. 30 IN PTR 192-168-56-12.node-exporter.default.svc.cluster.local.
192-168-56-11.default.pod.cluster.local. 30 IN A 192.168.56.11
192-168-56-11.node-exporter.default.svc.cluster.local. 30 IN A 192.168.56.11
192-168-56-12.default.pod.cluster.local. 30 IN A 192.168.56.12
192-168-56-12.node-exporter.default.svc.cluster.local. 30 IN A 192.168.56.12
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.kube-dns.kube-system.svc.cluster.local.
3.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-3.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
_metrics._tcp.node-exporter.default.svc.cluster.local. 30 IN SRV 0 100 9100 node-exporter.default.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
node-exporter.default.svc.cluster.local. 30 IN A 10.96.0.11
node-exporter.default.svc.cluster.local. 30 IN SRV 0 100 9100 node-exporter.default.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
EOF
mkdir -p "/etc/netns/netlab.host-network.node1" && cat > "/etc/netns/netlab.host-network.node1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.host-network.node2" && cat > "/etc/netns/netlab.host-network.node2/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.host-network.ns1" && cat > "/etc/netns/netlab.host-network.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.host-network.client" && cat > "/etc/netns/netlab.host-network.client/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.host-network.coredns-7b5fc74fc-gmtxp" && cat > "/etc/netns/netlab.host-network.coredns-7b5fc74fc-gmtxp/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.host-network.coredns-7b5fc74fc-896cd" && cat > "/etc/netns/netlab.host-network.coredns-7b5fc74fc-896cd/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF

# node node1: kube-proxy (iptables mode) programs 2 services
ip netns exec netlab.host-network.node1 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.host-network.node1 iptables-restore --noflush <<'EOF'
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
:KUBE-SVC-QB35KSQ5SEG537FC - [0:0]
:KUBE-SEP-NZQZRA6GYUJYET2K - [0:0]
:KUBE-SEP-YKY7ZQP643KWYOWG - [0:0]
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-ZXMNUKOKXUTL2MK2 - [0:0]
:KUBE-SEP-BWHGELGX6BITPZVO - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-6E7XQMQ4RAYOWTTM - [0:0]
:KUBE-SEP-Z6M7ZHWCTBNMPLD7 - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-ZP3FB6NMPNCO4VBJ - [0:0]
:KUBE-SEP-HK254EL4IH3TTFBT - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/node-exporter:metrics cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 9100 -j KUBE-SVC-QB35KSQ5SEG537FC
-A KUBE-SVC-QB35KSQ5SEG537FC -m comment --comment "default/node-exporter:metrics cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 9100 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-QB35KSQ5SEG537FC -m comment --comment "default/node-exporter:metrics -> 192.168.56.11:9100" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-NZQZRA6GYUJYET2K
-A KUBE-SVC-QB35KSQ5SEG537FC -m comment --comment "default/node-exporter:metrics -> 192.168.56.12:9100" -j KUBE-SEP-YKY7ZQP643KWYOWG
-A KUBE-SEP-NZQZRA6GYUJYET2K -m comment --comment default/node-exporter:metrics -s 192.168.56.11 -j KUBE-MARK-MASQ
-A KUBE-SEP-NZQZRA6GYUJYET2K -m comment --comment default/node-exporter:metrics -m tcp -p tcp -j DNAT --to-destination 192.168.56.11:9100
-A KUBE-SEP-YKY7ZQP643KWYOWG -m comment --comment default/node-exporter:metrics -s 192.168.56.12 -j KUBE-MARK-MASQ
-A KUBE-SEP-YKY7ZQP643KWYOWG -m comment --comment default/node-exporter:metrics -m tcp -p tcp -j DNAT --to-destination 192.168.56.12:9100
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.3:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ZXMNUKOKXUTL2MK2
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.1.2:53" -j KUBE-SEP-BWHGELGX6BITPZVO
-A KUBE-SEP-ZXMNUKOKXUTL2MK2 -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZXMNUKOKXUTL2MK2 -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:53
-A KUBE-SEP-BWHGELGX6BITPZVO -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-BWHGELGX6BITPZVO -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.3:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-6E7XQMQ4RAYOWTTM
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.2:53" -j KUBE-SEP-Z6M7ZHWCTBNMPLD7
-A KUBE-SEP-6E7XQMQ4RAYOWTTM -m comment --comment kube-system/kube-dns:dns -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-6E7XQMQ4RAYOWTTM -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.3:53
-A KUBE-SEP-Z6M7ZHWCTBNMPLD7 -m comment --comment kube-system/kube-dns:dns -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-Z6M7ZHWCTBNMPLD7 -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.1.2:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.3:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ZP3FB6NMPNCO4VBJ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.1.2:9153" -j KUBE-SEP-HK254EL4IH3TTFBT
-A KUBE-SEP-ZP3FB6NMPNCO4VBJ -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZP3FB6NMPNCO4VBJ -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:9153
-A KUBE-SEP-HK254EL4IH3TTFBT -m comment --comment kube-system/kube-dns:metrics -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-HK254EL4IH3TTFBT -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:9153
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node2: kube-proxy (iptables mode) programs 2 services
ip netns exec netlab.host-network.node2 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.host-network.node2 iptables-restore --noflush <<'EOF'
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
:KUBE-SVC-QB35KSQ5SEG537FC - [0:0]
:KUBE-SEP-NZQZRA6GYUJYET2K - [0:0]
:KUBE-SEP-YKY7ZQP643KWYOWG - [0:0]
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-ZXMNUKOKXUTL2MK2 - [0:0]
:KUBE-SEP-BWHGELGX6BITPZVO - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-6E7XQMQ4RAYOWTTM - [0:0]
:KUBE-SEP-Z6M7ZHWCTBNMPLD7 - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-ZP3FB6NMPNCO4VBJ - [0:0]
:KUBE-SEP-HK254EL4IH3TTFBT - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/node-exporter:metrics cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 9100 -j KUBE-SVC-QB35KSQ5SEG537FC
-A KUBE-SVC-QB35KSQ5SEG537FC -m comment --comment "default/node-exporter:metrics cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 9100 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-QB35KSQ5SEG537FC -m comment --comment "default/node-exporter:metrics -> 192.168.56.11:9100" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-NZQZRA6GYUJYET2K
-A KUBE-SVC-QB35KSQ5SEG537FC -m comment --comment "default/node-exporter:metrics -> 192.168.56.12:9100" -j KUBE-SEP-YKY7ZQP643KWYOWG
-A KUBE-SEP-NZQZRA6GYUJYET2K -m comment --comment default/node-exporter:metrics -s 192.168.56.11 -j KUBE-MARK-MASQ
-A KUBE-SEP-NZQZRA6GYUJYET2K -m comment --comment default/node-exporter:metrics -m tcp -p tcp -j DNAT --to-destination 192.168.56.11:9100
-A KUBE-SEP-YKY7ZQP643KWYOWG -m comment --comment default/node-exporter:metrics -s 192.168.56.12 -j KUBE-MARK-MASQ
-A KUBE-SEP-YKY7ZQP643KWYOWG -m comment --comment default/node-exporter:metrics -m tcp -p tcp -j DNAT --to-destination 192.168.56.12:9100
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.3:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ZXMNUKOKXUTL2MK2
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.1.2:53" -j KUBE-SEP-BWHGELGX6BITPZVO
-A KUBE-SEP-ZXMNUKOKXUTL2MK2 -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZXMNUKOKXUTL2MK2 -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:53
-A KUBE-SEP-BWHGELGX6BITPZVO -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-BWHGELGX6BITPZVO -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.3:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-6E7XQMQ4RAYOWTTM
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.2:53" -j KUBE-SEP-Z6M7ZHWCTBNMPLD7
-A KUBE-SEP-6E7XQMQ4RAYOWTTM -m comment --comment kube-system/kube-dns:dns -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-6E7XQMQ4RAYOWTTM -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.3:53
-A KUBE-SEP-Z6M7ZHWCTBNMPLD7 -m comment --comment kube-system/kube-dns:dns -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-Z6M7ZHWCTBNMPLD7 -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.1.2:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.3:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ZP3FB6NMPNCO4VBJ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.1.2:9153" -j KUBE-SEP-HK254EL4IH3TTFBT
-A KUBE-SEP-ZP3FB6NMPNCO4VBJ -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZP3FB6NMPNCO4VBJ -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:9153
-A KUBE-SEP-HK254EL4IH3TTFBT -m comment --comment kube-system/kube-dns:metrics -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-HK254EL4IH3TTFBT -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:9153
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

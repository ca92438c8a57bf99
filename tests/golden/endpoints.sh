#!/usr/bin/env bash
# netlab plan for lab endpoints: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down endpoints`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/endpoints}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.endpoints.underlay
ip -n netlab.endpoints.underlay link add br0 address ea:ee:0b:cb:27:03 mtu 1500 type bridge
ip -n netlab.endpoints.underlay link set dev br0 alias netlab:endpoints up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.endpoints.internet
ip -n netlab.endpoints.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.endpoints.internet
ip -n netlab.endpoints.underlay link set dev internet master br0 alias netlab:endpoints up
ip -n netlab.endpoints.internet link set dev lo up
ip -n netlab.endpoints.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.endpoints.internet link set dev eth0 alias netlab:endpoints up
ip -n netlab.endpoints.internet link add br0 address 0e:13:4b:16:68:70 mtu 1500 type bridge
ip -n netlab.endpoints.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.endpoints.internet link set dev br0 alias netlab:endpoints up
ip netns exec netlab.endpoints.internet sysctl -qw net.ipv4.ip_forward=1

# internet host db
ip netns add netlab.endpoints.db
ip -n netlab.endpoints.internet link add db mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.endpoints.db
ip -n netlab.endpoints.internet link set dev db master br0 alias netlab:endpoints up
ip -n netlab.endpoints.db link set dev lo up
ip -n netlab.endpoints.db addr add 203.0.113.10/24 dev eth0
ip -n netlab.endpoints.db link set dev eth0 alias netlab:endpoints up
ip -n netlab.endpoints.db route add default via 203.0.113.1 dev eth0

# internet host ns1
ip netns add netlab.endpoints.ns1
ip -n netlab.endpoints.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.endpoints.ns1
ip -n netlab.endpoints.internet link set dev ns1 master br0 alias netlab:endpoints up
ip -n netlab.endpoints.ns1 link set dev lo up
ip -n netlab.endpoints.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.endpoints.ns1 link set dev eth0 alias netlab:endpoints up
ip -n netlab.endpoints.ns1 route add default via 203.0.113.1 dev eth0

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.endpoints.node1
ip -n netlab.endpoints.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.endpoints.node1
ip -n netlab.endpoints.underlay link set dev node1 master br0 alias netlab:endpoints up
ip -n netlab.endpoints.node1 link set dev lo up
ip -n netlab.endpoints.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.endpoints.node1 link set dev eth0 alias netlab:endpoints up
ip -n netlab.endpoints.node1 route add default via 192.168.56.1 dev eth0

# node node2: eth0 192.168.56.12 on the underlay, default route via the router
ip netns add netlab.endpoints.node2
ip -n netlab.endpoints.underlay link add node2 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.endpoints.node2
ip -n netlab.endpoints.underlay link set dev node2 master br0 alias netlab:endpoints up
ip -n netlab.endpoints.node2 link set dev lo up
ip -n netlab.endpoints.node2 addr add 192.168.56.12/24 dev eth0
ip -n netlab.endpoints.node2 link set dev eth0 alias netlab:endpoints up
ip -n netlab.endpoints.node2 route add default via 192.168.56.1 dev eth0

# node node1: flanneld (vxlan) leases 10.244.0.0/24; forwarding and bridge netfilter on
ip netns exec netlab.endpoints.node1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.endpoints.node1 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node1" && cat > "$NETLAB_STATE/flannel/node1/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.0.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node1: flanneld's masquerade and forward rules
ip netns exec netlab.endpoints.node1 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.endpoints.node1 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node1: the VXLAN tunnel endpoint flannel.1
ip -n netlab.endpoints.node1 link add flannel.1 address a2:de:56:84:bc:fc mtu 1450 type vxlan id 1 local 192.168.56.11 dev eth0 nolearning
ip -n netlab.endpoints.node1 addr add 10.244.0.0/32 dev flannel.1
ip -n netlab.endpoints.node1 link set dev flannel.1 alias netlab:endpoints up

# node node1: how to reach 10.244.1.0/24 on node2 (ARP, FDB, route)
ip -n netlab.endpoints.node1 neigh add 10.244.1.0 lladdr 9e:96:a1:64:bc:78 dev flannel.1 nud permanent
bridge -n netlab.endpoints.node1 fdb add 9e:96:a1:64:bc:78 dev flannel.1 dst 192.168.56.12 self permanent
ip -n netlab.endpoints.node1 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink

# node node2: flanneld (vxlan) leases 10.244.1.0/24; forwarding and bridge netfilter on
ip netns exec netlab.endpoints.node2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.endpoints.node2 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node2" && cat > "$NETLAB_STATE/flannel/node2/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.1.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node2: flanneld's masquerade and forward rules
ip netns exec netlab.endpoints.node2 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.endpoints.node2 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node2: the VXLAN tunnel endpoint flannel.1
ip -n netlab.endpoints.node2 link add flannel.1 address 9e:96:a1:64:bc:78 mtu 1450 type vxlan id 1 local 192.168.56.12 dev eth0 nolearning
ip -n netlab.endpoints.node2 addr add 10.244.1.0/32 dev flannel.1
ip -n netlab.endpoints.node2 link set dev flannel.1 alias netlab:endpoints up

# node node2: how to reach 10.244.0.0/24 on node1 (ARP, FDB, route)
ip -n netlab.endpoints.node2 neigh add 10.244.0.0 lladdr a2:de:56:84:bc:fc dev flannel.1 nud permanent
bridge -n netlab.endpoints.node2 fdb add a2:de:56:84:bc:fc dev flannel.1 dst 192.168.56.11 self permanent
ip -n netlab.endpoints.node2 route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink

# node node1: the CNI bridge plugin creates cni0 10.244.0.1/24
ip -n netlab.endpoints.node1 link add cni0 address 8e:7f:fc:40:6b:c7 mtu 1450 type bridge
ip -n netlab.endpoints.node1 addr add 10.244.0.1/24 dev cni0
ip -n netlab.endpoints.node1 link set dev cni0 alias netlab:endpoints up

# pod client: 10.244.0.2/24 on cni0 through vethdf61634a
ip netns add netlab.endpoints.client
ip -n netlab.endpoints.node1 link add vethdf61634a mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.endpoints.client
ip -n netlab.endpoints.node1 link set dev vethdf61634a master cni0 alias netlab:endpoints up
ip netns exec netlab.endpoints.client sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.endpoints.client link set dev lo up
ip -n netlab.endpoints.client addr add 10.244.0.2/24 dev eth0
ip -n netlab.endpoints.client link set dev eth0 alias netlab:endpoints up
bridge -n netlab.endpoints.node1 link set dev vethdf61634a hairpin on
ip -n netlab.endpoints.client route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.endpoints.client route add default via 10.244.0.1 dev eth0

# pod coredns-7b5fc74fc-gmtxp: 10.244.0.3/24 on cni0 through veth5bb9c652
ip netns add netlab.endpoints.coredns-7b5fc74fc-gmtxp
ip -n netlab.endpoints.node1 link add veth5bb9c652 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.endpoints.coredns-7b5fc74fc-gmtxp
ip -n netlab.endpoints.node1 link set dev veth5bb9c652 master cni0 alias netlab:endpoints up
ip netns exec netlab.endpoints.coredns-7b5fc74fc-gmtxp sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.endpoints.coredns-7b5fc74fc-gmtxp link set dev lo up
ip -n netlab.endpoints.coredns-7b5fc74fc-gmtxp addr add 10.244.0.3/24 dev eth0
ip -n netlab.endpoints.coredns-7b5fc74fc-gmtxp link set dev eth0 alias netlab:endpoints up
bridge -n netlab.endpoints.node1 link set dev veth5bb9c652 hairpin on
ip -n netlab.endpoints.coredns-7b5fc74fc-gmtxp route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.endpoints.coredns-7b5fc74fc-gmtxp route add default via 10.244.0.1 dev eth0

# node node2: the CNI bridge plugin creates cni0 10.244.1.1/24
ip -n netlab.endpoints.node2 link add cni0 address 0a:5d:ea:a7:62:63 mtu 1450 type bridge
ip -n netlab.endpoints.node2 addr add 10.244.1.1/24 dev cni0
ip -n netlab.endpoints.node2 link set dev cni0 alias netlab:endpoints up

# pod api: 10.244.1.2/24 on cni0 through veth8aa0d4dd
ip netns add netlab.endpoints.api
ip -n netlab.endpoints.node2 link add veth8aa0d4dd mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.endpoints.api
ip -n netlab.endpoints.node2 link set dev veth8aa0d4dd master cni0 alias netlab:endpoints up
ip netns exec netlab.endpoints.api sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.endpoints.api link set dev lo up
ip -n netlab.endpoints.api addr add 10.244.1.2/24 dev eth0
ip -n netlab.endpoints.api link set dev eth0 alias netlab:endpoints up
bridge -n netlab.endpoints.node2 link set dev veth8aa0d4dd hairpin on
ip -n netlab.endpoints.api route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.endpoints.api route add default via 10.244.1.1 dev eth0

# pod coredns-7b5fc74fc-896cd: 10.244.1.3/24 on cni0 through veth37f6849f
ip netns add netlab.endpoints.coredns-7b5fc74fc-896cd
ip -n netlab.endpoints.node2 link add veth37f6849f mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.endpoints.coredns-7b5fc74fc-896cd
ip -n netlab.endpoints.node2 link set dev veth37f6849f master cni0 alias netlab:endpoints up
ip netns exec netlab.endpoints.coredns-7b5fc74fc-896cd sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.endpoints.coredns-7b5fc74fc-896cd link set dev lo up
ip -n netlab.endpoints.coredns-7b5fc74fc-896cd addr add 10.244.1.3/24 dev eth0
ip -n netlab.endpoints.coredns-7b5fc74fc-896cd link set dev eth0 alias netlab:endpoints up
bridge -n netlab.endpoints.node2 link set dev veth37f6849f hairpin on
ip -n netlab.endpoints.coredns-7b5fc74fc-896cd route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.endpoints.coredns-7b5fc74fc-896cd route add default via 10.244.1.1 dev eth0

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.endpoints.api setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name api --http 8080 >"$NETLAB_STATE/logs/echo-api.log" 2>&1 </dev/null
ip netns exec netlab.endpoints.db setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name db --tcp 5432 >"$NETLAB_STATE/logs/echo-db.log" 2>&1 </dev/null

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
ip netns exec netlab.endpoints.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.endpoints.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.endpoints.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.endpoints.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 3251117001 7200 1800 86400 300
example.com. 300 IN NS ns1.example.com.
10.113.0.203.in-addr.arpa. 300 IN PTR db.example.com.
53.113.0.203.in-addr.arpa. 300 IN PTR ns1.example.com.
db.example.com. 300 IN A 203.0.113.10
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
ip netns exec netlab.endpoints.coredns-7b5fc74fc-gmtxp setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-gmtxp.log" 2>&1 </dev/null
ip netns exec netlab.endpoints.coredns-7b5fc74fc-gmtxp sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf"
ip netns exec netlab.endpoints.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.endpoints.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 2842659968 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.3
10-244-0-3.kube-system.pod.cluster.local. 30 IN A 10.244.0.3
10-244-1-2.default.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.legacy-api.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.3
10-244-1-3.kube-system.pod.cluster.local. 30 IN A 10.244.1.3
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
10.113.0.203.in-addr.arpa. 30 IN PTR 203-0-113-10.external-db.default.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR external-db.default.svc.cluster.local.
12.0.96.10.in-addr.arpa. 30 IN PTR legacy-api.default.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.legacy-api.default.svc.cluster.local.
203-0-113-10.external-db.default.svc.cluster.local. 30 IN A 203.0.113.10
3.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-3.kube-dns.kube-system.svc.cluster.local.
3.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-3.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
_pg._tcp.external-db.default.svc.cluster.local. 30 IN SRV 0 100 5432 external-db.default.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
external-db.default.svc.cluster.local. 30 IN A 10.96.0.11
external-db.default.svc.cluster.local. 30 IN SRV 0 100 5432 external-db.default.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
legacy-api.default.svc.cluster.local. 30 IN A 10.96.0.12
legacy-api.default.svc.cluster.local. 30 IN SRV 0 100 80 legacy-api.default.svc.cluster.local.
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
ip netns exec netlab.endpoints.coredns-7b5fc74fc-896cd setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-896cd.log" 2>&1 </dev/null
ip netns exec netlab.endpoints.coredns-7b5fc74fc-896cd sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf"
ip netns exec netlab.endpoints.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.endpoints.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 2842659968 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.3
10-244-0-3.kube-system.pod.cluster.local. 30 IN A 10.244.0.3
10-244-1-2.default.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.legacy-api.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.3
10-244-1-3.kube-system.pod.cluster.local. 30 IN A 10.244.1.3
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
10.113.0.203.in-addr.arpa. 30 IN PTR 203-0-113-10.external-db.default.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR external-db.default.svc.cluster.local.
12.0.96.10.in-addr.arpa. 30 IN PTR legacy-api.default.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.legacy-api.default.svc.cluster.local.
203-0-113-10.external-db.default.svc.cluster.local. 30 IN A 203.0.113.10
3.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-3.kube-dns.kube-system.svc.cluster.local.
3.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-3.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
_pg._tcp.external-db.default.svc.cluster.local. 30 IN SRV 0 100 5432 external-db.default.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
external-db.default.svc.cluster.local. 30 IN A 10.96.0.11
external-db.default.svc.cluster.local. 30 IN SRV 0 100 5432 external-db.default.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
legacy-api.default.svc.cluster.local. 30 IN A 10.96.0.12
legacy-api.default.svc.cluster.local. 30 IN SRV 0 100 80 legacy-api.default.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
EOF
mkdir -p "/etc/netns/netlab.endpoints.node1" && cat > "/etc/netns/netlab.endpoints.node1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.endpoints.node2" && cat > "/etc/netns/netlab.endpoints.node2/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.endpoints.db" && cat > "/etc/netns/netlab.endpoints.db/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.endpoints.ns1" && cat > "/etc/netns/netlab.endpoints.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.endpoints.client" && cat > "/etc/netns/netlab.endpoints.client/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.endpoints.api" && cat > "/etc/netns/netlab.endpoints.api/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.endpoints.coredns-7b5fc74fc-gmtxp" && cat > "/etc/netns/netlab.endpoints.coredns-7b5fc74fc-gmtxp/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.endpoints.coredns-7b5fc74fc-896cd" && cat > "/etc/netns/netlab.endpoints.coredns-7b5fc74fc-896cd/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF

# node node1: kube-proxy (iptables mode) programs 3 services
ip netns exec netlab.endpoints.node1 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.endpoints.node1 iptables-restore --noflush <<'EOF'
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
:KUBE-SVC-UCYHX4T7E3H4I33A - [0:0]
:KUBE-SEP-GRHJ6EFBZN4ZOX5X - [0:0]
:KUBE-SVC-3EBH6UWNEZ4YTSVC - [0:0]
:KUBE-SEP-RHDYHV4VFC2ZQOI2 - [0:0]
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-ZXMNUKOKXUTL2MK2 - [0:0]
:KUBE-SEP-R75T7LXI5PWKQPQA - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-6E7XQMQ4RAYOWTTM - [0:0]
:KUBE-SEP-EJJ3L23ZA35VLW6X - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-ZP3FB6NMPNCO4VBJ - [0:0]
:KUBE-SEP-P6ZV3VC6PB5OMAHT - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/external-db:pg cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 5432 -j KUBE-SVC-UCYHX4T7E3H4I33A
-A KUBE-SVC-UCYHX4T7E3H4I33A -m comment --comment "default/external-db:pg cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 5432 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-UCYHX4T7E3H4I33A -m comment --comment "default/external-db:pg -> 203.0.113.10:5432" -j KUBE-SEP-GRHJ6EFBZN4ZOX5X
-A KUBE-SEP-GRHJ6EFBZN4ZOX5X -m comment --comment default/external-db:pg -s 203.0.113.10 -j KUBE-MARK-MASQ
-A KUBE-SEP-GRHJ6EFBZN4ZOX5X -m comment --comment default/external-db:pg -m tcp -p tcp -j DNAT --to-destination 203.0.113.10:5432
-A KUBE-SERVICES -m comment --comment "default/legacy-api cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 -j KUBE-SVC-3EBH6UWNEZ4YTSVC
-A KUBE-SVC-3EBH6UWNEZ4YTSVC -m comment --comment "default/legacy-api cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-3EBH6UWNEZ4YTSVC -m comment --comment "default/legacy-api -> 10.244.1.2:8080" -j KUBE-SEP-RHDYHV4VFC2ZQOI2
-A KUBE-SEP-RHDYHV4VFC2ZQOI2 -m comment --comment default/legacy-api -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-RHDYHV4VFC2ZQOI2 -m comment --comment default/legacy-api -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:8080
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.3:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ZXMNUKOKXUTL2MK2
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.1.3:53" -j KUBE-SEP-R75T7LXI5PWKQPQA
-A KUBE-SEP-ZXMNUKOKXUTL2MK2 -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZXMNUKOKXUTL2MK2 -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:53
-A KUBE-SEP-R75T7LXI5PWKQPQA -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-R75T7LXI5PWKQPQA -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.1.3:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.3:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-6E7XQMQ4RAYOWTTM
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.3:53" -j KUBE-SEP-EJJ3L23ZA35VLW6X
-A KUBE-SEP-6E7XQMQ4RAYOWTTM -m comment --comment kube-system/kube-dns:dns -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-6E7XQMQ4RAYOWTTM -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.3:53
-A KUBE-SEP-EJJ3L23ZA35VLW6X -m comment --comment kube-system/kube-dns:dns -s 10.244.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-EJJ3L23ZA35VLW6X -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.1.3:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.3:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ZP3FB6NMPNCO4VBJ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.1.3:9153" -j KUBE-SEP-P6ZV3VC6PB5OMAHT
-A KUBE-SEP-ZP3FB6NMPNCO4VBJ -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZP3FB6NMPNCO4VBJ -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:9153
-A KUBE-SEP-P6ZV3VC6PB5OMAHT -m comment --comment kube-system/kube-dns:metrics -s 10.244.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-P6ZV3VC6PB5OMAHT -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.1.3:9153
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node2: kube-proxy (iptables mode) programs 3 services
ip netns exec netlab.endpoints.node2 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.endpoints.node2 iptables-restore --noflush <<'EOF'
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
:KUBE-SVC-UCYHX4T7E3H4I33A - [0:0]
:KUBE-SEP-GRHJ6EFBZN4ZOX5X - [0:0]
:KUBE-SVC-3EBH6UWNEZ4YTSVC - [0:0]
:KUBE-SEP-RHDYHV4VFC2ZQOI2 - [0:0]
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-ZXMNUKOKXUTL2MK2 - [0:0]
:KUBE-SEP-R75T7LXI5PWKQPQA - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-6E7XQMQ4RAYOWTTM - [0:0]
:KUBE-SEP-EJJ3L23ZA35VLW6X - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-ZP3FB6NMPNCO4VBJ - [0:0]
:KUBE-SEP-P6ZV3VC6PB5OMAHT - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/external-db:pg cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 5432 -j KUBE-SVC-UCYHX4T7E3H4I33A
-A KUBE-SVC-UCYHX4T7E3H4I33A -m comment --comment "default/external-db:pg cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 5432 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-UCYHX4T7E3H4I33A -m comment --comment "default/external-db:pg -> 203.0.113.10:5432" -j KUBE-SEP-GRHJ6EFBZN4ZOX5X
-A KUBE-SEP-GRHJ6EFBZN4ZOX5X -m comment --comment default/external-db:pg -s 203.0.113.10 -j KUBE-MARK-MASQ
-A KUBE-SEP-GRHJ6EFBZN4ZOX5X -m comment --comment default/external-db:pg -m tcp -p tcp -j DNAT --to-destination 203.0.113.10:5432
-A KUBE-SERVICES -m comment --comment "default/legacy-api cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 -j KUBE-SVC-3EBH6UWNEZ4YTSVC
-A KUBE-SVC-3EBH6UWNEZ4YTSVC -m comment --comment "default/legacy-api cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-3EBH6UWNEZ4YTSVC -m comment --comment "default/legacy-api -> 10.244.1.2:8080" -j KUBE-SEP-RHDYHV4VFC2ZQOI2
-A KUBE-SEP-RHDYHV4VFC2ZQOI2 -m comment --comment default/legacy-api -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-RHDYHV4VFC2ZQOI2 -m comment --comment default/legacy-api -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:8080
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.3:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ZXMNUKOKXUTL2MK2
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.1.3:53" -j KUBE-SEP-R75T7LXI5PWKQPQA
-A KUBE-SEP-ZXMNUKOKXUTL2MK2 -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZXMNUKOKXUTL2MK2 -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:53
-A KUBE-SEP-R75T7LXI5PWKQPQA -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-R75T7LXI5PWKQPQA -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.1.3:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.3:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-6E7XQMQ4RAYOWTTM
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.3:53" -j KUBE-SEP-EJJ3L23ZA35VLW6X
-A KUBE-SEP-6E7XQMQ4RAYOWTTM -m comment --comment kube-system/kube-dns:dns -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-6E7XQMQ4RAYOWTTM -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.3:53
-A KUBE-SEP-EJJ3L23ZA35VLW6X -m comment --comment kube-system/kube-dns:dns -s 10.244.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-EJJ3L23ZA35VLW6X -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.1.3:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.3:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ZP3FB6NMPNCO4VBJ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.1.3:9153" -j KUBE-SEP-P6ZV3VC6PB5OMAHT
-A KUBE-SEP-ZP3FB6NMPNCO4VBJ -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZP3FB6NMPNCO4VBJ -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:9153
-A KUBE-SEP-P6ZV3VC6PB5OMAHT -m comment --comment kube-system/kube-dns:metrics -s 10.244.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-P6ZV3VC6PB5OMAHT -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.1.3:9153
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

#!/usr/bin/env bash
# netlab plan for lab dns: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down dns`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/dns}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.dns.underlay
ip -n netlab.dns.underlay link add br0 address 9e:f9:d4:08:a3:fd mtu 1500 type bridge
ip -n netlab.dns.underlay link set dev br0 alias netlab:dns up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.dns.internet
ip -n netlab.dns.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.dns.internet
ip -n netlab.dns.underlay link set dev internet master br0 alias netlab:dns up
ip -n netlab.dns.internet link set dev lo up
ip -n netlab.dns.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.dns.internet link set dev eth0 alias netlab:dns up
ip -n netlab.dns.internet link add br0 address 32:86:5c:62:de:de mtu 1500 type bridge
ip -n netlab.dns.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.dns.internet link set dev br0 alias netlab:dns up
ip netns exec netlab.dns.internet sysctl -qw net.ipv4.ip_forward=1

# internet host outside
ip netns add netlab.dns.outside
ip -n netlab.dns.internet link add outside mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.dns.outside
ip -n netlab.dns.internet link set dev outside master br0 alias netlab:dns up
ip -n netlab.dns.outside link set dev lo up
ip -n netlab.dns.outside addr add 203.0.113.10/24 dev eth0
ip -n netlab.dns.outside link set dev eth0 alias netlab:dns up
ip -n netlab.dns.outside route add default via 203.0.113.1 dev eth0

# internet host ns1
ip netns add netlab.dns.ns1
ip -n netlab.dns.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.dns.ns1
ip -n netlab.dns.internet link set dev ns1 master br0 alias netlab:dns up
ip -n netlab.dns.ns1 link set dev lo up
ip -n netlab.dns.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.dns.ns1 link set dev eth0 alias netlab:dns up
ip -n netlab.dns.ns1 route add default via 203.0.113.1 dev eth0

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.dns.node1
ip -n netlab.dns.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.dns.node1
ip -n netlab.dns.underlay link set dev node1 master br0 alias netlab:dns up
ip -n netlab.dns.node1 link set dev lo up
ip -n netlab.dns.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.dns.node1 link set dev eth0 alias netlab:dns up
ip -n netlab.dns.node1 route add default via 192.168.56.1 dev eth0

# node node2: eth0 192.168.56.12 on the underlay, default route via the router
ip netns add netlab.dns.node2
ip -n netlab.dns.underlay link add node2 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.dns.node2
ip -n netlab.dns.underlay link set dev node2 master br0 alias netlab:dns up
ip -n netlab.dns.node2 link set dev lo up
ip -n netlab.dns.node2 addr add 192.168.56.12/24 dev eth0
ip -n netlab.dns.node2 link set dev eth0 alias netlab:dns up
ip -n netlab.dns.node2 route add default via 192.168.56.1 dev eth0

# node node1: flanneld (vxlan) leases 10.244.0.0/24; forwarding and bridge netfilter on
ip netns exec netlab.dns.node1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.dns.node1 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node1" && cat > "$NETLAB_STATE/flannel/node1/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.0.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node1: flanneld's masquerade and forward rules
ip netns exec netlab.dns.node1 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.dns.node1 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node1: the VXLAN tunnel endpoint flannel.1
ip -n netlab.dns.node1 link add flannel.1 address 7a:e1:6f:a5:3c:c8 mtu 1450 type vxlan id 1 local 192.168.56.11 dev eth0 nolearning
ip -n netlab.dns.node1 addr add 10.244.0.0/32 dev flannel.1
ip -n netlab.dns.node1 link set dev flannel.1 alias netlab:dns up

# node node1: how to reach 10.244.1.0/24 on node2 (ARP, FDB, route)
ip -n netlab.dns.node1 neigh add 10.244.1.0 lladdr d2:0f:c4:36:bb:f5 dev flannel.1 nud permanent
bridge -n netlab.dns.node1 fdb add d2:0f:c4:36:bb:f5 dev flannel.1 dst 192.168.56.12 self permanent
ip -n netlab.dns.node1 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink

# node node2: flanneld (vxlan) leases 10.244.1.0/24; forwarding and bridge netfilter on
ip netns exec netlab.dns.node2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.dns.node2 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node2" && cat > "$NETLAB_STATE/flannel/node2/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.1.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node2: flanneld's masquerade and forward rules
ip netns exec netlab.dns.node2 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.dns.node2 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node2: the VXLAN tunnel endpoint flannel.1
ip -n netlab.dns.node2 link add flannel.1 address d2:0f:c4:36:bb:f5 mtu 1450 type vxlan id 1 local 192.168.56.12 dev eth0 nolearning
ip -n netlab.dns.node2 addr add 10.244.1.0/32 dev flannel.1
ip -n netlab.dns.node2 link set dev flannel.1 alias netlab:dns up

# node node2: how to reach 10.244.0.0/24 on node1 (ARP, FDB, route)
ip -n netlab.dns.node2 neigh add 10.244.0.0 lladdr 7a:e1:6f:a5:3c:c8 dev flannel.1 nud permanent
bridge -n netlab.dns.node2 fdb add 7a:e1:6f:a5:3c:c8 dev flannel.1 dst 192.168.56.11 self permanent
ip -n netlab.dns.node2 route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink

# node node1: the CNI bridge plugin creates cni0 10.244.0.1/24
ip -n netlab.dns.node1 link add cni0 address 02:7d:86:37:4f:0f mtu 1450 type bridge
ip -n netlab.dns.node1 addr add 10.244.0.1/24 dev cni0
ip -n netlab.dns.node1 link set dev cni0 alias netlab:dns up

# pod client: 10.244.0.2/24 on cni0 through vethf30fb56c
ip netns add netlab.dns.client
ip -n netlab.dns.node1 link add vethf30fb56c mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.dns.client
ip -n netlab.dns.node1 link set dev vethf30fb56c master cni0 alias netlab:dns up
ip netns exec netlab.dns.client sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.dns.client link set dev lo up
ip -n netlab.dns.client addr add 10.244.0.2/24 dev eth0
ip -n netlab.dns.client link set dev eth0 alias netlab:dns up
bridge -n netlab.dns.node1 link set dev vethf30fb56c hairpin on
ip -n netlab.dns.client route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.dns.client route add default via 10.244.0.1 dev eth0

# pod web-6546f5c77c-p8v75: 10.244.0.3/24 on cni0 through vethb07bc78b
ip netns add netlab.dns.web-6546f5c77c-p8v75
ip -n netlab.dns.node1 link add vethb07bc78b mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.dns.web-6546f5c77c-p8v75
ip -n netlab.dns.node1 link set dev vethb07bc78b master cni0 alias netlab:dns up
ip netns exec netlab.dns.web-6546f5c77c-p8v75 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.dns.web-6546f5c77c-p8v75 link set dev lo up
ip -n netlab.dns.web-6546f5c77c-p8v75 addr add 10.244.0.3/24 dev eth0
ip -n netlab.dns.web-6546f5c77c-p8v75 link set dev eth0 alias netlab:dns up
bridge -n netlab.dns.node1 link set dev vethb07bc78b hairpin on
ip -n netlab.dns.web-6546f5c77c-p8v75 route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.dns.web-6546f5c77c-p8v75 route add default via 10.244.0.1 dev eth0

# pod db-0: 10.244.0.4/24 on cni0 through veth8b1d569e
ip netns add netlab.dns.db-0
ip -n netlab.dns.node1 link add veth8b1d569e mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.dns.db-0
ip -n netlab.dns.node1 link set dev veth8b1d569e master cni0 alias netlab:dns up
ip netns exec netlab.dns.db-0 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.dns.db-0 link set dev lo up
ip -n netlab.dns.db-0 addr add 10.244.0.4/24 dev eth0
ip -n netlab.dns.db-0 link set dev eth0 alias netlab:dns up
bridge -n netlab.dns.node1 link set dev veth8b1d569e hairpin on
ip -n netlab.dns.db-0 route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.dns.db-0 route add default via 10.244.0.1 dev eth0

# pod coredns-7b5fc74fc-gmtxp: 10.244.0.5/24 on cni0 through veth77030155
ip netns add netlab.dns.coredns-7b5fc74fc-gmtxp
ip -n netlab.dns.node1 link add veth77030155 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.dns.coredns-7b5fc74fc-gmtxp
ip -n netlab.dns.node1 link set dev veth77030155 master cni0 alias netlab:dns up
ip netns exec netlab.dns.coredns-7b5fc74fc-gmtxp sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.dns.coredns-7b5fc74fc-gmtxp link set dev lo up
ip -n netlab.dns.coredns-7b5fc74fc-gmtxp addr add 10.244.0.5/24 dev eth0
ip -n netlab.dns.coredns-7b5fc74fc-gmtxp link set dev eth0 alias netlab:dns up
bridge -n netlab.dns.node1 link set dev veth77030155 hairpin on
ip -n netlab.dns.coredns-7b5fc74fc-gmtxp route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.dns.coredns-7b5fc74fc-gmtxp route add default via 10.244.0.1 dev eth0

# node node2: the CNI bridge plugin creates cni0 10.244.1.1/24
ip -n netlab.dns.node2 link add cni0 address ee:fb:6b:ef:3d:59 mtu 1450 type bridge
ip -n netlab.dns.node2 addr add 10.244.1.1/24 dev cni0
ip -n netlab.dns.node2 link set dev cni0 alias netlab:dns up

# pod web-6546f5c77c-xm72g: 10.244.1.2/24 on cni0 through vethef0fbf63
ip netns add netlab.dns.web-6546f5c77c-xm72g
ip -n netlab.dns.node2 link add vethef0fbf63 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.dns.web-6546f5c77c-xm72g
ip -n netlab.dns.node2 link set dev vethef0fbf63 master cni0 alias netlab:dns up
ip netns exec netlab.dns.web-6546f5c77c-xm72g sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.dns.web-6546f5c77c-xm72g link set dev lo up
ip -n netlab.dns.web-6546f5c77c-xm72g addr add 10.244.1.2/24 dev eth0
ip -n netlab.dns.web-6546f5c77c-xm72g link set dev eth0 alias netlab:dns up
bridge -n netlab.dns.node2 link set dev vethef0fbf63 hairpin on
ip -n netlab.dns.web-6546f5c77c-xm72g route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.dns.web-6546f5c77c-xm72g route add default via 10.244.1.1 dev eth0

# pod db-1: 10.244.1.3/24 on cni0 through vethc78a0c9e
ip netns add netlab.dns.db-1
ip -n netlab.dns.node2 link add vethc78a0c9e mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.dns.db-1
ip -n netlab.dns.node2 link set dev vethc78a0c9e master cni0 alias netlab:dns up
ip netns exec netlab.dns.db-1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.dns.db-1 link set dev lo up
ip -n netlab.dns.db-1 addr add 10.244.1.3/24 dev eth0
ip -n netlab.dns.db-1 link set dev eth0 alias netlab:dns up
bridge -n netlab.dns.node2 link set dev vethc78a0c9e hairpin on
ip -n netlab.dns.db-1 route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.dns.db-1 route add default via 10.244.1.1 dev eth0

# pod shop-api: 10.244.1.4/24 on cni0 through vethd266aa26
ip netns add netlab.dns.shop-api
ip -n netlab.dns.node2 link add vethd266aa26 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.dns.shop-api
ip -n netlab.dns.node2 link set dev vethd266aa26 master cni0 alias netlab:dns up
ip netns exec netlab.dns.shop-api sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.dns.shop-api link set dev lo up
ip -n netlab.dns.shop-api addr add 10.244.1.4/24 dev eth0
ip -n netlab.dns.shop-api link set dev eth0 alias netlab:dns up
bridge -n netlab.dns.node2 link set dev vethd266aa26 hairpin on
ip -n netlab.dns.shop-api route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.dns.shop-api route add default via 10.244.1.1 dev eth0

# pod shop-client: 10.244.1.5/24 on cni0 through veth9f741421
ip netns add netlab.dns.shop-client
ip -n netlab.dns.node2 link add veth9f741421 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.dns.shop-client
ip -n netlab.dns.node2 link set dev veth9f741421 master cni0 alias netlab:dns up
ip netns exec netlab.dns.shop-client sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.dns.shop-client link set dev lo up
ip -n netlab.dns.shop-client addr add 10.244.1.5/24 dev eth0
ip -n netlab.dns.shop-client link set dev eth0 alias netlab:dns up
bridge -n netlab.dns.node2 link set dev veth9f741421 hairpin on
ip -n netlab.dns.shop-client route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.dns.shop-client route add default via 10.244.1.1 dev eth0

# pod coredns-7b5fc74fc-896cd: 10.244.1.6/24 on cni0 through vethc4711bb2
ip netns add netlab.dns.coredns-7b5fc74fc-896cd
ip -n netlab.dns.node2 link add vethc4711bb2 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.dns.coredns-7b5fc74fc-896cd
ip -n netlab.dns.node2 link set dev vethc4711bb2 master cni0 alias netlab:dns up
ip netns exec netlab.dns.coredns-7b5fc74fc-896cd sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.dns.coredns-7b5fc74fc-896cd link set dev lo up
ip -n netlab.dns.coredns-7b5fc74fc-896cd addr add 10.244.1.6/24 dev eth0
ip -n netlab.dns.coredns-7b5fc74fc-896cd link set dev eth0 alias netlab:dns up
bridge -n netlab.dns.node2 link set dev vethc4711bb2 hairpin on
ip -n netlab.dns.coredns-7b5fc74fc-896cd route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.dns.coredns-7b5fc74fc-896cd route add default via 10.244.1.1 dev eth0

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.dns.web-6546f5c77c-p8v75 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web-6546f5c77c-p8v75 --http 80 >"$NETLAB_STATE/logs/echo-web-6546f5c77c-p8v75.log" 2>&1 </dev/null
ip netns exec netlab.dns.web-6546f5c77c-xm72g setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web-6546f5c77c-xm72g --http 80 >"$NETLAB_STATE/logs/echo-web-6546f5c77c-xm72g.log" 2>&1 </dev/null
ip netns exec netlab.dns.db-0 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name db-0 --tcp 5432 >"$NETLAB_STATE/logs/echo-db-0.log" 2>&1 </dev/null
ip netns exec netlab.dns.db-1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name db-1 --tcp 5432 >"$NETLAB_STATE/logs/echo-db-1.log" 2>&1 </dev/null
ip netns exec netlab.dns.shop-api setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name shop-api --http 8080 >"$NETLAB_STATE/logs/echo-shop-api.log" 2>&1 </dev/null
ip netns exec netlab.dns.outside setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name outside --http 80 >"$NETLAB_STATE/logs/echo-outside.log" 2>&1 </dev/null

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
ip netns exec netlab.dns.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.dns.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.dns.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.dns.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 3100922586 7200 1800 86400 300
example.com. 300 IN NS ns1.example.com.
10.113.0.203.in-addr.arpa. 300 IN PTR outside.example.com.
53.113.0.203.in-addr.arpa. 300 IN PTR ns1.example.com.
ns1.example.com. 300 IN A 203.0.113.53
outside.example.com. 300 IN A 203.0.113.10
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
ip netns exec netlab.dns.coredns-7b5fc74fc-gmtxp setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-gmtxp.log" 2>&1 </dev/null
ip netns exec netlab.dns.coredns-7b5fc74fc-gmtxp sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf"
ip netns exec netlab.dns.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_zones <<'EOF'
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
search.default.svc.cluster.local. redirect
EOF
ip netns exec netlab.dns.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 2032836423 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.default.pod.cluster.local. 30 IN A 10.244.0.3
10-244-0-3.web.default.svc.cluster.local. 30 IN A 10.244.0.3
10-244-0-4.default.pod.cluster.local. 30 IN A 10.244.0.4
10-244-0-5.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.5
10-244-0-5.kube-system.pod.cluster.local. 30 IN A 10.244.0.5
10-244-1-2.default.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.default.pod.cluster.local. 30 IN A 10.244.1.3
10-244-1-4.api.shop.svc.cluster.local. 30 IN A 10.244.1.4
10-244-1-4.shop.pod.cluster.local. 30 IN A 10.244.1.4
10-244-1-5.shop.pod.cluster.local. 30 IN A 10.244.1.5
10-244-1-6.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.6
10-244-1-6.kube-system.pod.cluster.local. 30 IN A 10.244.1.6
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local.
12.0.96.10.in-addr.arpa. 30 IN PTR api.shop.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.web.default.svc.cluster.local.
3.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-3.web.default.svc.cluster.local.
3.1.244.10.in-addr.arpa. 30 IN PTR db-1.db.default.svc.cluster.local.
4.0.244.10.in-addr.arpa. 30 IN PTR db-0.db.default.svc.cluster.local.
4.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-4.api.shop.svc.cluster.local.
5.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-5.kube-dns.kube-system.svc.cluster.local.
6.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-6.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_http._tcp.api.shop.svc.cluster.local. 30 IN SRV 0 100 80 api.shop.svc.cluster.local.
_http._tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
_postgres._tcp.db.default.svc.cluster.local. 30 IN SRV 0 50 5432 db-0.db.default.svc.cluster.local.
_postgres._tcp.db.default.svc.cluster.local. 30 IN SRV 0 50 5432 db-1.db.default.svc.cluster.local.
api.shop.svc.cluster.local. 30 IN A 10.96.0.12
api.shop.svc.cluster.local. 30 IN SRV 0 100 80 api.shop.svc.cluster.local.
db-0.db.default.svc.cluster.local. 30 IN A 10.244.0.4
db-1.db.default.svc.cluster.local. 30 IN A 10.244.1.3
db.default.svc.cluster.local. 30 IN A 10.244.0.4
db.default.svc.cluster.local. 30 IN A 10.244.1.3
db.default.svc.cluster.local. 30 IN SRV 0 50 5432 db-0.db.default.svc.cluster.local.
db.default.svc.cluster.local. 30 IN SRV 0 50 5432 db-1.db.default.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
search.default.svc.cluster.local. 30 IN CNAME outside.example.com.
web.default.svc.cluster.local. 30 IN A 10.96.0.11
web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.
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
ip netns exec netlab.dns.coredns-7b5fc74fc-896cd setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-896cd.log" 2>&1 </dev/null
ip netns exec netlab.dns.coredns-7b5fc74fc-896cd sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf"
ip netns exec netlab.dns.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_zones <<'EOF'
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
search.default.svc.cluster.local. redirect
EOF
ip netns exec netlab.dns.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 2032836423 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.default.pod.cluster.local. 30 IN A 10.244.0.3
10-244-0-3.web.default.svc.cluster.local. 30 IN A 10.244.0.3
10-244-0-4.default.pod.cluster.local. 30 IN A 10.244.0.4
10-244-0-5.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.5
10-244-0-5.kube-system.pod.cluster.local. 30 IN A 10.244.0.5
10-244-1-2.default.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.default.pod.cluster.local. 30 IN A 10.244.1.3
10-244-1-4.api.shop.svc.cluster.local. 30 IN A 10.244.1.4
10-244-1-4.shop.pod.cluster.local. 30 IN A 10.244.1.4
10-244-1-5.shop.pod.cluster.local. 30 IN A 10.244.1.5
10-244-1-6.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.6
10-244-1-6.kube-system.pod.cluster.local. 30 IN A 10.244.1.6
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local.
12.0.96.10.in-addr.arpa. 30 IN PTR api.shop.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.web.default.svc.cluster.local.
3.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-3.web.default.svc.cluster.local.
3.1.244.10.in-addr.arpa. 30 IN PTR db-1.db.default.svc.cluster.local.
4.0.244.10.in-addr.arpa. 30 IN PTR db-0.db.default.svc.cluster.local.
4.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-4.api.shop.svc.cluster.local.
5.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-5.kube-dns.kube-system.svc.cluster.local.
6.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-6.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_http._tcp.api.shop.svc.cluster.local. 30 IN SRV 0 100 80 api.shop.svc.cluster.local.
_http._tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
_postgres._tcp.db.default.svc.cluster.local. 30 IN SRV 0 50 5432 db-0.db.default.svc.cluster.local.
_postgres._tcp.db.default.svc.cluster.local. 30 IN SRV 0 50 5432 db-1.db.default.svc.cluster.local.
api.shop.svc.cluster.local. 30 IN A 10.96.0.12
api.shop.svc.cluster.local. 30 IN SRV 0 100 80 api.shop.svc.cluster.local.
db-0.db.default.svc.cluster.local. 30 IN A 10.244.0.4
db-1.db.default.svc.cluster.local. 30 IN A 10.244.1.3
db.default.svc.cluster.local. 30 IN A 10.244.0.4
db.default.svc.cluster.local. 30 IN A 10.244.1.3
db.default.svc.cluster.local. 30 IN SRV 0 50 5432 db-0.db.default.svc.cluster.local.
db.default.svc.cluster.local. 30 IN SRV 0 50 5432 db-1.db.default.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
search.default.svc.cluster.local. 30 IN CNAME outside.example.com.
web.default.svc.cluster.local. 30 IN A 10.96.0.11
web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.
EOF
mkdir -p "/etc/netns/netlab.dns.node1" && cat > "/etc/netns/netlab.dns.node1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.dns.node2" && cat > "/etc/netns/netlab.dns.node2/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.dns.outside" && cat > "/etc/netns/netlab.dns.outside/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.dns.ns1" && cat > "/etc/netns/netlab.dns.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.dns.client" && cat > "/etc/netns/netlab.dns.client/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.dns.web-6546f5c77c-p8v75" && cat > "/etc/netns/netlab.dns.web-6546f5c77c-p8v75/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.dns.web-6546f5c77c-xm72g" && cat > "/etc/netns/netlab.dns.web-6546f5c77c-xm72g/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.dns.db-0" && cat > "/etc/netns/netlab.dns.db-0/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.dns.db-1" && cat > "/etc/netns/netlab.dns.db-1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.dns.shop-api" && cat > "/etc/netns/netlab.dns.shop-api/resolv.conf" <<'EOF'
search shop.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.dns.shop-client" && cat > "/etc/netns/netlab.dns.shop-client/resolv.conf" <<'EOF'
search shop.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.dns.coredns-7b5fc74fc-gmtxp" && cat > "/etc/netns/netlab.dns.coredns-7b5fc74fc-gmtxp/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.dns.coredns-7b5fc74fc-896cd" && cat > "/etc/netns/netlab.dns.coredns-7b5fc74fc-896cd/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF

# node node1: kube-proxy (iptables mode) programs 6 services
ip netns exec netlab.dns.node1 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.dns.node1 iptables-restore --noflush <<'EOF'
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
:KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]
:KUBE-SEP-UF6OOORCMXPJJDSV - [0:0]
:KUBE-SEP-PBQ62IOVWGYEN623 - [0:0]
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-LASJGFFJP3UOS6RQ - [0:0]
:KUBE-SEP-O52EFJOPCR6IIZUO - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-LPGSDLJ3FDW46N4W - [0:0]
:KUBE-SEP-5SZA7C4MJLLQPPFI - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-FVQSBIWR5JTECIVC - [0:0]
:KUBE-SEP-RSYCZ7NJRLBIM4VM - [0:0]
:KUBE-SVC-RUKNB3TURLFC6SGL - [0:0]
:KUBE-SEP-AWPHSOCVXTKSGW72 - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.0.3:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UF6OOORCMXPJJDSV
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.2:80" -j KUBE-SEP-PBQ62IOVWGYEN623
-A KUBE-SEP-UF6OOORCMXPJJDSV -m comment --comment default/web:http -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-UF6OOORCMXPJJDSV -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:80
-A KUBE-SEP-PBQ62IOVWGYEN623 -m comment --comment default/web:http -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-PBQ62IOVWGYEN623 -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.5:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LASJGFFJP3UOS6RQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.1.6:53" -j KUBE-SEP-O52EFJOPCR6IIZUO
-A KUBE-SEP-LASJGFFJP3UOS6RQ -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-LASJGFFJP3UOS6RQ -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:53
-A KUBE-SEP-O52EFJOPCR6IIZUO -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.1.6 -j KUBE-MARK-MASQ
-A KUBE-SEP-O52EFJOPCR6IIZUO -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.1.6:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.5:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LPGSDLJ3FDW46N4W
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.6:53" -j KUBE-SEP-5SZA7C4MJLLQPPFI
-A KUBE-SEP-LPGSDLJ3FDW46N4W -m comment --comment kube-system/kube-dns:dns -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-LPGSDLJ3FDW46N4W -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.5:53
-A KUBE-SEP-5SZA7C4MJLLQPPFI -m comment --comment kube-system/kube-dns:dns -s 10.244.1.6 -j KUBE-MARK-MASQ
-A KUBE-SEP-5SZA7C4MJLLQPPFI -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.1.6:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.5:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-FVQSBIWR5JTECIVC
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.1.6:9153" -j KUBE-SEP-RSYCZ7NJRLBIM4VM
-A KUBE-SEP-FVQSBIWR5JTECIVC -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-FVQSBIWR5JTECIVC -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:9153
-A KUBE-SEP-RSYCZ7NJRLBIM4VM -m comment --comment kube-system/kube-dns:metrics -s 10.244.1.6 -j KUBE-MARK-MASQ
-A KUBE-SEP-RSYCZ7NJRLBIM4VM -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.1.6:9153
-A KUBE-SERVICES -m comment --comment "shop/api:http cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 -j KUBE-SVC-RUKNB3TURLFC6SGL
-A KUBE-SVC-RUKNB3TURLFC6SGL -m comment --comment "shop/api:http cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-RUKNB3TURLFC6SGL -m comment --comment "shop/api:http -> 10.244.1.4:8080" -j KUBE-SEP-AWPHSOCVXTKSGW72
-A KUBE-SEP-AWPHSOCVXTKSGW72 -m comment --comment shop/api:http -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-AWPHSOCVXTKSGW72 -m comment --comment shop/api:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:8080
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node2: kube-proxy (iptables mode) programs 6 services
ip netns exec netlab.dns.node2 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.dns.node2 iptables-restore --noflush <<'EOF'
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
:KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]
:KUBE-SEP-UF6OOORCMXPJJDSV - [0:0]
:KUBE-SEP-PBQ62IOVWGYEN623 - [0:0]
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-LASJGFFJP3UOS6RQ - [0:0]
:KUBE-SEP-O52EFJOPCR6IIZUO - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-LPGSDLJ3FDW46N4W - [0:0]
:KUBE-SEP-5SZA7C4MJLLQPPFI - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-FVQSBIWR5JTECIVC - [0:0]
:KUBE-SEP-RSYCZ7NJRLBIM4VM - [0:0]
:KUBE-SVC-RUKNB3TURLFC6SGL - [0:0]
:KUBE-SEP-AWPHSOCVXTKSGW72 - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.0.3:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UF6OOORCMXPJJDSV
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.2:80" -j KUBE-SEP-PBQ62IOVWGYEN623
-A KUBE-SEP-UF6OOORCMXPJJDSV -m comment --comment default/web:http -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-UF6OOORCMXPJJDSV -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:80
-A KUBE-SEP-PBQ62IOVWGYEN623 -m comment --comment default/web:http -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-PBQ62IOVWGYEN623 -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.5:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LASJGFFJP3UOS6RQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.1.6:53" -j KUBE-SEP-O52EFJOPCR6IIZUO
-A KUBE-SEP-LASJGFFJP3UOS6RQ -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-LASJGFFJP3UOS6RQ -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:53
-A KUBE-SEP-O52EFJOPCR6IIZUO -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.1.6 -j KUBE-MARK-MASQ
-A KUBE-SEP-O52EFJOPCR6IIZUO -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.1.6:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.5:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LPGSDLJ3FDW46N4W
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.6:53" -j KUBE-SEP-5SZA7C4MJLLQPPFI
-A KUBE-SEP-LPGSDLJ3FDW46N4W -m comment --comment kube-system/kube-dns:dns -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-LPGSDLJ3FDW46N4W -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.5:53
-A KUBE-SEP-5SZA7C4MJLLQPPFI -m comment --comment kube-system/kube-dns:dns -s 10.244.1.6 -j KUBE-MARK-MASQ
-A KUBE-SEP-5SZA7C4MJLLQPPFI -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.1.6:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.5:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-FVQSBIWR5JTECIVC
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.1.6:9153" -j KUBE-SEP-RSYCZ7NJRLBIM4VM
-A KUBE-SEP-FVQSBIWR5JTECIVC -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-FVQSBIWR5JTECIVC -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:9153
-A KUBE-SEP-RSYCZ7NJRLBIM4VM -m comment --comment kube-system/kube-dns:metrics -s 10.244.1.6 -j KUBE-MARK-MASQ
-A KUBE-SEP-RSYCZ7NJRLBIM4VM -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.1.6:9153
-A KUBE-SERVICES -m comment --comment "shop/api:http cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 -j KUBE-SVC-RUKNB3TURLFC6SGL
-A KUBE-SVC-RUKNB3TURLFC6SGL -m comment --comment "shop/api:http cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-RUKNB3TURLFC6SGL -m comment --comment "shop/api:http -> 10.244.1.4:8080" -j KUBE-SEP-AWPHSOCVXTKSGW72
-A KUBE-SEP-AWPHSOCVXTKSGW72 -m comment --comment shop/api:http -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-AWPHSOCVXTKSGW72 -m comment --comment shop/api:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:8080
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

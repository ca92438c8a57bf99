#!/usr/bin/env bash
# netlab plan for lab services-nftables: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down services-nftables`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/services-nftables}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.services-nftables.underlay
ip -n netlab.services-nftables.underlay link add br0 address ce:e8:dd:07:a1:1b mtu 1500 type bridge
ip -n netlab.services-nftables.underlay link set dev br0 alias netlab:services-nftables up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.services-nftables.internet
ip -n netlab.services-nftables.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-nftables.internet
ip -n netlab.services-nftables.underlay link set dev internet master br0 alias netlab:services-nftables up
ip -n netlab.services-nftables.internet link set dev lo up
ip -n netlab.services-nftables.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.services-nftables.internet link set dev eth0 alias netlab:services-nftables up
ip -n netlab.services-nftables.internet link add br0 address 8e:b9:69:87:5a:f6 mtu 1500 type bridge
ip -n netlab.services-nftables.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.services-nftables.internet link set dev br0 alias netlab:services-nftables up
ip netns exec netlab.services-nftables.internet sysctl -qw net.ipv4.ip_forward=1

# internet host outside
ip netns add netlab.services-nftables.outside
ip -n netlab.services-nftables.internet link add outside mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-nftables.outside
ip -n netlab.services-nftables.internet link set dev outside master br0 alias netlab:services-nftables up
ip -n netlab.services-nftables.outside link set dev lo up
ip -n netlab.services-nftables.outside addr add 203.0.113.10/24 dev eth0
ip -n netlab.services-nftables.outside link set dev eth0 alias netlab:services-nftables up
ip -n netlab.services-nftables.outside route add default via 203.0.113.1 dev eth0

# internet host ns1
ip netns add netlab.services-nftables.ns1
ip -n netlab.services-nftables.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-nftables.ns1
ip -n netlab.services-nftables.internet link set dev ns1 master br0 alias netlab:services-nftables up
ip -n netlab.services-nftables.ns1 link set dev lo up
ip -n netlab.services-nftables.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.services-nftables.ns1 link set dev eth0 alias netlab:services-nftables up
ip -n netlab.services-nftables.ns1 route add default via 203.0.113.1 dev eth0

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.services-nftables.node1
ip -n netlab.services-nftables.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-nftables.node1
ip -n netlab.services-nftables.underlay link set dev node1 master br0 alias netlab:services-nftables up
ip -n netlab.services-nftables.node1 link set dev lo up
ip -n netlab.services-nftables.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.services-nftables.node1 link set dev eth0 alias netlab:services-nftables up
ip -n netlab.services-nftables.node1 route add default via 192.168.56.1 dev eth0

# node node2: eth0 192.168.56.12 on the underlay, default route via the router
ip netns add netlab.services-nftables.node2
ip -n netlab.services-nftables.underlay link add node2 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-nftables.node2
ip -n netlab.services-nftables.underlay link set dev node2 master br0 alias netlab:services-nftables up
ip -n netlab.services-nftables.node2 link set dev lo up
ip -n netlab.services-nftables.node2 addr add 192.168.56.12/24 dev eth0
ip -n netlab.services-nftables.node2 link set dev eth0 alias netlab:services-nftables up
ip -n netlab.services-nftables.node2 route add default via 192.168.56.1 dev eth0

# node node1: flanneld (vxlan) leases 10.244.0.0/24; forwarding and bridge netfilter on
ip netns exec netlab.services-nftables.node1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.services-nftables.node1 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node1" && cat > "$NETLAB_STATE/flannel/node1/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.0.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node1: flanneld's masquerade and forward rules
ip netns exec netlab.services-nftables.node1 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.services-nftables.node1 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node1: the VXLAN tunnel endpoint flannel.1
ip -n netlab.services-nftables.node1 link add flannel.1 address 26:8c:f3:00:22:a2 mtu 1450 type vxlan id 1 local 192.168.56.11 dev eth0 nolearning
ip -n netlab.services-nftables.node1 addr add 10.244.0.0/32 dev flannel.1
ip -n netlab.services-nftables.node1 link set dev flannel.1 alias netlab:services-nftables up

# node node1: how to reach 10.244.1.0/24 on node2 (ARP, FDB, route)
ip -n netlab.services-nftables.node1 neigh add 10.244.1.0 lladdr 4e:e9:ad:d1:26:29 dev flannel.1 nud permanent
bridge -n netlab.services-nftables.node1 fdb add 4e:e9:ad:d1:26:29 dev flannel.1 dst 192.168.56.12 self permanent
ip -n netlab.services-nftables.node1 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink

# node node2: flanneld (vxlan) leases 10.244.1.0/24; forwarding and bridge netfilter on
ip netns exec netlab.services-nftables.node2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.services-nftables.node2 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node2" && cat > "$NETLAB_STATE/flannel/node2/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.1.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node2: flanneld's masquerade and forward rules
ip netns exec netlab.services-nftables.node2 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.services-nftables.node2 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node2: the VXLAN tunnel endpoint flannel.1
ip -n netlab.services-nftables.node2 link add flannel.1 address 4e:e9:ad:d1:26:29 mtu 1450 type vxlan id 1 local 192.168.56.12 dev eth0 nolearning
ip -n netlab.services-nftables.node2 addr add 10.244.1.0/32 dev flannel.1
ip -n netlab.services-nftables.node2 link set dev flannel.1 alias netlab:services-nftables up

# node node2: how to reach 10.244.0.0/24 on node1 (ARP, FDB, route)
ip -n netlab.services-nftables.node2 neigh add 10.244.0.0 lladdr 26:8c:f3:00:22:a2 dev flannel.1 nud permanent
bridge -n netlab.services-nftables.node2 fdb add 26:8c:f3:00:22:a2 dev flannel.1 dst 192.168.56.11 self permanent
ip -n netlab.services-nftables.node2 route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink

# node node1: the CNI bridge plugin creates cni0 10.244.0.1/24
ip -n netlab.services-nftables.node1 link add cni0 address 3a:8e:11:bf:72:5e mtu 1450 type bridge
ip -n netlab.services-nftables.node1 addr add 10.244.0.1/24 dev cni0
ip -n netlab.services-nftables.node1 link set dev cni0 alias netlab:services-nftables up

# pod web1: 10.244.0.2/24 on cni0 through veth3843c9ee
ip netns add netlab.services-nftables.web1
ip -n netlab.services-nftables.node1 link add veth3843c9ee mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-nftables.web1
ip -n netlab.services-nftables.node1 link set dev veth3843c9ee master cni0 alias netlab:services-nftables up
ip netns exec netlab.services-nftables.web1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-nftables.web1 link set dev lo up
ip -n netlab.services-nftables.web1 addr add 10.244.0.2/24 dev eth0
ip -n netlab.services-nftables.web1 link set dev eth0 alias netlab:services-nftables up
bridge -n netlab.services-nftables.node1 link set dev veth3843c9ee hairpin on
ip -n netlab.services-nftables.web1 route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.services-nftables.web1 route add default via 10.244.0.1 dev eth0

# pod client1: 10.244.0.3/24 on cni0 through vethab1fabc6
ip netns add netlab.services-nftables.client1
ip -n netlab.services-nftables.node1 link add vethab1fabc6 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-nftables.client1
ip -n netlab.services-nftables.node1 link set dev vethab1fabc6 master cni0 alias netlab:services-nftables up
ip netns exec netlab.services-nftables.client1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-nftables.client1 link set dev lo up
ip -n netlab.services-nftables.client1 addr add 10.244.0.3/24 dev eth0
ip -n netlab.services-nftables.client1 link set dev eth0 alias netlab:services-nftables up
bridge -n netlab.services-nftables.node1 link set dev vethab1fabc6 hairpin on
ip -n netlab.services-nftables.client1 route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.services-nftables.client1 route add default via 10.244.0.1 dev eth0

# pod coredns-7b5fc74fc-gmtxp: 10.244.0.4/24 on cni0 through vethfef18434
ip netns add netlab.services-nftables.coredns-7b5fc74fc-gmtxp
ip -n netlab.services-nftables.node1 link add vethfef18434 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-nftables.coredns-7b5fc74fc-gmtxp
ip -n netlab.services-nftables.node1 link set dev vethfef18434 master cni0 alias netlab:services-nftables up
ip netns exec netlab.services-nftables.coredns-7b5fc74fc-gmtxp sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-nftables.coredns-7b5fc74fc-gmtxp link set dev lo up
ip -n netlab.services-nftables.coredns-7b5fc74fc-gmtxp addr add 10.244.0.4/24 dev eth0
ip -n netlab.services-nftables.coredns-7b5fc74fc-gmtxp link set dev eth0 alias netlab:services-nftables up
bridge -n netlab.services-nftables.node1 link set dev vethfef18434 hairpin on
ip -n netlab.services-nftables.coredns-7b5fc74fc-gmtxp route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.services-nftables.coredns-7b5fc74fc-gmtxp route add default via 10.244.0.1 dev eth0

# node node2: the CNI bridge plugin creates cni0 10.244.1.1/24
ip -n netlab.services-nftables.node2 link add cni0 address aa:96:ac:9c:13:0a mtu 1450 type bridge
ip -n netlab.services-nftables.node2 addr add 10.244.1.1/24 dev cni0
ip -n netlab.services-nftables.node2 link set dev cni0 alias netlab:services-nftables up

# pod web2: 10.244.1.2/24 on cni0 through vethb0c37a55
ip netns add netlab.services-nftables.web2
ip -n netlab.services-nftables.node2 link add vethb0c37a55 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-nftables.web2
ip -n netlab.services-nftables.node2 link set dev vethb0c37a55 master cni0 alias netlab:services-nftables up
ip netns exec netlab.services-nftables.web2 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-nftables.web2 link set dev lo up
ip -n netlab.services-nftables.web2 addr add 10.244.1.2/24 dev eth0
ip -n netlab.services-nftables.web2 link set dev eth0 alias netlab:services-nftables up
bridge -n netlab.services-nftables.node2 link set dev vethb0c37a55 hairpin on
ip -n netlab.services-nftables.web2 route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.services-nftables.web2 route add default via 10.244.1.1 dev eth0

# pod client2: 10.244.1.3/24 on cni0 through vethf48dff27
ip netns add netlab.services-nftables.client2
ip -n netlab.services-nftables.node2 link add vethf48dff27 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-nftables.client2
ip -n netlab.services-nftables.node2 link set dev vethf48dff27 master cni0 alias netlab:services-nftables up
ip netns exec netlab.services-nftables.client2 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-nftables.client2 link set dev lo up
ip -n netlab.services-nftables.client2 addr add 10.244.1.3/24 dev eth0
ip -n netlab.services-nftables.client2 link set dev eth0 alias netlab:services-nftables up
bridge -n netlab.services-nftables.node2 link set dev vethf48dff27 hairpin on
ip -n netlab.services-nftables.client2 route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.services-nftables.client2 route add default via 10.244.1.1 dev eth0

# pod coredns-7b5fc74fc-896cd: 10.244.1.4/24 on cni0 through veth727084bc
ip netns add netlab.services-nftables.coredns-7b5fc74fc-896cd
ip -n netlab.services-nftables.node2 link add veth727084bc mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-nftables.coredns-7b5fc74fc-896cd
ip -n netlab.services-nftables.node2 link set dev veth727084bc master cni0 alias netlab:services-nftables up
ip netns exec netlab.services-nftables.coredns-7b5fc74fc-896cd sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-nftables.coredns-7b5fc74fc-896cd link set dev lo up
ip -n netlab.services-nftables.coredns-7b5fc74fc-896cd addr add 10.244.1.4/24 dev eth0
ip -n netlab.services-nftables.coredns-7b5fc74fc-896cd link set dev eth0 alias netlab:services-nftables up
bridge -n netlab.services-nftables.node2 link set dev veth727084bc hairpin on
ip -n netlab.services-nftables.coredns-7b5fc74fc-896cd route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.services-nftables.coredns-7b5fc74fc-896cd route add default via 10.244.1.1 dev eth0

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.services-nftables.web1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web1 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web1.log" 2>&1 </dev/null
ip netns exec netlab.services-nftables.web2 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web2 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web2.log" 2>&1 </dev/null

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
ip netns exec netlab.services-nftables.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.services-nftables.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.services-nftables.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.services-nftables.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
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
ip netns exec netlab.services-nftables.coredns-7b5fc74fc-gmtxp setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-gmtxp.log" 2>&1 </dev/null
ip netns exec netlab.services-nftables.coredns-7b5fc74fc-gmtxp sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf"
ip netns exec netlab.services-nftables.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.services-nftables.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 2763466296 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web-local.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web-sticky.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.default.pod.cluster.local. 30 IN A 10.244.0.3
10-244-0-4.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.4
10-244-0-4.kube-system.pod.cluster.local. 30 IN A 10.244.0.4
10-244-1-2.default.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web-local.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web-sticky.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.default.pod.cluster.local. 30 IN A 10.244.1.3
10-244-1-4.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.4
10-244-1-4.kube-system.pod.cluster.local. 30 IN A 10.244.1.4
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local.
12.0.96.10.in-addr.arpa. 30 IN PTR web-sticky.default.svc.cluster.local.
13.0.96.10.in-addr.arpa. 30 IN PTR web-local.default.svc.cluster.local.
14.0.96.10.in-addr.arpa. 30 IN PTR nothing.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web-local.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web-sticky.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web.default.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.web-local.default.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.web-sticky.default.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.web.default.svc.cluster.local.
4.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-4.kube-dns.kube-system.svc.cluster.local.
4.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-4.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.web.default.svc.cluster.local. 30 IN SRV 0 100 53 web.default.svc.cluster.local.
_http._tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
nothing.default.svc.cluster.local. 30 IN A 10.96.0.14
nothing.default.svc.cluster.local. 30 IN SRV 0 100 80 nothing.default.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
web-local.default.svc.cluster.local. 30 IN A 10.96.0.13
web-local.default.svc.cluster.local. 30 IN SRV 0 100 80 web-local.default.svc.cluster.local.
web-sticky.default.svc.cluster.local. 30 IN A 10.96.0.12
web-sticky.default.svc.cluster.local. 30 IN SRV 0 100 8080 web-sticky.default.svc.cluster.local.
web.default.svc.cluster.local. 30 IN A 10.96.0.11
web.default.svc.cluster.local. 30 IN SRV 0 50 53 web.default.svc.cluster.local.
web.default.svc.cluster.local. 30 IN SRV 0 50 80 web.default.svc.cluster.local.
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
ip netns exec netlab.services-nftables.coredns-7b5fc74fc-896cd setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-896cd.log" 2>&1 </dev/null
ip netns exec netlab.services-nftables.coredns-7b5fc74fc-896cd sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf"
ip netns exec netlab.services-nftables.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.services-nftables.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 2763466296 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web-local.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web-sticky.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.default.pod.cluster.local. 30 IN A 10.244.0.3
10-244-0-4.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.4
10-244-0-4.kube-system.pod.cluster.local. 30 IN A 10.244.0.4
10-244-1-2.default.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web-local.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web-sticky.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.default.pod.cluster.local. 30 IN A 10.244.1.3
10-244-1-4.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.4
10-244-1-4.kube-system.pod.cluster.local. 30 IN A 10.244.1.4
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local.
12.0.96.10.in-addr.arpa. 30 IN PTR web-sticky.default.svc.cluster.local.
13.0.96.10.in-addr.arpa. 30 IN PTR web-local.default.svc.cluster.local.
14.0.96.10.in-addr.arpa. 30 IN PTR nothing.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web-local.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web-sticky.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web.default.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.web-local.default.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.web-sticky.default.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.web.default.svc.cluster.local.
4.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-4.kube-dns.kube-system.svc.cluster.local.
4.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-4.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.web.default.svc.cluster.local. 30 IN SRV 0 100 53 web.default.svc.cluster.local.
_http._tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
nothing.default.svc.cluster.local. 30 IN A 10.96.0.14
nothing.default.svc.cluster.local. 30 IN SRV 0 100 80 nothing.default.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
web-local.default.svc.cluster.local. 30 IN A 10.96.0.13
web-local.default.svc.cluster.local. 30 IN SRV 0 100 80 web-local.default.svc.cluster.local.
web-sticky.default.svc.cluster.local. 30 IN A 10.96.0.12
web-sticky.default.svc.cluster.local. 30 IN SRV 0 100 8080 web-sticky.default.svc.cluster.local.
web.default.svc.cluster.local. 30 IN A 10.96.0.11
web.default.svc.cluster.local. 30 IN SRV 0 50 53 web.default.svc.cluster.local.
web.default.svc.cluster.local. 30 IN SRV 0 50 80 web.default.svc.cluster.local.
EOF
mkdir -p "/etc/netns/netlab.services-nftables.node1" && cat > "/etc/netns/netlab.services-nftables.node1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-nftables.node2" && cat > "/etc/netns/netlab.services-nftables.node2/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-nftables.outside" && cat > "/etc/netns/netlab.services-nftables.outside/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-nftables.ns1" && cat > "/etc/netns/netlab.services-nftables.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-nftables.web1" && cat > "/etc/netns/netlab.services-nftables.web1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.services-nftables.web2" && cat > "/etc/netns/netlab.services-nftables.web2/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.services-nftables.client1" && cat > "/etc/netns/netlab.services-nftables.client1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.services-nftables.client2" && cat > "/etc/netns/netlab.services-nftables.client2/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.services-nftables.coredns-7b5fc74fc-gmtxp" && cat > "/etc/netns/netlab.services-nftables.coredns-7b5fc74fc-gmtxp/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-nftables.coredns-7b5fc74fc-896cd" && cat > "/etc/netns/netlab.services-nftables.coredns-7b5fc74fc-896cd/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF

# node node1: kube-proxy (nftables mode) programs 5 services
ip netns exec netlab.services-nftables.node1 nft -f - <<'EOF'
add table ip kube-proxy { comment "rules for kube-proxy" ; }
add set ip kube-proxy cluster-ips { type ipv4_addr ; comment "Active ClusterIPs" ; }
add set ip kube-proxy nodeport-ips { type ipv4_addr ; comment "IPs that accept NodePort traffic" ; }
add map ip kube-proxy firewall-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "destinations that are subject to LoadBalancerSourceRanges" ; }
add map ip kube-proxy no-endpoint-nodeports { type inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to service nodeports with no endpoints" ; }
add map ip kube-proxy no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to services with no endpoints" ; }
add map ip kube-proxy service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }
add map ip kube-proxy service-nodeports { type inet_proto . inet_service : verdict ; comment "NodePort traffic" ; }
add chain ip kube-proxy cluster-ips-check
add chain ip kube-proxy filter-prerouting-pre-dnat { type filter hook prerouting priority -110 ; }
add chain ip kube-proxy filter-output-pre-dnat { type filter hook output priority -110 ; }
add chain ip kube-proxy filter-forward { type filter hook forward priority 0 ; }
add chain ip kube-proxy filter-input { type filter hook input priority 0 ; }
add chain ip kube-proxy filter-output { type filter hook output priority 0 ; }
add chain ip kube-proxy firewall-check
add chain ip kube-proxy mark-for-masquerade
add chain ip kube-proxy masquerading
add chain ip kube-proxy nat-output { type nat hook output priority -100 ; }
add chain ip kube-proxy nat-postrouting { type nat hook postrouting priority 100 ; }
add chain ip kube-proxy nat-prerouting { type nat hook prerouting priority -100 ; }
add chain ip kube-proxy nodeport-endpoints-check
add chain ip kube-proxy reject-chain { comment "helper for @no-endpoint-services / @no-endpoint-nodeports" ; }
add chain ip kube-proxy services
add chain ip kube-proxy service-endpoints-check
add chain ip kube-proxy service-S5KDWTE3-default/web/udp/dns
add chain ip kube-proxy external-S5KDWTE3-default/web/udp/dns
add chain ip kube-proxy endpoint-VOBJYNKJ-default/web/udp/dns__10.244.0.2/53
add chain ip kube-proxy endpoint-H2S63HPO-default/web/udp/dns__10.244.1.2/53
add chain ip kube-proxy service-SUSTUHLJ-default/web/tcp/http
add chain ip kube-proxy external-SUSTUHLJ-default/web/tcp/http
add chain ip kube-proxy endpoint-L4LRLQYH-default/web/tcp/http__10.244.0.2/80
add chain ip kube-proxy endpoint-WZUVD3EN-default/web/tcp/http__10.244.1.2/80
add chain ip kube-proxy service-SSHJNHUS-default/web-local/tcp/
add chain ip kube-proxy external-SSHJNHUS-default/web-local/tcp/
add chain ip kube-proxy local-SSHJNHUS-default/web-local/tcp/
add chain ip kube-proxy endpoint-2LSDAPEP-default/web-local/tcp/__10.244.0.2/80
add chain ip kube-proxy endpoint-LGP5O3SK-default/web-local/tcp/__10.244.1.2/80
add set ip kube-proxy affinity-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80 { type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }
add set ip kube-proxy affinity-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80 { type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }
add chain ip kube-proxy service-MSXTVR3X-default/web-sticky/tcp/
add chain ip kube-proxy endpoint-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80
add chain ip kube-proxy endpoint-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80
add chain ip kube-proxy service-NWBZK7IH-kube-system/kube-dns/tcp/dns-tcp
add chain ip kube-proxy endpoint-5ZODOYIN-kube-system/kube-dns/tcp/dns-tcp__10.244.0.4/53
add chain ip kube-proxy endpoint-5RB2OWQ2-kube-system/kube-dns/tcp/dns-tcp__10.244.1.4/53
add chain ip kube-proxy service-FY5PMXPG-kube-system/kube-dns/udp/dns
add chain ip kube-proxy endpoint-VWYSKC3H-kube-system/kube-dns/udp/dns__10.244.0.4/53
add chain ip kube-proxy endpoint-3WHXD5F5-kube-system/kube-dns/udp/dns__10.244.1.4/53
add chain ip kube-proxy service-AS2KJYAD-kube-system/kube-dns/tcp/metrics
add chain ip kube-proxy endpoint-UIZQ3LM6-kube-system/kube-dns/tcp/metrics__10.244.0.4/9153
add chain ip kube-proxy endpoint-T7V6LSAU-kube-system/kube-dns/tcp/metrics__10.244.1.4/9153
add rule ip kube-proxy cluster-ips-check ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"
add rule ip kube-proxy cluster-ips-check ip daddr { 10.96.0.0/12 } drop comment "Drop traffic to unallocated ClusterIPs"
add rule ip kube-proxy filter-prerouting-pre-dnat ct state new jump firewall-check
add rule ip kube-proxy filter-forward ct state new jump service-endpoints-check
add rule ip kube-proxy filter-forward ct state new jump cluster-ips-check
add rule ip kube-proxy filter-input ct state new jump nodeport-endpoints-check
add rule ip kube-proxy filter-input ct state new jump service-endpoints-check
add rule ip kube-proxy filter-output ct state new jump service-endpoints-check
add rule ip kube-proxy filter-output-pre-dnat ct state new jump firewall-check
add rule ip kube-proxy filter-output ct state new jump cluster-ips-check
add rule ip kube-proxy firewall-check ip daddr . meta l4proto . th dport vmap @firewall-ips
add rule ip kube-proxy mark-for-masquerade mark set mark or 0x4000
add rule ip kube-proxy masquerading mark and 0x4000 == 0 return
add rule ip kube-proxy masquerading mark set mark xor 0x4000
add rule ip kube-proxy masquerading masquerade fully-random
add rule ip kube-proxy nat-output jump services
add rule ip kube-proxy nat-postrouting jump masquerading
add rule ip kube-proxy nat-prerouting jump services
add rule ip kube-proxy nodeport-endpoints-check ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports
add rule ip kube-proxy reject-chain reject
add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips
add rule ip kube-proxy services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports
add rule ip kube-proxy service-endpoints-check ip daddr . meta l4proto . th dport vmap @no-endpoint-services
add rule ip kube-proxy service-S5KDWTE3-default/web/udp/dns ip daddr 10.96.0.11 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
add rule ip kube-proxy service-S5KDWTE3-default/web/udp/dns numgen random mod 2 vmap { 0 : goto endpoint-VOBJYNKJ-default/web/udp/dns__10.244.0.2/53 , 1 : goto endpoint-H2S63HPO-default/web/udp/dns__10.244.1.2/53 }
add rule ip kube-proxy external-S5KDWTE3-default/web/udp/dns jump mark-for-masquerade
add rule ip kube-proxy external-S5KDWTE3-default/web/udp/dns goto service-S5KDWTE3-default/web/udp/dns
add rule ip kube-proxy endpoint-VOBJYNKJ-default/web/udp/dns__10.244.0.2/53 ip saddr 10.244.0.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-VOBJYNKJ-default/web/udp/dns__10.244.0.2/53 meta l4proto udp dnat to 10.244.0.2:53
add rule ip kube-proxy endpoint-H2S63HPO-default/web/udp/dns__10.244.1.2/53 ip saddr 10.244.1.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-H2S63HPO-default/web/udp/dns__10.244.1.2/53 meta l4proto udp dnat to 10.244.1.2:53
add rule ip kube-proxy service-SUSTUHLJ-default/web/tcp/http ip daddr 10.96.0.11 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
add rule ip kube-proxy service-SUSTUHLJ-default/web/tcp/http numgen random mod 2 vmap { 0 : goto endpoint-L4LRLQYH-default/web/tcp/http__10.244.0.2/80 , 1 : goto endpoint-WZUVD3EN-default/web/tcp/http__10.244.1.2/80 }
add rule ip kube-proxy external-SUSTUHLJ-default/web/tcp/http jump mark-for-masquerade
add rule ip kube-proxy external-SUSTUHLJ-default/web/tcp/http goto service-SUSTUHLJ-default/web/tcp/http
add rule ip kube-proxy endpoint-L4LRLQYH-default/web/tcp/http__10.244.0.2/80 ip saddr 10.244.0.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-L4LRLQYH-default/web/tcp/http__10.244.0.2/80 meta l4proto tcp dnat to 10.244.0.2:80
add rule ip kube-proxy endpoint-WZUVD3EN-default/web/tcp/http__10.244.1.2/80 ip saddr 10.244.1.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-WZUVD3EN-default/web/tcp/http__10.244.1.2/80 meta l4proto tcp dnat to 10.244.1.2:80
add rule ip kube-proxy service-SSHJNHUS-default/web-local/tcp/ ip daddr 10.96.0.13 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
add rule ip kube-proxy service-SSHJNHUS-default/web-local/tcp/ numgen random mod 2 vmap { 0 : goto endpoint-2LSDAPEP-default/web-local/tcp/__10.244.0.2/80 , 1 : goto endpoint-LGP5O3SK-default/web-local/tcp/__10.244.1.2/80 }
add rule ip kube-proxy external-SSHJNHUS-default/web-local/tcp/ ip saddr 10.244.0.0/16 goto service-SSHJNHUS-default/web-local/tcp/ comment "short-circuit pod traffic"
add rule ip kube-proxy external-SSHJNHUS-default/web-local/tcp/ fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"
add rule ip kube-proxy external-SSHJNHUS-default/web-local/tcp/ fib saddr type local goto service-SSHJNHUS-default/web-local/tcp/ comment "short-circuit local traffic"
add rule ip kube-proxy local-SSHJNHUS-default/web-local/tcp/ numgen random mod 1 vmap { 0 : goto endpoint-2LSDAPEP-default/web-local/tcp/__10.244.0.2/80 }
add rule ip kube-proxy external-SSHJNHUS-default/web-local/tcp/ goto local-SSHJNHUS-default/web-local/tcp/
add rule ip kube-proxy endpoint-2LSDAPEP-default/web-local/tcp/__10.244.0.2/80 ip saddr 10.244.0.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-2LSDAPEP-default/web-local/tcp/__10.244.0.2/80 meta l4proto tcp dnat to 10.244.0.2:80
add rule ip kube-proxy endpoint-LGP5O3SK-default/web-local/tcp/__10.244.1.2/80 ip saddr 10.244.1.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-LGP5O3SK-default/web-local/tcp/__10.244.1.2/80 meta l4proto tcp dnat to 10.244.1.2:80
add rule ip kube-proxy service-MSXTVR3X-default/web-sticky/tcp/ ip daddr 10.96.0.12 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
add rule ip kube-proxy service-MSXTVR3X-default/web-sticky/tcp/ ip saddr @affinity-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80 goto endpoint-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80
add rule ip kube-proxy service-MSXTVR3X-default/web-sticky/tcp/ ip saddr @affinity-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80 goto endpoint-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80
add rule ip kube-proxy service-MSXTVR3X-default/web-sticky/tcp/ numgen random mod 2 vmap { 0 : goto endpoint-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80 , 1 : goto endpoint-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80 }
add rule ip kube-proxy endpoint-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80 ip saddr 10.244.0.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80 update @affinity-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80 { ip saddr }
add rule ip kube-proxy endpoint-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80 meta l4proto tcp dnat to 10.244.0.2:80
add rule ip kube-proxy endpoint-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80 ip saddr 10.244.1.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80 update @affinity-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80 { ip saddr }
add rule ip kube-proxy endpoint-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80 meta l4proto tcp dnat to 10.244.1.2:80
add rule ip kube-proxy service-NWBZK7IH-kube-system/kube-dns/tcp/dns-tcp ip daddr 10.96.0.10 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
add rule ip kube-proxy service-NWBZK7IH-kube-system/kube-dns/tcp/dns-tcp numgen random mod 2 vmap { 0 : goto endpoint-5ZODOYIN-kube-system/kube-dns/tcp/dns-tcp__10.244.0.4/53 , 1 : goto endpoint-5RB2OWQ2-kube-system/kube-dns/tcp/dns-tcp__10.244.1.4/53 }
add rule ip kube-proxy endpoint-5ZODOYIN-kube-system/kube-dns/tcp/dns-tcp__10.244.0.4/53 ip saddr 10.244.0.4 jump mark-for-masquerade
add rule ip kube-proxy endpoint-5ZODOYIN-kube-system/kube-dns/tcp/dns-tcp__10.244.0.4/53 meta l4proto tcp dnat to 10.244.0.4:53
add rule ip kube-proxy endpoint-5RB2OWQ2-kube-system/kube-dns/tcp/dns-tcp__10.244.1.4/53 ip saddr 10.244.1.4 jump mark-for-masquerade
add rule ip kube-proxy endpoint-5RB2OWQ2-kube-system/kube-dns/tcp/dns-tcp__10.244.1.4/53 meta l4proto tcp dnat to 10.244.1.4:53
add rule ip kube-proxy service-FY5PMXPG-kube-system/kube-dns/udp/dns ip daddr 10.96.0.10 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
add rule ip kube-proxy service-FY5PMXPG-kube-system/kube-dns/udp/dns numgen random mod 2 vmap { 0 : goto endpoint-VWYSKC3H-kube-system/kube-dns/udp/dns__10.244.0.4/53 , 1 : goto endpoint-3WHXD5F5-kube-system/kube-dns/udp/dns__10.244.1.4/53 }
add rule ip kube-proxy endpoint-VWYSKC3H-kube-system/kube-dns/udp/dns__10.244.0.4/53 ip saddr 10.244.0.4 jump mark-for-masquerade
add rule ip kube-proxy endpoint-VWYSKC3H-kube-system/kube-dns/udp/dns__10.244.0.4/53 meta l4proto udp dnat to 10.244.0.4:53
add rule ip kube-proxy endpoint-3WHXD5F5-kube-system/kube-dns/udp/dns__10.244.1.4/53 ip saddr 10.244.1.4 jump mark-for-masquerade
add rule ip kube-proxy endpoint-3WHXD5F5-kube-system/kube-dns/udp/dns__10.244.1.4/53 meta l4proto udp dnat to 10.244.1.4:53
add rule ip kube-proxy service-AS2KJYAD-kube-system/kube-dns/tcp/metrics ip daddr 10.96.0.10 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
add rule ip kube-proxy service-AS2KJYAD-kube-system/kube-dns/tcp/metrics numgen random mod 2 vmap { 0 : goto endpoint-UIZQ3LM6-kube-system/kube-dns/tcp/metrics__10.244.0.4/9153 , 1 : goto endpoint-T7V6LSAU-kube-system/kube-dns/tcp/metrics__10.244.1.4/9153 }
add rule ip kube-proxy endpoint-UIZQ3LM6-kube-system/kube-dns/tcp/metrics__10.244.0.4/9153 ip saddr 10.244.0.4 jump mark-for-masquerade
add rule ip kube-proxy endpoint-UIZQ3LM6-kube-system/kube-dns/tcp/metrics__10.244.0.4/9153 meta l4proto tcp dnat to 10.244.0.4:9153
add rule ip kube-proxy endpoint-T7V6LSAU-kube-system/kube-dns/tcp/metrics__10.244.1.4/9153 ip saddr 10.244.1.4 jump mark-for-masquerade
add rule ip kube-proxy endpoint-T7V6LSAU-kube-system/kube-dns/tcp/metrics__10.244.1.4/9153 meta l4proto tcp dnat to 10.244.1.4:9153
add element ip kube-proxy nodeport-ips { 192.168.56.11 }
add element ip kube-proxy cluster-ips { 10.96.0.14 }
add element ip kube-proxy no-endpoint-services { 10.96.0.14 . tcp . 80 comment "default/nothing" : goto reject-chain }
add element ip kube-proxy cluster-ips { 10.96.0.11 }
add element ip kube-proxy service-ips { 10.96.0.11 . udp . 53 : goto service-S5KDWTE3-default/web/udp/dns }
add element ip kube-proxy service-nodeports { udp . 30000 : goto external-S5KDWTE3-default/web/udp/dns }
add element ip kube-proxy cluster-ips { 10.96.0.11 }
add element ip kube-proxy service-ips { 10.96.0.11 . tcp . 80 : goto service-SUSTUHLJ-default/web/tcp/http }
add element ip kube-proxy service-nodeports { tcp . 30080 : goto external-SUSTUHLJ-default/web/tcp/http }
add element ip kube-proxy cluster-ips { 10.96.0.13 }
add element ip kube-proxy service-ips { 10.96.0.13 . tcp . 80 : goto service-SSHJNHUS-default/web-local/tcp/ }
add element ip kube-proxy service-nodeports { tcp . 30081 : goto external-SSHJNHUS-default/web-local/tcp/ }
add element ip kube-proxy cluster-ips { 10.96.0.12 }
add element ip kube-proxy service-ips { 10.96.0.12 . tcp . 8080 : goto service-MSXTVR3X-default/web-sticky/tcp/ }
add element ip kube-proxy cluster-ips { 10.96.0.10 }
add element ip kube-proxy service-ips { 10.96.0.10 . tcp . 53 : goto service-NWBZK7IH-kube-system/kube-dns/tcp/dns-tcp }
add element ip kube-proxy cluster-ips { 10.96.0.10 }
add element ip kube-proxy service-ips { 10.96.0.10 . udp . 53 : goto service-FY5PMXPG-kube-system/kube-dns/udp/dns }
add element ip kube-proxy cluster-ips { 10.96.0.10 }
add element ip kube-proxy service-ips { 10.96.0.10 . tcp . 9153 : goto service-AS2KJYAD-kube-system/kube-dns/tcp/metrics }
EOF

# node node2: kube-proxy (nftables mode) programs 5 services
ip netns exec netlab.services-nftables.node2 nft -f - <<'EOF'
add table ip kube-proxy { comment "rules for kube-proxy" ; }
add set ip kube-proxy cluster-ips { type ipv4_addr ; comment "Active ClusterIPs" ; }
add set ip kube-proxy nodeport-ips { type ipv4_addr ; comment "IPs that accept NodePort traffic" ; }
add map ip kube-proxy firewall-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "destinations that are subject to LoadBalancerSourceRanges" ; }
add map ip kube-proxy no-endpoint-nodeports { type inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to service nodeports with no endpoints" ; }
add map ip kube-proxy no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to services with no endpoints" ; }
add map ip kube-proxy service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }
add map ip kube-proxy service-nodeports { type inet_proto . inet_service : verdict ; comment "NodePort traffic" ; }
add chain ip kube-proxy cluster-ips-check
add chain ip kube-proxy filter-prerouting-pre-dnat { type filter hook prerouting priority -110 ; }
add chain ip kube-proxy filter-output-pre-dnat { type filter hook output priority -110 ; }
add chain ip kube-proxy filter-forward { type filter hook forward priority 0 ; }
add chain ip kube-proxy filter-input { type filter hook input priority 0 ; }
add chain ip kube-proxy filter-output { type filter hook output priority 0 ; }
add chain ip kube-proxy firewall-check
add chain ip kube-proxy mark-for-masquerade
add chain ip kube-proxy masquerading
add chain ip kube-proxy nat-output { type nat hook output priority -100 ; }
add chain ip kube-proxy nat-postrouting { type nat hook postrouting priority 100 ; }
add chain ip kube-proxy nat-prerouting { type nat hook prerouting priority -100 ; }
add chain ip kube-proxy nodeport-endpoints-check
add chain ip kube-proxy reject-chain { comment "helper for @no-endpoint-services / @no-endpoint-nodeports" ; }
add chain ip kube-proxy services
add chain ip kube-proxy service-endpoints-check
add chain ip kube-proxy service-S5KDWTE3-default/web/udp/dns
add chain ip kube-proxy external-S5KDWTE3-default/web/udp/dns
add chain ip kube-proxy endpoint-VOBJYNKJ-default/web/udp/dns__10.244.0.2/53
add chain ip kube-proxy endpoint-H2S63HPO-default/web/udp/dns__10.244.1.2/53
add chain ip kube-proxy service-SUSTUHLJ-default/web/tcp/http
add chain ip kube-proxy external-SUSTUHLJ-default/web/tcp/http
add chain ip kube-proxy endpoint-L4LRLQYH-default/web/tcp/http__10.244.0.2/80
add chain ip kube-proxy endpoint-WZUVD3EN-default/web/tcp/http__10.244.1.2/80
add chain ip kube-proxy service-SSHJNHUS-default/web-local/tcp/
add chain ip kube-proxy external-SSHJNHUS-default/web-local/tcp/
add chain ip kube-proxy local-SSHJNHUS-default/web-local/tcp/
add chain ip kube-proxy endpoint-2LSDAPEP-default/web-local/tcp/__10.244.0.2/80
add chain ip kube-proxy endpoint-LGP5O3SK-default/web-local/tcp/__10.244.1.2/80
add set ip kube-proxy affinity-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80 { type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }
add set ip kube-proxy affinity-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80 { type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }
add chain ip kube-proxy service-MSXTVR3X-default/web-sticky/tcp/
add chain ip kube-proxy endpoint-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80
add chain ip kube-proxy endpoint-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80
add chain ip kube-proxy service-NWBZK7IH-kube-system/kube-dns/tcp/dns-tcp
add chain ip kube-proxy endpoint-5ZODOYIN-kube-system/kube-dns/tcp/dns-tcp__10.244.0.4/53
add chain ip kube-proxy endpoint-5RB2OWQ2-kube-system/kube-dns/tcp/dns-tcp__10.244.1.4/53
add chain ip kube-proxy service-FY5PMXPG-kube-system/kube-dns/udp/dns
add chain ip kube-proxy endpoint-VWYSKC3H-kube-system/kube-dns/udp/dns__10.244.0.4/53
add chain ip kube-proxy endpoint-3WHXD5F5-kube-system/kube-dns/udp/dns__10.244.1.4/53
add chain ip kube-proxy service-AS2KJYAD-kube-system/kube-dns/tcp/metrics
add chain ip kube-proxy endpoint-UIZQ3LM6-kube-system/kube-dns/tcp/metrics__10.244.0.4/9153
add chain ip kube-proxy endpoint-T7V6LSAU-kube-system/kube-dns/tcp/metrics__10.244.1.4/9153
add rule ip kube-proxy cluster-ips-check ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"
add rule ip kube-proxy cluster-ips-check ip daddr { 10.96.0.0/12 } drop comment "Drop traffic to unallocated ClusterIPs"
add rule ip kube-proxy filter-prerouting-pre-dnat ct state new jump firewall-check
add rule ip kube-proxy filter-forward ct state new jump service-endpoints-check
add rule ip kube-proxy filter-forward ct state new jump cluster-ips-check
add rule ip kube-proxy filter-input ct state new jump nodeport-endpoints-check
add rule ip kube-proxy filter-input ct state new jump service-endpoints-check
add rule ip kube-proxy filter-output ct state new jump service-endpoints-check
add rule ip kube-proxy filter-output-pre-dnat ct state new jump firewall-check
add rule ip kube-proxy filter-output ct state new jump cluster-ips-check
add rule ip kube-proxy firewall-check ip daddr . meta l4proto . th dport vmap @firewall-ips
add rule ip kube-proxy mark-for-masquerade mark set mark or 0x4000
add rule ip kube-proxy masquerading mark and 0x4000 == 0 return
add rule ip kube-proxy masquerading mark set mark xor 0x4000
add rule ip kube-proxy masquerading masquerade fully-random
add rule ip kube-proxy nat-output jump services
add rule ip kube-proxy nat-postrouting jump masquerading
add rule ip kube-proxy nat-prerouting jump services
add rule ip kube-proxy nodeport-endpoints-check ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports
add rule ip kube-proxy reject-chain reject
add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips
add rule ip kube-proxy services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports
add rule ip kube-proxy service-endpoints-check ip daddr . meta l4proto . th dport vmap @no-endpoint-services
add rule ip kube-proxy service-S5KDWTE3-default/web/udp/dns ip daddr 10.96.0.11 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
add rule ip kube-proxy service-S5KDWTE3-default/web/udp/dns numgen random mod 2 vmap { 0 : goto endpoint-VOBJYNKJ-default/web/udp/dns__10.244.0.2/53 , 1 : goto endpoint-H2S63HPO-default/web/udp/dns__10.244.1.2/53 }
add rule ip kube-proxy external-S5KDWTE3-default/web/udp/dns jump mark-for-masquerade
add rule ip kube-proxy external-S5KDWTE3-default/web/udp/dns goto service-S5KDWTE3-default/web/udp/dns
add rule ip kube-proxy endpoint-VOBJYNKJ-default/web/udp/dns__10.244.0.2/53 ip saddr 10.244.0.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-VOBJYNKJ-default/web/udp/dns__10.244.0.2/53 meta l4proto udp dnat to 10.244.0.2:53
add rule ip kube-proxy endpoint-H2S63HPO-default/web/udp/dns__10.244.1.2/53 ip saddr 10.244.1.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-H2S63HPO-default/web/udp/dns__10.244.1.2/53 meta l4proto udp dnat to 10.244.1.2:53
add rule ip kube-proxy service-SUSTUHLJ-default/web/tcp/http ip daddr 10.96.0.11 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
add rule ip kube-proxy service-SUSTUHLJ-default/web/tcp/http numgen random mod 2 vmap { 0 : goto endpoint-L4LRLQYH-default/web/tcp/http__10.244.0.2/80 , 1 : goto endpoint-WZUVD3EN-default/web/tcp/http__10.244.1.2/80 }
add rule ip kube-proxy external-SUSTUHLJ-default/web/tcp/http jump mark-for-masquerade
add rule ip kube-proxy external-SUSTUHLJ-default/web/tcp/http goto service-SUSTUHLJ-default/web/tcp/http
add rule ip kube-proxy endpoint-L4LRLQYH-default/web/tcp/http__10.244.0.2/80 ip saddr 10.244.0.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-L4LRLQYH-default/web/tcp/http__10.244.0.2/80 meta l4proto tcp dnat to 10.244.0.2:80
add rule ip kube-proxy endpoint-WZUVD3EN-default/web/tcp/http__10.244.1.2/80 ip saddr 10.244.1.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-WZUVD3EN-default/web/tcp/http__10.244.1.2/80 meta l4proto tcp dnat to 10.244.1.2:80
add rule ip kube-proxy service-SSHJNHUS-default/web-local/tcp/ ip daddr 10.96.0.13 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
add rule ip kube-proxy service-SSHJNHUS-default/web-local/tcp/ numgen random mod 2 vmap { 0 : goto endpoint-2LSDAPEP-default/web-local/tcp/__10.244.0.2/80 , 1 : goto endpoint-LGP5O3SK-default/web-local/tcp/__10.244.1.2/80 }
add rule ip kube-proxy external-SSHJNHUS-default/web-local/tcp/ ip saddr 10.244.0.0/16 goto service-SSHJNHUS-default/web-local/tcp/ comment "short-circuit pod traffic"
add rule ip kube-proxy external-SSHJNHUS-default/web-local/tcp/ fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"
add rule ip kube-proxy external-SSHJNHUS-default/web-local/tcp/ fib saddr type local goto service-SSHJNHUS-default/web-local/tcp/ comment "short-circuit local traffic"
add rule ip kube-proxy local-SSHJNHUS-default/web-local/tcp/ numgen random mod 1 vmap { 0 : goto endpoint-LGP5O3SK-default/web-local/tcp/__10.244.1.2/80 }
add rule ip kube-proxy external-SSHJNHUS-default/web-local/tcp/ goto local-SSHJNHUS-default/web-local/tcp/
add rule ip kube-proxy endpoint-2LSDAPEP-default/web-local/tcp/__10.244.0.2/80 ip saddr 10.244.0.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-2LSDAPEP-default/web-local/tcp/__10.244.0.2/80 meta l4proto tcp dnat to 10.244.0.2:80
add rule ip kube-proxy endpoint-LGP5O3SK-default/web-local/tcp/__10.244.1.2/80 ip saddr 10.244.1.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-LGP5O3SK-default/web-local/tcp/__10.244.1.2/80 meta l4proto tcp dnat to 10.244.1.2:80
add rule ip kube-proxy service-MSXTVR3X-default/web-sticky/tcp/ ip daddr 10.96.0.12 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
add rule ip kube-proxy service-MSXTVR3X-default/web-sticky/tcp/ ip saddr @affinity-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80 goto endpoint-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80
add rule ip kube-proxy service-MSXTVR3X-default/web-sticky/tcp/ ip saddr @affinity-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80 goto endpoint-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80
add rule ip kube-proxy service-MSXTVR3X-default/web-sticky/tcp/ numgen random mod 2 vmap { 0 : goto endpoint-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80 , 1 : goto endpoint-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80 }
add rule ip kube-proxy endpoint-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80 ip saddr 10.244.0.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80 update @affinity-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80 { ip saddr }
add rule ip kube-proxy endpoint-ASUOS3ZY-default/web-sticky/tcp/__10.244.0.2/80 meta l4proto tcp dnat to 10.244.0.2:80
add rule ip kube-proxy endpoint-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80 ip saddr 10.244.1.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80 update @affinity-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80 { ip saddr }
add rule ip kube-proxy endpoint-5XQHPQSA-default/web-sticky/tcp/__10.244.1.2/80 meta l4proto tcp dnat to 10.244.1.2:80
add rule ip kube-proxy service-NWBZK7IH-kube-system/kube-dns/tcp/dns-tcp ip daddr 10.96.0.10 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
add rule ip kube-proxy service-NWBZK7IH-kube-system/kube-dns/tcp/dns-tcp numgen random mod 2 vmap { 0 : goto endpoint-5ZODOYIN-kube-system/kube-dns/tcp/dns-tcp__10.244.0.4/53 , 1 : goto endpoint-5RB2OWQ2-kube-system/kube-dns/tcp/dns-tcp__10.244.1.4/53 }
add rule ip kube-proxy endpoint-5ZODOYIN-kube-system/kube-dns/tcp/dns-tcp__10.244.0.4/53 ip saddr 10.244.0.4 jump mark-for-masquerade
add rule ip kube-proxy endpoint-5ZODOYIN-kube-system/kube-dns/tcp/dns-tcp__10.244.0.4/53 meta l4proto tcp dnat to 10.244.0.4:53
add rule ip kube-proxy endpoint-5RB2OWQ2-kube-system/kube-dns/tcp/dns-tcp__10.244.1.4/53 ip saddr 10.244.1.4 jump mark-for-masquerade
add rule ip kube-proxy endpoint-5RB2OWQ2-kube-system/kube-dns/tcp/dns-tcp__10.244.1.4/53 meta l4proto tcp dnat to 10.244.1.4:53
add rule ip kube-proxy service-FY5PMXPG-kube-system/kube-dns/udp/dns ip daddr 10.96.0.10 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
add rule ip kube-proxy service-FY5PMXPG-kube-system/kube-dns/udp/dns numgen random mod 2 vmap { 0 : goto endpoint-VWYSKC3H-kube-system/kube-dns/udp/dns__10.244.0.4/53 , 1 : goto endpoint-3WHXD5F5-kube-system/kube-dns/udp/dns__10.244.1.4/53 }
add rule ip kube-proxy endpoint-VWYSKC3H-kube-system/kube-dns/udp/dns__10.244.0.4/53 ip saddr 10.244.0.4 jump mark-for-masquerade
add rule ip kube-proxy endpoint-VWYSKC3H-kube-system/kube-dns/udp/dns__10.244.0.4/53 meta l4proto udp dnat to 10.244.0.4:53
add rule ip kube-proxy endpoint-3WHXD5F5-kube-system/kube-dns/udp/dns__10.244.1.4/53 ip saddr 10.244.1.4 jump mark-for-masquerade
add rule ip kube-proxy endpoint-3WHXD5F5-kube-system/kube-dns/udp/dns__10.244.1.4/53 meta l4proto udp dnat to 10.244.1.4:53
add rule ip kube-proxy service-AS2KJYAD-kube-system/kube-dns/tcp/metrics ip daddr 10.96.0.10 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
add rule ip kube-proxy service-AS2KJYAD-kube-system/kube-dns/tcp/metrics numgen random mod 2 vmap { 0 : goto endpoint-UIZQ3LM6-kube-system/kube-dns/tcp/metrics__10.244.0.4/9153 , 1 : goto endpoint-T7V6LSAU-kube-system/kube-dns/tcp/metrics__10.244.1.4/9153 }
add rule ip kube-proxy endpoint-UIZQ3LM6-kube-system/kube-dns/tcp/metrics__10.244.0.4/9153 ip saddr 10.244.0.4 jump mark-for-masquerade
add rule ip kube-proxy endpoint-UIZQ3LM6-kube-system/kube-dns/tcp/metrics__10.244.0.4/9153 meta l4proto tcp dnat to 10.244.0.4:9153
add rule ip kube-proxy endpoint-T7V6LSAU-kube-system/kube-dns/tcp/metrics__10.244.1.4/9153 ip saddr 10.244.1.4 jump mark-for-masquerade
add rule ip kube-proxy endpoint-T7V6LSAU-kube-system/kube-dns/tcp/metrics__10.244.1.4/9153 meta l4proto tcp dnat to 10.244.1.4:9153
add element ip kube-proxy nodeport-ips { 192.168.56.12 }
add element ip kube-proxy cluster-ips { 10.96.0.14 }
add element ip kube-proxy no-endpoint-services { 10.96.0.14 . tcp . 80 comment "default/nothing" : goto reject-chain }
add element ip kube-proxy cluster-ips { 10.96.0.11 }
add element ip kube-proxy service-ips { 10.96.0.11 . udp . 53 : goto service-S5KDWTE3-default/web/udp/dns }
add element ip kube-proxy service-nodeports { udp . 30000 : goto external-S5KDWTE3-default/web/udp/dns }
add element ip kube-proxy cluster-ips { 10.96.0.11 }
add element ip kube-proxy service-ips { 10.96.0.11 . tcp . 80 : goto service-SUSTUHLJ-default/web/tcp/http }
add element ip kube-proxy service-nodeports { tcp . 30080 : goto external-SUSTUHLJ-default/web/tcp/http }
add element ip kube-proxy cluster-ips { 10.96.0.13 }
add element ip kube-proxy service-ips { 10.96.0.13 . tcp . 80 : goto service-SSHJNHUS-default/web-local/tcp/ }
add element ip kube-proxy service-nodeports { tcp . 30081 : goto external-SSHJNHUS-default/web-local/tcp/ }
add element ip kube-proxy cluster-ips { 10.96.0.12 }
add element ip kube-proxy service-ips { 10.96.0.12 . tcp . 8080 : goto service-MSXTVR3X-default/web-sticky/tcp/ }
add element ip kube-proxy cluster-ips { 10.96.0.10 }
add element ip kube-proxy service-ips { 10.96.0.10 . tcp . 53 : goto service-NWBZK7IH-kube-system/kube-dns/tcp/dns-tcp }
add element ip kube-proxy cluster-ips { 10.96.0.10 }
add element ip kube-proxy service-ips { 10.96.0.10 . udp . 53 : goto service-FY5PMXPG-kube-system/kube-dns/udp/dns }
add element ip kube-proxy cluster-ips { 10.96.0.10 }
add element ip kube-proxy service-ips { 10.96.0.10 . tcp . 9153 : goto service-AS2KJYAD-kube-system/kube-dns/tcp/metrics }
EOF

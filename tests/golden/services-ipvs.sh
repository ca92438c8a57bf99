#!/usr/bin/env bash
# netlab plan for lab services-ipvs: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down services-ipvs`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/services-ipvs}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.services-ipvs.underlay
ip -n netlab.services-ipvs.underlay link add br0 address fa:17:c9:46:bf:5e mtu 1500 type bridge
ip -n netlab.services-ipvs.underlay link set dev br0 alias netlab:services-ipvs up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.services-ipvs.internet
ip -n netlab.services-ipvs.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-ipvs.internet
ip -n netlab.services-ipvs.underlay link set dev internet master br0 alias netlab:services-ipvs up
ip -n netlab.services-ipvs.internet link set dev lo up
ip -n netlab.services-ipvs.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.services-ipvs.internet link set dev eth0 alias netlab:services-ipvs up
ip -n netlab.services-ipvs.internet link add br0 address ea:99:92:89:17:dc mtu 1500 type bridge
ip -n netlab.services-ipvs.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.services-ipvs.internet link set dev br0 alias netlab:services-ipvs up
ip netns exec netlab.services-ipvs.internet sysctl -qw net.ipv4.ip_forward=1

# internet host outside
ip netns add netlab.services-ipvs.outside
ip -n netlab.services-ipvs.internet link add outside mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-ipvs.outside
ip -n netlab.services-ipvs.internet link set dev outside master br0 alias netlab:services-ipvs up
ip -n netlab.services-ipvs.outside link set dev lo up
ip -n netlab.services-ipvs.outside addr add 203.0.113.10/24 dev eth0
ip -n netlab.services-ipvs.outside link set dev eth0 alias netlab:services-ipvs up
ip -n netlab.services-ipvs.outside route add default via 203.0.113.1 dev eth0

# internet host ns1
ip netns add netlab.services-ipvs.ns1
ip -n netlab.services-ipvs.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-ipvs.ns1
ip -n netlab.services-ipvs.internet link set dev ns1 master br0 alias netlab:services-ipvs up
ip -n netlab.services-ipvs.ns1 link set dev lo up
ip -n netlab.services-ipvs.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.services-ipvs.ns1 link set dev eth0 alias netlab:services-ipvs up
ip -n netlab.services-ipvs.ns1 route add default via 203.0.113.1 dev eth0

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.services-ipvs.node1
ip -n netlab.services-ipvs.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-ipvs.node1
ip -n netlab.services-ipvs.underlay link set dev node1 master br0 alias netlab:services-ipvs up
ip -n netlab.services-ipvs.node1 link set dev lo up
ip -n netlab.services-ipvs.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.services-ipvs.node1 link set dev eth0 alias netlab:services-ipvs up
ip -n netlab.services-ipvs.node1 route add default via 192.168.56.1 dev eth0

# node node2: eth0 192.168.56.12 on the underlay, default route via the router
ip netns add netlab.services-ipvs.node2
ip -n netlab.services-ipvs.underlay link add node2 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-ipvs.node2
ip -n netlab.services-ipvs.underlay link set dev node2 master br0 alias netlab:services-ipvs up
ip -n netlab.services-ipvs.node2 link set dev lo up
ip -n netlab.services-ipvs.node2 addr add 192.168.56.12/24 dev eth0
ip -n netlab.services-ipvs.node2 link set dev eth0 alias netlab:services-ipvs up
ip -n netlab.services-ipvs.node2 route add default via 192.168.56.1 dev eth0

# node node1: flanneld (vxlan) leases 10.244.0.0/24; forwarding and bridge netfilter on
ip netns exec netlab.services-ipvs.node1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.services-ipvs.node1 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node1" && cat > "$NETLAB_STATE/flannel/node1/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.0.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node1: flanneld's masquerade and forward rules
ip netns exec netlab.services-ipvs.node1 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.services-ipvs.node1 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node1: the VXLAN tunnel endpoint flannel.1
ip -n netlab.services-ipvs.node1 link add flannel.1 address d6:75:fe:e7:3b:fe mtu 1450 type vxlan id 1 local 192.168.56.11 dev eth0 nolearning
ip -n netlab.services-ipvs.node1 addr add 10.244.0.0/32 dev flannel.1
ip -n netlab.services-ipvs.node1 link set dev flannel.1 alias netlab:services-ipvs up

# node node1: how to reach 10.244.1.0/24 on node2 (ARP, FDB, route)
ip -n netlab.services-ipvs.node1 neigh add 10.244.1.0 lladdr be:6b:1d:9f:5f:b2 dev flannel.1 nud permanent
bridge -n netlab.services-ipvs.node1 fdb add be:6b:1d:9f:5f:b2 dev flannel.1 dst 192.168.56.12 self permanent
ip -n netlab.services-ipvs.node1 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink

# node node2: flanneld (vxlan) leases 10.244.1.0/24; forwarding and bridge netfilter on
ip netns exec netlab.services-ipvs.node2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.services-ipvs.node2 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node2" && cat > "$NETLAB_STATE/flannel/node2/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.1.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node2: flanneld's masquerade and forward rules
ip netns exec netlab.services-ipvs.node2 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.services-ipvs.node2 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node2: the VXLAN tunnel endpoint flannel.1
ip -n netlab.services-ipvs.node2 link add flannel.1 address be:6b:1d:9f:5f:b2 mtu 1450 type vxlan id 1 local 192.168.56.12 dev eth0 nolearning
ip -n netlab.services-ipvs.node2 addr add 10.244.1.0/32 dev flannel.1
ip -n netlab.services-ipvs.node2 link set dev flannel.1 alias netlab:services-ipvs up

# node node2: how to reach 10.244.0.0/24 on node1 (ARP, FDB, route)
ip -n netlab.services-ipvs.node2 neigh add 10.244.0.0 lladdr d6:75:fe:e7:3b:fe dev flannel.1 nud permanent
bridge -n netlab.services-ipvs.node2 fdb add d6:75:fe:e7:3b:fe dev flannel.1 dst 192.168.56.11 self permanent
ip -n netlab.services-ipvs.node2 route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink

# node node1: the CNI bridge plugin creates cni0 10.244.0.1/24
ip -n netlab.services-ipvs.node1 link add cni0 address aa:24:1d:3c:88:12 mtu 1450 type bridge
ip -n netlab.services-ipvs.node1 addr add 10.244.0.1/24 dev cni0
ip -n netlab.services-ipvs.node1 link set dev cni0 alias netlab:services-ipvs up

# pod web1: 10.244.0.2/24 on cni0 through veth988b519a
ip netns add netlab.services-ipvs.web1
ip -n netlab.services-ipvs.node1 link add veth988b519a mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-ipvs.web1
ip -n netlab.services-ipvs.node1 link set dev veth988b519a master cni0 alias netlab:services-ipvs up
ip netns exec netlab.services-ipvs.web1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-ipvs.web1 link set dev lo up
ip -n netlab.services-ipvs.web1 addr add 10.244.0.2/24 dev eth0
ip -n netlab.services-ipvs.web1 link set dev eth0 alias netlab:services-ipvs up
bridge -n netlab.services-ipvs.node1 link set dev veth988b519a hairpin on
ip -n netlab.services-ipvs.web1 route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.services-ipvs.web1 route add default via 10.244.0.1 dev eth0

# pod client1: 10.244.0.3/24 on cni0 through veth531b217a
ip netns add netlab.services-ipvs.client1
ip -n netlab.services-ipvs.node1 link add veth531b217a mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-ipvs.client1
ip -n netlab.services-ipvs.node1 link set dev veth531b217a master cni0 alias netlab:services-ipvs up
ip netns exec netlab.services-ipvs.client1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-ipvs.client1 link set dev lo up
ip -n netlab.services-ipvs.client1 addr add 10.244.0.3/24 dev eth0
ip -n netlab.services-ipvs.client1 link set dev eth0 alias netlab:services-ipvs up
bridge -n netlab.services-ipvs.node1 link set dev veth531b217a hairpin on
ip -n netlab.services-ipvs.client1 route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.services-ipvs.client1 route add default via 10.244.0.1 dev eth0

# pod coredns-7b5fc74fc-gmtxp: 10.244.0.4/24 on cni0 through vethbb1de91e
ip netns add netlab.services-ipvs.coredns-7b5fc74fc-gmtxp
ip -n netlab.services-ipvs.node1 link add vethbb1de91e mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-ipvs.coredns-7b5fc74fc-gmtxp
ip -n netlab.services-ipvs.node1 link set dev vethbb1de91e master cni0 alias netlab:services-ipvs up
ip netns exec netlab.services-ipvs.coredns-7b5fc74fc-gmtxp sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-ipvs.coredns-7b5fc74fc-gmtxp link set dev lo up
ip -n netlab.services-ipvs.coredns-7b5fc74fc-gmtxp addr add 10.244.0.4/24 dev eth0
ip -n netlab.services-ipvs.coredns-7b5fc74fc-gmtxp link set dev eth0 alias netlab:services-ipvs up
bridge -n netlab.services-ipvs.node1 link set dev vethbb1de91e hairpin on
ip -n netlab.services-ipvs.coredns-7b5fc74fc-gmtxp route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.services-ipvs.coredns-7b5fc74fc-gmtxp route add default via 10.244.0.1 dev eth0

# node node2: the CNI bridge plugin creates cni0 10.244.1.1/24
ip -n netlab.services-ipvs.node2 link add cni0 address 36:ff:48:64:04:c1 mtu 1450 type bridge
ip -n netlab.services-ipvs.node2 addr add 10.244.1.1/24 dev cni0
ip -n netlab.services-ipvs.node2 link set dev cni0 alias netlab:services-ipvs up

# pod web2: 10.244.1.2/24 on cni0 through veth59b1d930
ip netns add netlab.services-ipvs.web2
ip -n netlab.services-ipvs.node2 link add veth59b1d930 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-ipvs.web2
ip -n netlab.services-ipvs.node2 link set dev veth59b1d930 master cni0 alias netlab:services-ipvs up
ip netns exec netlab.services-ipvs.web2 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-ipvs.web2 link set dev lo up
ip -n netlab.services-ipvs.web2 addr add 10.244.1.2/24 dev eth0
ip -n netlab.services-ipvs.web2 link set dev eth0 alias netlab:services-ipvs up
bridge -n netlab.services-ipvs.node2 link set dev veth59b1d930 hairpin on
ip -n netlab.services-ipvs.web2 route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.services-ipvs.web2 route add default via 10.244.1.1 dev eth0

# pod client2: 10.244.1.3/24 on cni0 through vethdd5f3074
ip netns add netlab.services-ipvs.client2
ip -n netlab.services-ipvs.node2 link add vethdd5f3074 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-ipvs.client2
ip -n netlab.services-ipvs.node2 link set dev vethdd5f3074 master cni0 alias netlab:services-ipvs up
ip netns exec netlab.services-ipvs.client2 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-ipvs.client2 link set dev lo up
ip -n netlab.services-ipvs.client2 addr add 10.244.1.3/24 dev eth0
ip -n netlab.services-ipvs.client2 link set dev eth0 alias netlab:services-ipvs up
bridge -n netlab.services-ipvs.node2 link set dev vethdd5f3074 hairpin on
ip -n netlab.services-ipvs.client2 route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.services-ipvs.client2 route add default via 10.244.1.1 dev eth0

# pod coredns-7b5fc74fc-896cd: 10.244.1.4/24 on cni0 through vethf026b3de
ip netns add netlab.services-ipvs.coredns-7b5fc74fc-896cd
ip -n netlab.services-ipvs.node2 link add vethf026b3de mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-ipvs.coredns-7b5fc74fc-896cd
ip -n netlab.services-ipvs.node2 link set dev vethf026b3de master cni0 alias netlab:services-ipvs up
ip netns exec netlab.services-ipvs.coredns-7b5fc74fc-896cd sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-ipvs.coredns-7b5fc74fc-896cd link set dev lo up
ip -n netlab.services-ipvs.coredns-7b5fc74fc-896cd addr add 10.244.1.4/24 dev eth0
ip -n netlab.services-ipvs.coredns-7b5fc74fc-896cd link set dev eth0 alias netlab:services-ipvs up
bridge -n netlab.services-ipvs.node2 link set dev vethf026b3de hairpin on
ip -n netlab.services-ipvs.coredns-7b5fc74fc-896cd route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.services-ipvs.coredns-7b5fc74fc-896cd route add default via 10.244.1.1 dev eth0

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.services-ipvs.web1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web1 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web1.log" 2>&1 </dev/null
ip netns exec netlab.services-ipvs.web2 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web2 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web2.log" 2>&1 </dev/null

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
ip netns exec netlab.services-ipvs.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.services-ipvs.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.services-ipvs.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.services-ipvs.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
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
ip netns exec netlab.services-ipvs.coredns-7b5fc74fc-gmtxp setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-gmtxp.log" 2>&1 </dev/null
ip netns exec netlab.services-ipvs.coredns-7b5fc74fc-gmtxp sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf"
ip netns exec netlab.services-ipvs.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.services-ipvs.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_datas <<'EOF'
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
ip netns exec netlab.services-ipvs.coredns-7b5fc74fc-896cd setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-896cd.log" 2>&1 </dev/null
ip netns exec netlab.services-ipvs.coredns-7b5fc74fc-896cd sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf"
ip netns exec netlab.services-ipvs.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.services-ipvs.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_datas <<'EOF'
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
mkdir -p "/etc/netns/netlab.services-ipvs.node1" && cat > "/etc/netns/netlab.services-ipvs.node1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-ipvs.node2" && cat > "/etc/netns/netlab.services-ipvs.node2/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-ipvs.outside" && cat > "/etc/netns/netlab.services-ipvs.outside/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-ipvs.ns1" && cat > "/etc/netns/netlab.services-ipvs.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-ipvs.web1" && cat > "/etc/netns/netlab.services-ipvs.web1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.services-ipvs.web2" && cat > "/etc/netns/netlab.services-ipvs.web2/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.services-ipvs.client1" && cat > "/etc/netns/netlab.services-ipvs.client1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.services-ipvs.client2" && cat > "/etc/netns/netlab.services-ipvs.client2/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.services-ipvs.coredns-7b5fc74fc-gmtxp" && cat > "/etc/netns/netlab.services-ipvs.coredns-7b5fc74fc-gmtxp/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-ipvs.coredns-7b5fc74fc-896cd" && cat > "/etc/netns/netlab.services-ipvs.coredns-7b5fc74fc-896cd/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF

# node node1: kube-proxy (ipvs mode) programs 5 services
ip -n netlab.services-ipvs.node1 link add kube-ipvs0 type dummy
ip -n netlab.services-ipvs.node1 link set dev kube-ipvs0 alias netlab:services-ipvs
ip -n netlab.services-ipvs.node1 addr add 10.96.0.10/32 dev kube-ipvs0
ip -n netlab.services-ipvs.node1 addr add 10.96.0.11/32 dev kube-ipvs0
ip -n netlab.services-ipvs.node1 addr add 10.96.0.12/32 dev kube-ipvs0
ip -n netlab.services-ipvs.node1 addr add 10.96.0.13/32 dev kube-ipvs0
ip -n netlab.services-ipvs.node1 addr add 10.96.0.14/32 dev kube-ipvs0
ip netns exec netlab.services-ipvs.node1 sysctl -qw net.ipv4.vs.conntrack=1
ip netns exec netlab.services-ipvs.node1 sysctl -qw net.ipv4.vs.expire_nodest_conn=1
ip netns exec netlab.services-ipvs.node1 sysctl -qw net.ipv4.vs.expire_quiescent_template=1
ip netns exec netlab.services-ipvs.node1 ipset restore -exist <<'EOF'
create KUBE-LOOP-BACK hash:ip,port,ip family inet hashsize 1024 maxelem 65536
add KUBE-LOOP-BACK 10.244.0.2,udp:53,10.244.0.2
add KUBE-LOOP-BACK 10.244.0.2,tcp:80,10.244.0.2
add KUBE-LOOP-BACK 10.244.0.4,tcp:53,10.244.0.4
add KUBE-LOOP-BACK 10.244.0.4,udp:53,10.244.0.4
add KUBE-LOOP-BACK 10.244.0.4,tcp:9153,10.244.0.4
create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536
add KUBE-CLUSTER-IP 10.96.0.14,tcp:80
add KUBE-CLUSTER-IP 10.96.0.11,udp:53
add KUBE-CLUSTER-IP 10.96.0.11,tcp:80
add KUBE-CLUSTER-IP 10.96.0.13,tcp:80
add KUBE-CLUSTER-IP 10.96.0.12,tcp:8080
add KUBE-CLUSTER-IP 10.96.0.10,tcp:53
add KUBE-CLUSTER-IP 10.96.0.10,udp:53
add KUBE-CLUSTER-IP 10.96.0.10,tcp:9153
create KUBE-EXTERNAL-IP hash:ip,port family inet hashsize 1024 maxelem 65536
create KUBE-EXTERNAL-IP-LOCAL hash:ip,port family inet hashsize 1024 maxelem 65536
create KUBE-LOAD-BALANCER hash:ip,port family inet hashsize 1024 maxelem 65536
create KUBE-LOAD-BALANCER-FW hash:ip,port family inet hashsize 1024 maxelem 65536
create KUBE-LOAD-BALANCER-LOCAL hash:ip,port family inet hashsize 1024 maxelem 65536
create KUBE-LOAD-BALANCER-SOURCE-IP hash:ip,port,ip family inet hashsize 1024 maxelem 65536
create KUBE-LOAD-BALANCER-SOURCE-CIDR hash:ip,port,net family inet hashsize 1024 maxelem 65536
create KUBE-NODE-PORT-TCP bitmap:port range 0-65535
add KUBE-NODE-PORT-TCP 30080
add KUBE-NODE-PORT-TCP 30081
create KUBE-NODE-PORT-LOCAL-TCP bitmap:port range 0-65535
add KUBE-NODE-PORT-LOCAL-TCP 30081
create KUBE-NODE-PORT-UDP bitmap:port range 0-65535
add KUBE-NODE-PORT-UDP 30000
create KUBE-NODE-PORT-LOCAL-UDP bitmap:port range 0-65535
create KUBE-NODE-PORT-SCTP-HASH hash:ip,port family inet hashsize 1024 maxelem 65536
create KUBE-NODE-PORT-LOCAL-SCTP-HASH hash:ip,port family inet hashsize 1024 maxelem 65536
create KUBE-HEALTH-CHECK-NODE-PORT bitmap:port range 0-65535
create KUBE-IPVS-IPS hash:ip family inet hashsize 1024 maxelem 65536
add KUBE-IPVS-IPS 10.96.0.10
add KUBE-IPVS-IPS 10.96.0.11
add KUBE-IPVS-IPS 10.96.0.12
add KUBE-IPVS-IPS 10.96.0.13
add KUBE-IPVS-IPS 10.96.0.14
EOF
ip netns exec netlab.services-ipvs.node1 ipvsadm --restore <<'EOF'
-A -t 10.96.0.14:80 -s rr
-A -u 10.96.0.11:53 -s rr
-a -u 10.96.0.11:53 -r 10.244.0.2:53 -m -w 1
-a -u 10.96.0.11:53 -r 10.244.1.2:53 -m -w 1
-A -u 192.168.56.11:30000 -s rr
-a -u 192.168.56.11:30000 -r 10.244.0.2:53 -m -w 1
-a -u 192.168.56.11:30000 -r 10.244.1.2:53 -m -w 1
-A -u 10.244.0.1:30000 -s rr
-a -u 10.244.0.1:30000 -r 10.244.0.2:53 -m -w 1
-a -u 10.244.0.1:30000 -r 10.244.1.2:53 -m -w 1
-A -u 10.244.0.0:30000 -s rr
-a -u 10.244.0.0:30000 -r 10.244.0.2:53 -m -w 1
-a -u 10.244.0.0:30000 -r 10.244.1.2:53 -m -w 1
-A -t 10.96.0.11:80 -s rr
-a -t 10.96.0.11:80 -r 10.244.0.2:80 -m -w 1
-a -t 10.96.0.11:80 -r 10.244.1.2:80 -m -w 1
-A -t 192.168.56.11:30080 -s rr
-a -t 192.168.56.11:30080 -r 10.244.0.2:80 -m -w 1
-a -t 192.168.56.11:30080 -r 10.244.1.2:80 -m -w 1
-A -t 10.244.0.1:30080 -s rr
-a -t 10.244.0.1:30080 -r 10.244.0.2:80 -m -w 1
-a -t 10.244.0.1:30080 -r 10.244.1.2:80 -m -w 1
-A -t 10.244.0.0:30080 -s rr
-a -t 10.244.0.0:30080 -r 10.244.0.2:80 -m -w 1
-a -t 10.244.0.0:30080 -r 10.244.1.2:80 -m -w 1
-A -t 10.96.0.13:80 -s rr
-a -t 10.96.0.13:80 -r 10.244.0.2:80 -m -w 1
-a -t 10.96.0.13:80 -r 10.244.1.2:80 -m -w 1
-A -t 192.168.56.11:30081 -s rr
-a -t 192.168.56.11:30081 -r 10.244.0.2:80 -m -w 1
-A -t 10.244.0.1:30081 -s rr
-a -t 10.244.0.1:30081 -r 10.244.0.2:80 -m -w 1
-A -t 10.244.0.0:30081 -s rr
-a -t 10.244.0.0:30081 -r 10.244.0.2:80 -m -w 1
-A -t 10.96.0.12:8080 -s rr -p 10800
-a -t 10.96.0.12:8080 -r 10.244.0.2:80 -m -w 1
-a -t 10.96.0.12:8080 -r 10.244.1.2:80 -m -w 1
-A -t 10.96.0.10:53 -s rr
-a -t 10.96.0.10:53 -r 10.244.0.4:53 -m -w 1
-a -t 10.96.0.10:53 -r 10.244.1.4:53 -m -w 1
-A -u 10.96.0.10:53 -s rr
-a -u 10.96.0.10:53 -r 10.244.0.4:53 -m -w 1
-a -u 10.96.0.10:53 -r 10.244.1.4:53 -m -w 1
-A -t 10.96.0.10:9153 -s rr
-a -t 10.96.0.10:9153 -r 10.244.0.4:9153 -m -w 1
-a -t 10.96.0.10:9153 -r 10.244.1.4:9153 -m -w 1
EOF
ip netns exec netlab.services-ipvs.node1 iptables-restore --noflush <<'EOF'
*nat
:KUBE-SERVICES - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-NODE-PORT - [0:0]
:KUBE-LOAD-BALANCER - [0:0]
:KUBE-MARK-MASQ - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN
-A KUBE-POSTROUTING -m comment --comment "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose" -m set --match-set KUBE-LOOP-BACK dst,dst,src -j MASQUERADE
-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port with externalTrafficPolicy=local" -m set --match-set KUBE-NODE-PORT-LOCAL-TCP dst -j RETURN
-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-TCP dst -j KUBE-MARK-MASQ
-A KUBE-NODE-PORT -p udp -m comment --comment "Kubernetes nodeport UDP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-UDP dst -j KUBE-MARK-MASQ
-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT
-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ
-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
COMMIT
*filter
:KUBE-FORWARD - [0:0]
:KUBE-NODE-PORT - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-SOURCE-RANGES-FIREWALL - [0:0]
:KUBE-IPVS-FILTER - [0:0]
:KUBE-IPVS-OUT-FILTER - [0:0]
-I FORWARD 1 -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
-I INPUT 1 -m comment --comment "kubernetes health check rules" -j KUBE-NODE-PORT
-I INPUT 1 -m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL
-I FORWARD 1 -m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL
-I INPUT 1 -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-FILTER
-I OUTPUT 1 -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-OUT-FILTER
-A KUBE-SOURCE-RANGES-FIREWALL -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A KUBE-NODE-PORT -m comment --comment "Kubernetes health check node port" -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT
-A KUBE-IPVS-FILTER -m set --match-set KUBE-LOAD-BALANCER dst,dst -j RETURN
-A KUBE-IPVS-FILTER -m set --match-set KUBE-CLUSTER-IP dst,dst -j RETURN
-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP dst,dst -j RETURN
-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst -j RETURN
-A KUBE-IPVS-FILTER -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j RETURN
-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT
COMMIT
EOF

# node node2: kube-proxy (ipvs mode) programs 5 services
ip -n netlab.services-ipvs.node2 link add kube-ipvs0 type dummy
ip -n netlab.services-ipvs.node2 link set dev kube-ipvs0 alias netlab:services-ipvs
ip -n netlab.services-ipvs.node2 addr add 10.96.0.10/32 dev kube-ipvs0
ip -n netlab.services-ipvs.node2 addr add 10.96.0.11/32 dev kube-ipvs0
ip -n netlab.services-ipvs.node2 addr add 10.96.0.12/32 dev kube-ipvs0
ip -n netlab.services-ipvs.node2 addr add 10.96.0.13/32 dev kube-ipvs0
ip -n netlab.services-ipvs.node2 addr add 10.96.0.14/32 dev kube-ipvs0
ip netns exec netlab.services-ipvs.node2 sysctl -qw net.ipv4.vs.conntrack=1
ip netns exec netlab.services-ipvs.node2 sysctl -qw net.ipv4.vs.expire_nodest_conn=1
ip netns exec netlab.services-ipvs.node2 sysctl -qw net.ipv4.vs.expire_quiescent_template=1
ip netns exec netlab.services-ipvs.node2 ipset restore -exist <<'EOF'
create KUBE-LOOP-BACK hash:ip,port,ip family inet hashsize 1024 maxelem 65536
add KUBE-LOOP-BACK 10.244.1.2,udp:53,10.244.1.2
add KUBE-LOOP-BACK 10.244.1.2,tcp:80,10.244.1.2
add KUBE-LOOP-BACK 10.244.1.4,tcp:53,10.244.1.4
add KUBE-LOOP-BACK 10.244.1.4,udp:53,10.244.1.4
add KUBE-LOOP-BACK 10.244.1.4,tcp:9153,10.244.1.4
create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536
add KUBE-CLUSTER-IP 10.96.0.14,tcp:80
add KUBE-CLUSTER-IP 10.96.0.11,udp:53
add KUBE-CLUSTER-IP 10.96.0.11,tcp:80
add KUBE-CLUSTER-IP 10.96.0.13,tcp:80
add KUBE-CLUSTER-IP 10.96.0.12,tcp:8080
add KUBE-CLUSTER-IP 10.96.0.10,tcp:53
add KUBE-CLUSTER-IP 10.96.0.10,udp:53
add KUBE-CLUSTER-IP 10.96.0.10,tcp:9153
create KUBE-EXTERNAL-IP hash:ip,port family inet hashsize 1024 maxelem 65536
create KUBE-EXTERNAL-IP-LOCAL hash:ip,port family inet hashsize 1024 maxelem 65536
create KUBE-LOAD-BALANCER hash:ip,port family inet hashsize 1024 maxelem 65536
create KUBE-LOAD-BALANCER-FW hash:ip,port family inet hashsize 1024 maxelem 65536
create KUBE-LOAD-BALANCER-LOCAL hash:ip,port family inet hashsize 1024 maxelem 65536
create KUBE-LOAD-BALANCER-SOURCE-IP hash:ip,port,ip family inet hashsize 1024 maxelem 65536
create KUBE-LOAD-BALANCER-SOURCE-CIDR hash:ip,port,net family inet hashsize 1024 maxelem 65536
create KUBE-NODE-PORT-TCP bitmap:port range 0-65535
add KUBE-NODE-PORT-TCP 30080
add KUBE-NODE-PORT-TCP 30081
create KUBE-NODE-PORT-LOCAL-TCP bitmap:port range 0-65535
add KUBE-NODE-PORT-LOCAL-TCP 30081
create KUBE-NODE-PORT-UDP bitmap:port range 0-65535
add KUBE-NODE-PORT-UDP 30000
create KUBE-NODE-PORT-LOCAL-UDP bitmap:port range 0-65535
create KUBE-NODE-PORT-SCTP-HASH hash:ip,port family inet hashsize 1024 maxelem 65536
create KUBE-NODE-PORT-LOCAL-SCTP-HASH hash:ip,port family inet hashsize 1024 maxelem 65536
create KUBE-HEALTH-CHECK-NODE-PORT bitmap:port range 0-65535
create KUBE-IPVS-IPS hash:ip family inet hashsize 1024 maxelem 65536
add KUBE-IPVS-IPS 10.96.0.10
add KUBE-IPVS-IPS 10.96.0.11
add KUBE-IPVS-IPS 10.96.0.12
add KUBE-IPVS-IPS 10.96.0.13
add KUBE-IPVS-IPS 10.96.0.14
EOF
ip netns exec netlab.services-ipvs.node2 ipvsadm --restore <<'EOF'
-A -t 10.96.0.14:80 -s rr
-A -u 10.96.0.11:53 -s rr
-a -u 10.96.0.11:53 -r 10.244.0.2:53 -m -w 1
-a -u 10.96.0.11:53 -r 10.244.1.2:53 -m -w 1
-A -u 192.168.56.12:30000 -s rr
-a -u 192.168.56.12:30000 -r 10.244.0.2:53 -m -w 1
-a -u 192.168.56.12:30000 -r 10.244.1.2:53 -m -w 1
-A -u 10.244.1.1:30000 -s rr
-a -u 10.244.1.1:30000 -r 10.244.0.2:53 -m -w 1
-a -u 10.244.1.1:30000 -r 10.244.1.2:53 -m -w 1
-A -u 10.244.1.0:30000 -s rr
-a -u 10.244.1.0:30000 -r 10.244.0.2:53 -m -w 1
-a -u 10.244.1.0:30000 -r 10.244.1.2:53 -m -w 1
-A -t 10.96.0.11:80 -s rr
-a -t 10.96.0.11:80 -r 10.244.0.2:80 -m -w 1
-a -t 10.96.0.11:80 -r 10.244.1.2:80 -m -w 1
-A -t 192.168.56.12:30080 -s rr
-a -t 192.168.56.12:30080 -r 10.244.0.2:80 -m -w 1
-a -t 192.168.56.12:30080 -r 10.244.1.2:80 -m -w 1
-A -t 10.244.1.1:30080 -s rr
-a -t 10.244.1.1:30080 -r 10.244.0.2:80 -m -w 1
-a -t 10.244.1.1:30080 -r 10.244.1.2:80 -m -w 1
-A -t 10.244.1.0:30080 -s rr
-a -t 10.244.1.0:30080 -r 10.244.0.2:80 -m -w 1
-a -t 10.244.1.0:30080 -r 10.244.1.2:80 -m -w 1
-A -t 10.96.0.13:80 -s rr
-a -t 10.96.0.13:80 -r 10.244.0.2:80 -m -w 1
-a -t 10.96.0.13:80 -r 10.244.1.2:80 -m -w 1
-A -t 192.168.56.12:30081 -s rr
-a -t 192.168.56.12:30081 -r 10.244.1.2:80 -m -w 1
-A -t 10.244.1.1:30081 -s rr
-a -t 10.244.1.1:30081 -r 10.244.1.2:80 -m -w 1
-A -t 10.244.1.0:30081 -s rr
-a -t 10.244.1.0:30081 -r 10.244.1.2:80 -m -w 1
-A -t 10.96.0.12:8080 -s rr -p 10800
-a -t 10.96.0.12:8080 -r 10.244.0.2:80 -m -w 1
-a -t 10.96.0.12:8080 -r 10.244.1.2:80 -m -w 1
-A -t 10.96.0.10:53 -s rr
-a -t 10.96.0.10:53 -r 10.244.0.4:53 -m -w 1
-a -t 10.96.0.10:53 -r 10.244.1.4:53 -m -w 1
-A -u 10.96.0.10:53 -s rr
-a -u 10.96.0.10:53 -r 10.244.0.4:53 -m -w 1
-a -u 10.96.0.10:53 -r 10.244.1.4:53 -m -w 1
-A -t 10.96.0.10:9153 -s rr
-a -t 10.96.0.10:9153 -r 10.244.0.4:9153 -m -w 1
-a -t 10.96.0.10:9153 -r 10.244.1.4:9153 -m -w 1
EOF
ip netns exec netlab.services-ipvs.node2 iptables-restore --noflush <<'EOF'
*nat
:KUBE-SERVICES - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-NODE-PORT - [0:0]
:KUBE-LOAD-BALANCER - [0:0]
:KUBE-MARK-MASQ - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN
-A KUBE-POSTROUTING -m comment --comment "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose" -m set --match-set KUBE-LOOP-BACK dst,dst,src -j MASQUERADE
-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port with externalTrafficPolicy=local" -m set --match-set KUBE-NODE-PORT-LOCAL-TCP dst -j RETURN
-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-TCP dst -j KUBE-MARK-MASQ
-A KUBE-NODE-PORT -p udp -m comment --comment "Kubernetes nodeport UDP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-UDP dst -j KUBE-MARK-MASQ
-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT
-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ
-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
COMMIT
*filter
:KUBE-FORWARD - [0:0]
:KUBE-NODE-PORT - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-SOURCE-RANGES-FIREWALL - [0:0]
:KUBE-IPVS-FILTER - [0:0]
:KUBE-IPVS-OUT-FILTER - [0:0]
-I FORWARD 1 -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
-I INPUT 1 -m comment --comment "kubernetes health check rules" -j KUBE-NODE-PORT
-I INPUT 1 -m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL
-I FORWARD 1 -m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL
-I INPUT 1 -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-FILTER
-I OUTPUT 1 -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-OUT-FILTER
-A KUBE-SOURCE-RANGES-FIREWALL -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A KUBE-NODE-PORT -m comment --comment "Kubernetes health check node port" -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT
-A KUBE-IPVS-FILTER -m set --match-set KUBE-LOAD-BALANCER dst,dst -j RETURN
-A KUBE-IPVS-FILTER -m set --match-set KUBE-CLUSTER-IP dst,dst -j RETURN
-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP dst,dst -j RETURN
-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst -j RETURN
-A KUBE-IPVS-FILTER -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j RETURN
-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT
COMMIT
EOF

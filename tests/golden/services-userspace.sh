#!/usr/bin/env bash
# netlab plan for lab services-userspace: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down services-userspace`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/services-userspace}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.services-userspace.underlay
ip -n netlab.services-userspace.underlay link add br0 address de:6e:b7:6d:57:79 mtu 1500 type bridge
ip -n netlab.services-userspace.underlay link set dev br0 alias netlab:services-userspace up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.services-userspace.internet
ip -n netlab.services-userspace.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-userspace.internet
ip -n netlab.services-userspace.underlay link set dev internet master br0 alias netlab:services-userspace up
ip -n netlab.services-userspace.internet link set dev lo up
ip -n netlab.services-userspace.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.services-userspace.internet link set dev eth0 alias netlab:services-userspace up
ip -n netlab.services-userspace.internet link add br0 address 02:1a:4f:41:52:d1 mtu 1500 type bridge
ip -n netlab.services-userspace.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.services-userspace.internet link set dev br0 alias netlab:services-userspace up
ip netns exec netlab.services-userspace.internet sysctl -qw net.ipv4.ip_forward=1

# internet host outside
ip netns add netlab.services-userspace.outside
ip -n netlab.services-userspace.internet link add outside mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-userspace.outside
ip -n netlab.services-userspace.internet link set dev outside master br0 alias netlab:services-userspace up
ip -n netlab.services-userspace.outside link set dev lo up
ip -n netlab.services-userspace.outside addr add 203.0.113.10/24 dev eth0
ip -n netlab.services-userspace.outside link set dev eth0 alias netlab:services-userspace up
ip -n netlab.services-userspace.outside route add default via 203.0.113.1 dev eth0

# internet host ns1
ip netns add netlab.services-userspace.ns1
ip -n netlab.services-userspace.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-userspace.ns1
ip -n netlab.services-userspace.internet link set dev ns1 master br0 alias netlab:services-userspace up
ip -n netlab.services-userspace.ns1 link set dev lo up
ip -n netlab.services-userspace.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.services-userspace.ns1 link set dev eth0 alias netlab:services-userspace up
ip -n netlab.services-userspace.ns1 route add default via 203.0.113.1 dev eth0

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.services-userspace.node1
ip -n netlab.services-userspace.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-userspace.node1
ip -n netlab.services-userspace.underlay link set dev node1 master br0 alias netlab:services-userspace up
ip -n netlab.services-userspace.node1 link set dev lo up
ip -n netlab.services-userspace.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.services-userspace.node1 link set dev eth0 alias netlab:services-userspace up
ip -n netlab.services-userspace.node1 route add default via 192.168.56.1 dev eth0

# node node2: eth0 192.168.56.12 on the underlay, default route via the router
ip netns add netlab.services-userspace.node2
ip -n netlab.services-userspace.underlay link add node2 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-userspace.node2
ip -n netlab.services-userspace.underlay link set dev node2 master br0 alias netlab:services-userspace up
ip -n netlab.services-userspace.node2 link set dev lo up
ip -n netlab.services-userspace.node2 addr add 192.168.56.12/24 dev eth0
ip -n netlab.services-userspace.node2 link set dev eth0 alias netlab:services-userspace up
ip -n netlab.services-userspace.node2 route add default via 192.168.56.1 dev eth0

# node node1: flanneld (vxlan) leases 10.244.0.0/24; forwarding and bridge netfilter on
ip netns exec netlab.services-userspace.node1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.services-userspace.node1 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node1" && cat > "$NETLAB_STATE/flannel/node1/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.0.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node1: flanneld's masquerade and forward rules
ip netns exec netlab.services-userspace.node1 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.services-userspace.node1 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node1: the VXLAN tunnel endpoint flannel.1
ip -n netlab.services-userspace.node1 link add flannel.1 address 3e:32:05:a2:8e:fc mtu 1450 type vxlan id 1 local 192.168.56.11 dev eth0 nolearning
ip -n netlab.services-userspace.node1 addr add 10.244.0.0/32 dev flannel.1
ip -n netlab.services-userspace.node1 link set dev flannel.1 alias netlab:services-userspace up

# node node1: how to reach 10.244.1.0/24 on node2 (ARP, FDB, route)
ip -n netlab.services-userspace.node1 neigh add 10.244.1.0 lladdr 2a:bd:c2:e8:25:57 dev flannel.1 nud permanent
bridge -n netlab.services-userspace.node1 fdb add 2a:bd:c2:e8:25:57 dev flannel.1 dst 192.168.56.12 self permanent
ip -n netlab.services-userspace.node1 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink

# node node2: flanneld (vxlan) leases 10.244.1.0/24; forwarding and bridge netfilter on
ip netns exec netlab.services-userspace.node2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.services-userspace.node2 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node2" && cat > "$NETLAB_STATE/flannel/node2/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.1.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node2: flanneld's masquerade and forward rules
ip netns exec netlab.services-userspace.node2 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.services-userspace.node2 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node2: the VXLAN tunnel endpoint flannel.1
ip -n netlab.services-userspace.node2 link add flannel.1 address 2a:bd:c2:e8:25:57 mtu 1450 type vxlan id 1 local 192.168.56.12 dev eth0 nolearning
ip -n netlab.services-userspace.node2 addr add 10.244.1.0/32 dev flannel.1
ip -n netlab.services-userspace.node2 link set dev flannel.1 alias netlab:services-userspace up

# node node2: how to reach 10.244.0.0/24 on node1 (ARP, FDB, route)
ip -n netlab.services-userspace.node2 neigh add 10.244.0.0 lladdr 3e:32:05:a2:8e:fc dev flannel.1 nud permanent
bridge -n netlab.services-userspace.node2 fdb add 3e:32:05:a2:8e:fc dev flannel.1 dst 192.168.56.11 self permanent
ip -n netlab.services-userspace.node2 route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink

# node node1: the CNI bridge plugin creates cni0 10.244.0.1/24
ip -n netlab.services-userspace.node1 link add cni0 address 7e:a2:5c:22:c8:9a mtu 1450 type bridge
ip -n netlab.services-userspace.node1 addr add 10.244.0.1/24 dev cni0
ip -n netlab.services-userspace.node1 link set dev cni0 alias netlab:services-userspace up

# pod web1: 10.244.0.2/24 on cni0 through veth39ba6852
ip netns add netlab.services-userspace.web1
ip -n netlab.services-userspace.node1 link add veth39ba6852 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-userspace.web1
ip -n netlab.services-userspace.node1 link set dev veth39ba6852 master cni0 alias netlab:services-userspace up
ip netns exec netlab.services-userspace.web1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-userspace.web1 link set dev lo up
ip -n netlab.services-userspace.web1 addr add 10.244.0.2/24 dev eth0
ip -n netlab.services-userspace.web1 link set dev eth0 alias netlab:services-userspace up
bridge -n netlab.services-userspace.node1 link set dev veth39ba6852 hairpin on
ip -n netlab.services-userspace.web1 route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.services-userspace.web1 route add default via 10.244.0.1 dev eth0

# pod client1: 10.244.0.3/24 on cni0 through veth1c51a928
ip netns add netlab.services-userspace.client1
ip -n netlab.services-userspace.node1 link add veth1c51a928 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-userspace.client1
ip -n netlab.services-userspace.node1 link set dev veth1c51a928 master cni0 alias netlab:services-userspace up
ip netns exec netlab.services-userspace.client1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-userspace.client1 link set dev lo up
ip -n netlab.services-userspace.client1 addr add 10.244.0.3/24 dev eth0
ip -n netlab.services-userspace.client1 link set dev eth0 alias netlab:services-userspace up
bridge -n netlab.services-userspace.node1 link set dev veth1c51a928 hairpin on
ip -n netlab.services-userspace.client1 route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.services-userspace.client1 route add default via 10.244.0.1 dev eth0

# pod coredns-7b5fc74fc-gmtxp: 10.244.0.4/24 on cni0 through veth59798041
ip netns add netlab.services-userspace.coredns-7b5fc74fc-gmtxp
ip -n netlab.services-userspace.node1 link add veth59798041 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-userspace.coredns-7b5fc74fc-gmtxp
ip -n netlab.services-userspace.node1 link set dev veth59798041 master cni0 alias netlab:services-userspace up
ip netns exec netlab.services-userspace.coredns-7b5fc74fc-gmtxp sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-userspace.coredns-7b5fc74fc-gmtxp link set dev lo up
ip -n netlab.services-userspace.coredns-7b5fc74fc-gmtxp addr add 10.244.0.4/24 dev eth0
ip -n netlab.services-userspace.coredns-7b5fc74fc-gmtxp link set dev eth0 alias netlab:services-userspace up
bridge -n netlab.services-userspace.node1 link set dev veth59798041 hairpin on
ip -n netlab.services-userspace.coredns-7b5fc74fc-gmtxp route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.services-userspace.coredns-7b5fc74fc-gmtxp route add default via 10.244.0.1 dev eth0

# node node2: the CNI bridge plugin creates cni0 10.244.1.1/24
ip -n netlab.services-userspace.node2 link add cni0 address c2:a5:6e:34:3e:9d mtu 1450 type bridge
ip -n netlab.services-userspace.node2 addr add 10.244.1.1/24 dev cni0
ip -n netlab.services-userspace.node2 link set dev cni0 alias netlab:services-userspace up

# pod web2: 10.244.1.2/24 on cni0 through veth4f7932bc
ip netns add netlab.services-userspace.web2
ip -n netlab.services-userspace.node2 link add veth4f7932bc mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-userspace.web2
ip -n netlab.services-userspace.node2 link set dev veth4f7932bc master cni0 alias netlab:services-userspace up
ip netns exec netlab.services-userspace.web2 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-userspace.web2 link set dev lo up
ip -n netlab.services-userspace.web2 addr add 10.244.1.2/24 dev eth0
ip -n netlab.services-userspace.web2 link set dev eth0 alias netlab:services-userspace up
bridge -n netlab.services-userspace.node2 link set dev veth4f7932bc hairpin on
ip -n netlab.services-userspace.web2 route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.services-userspace.web2 route add default via 10.244.1.1 dev eth0

# pod client2: 10.244.1.3/24 on cni0 through veth7ce486f7
ip netns add netlab.services-userspace.client2
ip -n netlab.services-userspace.node2 link add veth7ce486f7 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-userspace.client2
ip -n netlab.services-userspace.node2 link set dev veth7ce486f7 master cni0 alias netlab:services-userspace up
ip netns exec netlab.services-userspace.client2 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-userspace.client2 link set dev lo up
ip -n netlab.services-userspace.client2 addr add 10.244.1.3/24 dev eth0
ip -n netlab.services-userspace.client2 link set dev eth0 alias netlab:services-userspace up
bridge -n netlab.services-userspace.node2 link set dev veth7ce486f7 hairpin on
ip -n netlab.services-userspace.client2 route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.services-userspace.client2 route add default via 10.244.1.1 dev eth0

# pod coredns-7b5fc74fc-896cd: 10.244.1.4/24 on cni0 through veth5791d8db
ip netns add netlab.services-userspace.coredns-7b5fc74fc-896cd
ip -n netlab.services-userspace.node2 link add veth5791d8db mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-userspace.coredns-7b5fc74fc-896cd
ip -n netlab.services-userspace.node2 link set dev veth5791d8db master cni0 alias netlab:services-userspace up
ip netns exec netlab.services-userspace.coredns-7b5fc74fc-896cd sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-userspace.coredns-7b5fc74fc-896cd link set dev lo up
ip -n netlab.services-userspace.coredns-7b5fc74fc-896cd addr add 10.244.1.4/24 dev eth0
ip -n netlab.services-userspace.coredns-7b5fc74fc-896cd link set dev eth0 alias netlab:services-userspace up
bridge -n netlab.services-userspace.node2 link set dev veth5791d8db hairpin on
ip -n netlab.services-userspace.coredns-7b5fc74fc-896cd route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.services-userspace.coredns-7b5fc74fc-896cd route add default via 10.244.1.1 dev eth0

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.services-userspace.web1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web1 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web1.log" 2>&1 </dev/null
ip netns exec netlab.services-userspace.web2 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web2 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web2.log" 2>&1 </dev/null

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
ip netns exec netlab.services-userspace.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.services-userspace.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.services-userspace.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.services-userspace.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
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
ip netns exec netlab.services-userspace.coredns-7b5fc74fc-gmtxp setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-gmtxp.log" 2>&1 </dev/null
ip netns exec netlab.services-userspace.coredns-7b5fc74fc-gmtxp sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf"
ip netns exec netlab.services-userspace.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.services-userspace.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1447464823 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web-sticky.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.default.pod.cluster.local. 30 IN A 10.244.0.3
10-244-0-4.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.4
10-244-0-4.kube-system.pod.cluster.local. 30 IN A 10.244.0.4
10-244-1-2.default.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web-sticky.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.default.pod.cluster.local. 30 IN A 10.244.1.3
10-244-1-4.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.4
10-244-1-4.kube-system.pod.cluster.local. 30 IN A 10.244.1.4
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local.
12.0.96.10.in-addr.arpa. 30 IN PTR web-sticky.default.svc.cluster.local.
13.0.96.10.in-addr.arpa. 30 IN PTR nothing.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web-sticky.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web.default.svc.cluster.local.
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
nothing.default.svc.cluster.local. 30 IN A 10.96.0.13
nothing.default.svc.cluster.local. 30 IN SRV 0 100 80 nothing.default.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
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
ip netns exec netlab.services-userspace.coredns-7b5fc74fc-896cd setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-896cd.log" 2>&1 </dev/null
ip netns exec netlab.services-userspace.coredns-7b5fc74fc-896cd sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf"
ip netns exec netlab.services-userspace.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.services-userspace.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1447464823 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web-sticky.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.default.pod.cluster.local. 30 IN A 10.244.0.3
10-244-0-4.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.4
10-244-0-4.kube-system.pod.cluster.local. 30 IN A 10.244.0.4
10-244-1-2.default.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web-sticky.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.default.pod.cluster.local. 30 IN A 10.244.1.3
10-244-1-4.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.4
10-244-1-4.kube-system.pod.cluster.local. 30 IN A 10.244.1.4
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local.
12.0.96.10.in-addr.arpa. 30 IN PTR web-sticky.default.svc.cluster.local.
13.0.96.10.in-addr.arpa. 30 IN PTR nothing.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web-sticky.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web.default.svc.cluster.local.
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
nothing.default.svc.cluster.local. 30 IN A 10.96.0.13
nothing.default.svc.cluster.local. 30 IN SRV 0 100 80 nothing.default.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
web-sticky.default.svc.cluster.local. 30 IN A 10.96.0.12
web-sticky.default.svc.cluster.local. 30 IN SRV 0 100 8080 web-sticky.default.svc.cluster.local.
web.default.svc.cluster.local. 30 IN A 10.96.0.11
web.default.svc.cluster.local. 30 IN SRV 0 50 53 web.default.svc.cluster.local.
web.default.svc.cluster.local. 30 IN SRV 0 50 80 web.default.svc.cluster.local.
EOF
mkdir -p "/etc/netns/netlab.services-userspace.node1" && cat > "/etc/netns/netlab.services-userspace.node1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-userspace.node2" && cat > "/etc/netns/netlab.services-userspace.node2/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-userspace.outside" && cat > "/etc/netns/netlab.services-userspace.outside/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-userspace.ns1" && cat > "/etc/netns/netlab.services-userspace.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-userspace.web1" && cat > "/etc/netns/netlab.services-userspace.web1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.services-userspace.web2" && cat > "/etc/netns/netlab.services-userspace.web2/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.services-userspace.client1" && cat > "/etc/netns/netlab.services-userspace.client1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.services-userspace.client2" && cat > "/etc/netns/netlab.services-userspace.client2/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.services-userspace.coredns-7b5fc74fc-gmtxp" && cat > "/etc/netns/netlab.services-userspace.coredns-7b5fc74fc-gmtxp/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-userspace.coredns-7b5fc74fc-896cd" && cat > "/etc/netns/netlab.services-userspace.coredns-7b5fc74fc-896cd/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF

# node node1: kube-proxy (userspace mode) programs 4 services
mkdir -p "$NETLAB_STATE/kube-proxy" && cat > "$NETLAB_STATE/kube-proxy/node1.json" <<'EOF'
{
 "node": "node1",
 "services": [
  {
   "name": "default/nothing",
   "protocol": "tcp",
   "proxy_port": 56967,
   "claims": [],
   "endpoints": [],
   "affinity": "None",
   "affinity_timeout": 10800
  },
  {
   "name": "default/web:dns",
   "protocol": "udp",
   "proxy_port": 58226,
   "claims": [
    30000
   ],
   "endpoints": [
    "10.244.0.2:53",
    "10.244.1.2:53"
   ],
   "affinity": "None",
   "affinity_timeout": 10800
  },
  {
   "name": "default/web:http",
   "protocol": "tcp",
   "proxy_port": 53843,
   "claims": [
    30080
   ],
   "endpoints": [
    "10.244.0.2:80",
    "10.244.1.2:80"
   ],
   "affinity": "None",
   "affinity_timeout": 10800
  },
  {
   "name": "default/web-sticky",
   "protocol": "tcp",
   "proxy_port": 48727,
   "claims": [],
   "endpoints": [
    "10.244.0.2:80",
    "10.244.1.2:80"
   ],
   "affinity": "ClientIP",
   "affinity_timeout": 10800
  },
  {
   "name": "kube-system/kube-dns:dns-tcp",
   "protocol": "tcp",
   "proxy_port": 42856,
   "claims": [],
   "endpoints": [
    "10.244.0.4:53",
    "10.244.1.4:53"
   ],
   "affinity": "None",
   "affinity_timeout": 10800
  },
  {
   "name": "kube-system/kube-dns:dns",
   "protocol": "udp",
   "proxy_port": 50145,
   "claims": [],
   "endpoints": [
    "10.244.0.4:53",
    "10.244.1.4:53"
   ],
   "affinity": "None",
   "affinity_timeout": 10800
  },
  {
   "name": "kube-system/kube-dns:metrics",
   "protocol": "tcp",
   "proxy_port": 57127,
   "claims": [],
   "endpoints": [
    "10.244.0.4:9153",
    "10.244.1.4:9153"
   ],
   "affinity": "None",
   "affinity_timeout": 10800
  }
 ]
}
EOF
ip netns exec netlab.services-userspace.node1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.userspace_proxy --config "$NETLAB_STATE/kube-proxy/node1.json" >"$NETLAB_STATE/logs/kube-proxy-node1.log" 2>&1 </dev/null
ip netns exec netlab.services-userspace.node1 iptables-restore --noflush <<'EOF'
*filter
:KUBE-NODEPORT-NON-LOCAL - [0:0]
-I INPUT 1 -m comment --comment "Ensure that non-local NodePort traffic can flow" -j KUBE-NODEPORT-NON-LOCAL
-A KUBE-NODEPORT-NON-LOCAL -m comment --comment "default/web:dns" -p udp -m udp --dport 58226 -m state --state NEW -j ACCEPT
-A KUBE-NODEPORT-NON-LOCAL -m comment --comment "default/web:http" -p tcp -m tcp --dport 53843 -m state --state NEW -j ACCEPT
COMMIT
*nat
:KUBE-PORTALS-CONTAINER - [0:0]
:KUBE-PORTALS-HOST - [0:0]
:KUBE-NODEPORT-CONTAINER - [0:0]
:KUBE-NODEPORT-HOST - [0:0]
-I PREROUTING 1 -m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules" -j KUBE-PORTALS-CONTAINER
-I OUTPUT 1 -m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules" -j KUBE-PORTALS-HOST
-A PREROUTING -m addrtype --dst-type LOCAL -m comment --comment "handle service NodePorts; NOTE: this must be the last rule in the chain" -j KUBE-NODEPORT-CONTAINER
-A OUTPUT -m addrtype --dst-type LOCAL -m comment --comment "handle service NodePorts; NOTE: this must be the last rule in the chain" -j KUBE-NODEPORT-HOST
-A KUBE-PORTALS-CONTAINER -m comment --comment "default/nothing" -p tcp -m tcp --dport 80 -d 10.96.0.13/32 -j REDIRECT --to-ports 56967
-A KUBE-PORTALS-HOST -m comment --comment "default/nothing" -p tcp -m tcp --dport 80 -d 10.96.0.13/32 -j DNAT --to-destination 192.168.56.11:56967
-A KUBE-PORTALS-CONTAINER -m comment --comment "default/web:dns" -p udp -m udp --dport 53 -d 10.96.0.11/32 -j REDIRECT --to-ports 58226
-A KUBE-PORTALS-HOST -m comment --comment "default/web:dns" -p udp -m udp --dport 53 -d 10.96.0.11/32 -j DNAT --to-destination 192.168.56.11:58226
-A KUBE-NODEPORT-CONTAINER -m comment --comment "default/web:dns" -p udp -m udp --dport 30000 -j REDIRECT --to-ports 58226
-A KUBE-NODEPORT-HOST -m comment --comment "default/web:dns" -p udp -m udp --dport 30000 -j DNAT --to-destination 192.168.56.11:58226
-A KUBE-PORTALS-CONTAINER -m comment --comment "default/web:http" -p tcp -m tcp --dport 80 -d 10.96.0.11/32 -j REDIRECT --to-ports 53843
-A KUBE-PORTALS-HOST -m comment --comment "default/web:http" -p tcp -m tcp --dport 80 -d 10.96.0.11/32 -j DNAT --to-destination 192.168.56.11:53843
-A KUBE-NODEPORT-CONTAINER -m comment --comment "default/web:http" -p tcp -m tcp --dport 30080 -j REDIRECT --to-ports 53843
-A KUBE-NODEPORT-HOST -m comment --comment "default/web:http" -p tcp -m tcp --dport 30080 -j DNAT --to-destination 192.168.56.11:53843
-A KUBE-PORTALS-CONTAINER -m comment --comment "default/web-sticky" -p tcp -m tcp --dport 8080 -d 10.96.0.12/32 -j REDIRECT --to-ports 48727
-A KUBE-PORTALS-HOST -m comment --comment "default/web-sticky" -p tcp -m tcp --dport 8080 -d 10.96.0.12/32 -j DNAT --to-destination 192.168.56.11:48727
-A KUBE-PORTALS-CONTAINER -m comment --comment "kube-system/kube-dns:dns-tcp" -p tcp -m tcp --dport 53 -d 10.96.0.10/32 -j REDIRECT --to-ports 42856
-A KUBE-PORTALS-HOST -m comment --comment "kube-system/kube-dns:dns-tcp" -p tcp -m tcp --dport 53 -d 10.96.0.10/32 -j DNAT --to-destination 192.168.56.11:42856
-A KUBE-PORTALS-CONTAINER -m comment --comment "kube-system/kube-dns:dns" -p udp -m udp --dport 53 -d 10.96.0.10/32 -j REDIRECT --to-ports 50145
-A KUBE-PORTALS-HOST -m comment --comment "kube-system/kube-dns:dns" -p udp -m udp --dport 53 -d 10.96.0.10/32 -j DNAT --to-destination 192.168.56.11:50145
-A KUBE-PORTALS-CONTAINER -m comment --comment "kube-system/kube-dns:metrics" -p tcp -m tcp --dport 9153 -d 10.96.0.10/32 -j REDIRECT --to-ports 57127
-A KUBE-PORTALS-HOST -m comment --comment "kube-system/kube-dns:metrics" -p tcp -m tcp --dport 9153 -d 10.96.0.10/32 -j DNAT --to-destination 192.168.56.11:57127
COMMIT
EOF

# node node2: kube-proxy (userspace mode) programs 4 services
mkdir -p "$NETLAB_STATE/kube-proxy" && cat > "$NETLAB_STATE/kube-proxy/node2.json" <<'EOF'
{
 "node": "node2",
 "services": [
  {
   "name": "default/nothing",
   "protocol": "tcp",
   "proxy_port": 56967,
   "claims": [],
   "endpoints": [],
   "affinity": "None",
   "affinity_timeout": 10800
  },
  {
   "name": "default/web:dns",
   "protocol": "udp",
   "proxy_port": 58226,
   "claims": [
    30000
   ],
   "endpoints": [
    "10.244.0.2:53",
    "10.244.1.2:53"
   ],
   "affinity": "None",
   "affinity_timeout": 10800
  },
  {
   "name": "default/web:http",
   "protocol": "tcp",
   "proxy_port": 53843,
   "claims": [
    30080
   ],
   "endpoints": [
    "10.244.0.2:80",
    "10.244.1.2:80"
   ],
   "affinity": "None",
   "affinity_timeout": 10800
  },
  {
   "name": "default/web-sticky",
   "protocol": "tcp",
   "proxy_port": 48727,
   "claims": [],
   "endpoints": [
    "10.244.0.2:80",
    "10.244.1.2:80"
   ],
   "affinity": "ClientIP",
   "affinity_timeout": 10800
  },
  {
   "name": "kube-system/kube-dns:dns-tcp",
   "protocol": "tcp",
   "proxy_port": 42856,
   "claims": [],
   "endpoints": [
    "10.244.0.4:53",
    "10.244.1.4:53"
   ],
   "affinity": "None",
   "affinity_timeout": 10800
  },
  {
   "name": "kube-system/kube-dns:dns",
   "protocol": "udp",
   "proxy_port": 50145,
   "claims": [],
   "endpoints": [
    "10.244.0.4:53",
    "10.244.1.4:53"
   ],
   "affinity": "None",
   "affinity_timeout": 10800
  },
  {
   "name": "kube-system/kube-dns:metrics",
   "protocol": "tcp",
   "proxy_port": 57127,
   "claims": [],
   "endpoints": [
    "10.244.0.4:9153",
    "10.244.1.4:9153"
   ],
   "affinity": "None",
   "affinity_timeout": 10800
  }
 ]
}
EOF
ip netns exec netlab.services-userspace.node2 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.userspace_proxy --config "$NETLAB_STATE/kube-proxy/node2.json" >"$NETLAB_STATE/logs/kube-proxy-node2.log" 2>&1 </dev/null
ip netns exec netlab.services-userspace.node2 iptables-restore --noflush <<'EOF'
*filter
:KUBE-NODEPORT-NON-LOCAL - [0:0]
-I INPUT 1 -m comment --comment "Ensure that non-local NodePort traffic can flow" -j KUBE-NODEPORT-NON-LOCAL
-A KUBE-NODEPORT-NON-LOCAL -m comment --comment "default/web:dns" -p udp -m udp --dport 58226 -m state --state NEW -j ACCEPT
-A KUBE-NODEPORT-NON-LOCAL -m comment --comment "default/web:http" -p tcp -m tcp --dport 53843 -m state --state NEW -j ACCEPT
COMMIT
*nat
:KUBE-PORTALS-CONTAINER - [0:0]
:KUBE-PORTALS-HOST - [0:0]
:KUBE-NODEPORT-CONTAINER - [0:0]
:KUBE-NODEPORT-HOST - [0:0]
-I PREROUTING 1 -m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules" -j KUBE-PORTALS-CONTAINER
-I OUTPUT 1 -m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules" -j KUBE-PORTALS-HOST
-A PREROUTING -m addrtype --dst-type LOCAL -m comment --comment "handle service NodePorts; NOTE: this must be the last rule in the chain" -j KUBE-NODEPORT-CONTAINER
-A OUTPUT -m addrtype --dst-type LOCAL -m comment --comment "handle service NodePorts; NOTE: this must be the last rule in the chain" -j KUBE-NODEPORT-HOST
-A KUBE-PORTALS-CONTAINER -m comment --comment "default/nothing" -p tcp -m tcp --dport 80 -d 10.96.0.13/32 -j REDIRECT --to-ports 56967
-A KUBE-PORTALS-HOST -m comment --comment "default/nothing" -p tcp -m tcp --dport 80 -d 10.96.0.13/32 -j DNAT --to-destination 192.168.56.12:56967
-A KUBE-PORTALS-CONTAINER -m comment --comment "default/web:dns" -p udp -m udp --dport 53 -d 10.96.0.11/32 -j REDIRECT --to-ports 58226
-A KUBE-PORTALS-HOST -m comment --comment "default/web:dns" -p udp -m udp --dport 53 -d 10.96.0.11/32 -j DNAT --to-destination 192.168.56.12:58226
-A KUBE-NODEPORT-CONTAINER -m comment --comment "default/web:dns" -p udp -m udp --dport 30000 -j REDIRECT --to-ports 58226
-A KUBE-NODEPORT-HOST -m comment --comment "default/web:dns" -p udp -m udp --dport 30000 -j DNAT --to-destination 192.168.56.12:58226
-A KUBE-PORTALS-CONTAINER -m comment --comment "default/web:http" -p tcp -m tcp --dport 80 -d 10.96.0.11/32 -j REDIRECT --to-ports 53843
-A KUBE-PORTALS-HOST -m comment --comment "default/web:http" -p tcp -m tcp --dport 80 -d 10.96.0.11/32 -j DNAT --to-destination 192.168.56.12:53843
-A KUBE-NODEPORT-CONTAINER -m comment --comment "default/web:http" -p tcp -m tcp --dport 30080 -j REDIRECT --to-ports 53843
-A KUBE-NODEPORT-HOST -m comment --comment "default/web:http" -p tcp -m tcp --dport 30080 -j DNAT --to-destination 192.168.56.12:53843
-A KUBE-PORTALS-CONTAINER -m comment --comment "default/web-sticky" -p tcp -m tcp --dport 8080 -d 10.96.0.12/32 -j REDIRECT --to-ports 48727
-A KUBE-PORTALS-HOST -m comment --comment "default/web-sticky" -p tcp -m tcp --dport 8080 -d 10.96.0.12/32 -j DNAT --to-destination 192.168.56.12:48727
-A KUBE-PORTALS-CONTAINER -m comment --comment "kube-system/kube-dns:dns-tcp" -p tcp -m tcp --dport 53 -d 10.96.0.10/32 -j REDIRECT --to-ports 42856
-A KUBE-PORTALS-HOST -m comment --comment "kube-system/kube-dns:dns-tcp" -p tcp -m tcp --dport 53 -d 10.96.0.10/32 -j DNAT --to-destination 192.168.56.12:42856
-A KUBE-PORTALS-CONTAINER -m comment --comment "kube-system/kube-dns:dns" -p udp -m udp --dport 53 -d 10.96.0.10/32 -j REDIRECT --to-ports 50145
-A KUBE-PORTALS-HOST -m comment --comment "kube-system/kube-dns:dns" -p udp -m udp --dport 53 -d 10.96.0.10/32 -j DNAT --to-destination 192.168.56.12:50145
-A KUBE-PORTALS-CONTAINER -m comment --comment "kube-system/kube-dns:metrics" -p tcp -m tcp --dport 9153 -d 10.96.0.10/32 -j REDIRECT --to-ports 57127
-A KUBE-PORTALS-HOST -m comment --comment "kube-system/kube-dns:metrics" -p tcp -m tcp --dport 9153 -d 10.96.0.10/32 -j DNAT --to-destination 192.168.56.12:57127
COMMIT
EOF

#!/usr/bin/env bash
# netlab plan for lab services-iptables: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down services-iptables`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/services-iptables}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.services-iptables.underlay
ip -n netlab.services-iptables.underlay link add br0 address da:88:97:a5:5c:16 mtu 1500 type bridge
ip -n netlab.services-iptables.underlay link set dev br0 alias netlab:services-iptables up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.services-iptables.internet
ip -n netlab.services-iptables.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-iptables.internet
ip -n netlab.services-iptables.underlay link set dev internet master br0 alias netlab:services-iptables up
ip -n netlab.services-iptables.internet link set dev lo up
ip -n netlab.services-iptables.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.services-iptables.internet link set dev eth0 alias netlab:services-iptables up
ip -n netlab.services-iptables.internet link add br0 address 6a:11:4c:70:e8:d5 mtu 1500 type bridge
ip -n netlab.services-iptables.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.services-iptables.internet link set dev br0 alias netlab:services-iptables up
ip netns exec netlab.services-iptables.internet sysctl -qw net.ipv4.ip_forward=1

# internet host outside
ip netns add netlab.services-iptables.outside
ip -n netlab.services-iptables.internet link add outside mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-iptables.outside
ip -n netlab.services-iptables.internet link set dev outside master br0 alias netlab:services-iptables up
ip -n netlab.services-iptables.outside link set dev lo up
ip -n netlab.services-iptables.outside addr add 203.0.113.10/24 dev eth0
ip -n netlab.services-iptables.outside link set dev eth0 alias netlab:services-iptables up
ip -n netlab.services-iptables.outside route add default via 203.0.113.1 dev eth0

# internet host ns1
ip netns add netlab.services-iptables.ns1
ip -n netlab.services-iptables.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-iptables.ns1
ip -n netlab.services-iptables.internet link set dev ns1 master br0 alias netlab:services-iptables up
ip -n netlab.services-iptables.ns1 link set dev lo up
ip -n netlab.services-iptables.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.services-iptables.ns1 link set dev eth0 alias netlab:services-iptables up
ip -n netlab.services-iptables.ns1 route add default via 203.0.113.1 dev eth0

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.services-iptables.node1
ip -n netlab.services-iptables.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-iptables.node1
ip -n netlab.services-iptables.underlay link set dev node1 master br0 alias netlab:services-iptables up
ip -n netlab.services-iptables.node1 link set dev lo up
ip -n netlab.services-iptables.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.services-iptables.node1 link set dev eth0 alias netlab:services-iptables up
ip -n netlab.services-iptables.node1 route add default via 192.168.56.1 dev eth0

# node node2: eth0 192.168.56.12 on the underlay, default route via the router
ip netns add netlab.services-iptables.node2
ip -n netlab.services-iptables.underlay link add node2 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.services-iptables.node2
ip -n netlab.services-iptables.underlay link set dev node2 master br0 alias netlab:services-iptables up
ip -n netlab.services-iptables.node2 link set dev lo up
ip -n netlab.services-iptables.node2 addr add 192.168.56.12/24 dev eth0
ip -n netlab.services-iptables.node2 link set dev eth0 alias netlab:services-iptables up
ip -n netlab.services-iptables.node2 route add default via 192.168.56.1 dev eth0

# node node1: flanneld (vxlan) leases 10.244.0.0/24; forwarding and bridge netfilter on
ip netns exec netlab.services-iptables.node1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.services-iptables.node1 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node1" && cat > "$NETLAB_STATE/flannel/node1/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.0.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node1: flanneld's masquerade and forward rules
ip netns exec netlab.services-iptables.node1 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.services-iptables.node1 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node1: the VXLAN tunnel endpoint flannel.1
ip -n netlab.services-iptables.node1 link add flannel.1 address 02:53:6b:b1:b7:4a mtu 1450 type vxlan id 1 local 192.168.56.11 dev eth0 nolearning
ip -n netlab.services-iptables.node1 addr add 10.244.0.0/32 dev flannel.1
ip -n netlab.services-iptables.node1 link set dev flannel.1 alias netlab:services-iptables up

# node node1: how to reach 10.244.1.0/24 on node2 (ARP, FDB, route)
ip -n netlab.services-iptables.node1 neigh add 10.244.1.0 lladdr ba:1a:08:02:37:f8 dev flannel.1 nud permanent
bridge -n netlab.services-iptables.node1 fdb add ba:1a:08:02:37:f8 dev flannel.1 dst 192.168.56.12 self permanent
ip -n netlab.services-iptables.node1 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink

# node node2: flanneld (vxlan) leases 10.244.1.0/24; forwarding and bridge netfilter on
ip netns exec netlab.services-iptables.node2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.services-iptables.node2 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node2" && cat > "$NETLAB_STATE/flannel/node2/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.1.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node2: flanneld's masquerade and forward rules
ip netns exec netlab.services-iptables.node2 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.services-iptables.node2 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node2: the VXLAN tunnel endpoint flannel.1
ip -n netlab.services-iptables.node2 link add flannel.1 address ba:1a:08:02:37:f8 mtu 1450 type vxlan id 1 local 192.168.56.12 dev eth0 nolearning
ip -n netlab.services-iptables.node2 addr add 10.244.1.0/32 dev flannel.1
ip -n netlab.services-iptables.node2 link set dev flannel.1 alias netlab:services-iptables up

# node node2: how to reach 10.244.0.0/24 on node1 (ARP, FDB, route)
ip -n netlab.services-iptables.node2 neigh add 10.244.0.0 lladdr 02:53:6b:b1:b7:4a dev flannel.1 nud permanent
bridge -n netlab.services-iptables.node2 fdb add 02:53:6b:b1:b7:4a dev flannel.1 dst 192.168.56.11 self permanent
ip -n netlab.services-iptables.node2 route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink

# node node1: the CNI bridge plugin creates cni0 10.244.0.1/24
ip -n netlab.services-iptables.node1 link add cni0 address 16:cf:cf:a9:19:09 mtu 1450 type bridge
ip -n netlab.services-iptables.node1 addr add 10.244.0.1/24 dev cni0
ip -n netlab.services-iptables.node1 link set dev cni0 alias netlab:services-iptables up

# pod web1: 10.244.0.2/24 on cni0 through veth015c08a2
ip netns add netlab.services-iptables.web1
ip -n netlab.services-iptables.node1 link add veth015c08a2 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-iptables.web1
ip -n netlab.services-iptables.node1 link set dev veth015c08a2 master cni0 alias netlab:services-iptables up
ip netns exec netlab.services-iptables.web1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-iptables.web1 link set dev lo up
ip -n netlab.services-iptables.web1 addr add 10.244.0.2/24 dev eth0
ip -n netlab.services-iptables.web1 link set dev eth0 alias netlab:services-iptables up
bridge -n netlab.services-iptables.node1 link set dev veth015c08a2 hairpin on
ip -n netlab.services-iptables.web1 route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.services-iptables.web1 route add default via 10.244.0.1 dev eth0

# pod client1: 10.244.0.3/24 on cni0 through veth6abedd08
ip netns add netlab.services-iptables.client1
ip -n netlab.services-iptables.node1 link add veth6abedd08 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-iptables.client1
ip -n netlab.services-iptables.node1 link set dev veth6abedd08 master cni0 alias netlab:services-iptables up
ip netns exec netlab.services-iptables.client1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-iptables.client1 link set dev lo up
ip -n netlab.services-iptables.client1 addr add 10.244.0.3/24 dev eth0
ip -n netlab.services-iptables.client1 link set dev eth0 alias netlab:services-iptables up
bridge -n netlab.services-iptables.node1 link set dev veth6abedd08 hairpin on
ip -n netlab.services-iptables.client1 route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.services-iptables.client1 route add default via 10.244.0.1 dev eth0

# pod coredns-7b5fc74fc-gmtxp: 10.244.0.4/24 on cni0 through veth2ce50d80
ip netns add netlab.services-iptables.coredns-7b5fc74fc-gmtxp
ip -n netlab.services-iptables.node1 link add veth2ce50d80 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-iptables.coredns-7b5fc74fc-gmtxp
ip -n netlab.services-iptables.node1 link set dev veth2ce50d80 master cni0 alias netlab:services-iptables up
ip netns exec netlab.services-iptables.coredns-7b5fc74fc-gmtxp sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-iptables.coredns-7b5fc74fc-gmtxp link set dev lo up
ip -n netlab.services-iptables.coredns-7b5fc74fc-gmtxp addr add 10.244.0.4/24 dev eth0
ip -n netlab.services-iptables.coredns-7b5fc74fc-gmtxp link set dev eth0 alias netlab:services-iptables up
bridge -n netlab.services-iptables.node1 link set dev veth2ce50d80 hairpin on
ip -n netlab.services-iptables.coredns-7b5fc74fc-gmtxp route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.services-iptables.coredns-7b5fc74fc-gmtxp route add default via 10.244.0.1 dev eth0

# node node2: the CNI bridge plugin creates cni0 10.244.1.1/24
ip -n netlab.services-iptables.node2 link add cni0 address 62:da:8c:6d:72:00 mtu 1450 type bridge
ip -n netlab.services-iptables.node2 addr add 10.244.1.1/24 dev cni0
ip -n netlab.services-iptables.node2 link set dev cni0 alias netlab:services-iptables up

# pod web2: 10.244.1.2/24 on cni0 through veth72139b99
ip netns add netlab.services-iptables.web2
ip -n netlab.services-iptables.node2 link add veth72139b99 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-iptables.web2
ip -n netlab.services-iptables.node2 link set dev veth72139b99 master cni0 alias netlab:services-iptables up
ip netns exec netlab.services-iptables.web2 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-iptables.web2 link set dev lo up
ip -n netlab.services-iptables.web2 addr add 10.244.1.2/24 dev eth0
ip -n netlab.services-iptables.web2 link set dev eth0 alias netlab:services-iptables up
bridge -n netlab.services-iptables.node2 link set dev veth72139b99 hairpin on
ip -n netlab.services-iptables.web2 route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.services-iptables.web2 route add default via 10.244.1.1 dev eth0

# pod client2: 10.244.1.3/24 on cni0 through vethe12e0d7b
ip netns add netlab.services-iptables.client2
ip -n netlab.services-iptables.node2 link add vethe12e0d7b mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-iptables.client2
ip -n netlab.services-iptables.node2 link set dev vethe12e0d7b master cni0 alias netlab:services-iptables up
ip netns exec netlab.services-iptables.client2 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-iptables.client2 link set dev lo up
ip -n netlab.services-iptables.client2 addr add 10.244.1.3/24 dev eth0
ip -n netlab.services-iptables.client2 link set dev eth0 alias netlab:services-iptables up
bridge -n netlab.services-iptables.node2 link set dev vethe12e0d7b hairpin on
ip -n netlab.services-iptables.client2 route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.services-iptables.client2 route add default via 10.244.1.1 dev eth0

# pod coredns-7b5fc74fc-896cd: 10.244.1.4/24 on cni0 through veth86af6416
ip netns add netlab.services-iptables.coredns-7b5fc74fc-896cd
ip -n netlab.services-iptables.node2 link add veth86af6416 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.services-iptables.coredns-7b5fc74fc-896cd
ip -n netlab.services-iptables.node2 link set dev veth86af6416 master cni0 alias netlab:services-iptables up
ip netns exec netlab.services-iptables.coredns-7b5fc74fc-896cd sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.services-iptables.coredns-7b5fc74fc-896cd link set dev lo up
ip -n netlab.services-iptables.coredns-7b5fc74fc-896cd addr add 10.244.1.4/24 dev eth0
ip -n netlab.services-iptables.coredns-7b5fc74fc-896cd link set dev eth0 alias netlab:services-iptables up
bridge -n netlab.services-iptables.node2 link set dev veth86af6416 hairpin on
ip -n netlab.services-iptables.coredns-7b5fc74fc-896cd route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.services-iptables.coredns-7b5fc74fc-896cd route add default via 10.244.1.1 dev eth0

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.services-iptables.web1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web1 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web1.log" 2>&1 </dev/null
ip netns exec netlab.services-iptables.web2 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web2 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web2.log" 2>&1 </dev/null

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
ip netns exec netlab.services-iptables.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.services-iptables.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.services-iptables.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.services-iptables.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
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
ip netns exec netlab.services-iptables.coredns-7b5fc74fc-gmtxp setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-gmtxp.log" 2>&1 </dev/null
ip netns exec netlab.services-iptables.coredns-7b5fc74fc-gmtxp sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf"
ip netns exec netlab.services-iptables.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.services-iptables.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_datas <<'EOF'
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
ip netns exec netlab.services-iptables.coredns-7b5fc74fc-896cd setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-896cd.log" 2>&1 </dev/null
ip netns exec netlab.services-iptables.coredns-7b5fc74fc-896cd sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf"
ip netns exec netlab.services-iptables.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.services-iptables.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_datas <<'EOF'
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
mkdir -p "/etc/netns/netlab.services-iptables.node1" && cat > "/etc/netns/netlab.services-iptables.node1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-iptables.node2" && cat > "/etc/netns/netlab.services-iptables.node2/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-iptables.outside" && cat > "/etc/netns/netlab.services-iptables.outside/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-iptables.ns1" && cat > "/etc/netns/netlab.services-iptables.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-iptables.web1" && cat > "/etc/netns/netlab.services-iptables.web1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.services-iptables.web2" && cat > "/etc/netns/netlab.services-iptables.web2/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.services-iptables.client1" && cat > "/etc/netns/netlab.services-iptables.client1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.services-iptables.client2" && cat > "/etc/netns/netlab.services-iptables.client2/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.services-iptables.coredns-7b5fc74fc-gmtxp" && cat > "/etc/netns/netlab.services-iptables.coredns-7b5fc74fc-gmtxp/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.services-iptables.coredns-7b5fc74fc-896cd" && cat > "/etc/netns/netlab.services-iptables.coredns-7b5fc74fc-896cd/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF

# node node1: kube-proxy (iptables mode) programs 5 services
ip netns exec netlab.services-iptables.node1 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.services-iptables.node1 iptables-restore --noflush <<'EOF'
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
-A KUBE-SERVICES -m comment --comment "default/nothing has no endpoints" -m tcp -p tcp -d 10.96.0.14 --dport 80 -j REJECT
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-EXT-3OI236ZBKTWAFB2I - [0:0]
:KUBE-SVC-3OI236ZBKTWAFB2I - [0:0]
:KUBE-SEP-6RQJO7G3PCVEGYLK - [0:0]
:KUBE-SEP-BTVZB7E4KKPGX6I5 - [0:0]
:KUBE-EXT-CDGGSHYLG3RE2FKL - [0:0]
:KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]
:KUBE-SEP-ZA46Z6MXOL6YIMBQ - [0:0]
:KUBE-SEP-PBQ62IOVWGYEN623 - [0:0]
:KUBE-EXT-W6DWRVOIQKRHXDQP - [0:0]
:KUBE-SVC-W6DWRVOIQKRHXDQP - [0:0]
:KUBE-SVL-W6DWRVOIQKRHXDQP - [0:0]
:KUBE-SEP-OPV5FUCHNNQHROC5 - [0:0]
:KUBE-SEP-3BUOLXOADLZEQ6S3 - [0:0]
:KUBE-SVC-ZRW2IZUANS4E5N2L - [0:0]
:KUBE-SEP-4NU4D4JHZZSNXMXA - [0:0]
:KUBE-SEP-CKLGJ7SWY7TSCKKG - [0:0]
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-SF3LG62VAE5ALYDV - [0:0]
:KUBE-SEP-5BME6LXGYWTVD5D3 - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-WXWGHGKZOCNYRYI7 - [0:0]
:KUBE-SEP-222YD7DQOUNKFRLL - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-PUHFDAMRBZWCPADU - [0:0]
:KUBE-SEP-NG3JZDJDUTWZSDOR - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/web:dns cluster IP" -m udp -p udp -d 10.96.0.11 --dport 53 -j KUBE-SVC-3OI236ZBKTWAFB2I
-A KUBE-NODEPORTS -m comment --comment default/web:dns -m udp -p udp --dport 30000 -j KUBE-EXT-3OI236ZBKTWAFB2I
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns cluster IP" -m udp -p udp -d 10.96.0.11 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-3OI236ZBKTWAFB2I -m comment --comment "masquerade traffic for default/web:dns external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-3OI236ZBKTWAFB2I -j KUBE-SVC-3OI236ZBKTWAFB2I
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns -> 10.244.0.2:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-6RQJO7G3PCVEGYLK
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns -> 10.244.1.2:53" -j KUBE-SEP-BTVZB7E4KKPGX6I5
-A KUBE-SEP-6RQJO7G3PCVEGYLK -m comment --comment default/web:dns -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-6RQJO7G3PCVEGYLK -m comment --comment default/web:dns -m udp -p udp -j DNAT --to-destination 10.244.0.2:53
-A KUBE-SEP-BTVZB7E4KKPGX6I5 -m comment --comment default/web:dns -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-BTVZB7E4KKPGX6I5 -m comment --comment default/web:dns -m udp -p udp -j DNAT --to-destination 10.244.1.2:53
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-NODEPORTS -m comment --comment default/web:http -m tcp -p tcp --dport 30080 -j KUBE-EXT-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-CDGGSHYLG3RE2FKL -m comment --comment "masquerade traffic for default/web:http external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-CDGGSHYLG3RE2FKL -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.0.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ZA46Z6MXOL6YIMBQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.2:80" -j KUBE-SEP-PBQ62IOVWGYEN623
-A KUBE-SEP-ZA46Z6MXOL6YIMBQ -m comment --comment default/web:http -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZA46Z6MXOL6YIMBQ -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SEP-PBQ62IOVWGYEN623 -m comment --comment default/web:http -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-PBQ62IOVWGYEN623 -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SERVICES -m comment --comment "default/web-local cluster IP" -m tcp -p tcp -d 10.96.0.13 --dport 80 -j KUBE-SVC-W6DWRVOIQKRHXDQP
-A KUBE-NODEPORTS -m comment --comment default/web-local -m tcp -p tcp --dport 30081 -j KUBE-EXT-W6DWRVOIQKRHXDQP
-A KUBE-SVC-W6DWRVOIQKRHXDQP -m comment --comment "default/web-local cluster IP" -m tcp -p tcp -d 10.96.0.13 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-W6DWRVOIQKRHXDQP -m comment --comment "pod traffic for default/web-local external destinations" -s 10.244.0.0/16 -j KUBE-SVC-W6DWRVOIQKRHXDQP
-A KUBE-EXT-W6DWRVOIQKRHXDQP -m comment --comment "masquerade LOCAL traffic for default/web-local external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
-A KUBE-EXT-W6DWRVOIQKRHXDQP -m comment --comment "route LOCAL traffic for default/web-local external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-W6DWRVOIQKRHXDQP
-A KUBE-EXT-W6DWRVOIQKRHXDQP -j KUBE-SVL-W6DWRVOIQKRHXDQP
-A KUBE-SVC-W6DWRVOIQKRHXDQP -m comment --comment "default/web-local -> 10.244.0.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-OPV5FUCHNNQHROC5
-A KUBE-SVC-W6DWRVOIQKRHXDQP -m comment --comment "default/web-local -> 10.244.1.2:80" -j KUBE-SEP-3BUOLXOADLZEQ6S3
-A KUBE-SVL-W6DWRVOIQKRHXDQP -m comment --comment "default/web-local -> 10.244.0.2:80" -j KUBE-SEP-OPV5FUCHNNQHROC5
-A KUBE-SEP-OPV5FUCHNNQHROC5 -m comment --comment default/web-local -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-OPV5FUCHNNQHROC5 -m comment --comment default/web-local -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SEP-3BUOLXOADLZEQ6S3 -m comment --comment default/web-local -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-3BUOLXOADLZEQ6S3 -m comment --comment default/web-local -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SERVICES -m comment --comment "default/web-sticky cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 8080 -j KUBE-SVC-ZRW2IZUANS4E5N2L
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 8080 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky -> 10.244.0.2:80" -m recent --name KUBE-SEP-4NU4D4JHZZSNXMXA --rcheck --seconds 10800 --reap -j KUBE-SEP-4NU4D4JHZZSNXMXA
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky -> 10.244.1.2:80" -m recent --name KUBE-SEP-CKLGJ7SWY7TSCKKG --rcheck --seconds 10800 --reap -j KUBE-SEP-CKLGJ7SWY7TSCKKG
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky -> 10.244.0.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-4NU4D4JHZZSNXMXA
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky -> 10.244.1.2:80" -j KUBE-SEP-CKLGJ7SWY7TSCKKG
-A KUBE-SEP-4NU4D4JHZZSNXMXA -m comment --comment default/web-sticky -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-4NU4D4JHZZSNXMXA -m comment --comment default/web-sticky -m recent --name KUBE-SEP-4NU4D4JHZZSNXMXA --set -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SEP-CKLGJ7SWY7TSCKKG -m comment --comment default/web-sticky -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-CKLGJ7SWY7TSCKKG -m comment --comment default/web-sticky -m recent --name KUBE-SEP-CKLGJ7SWY7TSCKKG --set -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.4:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-SF3LG62VAE5ALYDV
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.1.4:53" -j KUBE-SEP-5BME6LXGYWTVD5D3
-A KUBE-SEP-SF3LG62VAE5ALYDV -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-SF3LG62VAE5ALYDV -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.4:53
-A KUBE-SEP-5BME6LXGYWTVD5D3 -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-5BME6LXGYWTVD5D3 -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.4:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-WXWGHGKZOCNYRYI7
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.4:53" -j KUBE-SEP-222YD7DQOUNKFRLL
-A KUBE-SEP-WXWGHGKZOCNYRYI7 -m comment --comment kube-system/kube-dns:dns -s 10.244.0.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-WXWGHGKZOCNYRYI7 -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.4:53
-A KUBE-SEP-222YD7DQOUNKFRLL -m comment --comment kube-system/kube-dns:dns -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-222YD7DQOUNKFRLL -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.1.4:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.4:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-PUHFDAMRBZWCPADU
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.1.4:9153" -j KUBE-SEP-NG3JZDJDUTWZSDOR
-A KUBE-SEP-PUHFDAMRBZWCPADU -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-PUHFDAMRBZWCPADU -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.4:9153
-A KUBE-SEP-NG3JZDJDUTWZSDOR -m comment --comment kube-system/kube-dns:metrics -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-NG3JZDJDUTWZSDOR -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:9153
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node2: kube-proxy (iptables mode) programs 5 services
ip netns exec netlab.services-iptables.node2 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.services-iptables.node2 iptables-restore --noflush <<'EOF'
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
-A KUBE-SERVICES -m comment --comment "default/nothing has no endpoints" -m tcp -p tcp -d 10.96.0.14 --dport 80 -j REJECT
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-EXT-3OI236ZBKTWAFB2I - [0:0]
:KUBE-SVC-3OI236ZBKTWAFB2I - [0:0]
:KUBE-SEP-6RQJO7G3PCVEGYLK - [0:0]
:KUBE-SEP-BTVZB7E4KKPGX6I5 - [0:0]
:KUBE-EXT-CDGGSHYLG3RE2FKL - [0:0]
:KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]
:KUBE-SEP-ZA46Z6MXOL6YIMBQ - [0:0]
:KUBE-SEP-PBQ62IOVWGYEN623 - [0:0]
:KUBE-EXT-W6DWRVOIQKRHXDQP - [0:0]
:KUBE-SVC-W6DWRVOIQKRHXDQP - [0:0]
:KUBE-SVL-W6DWRVOIQKRHXDQP - [0:0]
:KUBE-SEP-OPV5FUCHNNQHROC5 - [0:0]
:KUBE-SEP-3BUOLXOADLZEQ6S3 - [0:0]
:KUBE-SVC-ZRW2IZUANS4E5N2L - [0:0]
:KUBE-SEP-4NU4D4JHZZSNXMXA - [0:0]
:KUBE-SEP-CKLGJ7SWY7TSCKKG - [0:0]
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-SF3LG62VAE5ALYDV - [0:0]
:KUBE-SEP-5BME6LXGYWTVD5D3 - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-WXWGHGKZOCNYRYI7 - [0:0]
:KUBE-SEP-222YD7DQOUNKFRLL - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-PUHFDAMRBZWCPADU - [0:0]
:KUBE-SEP-NG3JZDJDUTWZSDOR - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/web:dns cluster IP" -m udp -p udp -d 10.96.0.11 --dport 53 -j KUBE-SVC-3OI236ZBKTWAFB2I
-A KUBE-NODEPORTS -m comment --comment default/web:dns -m udp -p udp --dport 30000 -j KUBE-EXT-3OI236ZBKTWAFB2I
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns cluster IP" -m udp -p udp -d 10.96.0.11 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-3OI236ZBKTWAFB2I -m comment --comment "masquerade traffic for default/web:dns external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-3OI236ZBKTWAFB2I -j KUBE-SVC-3OI236ZBKTWAFB2I
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns -> 10.244.0.2:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-6RQJO7G3PCVEGYLK
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns -> 10.244.1.2:53" -j KUBE-SEP-BTVZB7E4KKPGX6I5
-A KUBE-SEP-6RQJO7G3PCVEGYLK -m comment --comment default/web:dns -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-6RQJO7G3PCVEGYLK -m comment --comment default/web:dns -m udp -p udp -j DNAT --to-destination 10.244.0.2:53
-A KUBE-SEP-BTVZB7E4KKPGX6I5 -m comment --comment default/web:dns -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-BTVZB7E4KKPGX6I5 -m comment --comment default/web:dns -m udp -p udp -j DNAT --to-destination 10.244.1.2:53
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-NODEPORTS -m comment --comment default/web:http -m tcp -p tcp --dport 30080 -j KUBE-EXT-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-CDGGSHYLG3RE2FKL -m comment --comment "masquerade traffic for default/web:http external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-CDGGSHYLG3RE2FKL -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.0.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ZA46Z6MXOL6YIMBQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.2:80" -j KUBE-SEP-PBQ62IOVWGYEN623
-A KUBE-SEP-ZA46Z6MXOL6YIMBQ -m comment --comment default/web:http -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZA46Z6MXOL6YIMBQ -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SEP-PBQ62IOVWGYEN623 -m comment --comment default/web:http -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-PBQ62IOVWGYEN623 -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SERVICES -m comment --comment "default/web-local cluster IP" -m tcp -p tcp -d 10.96.0.13 --dport 80 -j KUBE-SVC-W6DWRVOIQKRHXDQP
-A KUBE-NODEPORTS -m comment --comment default/web-local -m tcp -p tcp --dport 30081 -j KUBE-EXT-W6DWRVOIQKRHXDQP
-A KUBE-SVC-W6DWRVOIQKRHXDQP -m comment --comment "default/web-local cluster IP" -m tcp -p tcp -d 10.96.0.13 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-W6DWRVOIQKRHXDQP -m comment --comment "pod traffic for default/web-local external destinations" -s 10.244.0.0/16 -j KUBE-SVC-W6DWRVOIQKRHXDQP
-A KUBE-EXT-W6DWRVOIQKRHXDQP -m comment --comment "masquerade LOCAL traffic for default/web-local external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
-A KUBE-EXT-W6DWRVOIQKRHXDQP -m comment --comment "route LOCAL traffic for default/web-local external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-W6DWRVOIQKRHXDQP
-A KUBE-EXT-W6DWRVOIQKRHXDQP -j KUBE-SVL-W6DWRVOIQKRHXDQP
-A KUBE-SVC-W6DWRVOIQKRHXDQP -m comment --comment "default/web-local -> 10.244.0.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-OPV5FUCHNNQHROC5
-A KUBE-SVC-W6DWRVOIQKRHXDQP -m comment --comment "default/web-local -> 10.244.1.2:80" -j KUBE-SEP-3BUOLXOADLZEQ6S3
-A KUBE-SVL-W6DWRVOIQKRHXDQP -m comment --comment "default/web-local -> 10.244.1.2:80" -j KUBE-SEP-3BUOLXOADLZEQ6S3
-A KUBE-SEP-OPV5FUCHNNQHROC5 -m comment --comment default/web-local -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-OPV5FUCHNNQHROC5 -m comment --comment default/web-local -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SEP-3BUOLXOADLZEQ6S3 -m comment --comment default/web-local -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-3BUOLXOADLZEQ6S3 -m comment --comment default/web-local -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SERVICES -m comment --comment "default/web-sticky cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 8080 -j KUBE-SVC-ZRW2IZUANS4E5N2L
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 8080 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky -> 10.244.0.2:80" -m recent --name KUBE-SEP-4NU4D4JHZZSNXMXA --rcheck --seconds 10800 --reap -j KUBE-SEP-4NU4D4JHZZSNXMXA
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky -> 10.244.1.2:80" -m recent --name KUBE-SEP-CKLGJ7SWY7TSCKKG --rcheck --seconds 10800 --reap -j KUBE-SEP-CKLGJ7SWY7TSCKKG
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky -> 10.244.0.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-4NU4D4JHZZSNXMXA
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky -> 10.244.1.2:80" -j KUBE-SEP-CKLGJ7SWY7TSCKKG
-A KUBE-SEP-4NU4D4JHZZSNXMXA -m comment --comment default/web-sticky -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-4NU4D4JHZZSNXMXA -m comment --comment default/web-sticky -m recent --name KUBE-SEP-4NU4D4JHZZSNXMXA --set -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SEP-CKLGJ7SWY7TSCKKG -m comment --comment default/web-sticky -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-CKLGJ7SWY7TSCKKG -m comment --comment default/web-sticky -m recent --name KUBE-SEP-CKLGJ7SWY7TSCKKG --set -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.4:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-SF3LG62VAE5ALYDV
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.1.4:53" -j KUBE-SEP-5BME6LXGYWTVD5D3
-A KUBE-SEP-SF3LG62VAE5ALYDV -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-SF3LG62VAE5ALYDV -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.4:53
-A KUBE-SEP-5BME6LXGYWTVD5D3 -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-5BME6LXGYWTVD5D3 -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.4:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-WXWGHGKZOCNYRYI7
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.4:53" -j KUBE-SEP-222YD7DQOUNKFRLL
-A KUBE-SEP-WXWGHGKZOCNYRYI7 -m comment --comment kube-system/kube-dns:dns -s 10.244.0.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-WXWGHGKZOCNYRYI7 -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.4:53
-A KUBE-SEP-222YD7DQOUNKFRLL -m comment --comment kube-system/kube-dns:dns -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-222YD7DQOUNKFRLL -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.1.4:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.4:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-PUHFDAMRBZWCPADU
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.1.4:9153" -j KUBE-SEP-NG3JZDJDUTWZSDOR
-A KUBE-SEP-PUHFDAMRBZWCPADU -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-PUHFDAMRBZWCPADU -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.4:9153
-A KUBE-SEP-NG3JZDJDUTWZSDOR -m comment --comment kube-system/kube-dns:metrics -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-NG3JZDJDUTWZSDOR -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:9153
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

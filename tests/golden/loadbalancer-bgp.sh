#!/usr/bin/env bash
# netlab plan for lab loadbalancer-bgp: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down loadbalancer-bgp`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/loadbalancer-bgp}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.loadbalancer-bgp.underlay
ip -n netlab.loadbalancer-bgp.underlay link add br0 address 06:63:1e:03:7d:e4 mtu 1500 type bridge
ip -n netlab.loadbalancer-bgp.underlay link set dev br0 alias netlab:loadbalancer-bgp up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.loadbalancer-bgp.internet
ip -n netlab.loadbalancer-bgp.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.loadbalancer-bgp.internet
ip -n netlab.loadbalancer-bgp.underlay link set dev internet master br0 alias netlab:loadbalancer-bgp up
ip -n netlab.loadbalancer-bgp.internet link set dev lo up
ip -n netlab.loadbalancer-bgp.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.loadbalancer-bgp.internet link set dev eth0 alias netlab:loadbalancer-bgp up
ip -n netlab.loadbalancer-bgp.internet link add br0 address 22:ee:6e:ae:96:2d mtu 1500 type bridge
ip -n netlab.loadbalancer-bgp.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.loadbalancer-bgp.internet link set dev br0 alias netlab:loadbalancer-bgp up
ip netns exec netlab.loadbalancer-bgp.internet sysctl -qw net.ipv4.ip_forward=1

# internet host client
ip netns add netlab.loadbalancer-bgp.client
ip -n netlab.loadbalancer-bgp.internet link add client mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.loadbalancer-bgp.client
ip -n netlab.loadbalancer-bgp.internet link set dev client master br0 alias netlab:loadbalancer-bgp up
ip -n netlab.loadbalancer-bgp.client link set dev lo up
ip -n netlab.loadbalancer-bgp.client addr add 203.0.113.10/24 dev eth0
ip -n netlab.loadbalancer-bgp.client link set dev eth0 alias netlab:loadbalancer-bgp up
ip -n netlab.loadbalancer-bgp.client route add default via 203.0.113.1 dev eth0

# internet host ns1
ip netns add netlab.loadbalancer-bgp.ns1
ip -n netlab.loadbalancer-bgp.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.loadbalancer-bgp.ns1
ip -n netlab.loadbalancer-bgp.internet link set dev ns1 master br0 alias netlab:loadbalancer-bgp up
ip -n netlab.loadbalancer-bgp.ns1 link set dev lo up
ip -n netlab.loadbalancer-bgp.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.loadbalancer-bgp.ns1 link set dev eth0 alias netlab:loadbalancer-bgp up
ip -n netlab.loadbalancer-bgp.ns1 route add default via 203.0.113.1 dev eth0

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.loadbalancer-bgp.node1
ip -n netlab.loadbalancer-bgp.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.loadbalancer-bgp.node1
ip -n netlab.loadbalancer-bgp.underlay link set dev node1 master br0 alias netlab:loadbalancer-bgp up
ip -n netlab.loadbalancer-bgp.node1 link set dev lo up
ip -n netlab.loadbalancer-bgp.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.loadbalancer-bgp.node1 link set dev eth0 alias netlab:loadbalancer-bgp up
ip -n netlab.loadbalancer-bgp.node1 route add default via 192.168.56.1 dev eth0

# node node2: eth0 192.168.56.12 on the underlay, default route via the router
ip netns add netlab.loadbalancer-bgp.node2
ip -n netlab.loadbalancer-bgp.underlay link add node2 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.loadbalancer-bgp.node2
ip -n netlab.loadbalancer-bgp.underlay link set dev node2 master br0 alias netlab:loadbalancer-bgp up
ip -n netlab.loadbalancer-bgp.node2 link set dev lo up
ip -n netlab.loadbalancer-bgp.node2 addr add 192.168.56.12/24 dev eth0
ip -n netlab.loadbalancer-bgp.node2 link set dev eth0 alias netlab:loadbalancer-bgp up
ip -n netlab.loadbalancer-bgp.node2 route add default via 192.168.56.1 dev eth0

# node node3: eth0 192.168.56.13 on the underlay, default route via the router
ip netns add netlab.loadbalancer-bgp.node3
ip -n netlab.loadbalancer-bgp.underlay link add node3 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.loadbalancer-bgp.node3
ip -n netlab.loadbalancer-bgp.underlay link set dev node3 master br0 alias netlab:loadbalancer-bgp up
ip -n netlab.loadbalancer-bgp.node3 link set dev lo up
ip -n netlab.loadbalancer-bgp.node3 addr add 192.168.56.13/24 dev eth0
ip -n netlab.loadbalancer-bgp.node3 link set dev eth0 alias netlab:loadbalancer-bgp up
ip -n netlab.loadbalancer-bgp.node3 route add default via 192.168.56.1 dev eth0

# node node1: flanneld (vxlan) leases 10.244.0.0/24; forwarding and bridge netfilter on
ip netns exec netlab.loadbalancer-bgp.node1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.loadbalancer-bgp.node1 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node1" && cat > "$NETLAB_STATE/flannel/node1/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.0.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node1: flanneld's masquerade and forward rules
ip netns exec netlab.loadbalancer-bgp.node1 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.loadbalancer-bgp.node1 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node1: the VXLAN tunnel endpoint flannel.1
ip -n netlab.loadbalancer-bgp.node1 link add flannel.1 address 2a:13:1f:6e:dd:0b mtu 1450 type vxlan id 1 local 192.168.56.11 dev eth0 nolearning
ip -n netlab.loadbalancer-bgp.node1 addr add 10.244.0.0/32 dev flannel.1
ip -n netlab.loadbalancer-bgp.node1 link set dev flannel.1 alias netlab:loadbalancer-bgp up

# node node1: how to reach 10.244.1.0/24 on node2 (ARP, FDB, route)
ip -n netlab.loadbalancer-bgp.node1 neigh add 10.244.1.0 lladdr 4a:ac:ef:60:f3:29 dev flannel.1 nud permanent
bridge -n netlab.loadbalancer-bgp.node1 fdb add 4a:ac:ef:60:f3:29 dev flannel.1 dst 192.168.56.12 self permanent
ip -n netlab.loadbalancer-bgp.node1 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink

# node node1: how to reach 10.244.2.0/24 on node3 (ARP, FDB, route)
ip -n netlab.loadbalancer-bgp.node1 neigh add 10.244.2.0 lladdr fa:66:83:5d:ca:aa dev flannel.1 nud permanent
bridge -n netlab.loadbalancer-bgp.node1 fdb add fa:66:83:5d:ca:aa dev flannel.1 dst 192.168.56.13 self permanent
ip -n netlab.loadbalancer-bgp.node1 route add 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink

# node node2: flanneld (vxlan) leases 10.244.1.0/24; forwarding and bridge netfilter on
ip netns exec netlab.loadbalancer-bgp.node2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.loadbalancer-bgp.node2 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node2" && cat > "$NETLAB_STATE/flannel/node2/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.1.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node2: flanneld's masquerade and forward rules
ip netns exec netlab.loadbalancer-bgp.node2 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.loadbalancer-bgp.node2 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node2: the VXLAN tunnel endpoint flannel.1
ip -n netlab.loadbalancer-bgp.node2 link add flannel.1 address 4a:ac:ef:60:f3:29 mtu 1450 type vxlan id 1 local 192.168.56.12 dev eth0 nolearning
ip -n netlab.loadbalancer-bgp.node2 addr add 10.244.1.0/32 dev flannel.1
ip -n netlab.loadbalancer-bgp.node2 link set dev flannel.1 alias netlab:loadbalancer-bgp up

# node node2: how to reach 10.244.0.0/24 on node1 (ARP, FDB, route)
ip -n netlab.loadbalancer-bgp.node2 neigh add 10.244.0.0 lladdr 2a:13:1f:6e:dd:0b dev flannel.1 nud permanent
bridge -n netlab.loadbalancer-bgp.node2 fdb add 2a:13:1f:6e:dd:0b dev flannel.1 dst 192.168.56.11 self permanent
ip -n netlab.loadbalancer-bgp.node2 route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink

# node node2: how to reach 10.244.2.0/24 on node3 (ARP, FDB, route)
ip -n netlab.loadbalancer-bgp.node2 neigh add 10.244.2.0 lladdr fa:66:83:5d:ca:aa dev flannel.1 nud permanent
bridge -n netlab.loadbalancer-bgp.node2 fdb add fa:66:83:5d:ca:aa dev flannel.1 dst 192.168.56.13 self permanent
ip -n netlab.loadbalancer-bgp.node2 route add 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink

# node node3: flanneld (vxlan) leases 10.244.2.0/24; forwarding and bridge netfilter on
ip netns exec netlab.loadbalancer-bgp.node3 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.loadbalancer-bgp.node3 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node3" && cat > "$NETLAB_STATE/flannel/node3/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.2.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node3: flanneld's masquerade and forward rules
ip netns exec netlab.loadbalancer-bgp.node3 iptables-restore --noflush <<'EOF'
*nat
:FLANNEL-POSTRTG - [0:0]
-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG
-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG -s 10.244.2.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.2.0/24 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.2.0/24 -m comment --comment "flanneld masq" -j RETURN
-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
COMMIT
EOF
ip netns exec netlab.loadbalancer-bgp.node3 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node3: the VXLAN tunnel endpoint flannel.1
ip -n netlab.loadbalancer-bgp.node3 link add flannel.1 address fa:66:83:5d:ca:aa mtu 1450 type vxlan id 1 local 192.168.56.13 dev eth0 nolearning
ip -n netlab.loadbalancer-bgp.node3 addr add 10.244.2.0/32 dev flannel.1
ip -n netlab.loadbalancer-bgp.node3 link set dev flannel.1 alias netlab:loadbalancer-bgp up

# node node3: how to reach 10.244.0.0/24 on node1 (ARP, FDB, route)
ip -n netlab.loadbalancer-bgp.node3 neigh add 10.244.0.0 lladdr 2a:13:1f:6e:dd:0b dev flannel.1 nud permanent
bridge -n netlab.loadbalancer-bgp.node3 fdb add 2a:13:1f:6e:dd:0b dev flannel.1 dst 192.168.56.11 self permanent
ip -n netlab.loadbalancer-bgp.node3 route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink

# node node3: how to reach 10.244.1.0/24 on node2 (ARP, FDB, route)
ip -n netlab.loadbalancer-bgp.node3 neigh add 10.244.1.0 lladdr 4a:ac:ef:60:f3:29 dev flannel.1 nud permanent
bridge -n netlab.loadbalancer-bgp.node3 fdb add 4a:ac:ef:60:f3:29 dev flannel.1 dst 192.168.56.12 self permanent
ip -n netlab.loadbalancer-bgp.node3 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink

# node node1: the CNI bridge plugin creates cni0 10.244.0.1/24
ip -n netlab.loadbalancer-bgp.node1 link add cni0 address 1a:87:9a:e6:b5:e5 mtu 1450 type bridge
ip -n netlab.loadbalancer-bgp.node1 addr add 10.244.0.1/24 dev cni0
ip -n netlab.loadbalancer-bgp.node1 link set dev cni0 alias netlab:loadbalancer-bgp up

# pod web1: 10.244.0.2/24 on cni0 through veth5e5d984c
ip netns add netlab.loadbalancer-bgp.web1
ip -n netlab.loadbalancer-bgp.node1 link add veth5e5d984c mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.loadbalancer-bgp.web1
ip -n netlab.loadbalancer-bgp.node1 link set dev veth5e5d984c master cni0 alias netlab:loadbalancer-bgp up
ip netns exec netlab.loadbalancer-bgp.web1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.loadbalancer-bgp.web1 link set dev lo up
ip -n netlab.loadbalancer-bgp.web1 addr add 10.244.0.2/24 dev eth0
ip -n netlab.loadbalancer-bgp.web1 link set dev eth0 alias netlab:loadbalancer-bgp up
bridge -n netlab.loadbalancer-bgp.node1 link set dev veth5e5d984c hairpin on
ip -n netlab.loadbalancer-bgp.web1 route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.loadbalancer-bgp.web1 route add default via 10.244.0.1 dev eth0

# pod coredns-7b5fc74fc-gmtxp: 10.244.0.3/24 on cni0 through veth516fa462
ip netns add netlab.loadbalancer-bgp.coredns-7b5fc74fc-gmtxp
ip -n netlab.loadbalancer-bgp.node1 link add veth516fa462 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.loadbalancer-bgp.coredns-7b5fc74fc-gmtxp
ip -n netlab.loadbalancer-bgp.node1 link set dev veth516fa462 master cni0 alias netlab:loadbalancer-bgp up
ip netns exec netlab.loadbalancer-bgp.coredns-7b5fc74fc-gmtxp sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.loadbalancer-bgp.coredns-7b5fc74fc-gmtxp link set dev lo up
ip -n netlab.loadbalancer-bgp.coredns-7b5fc74fc-gmtxp addr add 10.244.0.3/24 dev eth0
ip -n netlab.loadbalancer-bgp.coredns-7b5fc74fc-gmtxp link set dev eth0 alias netlab:loadbalancer-bgp up
bridge -n netlab.loadbalancer-bgp.node1 link set dev veth516fa462 hairpin on
ip -n netlab.loadbalancer-bgp.coredns-7b5fc74fc-gmtxp route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.loadbalancer-bgp.coredns-7b5fc74fc-gmtxp route add default via 10.244.0.1 dev eth0

# node node2: the CNI bridge plugin creates cni0 10.244.1.1/24
ip -n netlab.loadbalancer-bgp.node2 link add cni0 address 0a:4b:62:cc:b0:1b mtu 1450 type bridge
ip -n netlab.loadbalancer-bgp.node2 addr add 10.244.1.1/24 dev cni0
ip -n netlab.loadbalancer-bgp.node2 link set dev cni0 alias netlab:loadbalancer-bgp up

# pod web2: 10.244.1.2/24 on cni0 through veth1a0f62b2
ip netns add netlab.loadbalancer-bgp.web2
ip -n netlab.loadbalancer-bgp.node2 link add veth1a0f62b2 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.loadbalancer-bgp.web2
ip -n netlab.loadbalancer-bgp.node2 link set dev veth1a0f62b2 master cni0 alias netlab:loadbalancer-bgp up
ip netns exec netlab.loadbalancer-bgp.web2 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.loadbalancer-bgp.web2 link set dev lo up
ip -n netlab.loadbalancer-bgp.web2 addr add 10.244.1.2/24 dev eth0
ip -n netlab.loadbalancer-bgp.web2 link set dev eth0 alias netlab:loadbalancer-bgp up
bridge -n netlab.loadbalancer-bgp.node2 link set dev veth1a0f62b2 hairpin on
ip -n netlab.loadbalancer-bgp.web2 route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.loadbalancer-bgp.web2 route add default via 10.244.1.1 dev eth0

# pod coredns-7b5fc74fc-896cd: 10.244.1.3/24 on cni0 through vethc73369ff
ip netns add netlab.loadbalancer-bgp.coredns-7b5fc74fc-896cd
ip -n netlab.loadbalancer-bgp.node2 link add vethc73369ff mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.loadbalancer-bgp.coredns-7b5fc74fc-896cd
ip -n netlab.loadbalancer-bgp.node2 link set dev vethc73369ff master cni0 alias netlab:loadbalancer-bgp up
ip netns exec netlab.loadbalancer-bgp.coredns-7b5fc74fc-896cd sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.loadbalancer-bgp.coredns-7b5fc74fc-896cd link set dev lo up
ip -n netlab.loadbalancer-bgp.coredns-7b5fc74fc-896cd addr add 10.244.1.3/24 dev eth0
ip -n netlab.loadbalancer-bgp.coredns-7b5fc74fc-896cd link set dev eth0 alias netlab:loadbalancer-bgp up
bridge -n netlab.loadbalancer-bgp.node2 link set dev vethc73369ff hairpin on
ip -n netlab.loadbalancer-bgp.coredns-7b5fc74fc-896cd route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.loadbalancer-bgp.coredns-7b5fc74fc-896cd route add default via 10.244.1.1 dev eth0

# node node3: the CNI bridge plugin creates cni0 10.244.2.1/24
ip -n netlab.loadbalancer-bgp.node3 link add cni0 address 4a:e2:66:b3:33:48 mtu 1450 type bridge
ip -n netlab.loadbalancer-bgp.node3 addr add 10.244.2.1/24 dev cni0
ip -n netlab.loadbalancer-bgp.node3 link set dev cni0 alias netlab:loadbalancer-bgp up

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.loadbalancer-bgp.web1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web1 --http 80 >"$NETLAB_STATE/logs/echo-web1.log" 2>&1 </dev/null
ip netns exec netlab.loadbalancer-bgp.web2 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web2 --http 80 >"$NETLAB_STATE/logs/echo-web2.log" 2>&1 </dev/null

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
ip netns exec netlab.loadbalancer-bgp.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.loadbalancer-bgp.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.loadbalancer-bgp.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.loadbalancer-bgp.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 3103401795 7200 1800 86400 300
example.com. 300 IN NS ns1.example.com.
10.113.0.203.in-addr.arpa. 300 IN PTR client.example.com.
53.113.0.203.in-addr.arpa. 300 IN PTR ns1.example.com.
client.example.com. 300 IN A 203.0.113.10
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
ip netns exec netlab.loadbalancer-bgp.coredns-7b5fc74fc-gmtxp setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-gmtxp.log" 2>&1 </dev/null
ip netns exec netlab.loadbalancer-bgp.coredns-7b5fc74fc-gmtxp sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf"
ip netns exec netlab.loadbalancer-bgp.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.loadbalancer-bgp.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1911519618 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web-local.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.3
10-244-0-3.kube-system.pod.cluster.local. 30 IN A 10.244.0.3
10-244-1-2.default.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web-local.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.3
10-244-1-3.kube-system.pod.cluster.local. 30 IN A 10.244.1.3
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local.
12.0.96.10.in-addr.arpa. 30 IN PTR web-local.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web-local.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web.default.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.web-local.default.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.web.default.svc.cluster.local.
3.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-3.kube-dns.kube-system.svc.cluster.local.
3.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-3.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
web-local.default.svc.cluster.local. 30 IN A 10.96.0.12
web-local.default.svc.cluster.local. 30 IN SRV 0 100 80 web-local.default.svc.cluster.local.
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
ip netns exec netlab.loadbalancer-bgp.coredns-7b5fc74fc-896cd setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-896cd.log" 2>&1 </dev/null
ip netns exec netlab.loadbalancer-bgp.coredns-7b5fc74fc-896cd sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf"
ip netns exec netlab.loadbalancer-bgp.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.loadbalancer-bgp.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1911519618 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web-local.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.3
10-244-0-3.kube-system.pod.cluster.local. 30 IN A 10.244.0.3
10-244-1-2.default.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web-local.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.3
10-244-1-3.kube-system.pod.cluster.local. 30 IN A 10.244.1.3
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local.
12.0.96.10.in-addr.arpa. 30 IN PTR web-local.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web-local.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web.default.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.web-local.default.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.web.default.svc.cluster.local.
3.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-3.kube-dns.kube-system.svc.cluster.local.
3.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-3.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
web-local.default.svc.cluster.local. 30 IN A 10.96.0.12
web-local.default.svc.cluster.local. 30 IN SRV 0 100 80 web-local.default.svc.cluster.local.
web.default.svc.cluster.local. 30 IN A 10.96.0.11
web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.
EOF
mkdir -p "/etc/netns/netlab.loadbalancer-bgp.node1" && cat > "/etc/netns/netlab.loadbalancer-bgp.node1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.loadbalancer-bgp.node2" && cat > "/etc/netns/netlab.loadbalancer-bgp.node2/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.loadbalancer-bgp.node3" && cat > "/etc/netns/netlab.loadbalancer-bgp.node3/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.loadbalancer-bgp.client" && cat > "/etc/netns/netlab.loadbalancer-bgp.client/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.loadbalancer-bgp.ns1" && cat > "/etc/netns/netlab.loadbalancer-bgp.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.loadbalancer-bgp.web1" && cat > "/etc/netns/netlab.loadbalancer-bgp.web1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.loadbalancer-bgp.web2" && cat > "/etc/netns/netlab.loadbalancer-bgp.web2/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.loadbalancer-bgp.coredns-7b5fc74fc-gmtxp" && cat > "/etc/netns/netlab.loadbalancer-bgp.coredns-7b5fc74fc-gmtxp/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.loadbalancer-bgp.coredns-7b5fc74fc-896cd" && cat > "/etc/netns/netlab.loadbalancer-bgp.coredns-7b5fc74fc-896cd/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF

# node node1: kube-proxy (iptables mode) programs 3 services
ip netns exec netlab.loadbalancer-bgp.node1 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.loadbalancer-bgp.node1 iptables-restore --noflush <<'EOF'
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
-A KUBE-NODEPORTS -m comment --comment "default/web-local health check node port" -m tcp -p tcp --dport 30002 -j ACCEPT
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-EXT-LOLE4ISW44XBNF3G - [0:0]
:KUBE-SVC-LOLE4ISW44XBNF3G - [0:0]
:KUBE-SEP-NRFUO7XKMWLPJJAE - [0:0]
:KUBE-SEP-MQ4W7Q2CV67URU6Q - [0:0]
:KUBE-EXT-W6DWRVOIQKRHXDQP - [0:0]
:KUBE-SVC-W6DWRVOIQKRHXDQP - [0:0]
:KUBE-SVL-W6DWRVOIQKRHXDQP - [0:0]
:KUBE-SEP-OPV5FUCHNNQHROC5 - [0:0]
:KUBE-SEP-3BUOLXOADLZEQ6S3 - [0:0]
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
-A KUBE-SERVICES -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 -j KUBE-SVC-LOLE4ISW44XBNF3G
-A KUBE-SERVICES -m comment --comment "default/web loadbalancer IP" -m tcp -p tcp -d 198.51.100.10 --dport 80 -j KUBE-EXT-LOLE4ISW44XBNF3G
-A KUBE-NODEPORTS -m comment --comment default/web -m tcp -p tcp --dport 30000 -j KUBE-EXT-LOLE4ISW44XBNF3G
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-LOLE4ISW44XBNF3G -m comment --comment "masquerade traffic for default/web external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-LOLE4ISW44XBNF3G -j KUBE-SVC-LOLE4ISW44XBNF3G
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.0.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-NRFUO7XKMWLPJJAE
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.1.2:80" -j KUBE-SEP-MQ4W7Q2CV67URU6Q
-A KUBE-SEP-NRFUO7XKMWLPJJAE -m comment --comment default/web -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-NRFUO7XKMWLPJJAE -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SEP-MQ4W7Q2CV67URU6Q -m comment --comment default/web -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-MQ4W7Q2CV67URU6Q -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SERVICES -m comment --comment "default/web-local cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 -j KUBE-SVC-W6DWRVOIQKRHXDQP
-A KUBE-SERVICES -m comment --comment "default/web-local loadbalancer IP" -m tcp -p tcp -d 198.51.100.11 --dport 80 -j KUBE-EXT-W6DWRVOIQKRHXDQP
-A KUBE-NODEPORTS -m comment --comment default/web-local -m tcp -p tcp --dport 30001 -j KUBE-EXT-W6DWRVOIQKRHXDQP
-A KUBE-SVC-W6DWRVOIQKRHXDQP -m comment --comment "default/web-local cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
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

# node node1: kube-proxy's health check server on 30002
ip netns exec netlab.loadbalancer-bgp.node1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.healthcheck --service default/web-local:30002:1 >"$NETLAB_STATE/logs/healthcheck-node1.log" 2>&1 </dev/null

# node node2: kube-proxy (iptables mode) programs 3 services
ip netns exec netlab.loadbalancer-bgp.node2 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.loadbalancer-bgp.node2 iptables-restore --noflush <<'EOF'
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
-A KUBE-NODEPORTS -m comment --comment "default/web-local health check node port" -m tcp -p tcp --dport 30002 -j ACCEPT
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-EXT-LOLE4ISW44XBNF3G - [0:0]
:KUBE-SVC-LOLE4ISW44XBNF3G - [0:0]
:KUBE-SEP-NRFUO7XKMWLPJJAE - [0:0]
:KUBE-SEP-MQ4W7Q2CV67URU6Q - [0:0]
:KUBE-EXT-W6DWRVOIQKRHXDQP - [0:0]
:KUBE-SVC-W6DWRVOIQKRHXDQP - [0:0]
:KUBE-SVL-W6DWRVOIQKRHXDQP - [0:0]
:KUBE-SEP-OPV5FUCHNNQHROC5 - [0:0]
:KUBE-SEP-3BUOLXOADLZEQ6S3 - [0:0]
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
-A KUBE-SERVICES -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 -j KUBE-SVC-LOLE4ISW44XBNF3G
-A KUBE-SERVICES -m comment --comment "default/web loadbalancer IP" -m tcp -p tcp -d 198.51.100.10 --dport 80 -j KUBE-EXT-LOLE4ISW44XBNF3G
-A KUBE-NODEPORTS -m comment --comment default/web -m tcp -p tcp --dport 30000 -j KUBE-EXT-LOLE4ISW44XBNF3G
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-LOLE4ISW44XBNF3G -m comment --comment "masquerade traffic for default/web external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-LOLE4ISW44XBNF3G -j KUBE-SVC-LOLE4ISW44XBNF3G
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.0.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-NRFUO7XKMWLPJJAE
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.1.2:80" -j KUBE-SEP-MQ4W7Q2CV67URU6Q
-A KUBE-SEP-NRFUO7XKMWLPJJAE -m comment --comment default/web -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-NRFUO7XKMWLPJJAE -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SEP-MQ4W7Q2CV67URU6Q -m comment --comment default/web -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-MQ4W7Q2CV67URU6Q -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SERVICES -m comment --comment "default/web-local cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 -j KUBE-SVC-W6DWRVOIQKRHXDQP
-A KUBE-SERVICES -m comment --comment "default/web-local loadbalancer IP" -m tcp -p tcp -d 198.51.100.11 --dport 80 -j KUBE-EXT-W6DWRVOIQKRHXDQP
-A KUBE-NODEPORTS -m comment --comment default/web-local -m tcp -p tcp --dport 30001 -j KUBE-EXT-W6DWRVOIQKRHXDQP
-A KUBE-SVC-W6DWRVOIQKRHXDQP -m comment --comment "default/web-local cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
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

# node node2: kube-proxy's health check server on 30002
ip netns exec netlab.loadbalancer-bgp.node2 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.healthcheck --service default/web-local:30002:1 >"$NETLAB_STATE/logs/healthcheck-node2.log" 2>&1 </dev/null

# node node3: kube-proxy (iptables mode) programs 3 services
ip netns exec netlab.loadbalancer-bgp.node3 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.loadbalancer-bgp.node3 iptables-restore --noflush <<'EOF'
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
-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/web-local has no local endpoints" -m tcp -p tcp -d 198.51.100.11 --dport 80 -j DROP
-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/web-local has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30001 -j DROP
-A KUBE-NODEPORTS -m comment --comment "default/web-local health check node port" -m tcp -p tcp --dport 30002 -j ACCEPT
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-EXT-LOLE4ISW44XBNF3G - [0:0]
:KUBE-SVC-LOLE4ISW44XBNF3G - [0:0]
:KUBE-SEP-NRFUO7XKMWLPJJAE - [0:0]
:KUBE-SEP-MQ4W7Q2CV67URU6Q - [0:0]
:KUBE-EXT-W6DWRVOIQKRHXDQP - [0:0]
:KUBE-SVC-W6DWRVOIQKRHXDQP - [0:0]
:KUBE-SEP-OPV5FUCHNNQHROC5 - [0:0]
:KUBE-SEP-3BUOLXOADLZEQ6S3 - [0:0]
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
-A KUBE-SERVICES -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 -j KUBE-SVC-LOLE4ISW44XBNF3G
-A KUBE-SERVICES -m comment --comment "default/web loadbalancer IP" -m tcp -p tcp -d 198.51.100.10 --dport 80 -j KUBE-EXT-LOLE4ISW44XBNF3G
-A KUBE-NODEPORTS -m comment --comment default/web -m tcp -p tcp --dport 30000 -j KUBE-EXT-LOLE4ISW44XBNF3G
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-LOLE4ISW44XBNF3G -m comment --comment "masquerade traffic for default/web external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-LOLE4ISW44XBNF3G -j KUBE-SVC-LOLE4ISW44XBNF3G
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.0.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-NRFUO7XKMWLPJJAE
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.1.2:80" -j KUBE-SEP-MQ4W7Q2CV67URU6Q
-A KUBE-SEP-NRFUO7XKMWLPJJAE -m comment --comment default/web -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-NRFUO7XKMWLPJJAE -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SEP-MQ4W7Q2CV67URU6Q -m comment --comment default/web -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-MQ4W7Q2CV67URU6Q -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SERVICES -m comment --comment "default/web-local cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 -j KUBE-SVC-W6DWRVOIQKRHXDQP
-A KUBE-SERVICES -m comment --comment "default/web-local loadbalancer IP" -m tcp -p tcp -d 198.51.100.11 --dport 80 -j KUBE-EXT-W6DWRVOIQKRHXDQP
-A KUBE-NODEPORTS -m comment --comment default/web-local -m tcp -p tcp --dport 30001 -j KUBE-EXT-W6DWRVOIQKRHXDQP
-A KUBE-SVC-W6DWRVOIQKRHXDQP -m comment --comment "default/web-local cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-W6DWRVOIQKRHXDQP -m comment --comment "pod traffic for default/web-local external destinations" -s 10.244.0.0/16 -j KUBE-SVC-W6DWRVOIQKRHXDQP
-A KUBE-EXT-W6DWRVOIQKRHXDQP -m comment --comment "masquerade LOCAL traffic for default/web-local external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
-A KUBE-EXT-W6DWRVOIQKRHXDQP -m comment --comment "route LOCAL traffic for default/web-local external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-W6DWRVOIQKRHXDQP
-A KUBE-SVC-W6DWRVOIQKRHXDQP -m comment --comment "default/web-local -> 10.244.0.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-OPV5FUCHNNQHROC5
-A KUBE-SVC-W6DWRVOIQKRHXDQP -m comment --comment "default/web-local -> 10.244.1.2:80" -j KUBE-SEP-3BUOLXOADLZEQ6S3
-A KUBE-SEP-OPV5FUCHNNQHROC5 -m comment --comment default/web-local -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-OPV5FUCHNNQHROC5 -m comment --comment default/web-local -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SEP-3BUOLXOADLZEQ6S3 -m comment --comment default/web-local -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-3BUOLXOADLZEQ6S3 -m comment --comment default/web-local -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
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

# node node3: kube-proxy's health check server on 30002
ip netns exec netlab.loadbalancer-bgp.node3 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.healthcheck --service default/web-local:30002:0 >"$NETLAB_STATE/logs/healthcheck-node3.log" 2>&1 </dev/null

# internet: FRR speaks BGP (AS 64501) with node1, node2, node3
mkdir -p "$NETLAB_STATE/frr" && cat > "$NETLAB_STATE/frr/zebra.conf" <<'EOF'
hostname internet
log stdout informational
!
EOF
chown frr:frr "$NETLAB_STATE/frr"
ip netns exec netlab.loadbalancer-bgp.internet setsid -f /usr/lib/frr/zebra -u frr -g frr --vty_socket "$NETLAB_STATE/frr" -z "$NETLAB_STATE/frr/zserv.api" -P 0 -i "$NETLAB_STATE/frr/zebra.pid" -f "$NETLAB_STATE/frr/zebra.conf" >"$NETLAB_STATE/logs/frr-zebra.log" 2>&1 </dev/null
mkdir -p "$NETLAB_STATE/frr" && cat > "$NETLAB_STATE/frr/bgpd.conf" <<'EOF'
frr defaults traditional
hostname internet
log stdout informational
!
router bgp 64501
 bgp router-id 192.168.56.1
 no bgp ebgp-requires-policy
 neighbor 192.168.56.11 remote-as 64500
 neighbor 192.168.56.11 description node1
 neighbor 192.168.56.12 remote-as 64500
 neighbor 192.168.56.12 description node2
 neighbor 192.168.56.13 remote-as 64500
 neighbor 192.168.56.13 description node3
!
EOF
chown frr:frr "$NETLAB_STATE/frr"
ip netns exec netlab.loadbalancer-bgp.internet setsid -f /usr/lib/frr/bgpd -u frr -g frr --vty_socket "$NETLAB_STATE/frr" -z "$NETLAB_STATE/frr/zserv.api" -P 0 -i "$NETLAB_STATE/frr/bgpd.pid" -f "$NETLAB_STATE/frr/bgpd.conf" >"$NETLAB_STATE/logs/frr-bgpd.log" 2>&1 </dev/null

# node node1: MetalLB's speaker (FRR's bgpd, AS 64500) announces 198.51.100.10/32, 198.51.100.11/32 to the internet router 192.168.56.1
mkdir -p "$NETLAB_STATE/metallb/node1" && cat > "$NETLAB_STATE/metallb/node1/zebra.conf" <<'EOF'
hostname node1
log stdout informational
ip nht resolve-via-default
ipv6 nht resolve-via-default
!
EOF
chown frr:frr "$NETLAB_STATE/metallb/node1"
ip netns exec netlab.loadbalancer-bgp.node1 setsid -f /usr/lib/frr/zebra -u frr -g frr --vty_socket "$NETLAB_STATE/metallb/node1" -z "$NETLAB_STATE/metallb/node1/zserv.api" -P 0 -i "$NETLAB_STATE/metallb/node1/zebra.pid" -f "$NETLAB_STATE/metallb/node1/zebra.conf" >"$NETLAB_STATE/logs/metallb-zebra-node1.log" 2>&1 </dev/null
mkdir -p "$NETLAB_STATE/metallb/node1" && cat > "$NETLAB_STATE/metallb/node1/bgpd.conf" <<'EOF'
log stdout informational
log timestamp precision 3
hostname node1
route-map 192.168.56.1-in deny 20


ip prefix-list 192.168.56.1-allowed-ipv4 seq 1 permit 198.51.100.10/32
ip prefix-list 192.168.56.1-allowed-ipv4 seq 2 permit 198.51.100.11/32


ipv6 prefix-list 192.168.56.1-allowed-ipv6 seq 1 deny any

route-map 192.168.56.1-out permit 1
  match ip address prefix-list 192.168.56.1-allowed-ipv4

route-map 192.168.56.1-out permit 2
  match ipv6 address prefix-list 192.168.56.1-allowed-ipv6

router bgp 64500
  no bgp ebgp-requires-policy
  no bgp network import-check
  no bgp default ipv4-unicast
  bgp graceful-restart preserve-fw-state

  neighbor 192.168.56.1 remote-as 64501
  neighbor 192.168.56.1 port 179
  
  

  address-family ipv4 unicast
    neighbor 192.168.56.1 activate
    neighbor 192.168.56.1 route-map 192.168.56.1-in in
    neighbor 192.168.56.1 route-map 192.168.56.1-out out
  exit-address-family
  address-family ipv4 unicast
    network 198.51.100.10/32
    network 198.51.100.11/32
  exit-address-family

EOF
chown frr:frr "$NETLAB_STATE/metallb/node1"
ip netns exec netlab.loadbalancer-bgp.node1 setsid -f /usr/lib/frr/bgpd -u frr -g frr --vty_socket "$NETLAB_STATE/metallb/node1" -z "$NETLAB_STATE/metallb/node1/zserv.api" -P 0 -i "$NETLAB_STATE/metallb/node1/bgpd.pid" -f "$NETLAB_STATE/metallb/node1/bgpd.conf" >"$NETLAB_STATE/logs/metallb-speaker-node1.log" 2>&1 </dev/null

# node node2: MetalLB's speaker (FRR's bgpd, AS 64500) announces 198.51.100.10/32, 198.51.100.11/32 to the internet router 192.168.56.1
mkdir -p "$NETLAB_STATE/metallb/node2" && cat > "$NETLAB_STATE/metallb/node2/zebra.conf" <<'EOF'
hostname node2
log stdout informational
ip nht resolve-via-default
ipv6 nht resolve-via-default
!
EOF
chown frr:frr "$NETLAB_STATE/metallb/node2"
ip netns exec netlab.loadbalancer-bgp.node2 setsid -f /usr/lib/frr/zebra -u frr -g frr --vty_socket "$NETLAB_STATE/metallb/node2" -z "$NETLAB_STATE/metallb/node2/zserv.api" -P 0 -i "$NETLAB_STATE/metallb/node2/zebra.pid" -f "$NETLAB_STATE/metallb/node2/zebra.conf" >"$NETLAB_STATE/logs/metallb-zebra-node2.log" 2>&1 </dev/null
mkdir -p "$NETLAB_STATE/metallb/node2" && cat > "$NETLAB_STATE/metallb/node2/bgpd.conf" <<'EOF'
log stdout informational
log timestamp precision 3
hostname node2
route-map 192.168.56.1-in deny 20


ip prefix-list 192.168.56.1-allowed-ipv4 seq 1 permit 198.51.100.10/32
ip prefix-list 192.168.56.1-allowed-ipv4 seq 2 permit 198.51.100.11/32


ipv6 prefix-list 192.168.56.1-allowed-ipv6 seq 1 deny any

route-map 192.168.56.1-out permit 1
  match ip address prefix-list 192.168.56.1-allowed-ipv4

route-map 192.168.56.1-out permit 2
  match ipv6 address prefix-list 192.168.56.1-allowed-ipv6

router bgp 64500
  no bgp ebgp-requires-policy
  no bgp network import-check
  no bgp default ipv4-unicast
  bgp graceful-restart preserve-fw-state

  neighbor 192.168.56.1 remote-as 64501
  neighbor 192.168.56.1 port 179
  
  

  address-family ipv4 unicast
    neighbor 192.168.56.1 activate
    neighbor 192.168.56.1 route-map 192.168.56.1-in in
    neighbor 192.168.56.1 route-map 192.168.56.1-out out
  exit-address-family
  address-family ipv4 unicast
    network 198.51.100.10/32
    network 198.51.100.11/32
  exit-address-family

EOF
chown frr:frr "$NETLAB_STATE/metallb/node2"
ip netns exec netlab.loadbalancer-bgp.node2 setsid -f /usr/lib/frr/bgpd -u frr -g frr --vty_socket "$NETLAB_STATE/metallb/node2" -z "$NETLAB_STATE/metallb/node2/zserv.api" -P 0 -i "$NETLAB_STATE/metallb/node2/bgpd.pid" -f "$NETLAB_STATE/metallb/node2/bgpd.conf" >"$NETLAB_STATE/logs/metallb-speaker-node2.log" 2>&1 </dev/null

# node node3: MetalLB's speaker (FRR's bgpd, AS 64500) announces 198.51.100.10/32 to the internet router 192.168.56.1
mkdir -p "$NETLAB_STATE/metallb/node3" && cat > "$NETLAB_STATE/metallb/node3/zebra.conf" <<'EOF'
hostname node3
log stdout informational
ip nht resolve-via-default
ipv6 nht resolve-via-default
!
EOF
chown frr:frr "$NETLAB_STATE/metallb/node3"
ip netns exec netlab.loadbalancer-bgp.node3 setsid -f /usr/lib/frr/zebra -u frr -g frr --vty_socket "$NETLAB_STATE/metallb/node3" -z "$NETLAB_STATE/metallb/node3/zserv.api" -P 0 -i "$NETLAB_STATE/metallb/node3/zebra.pid" -f "$NETLAB_STATE/metallb/node3/zebra.conf" >"$NETLAB_STATE/logs/metallb-zebra-node3.log" 2>&1 </dev/null
mkdir -p "$NETLAB_STATE/metallb/node3" && cat > "$NETLAB_STATE/metallb/node3/bgpd.conf" <<'EOF'
log stdout informational
log timestamp precision 3
hostname node3
route-map 192.168.56.1-in deny 20


ip prefix-list 192.168.56.1-allowed-ipv4 seq 1 permit 198.51.100.10/32


ipv6 prefix-list 192.168.56.1-allowed-ipv6 seq 1 deny any

route-map 192.168.56.1-out permit 1
  match ip address prefix-list 192.168.56.1-allowed-ipv4

route-map 192.168.56.1-out permit 2
  match ipv6 address prefix-list 192.168.56.1-allowed-ipv6

router bgp 64500
  no bgp ebgp-requires-policy
  no bgp network import-check
  no bgp default ipv4-unicast
  bgp graceful-restart preserve-fw-state

  neighbor 192.168.56.1 remote-as 64501
  neighbor 192.168.56.1 port 179
  
  

  address-family ipv4 unicast
    neighbor 192.168.56.1 activate
    neighbor 192.168.56.1 route-map 192.168.56.1-in in
    neighbor 192.168.56.1 route-map 192.168.56.1-out out
  exit-address-family
  address-family ipv4 unicast
    network 198.51.100.10/32
  exit-address-family

EOF
chown frr:frr "$NETLAB_STATE/metallb/node3"
ip netns exec netlab.loadbalancer-bgp.node3 setsid -f /usr/lib/frr/bgpd -u frr -g frr --vty_socket "$NETLAB_STATE/metallb/node3" -z "$NETLAB_STATE/metallb/node3/zserv.api" -P 0 -i "$NETLAB_STATE/metallb/node3/bgpd.pid" -f "$NETLAB_STATE/metallb/node3/bgpd.conf" >"$NETLAB_STATE/logs/metallb-speaker-node3.log" 2>&1 </dev/null
ip netns exec netlab.loadbalancer-bgp.internet sysctl -qw net.ipv4.fib_multipath_hash_policy=1
ip netns exec netlab.loadbalancer-bgp.internet sh -c 'until [ "$(vtysh --vty_socket "$0" -c "show bgp summary json" | grep -c '"'"'"state":"Established"'"'"')" = 3 ]; do sleep 0.2; done' "$NETLAB_STATE/frr"

# internet: the routes to the load balancer addresses zebra installs, one next hop per node
ip netns exec netlab.loadbalancer-bgp.internet sh -c 'until [ -n "$(ip -n netlab.loadbalancer-bgp.internet route show exact 198.51.100.10/32 proto bgp)" ]; do sleep 0.1; done'   # frr-bgpd installs it: 198.51.100.10/32 proto bgp metric 20 nexthop via 192.168.56.11 dev eth0 weight 1 nexthop via 192.168.56.12 dev eth0 weight 1 nexthop via 192.168.56.13 dev eth0 weight 1
ip netns exec netlab.loadbalancer-bgp.internet sh -c 'until [ -n "$(ip -n netlab.loadbalancer-bgp.internet route show exact 198.51.100.11/32 proto bgp)" ]; do sleep 0.1; done'   # frr-bgpd installs it: 198.51.100.11/32 proto bgp metric 20 nexthop via 192.168.56.11 dev eth0 weight 1 nexthop via 192.168.56.12 dev eth0 weight 1

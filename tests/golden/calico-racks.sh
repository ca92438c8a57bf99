#!/usr/bin/env bash
# netlab plan for lab calico-racks: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down calico-racks`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/calico-racks}
mkdir -p "$NETLAB_STATE/logs"

# underlay: a switch per segment, the router between them (br0 192.168.56.0/24, br1 192.168.57.0/24)
ip netns add netlab.calico-racks.underlay
ip -n netlab.calico-racks.underlay link add br0 address 4a:9c:89:cc:37:4d mtu 1500 type bridge
ip -n netlab.calico-racks.underlay link set dev br0 alias netlab:calico-racks up
ip -n netlab.calico-racks.underlay link add br1 address 6e:a7:95:6b:a7:1b mtu 1500 type bridge
ip -n netlab.calico-racks.underlay link set dev br1 alias netlab:calico-racks up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.calico-racks.internet
ip -n netlab.calico-racks.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.calico-racks.internet
ip -n netlab.calico-racks.underlay link set dev internet master br0 alias netlab:calico-racks up
ip -n netlab.calico-racks.internet link set dev lo up
ip -n netlab.calico-racks.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.calico-racks.internet link set dev eth0 alias netlab:calico-racks up
ip -n netlab.calico-racks.underlay link add internet1 mtu 1500 type veth peer name eth1 mtu 1500 netns netlab.calico-racks.internet
ip -n netlab.calico-racks.underlay link set dev internet1 master br1 alias netlab:calico-racks up
ip -n netlab.calico-racks.internet addr add 192.168.57.1/24 dev eth1
ip -n netlab.calico-racks.internet link set dev eth1 alias netlab:calico-racks up
ip -n netlab.calico-racks.internet link add br0 address 96:32:f9:a4:d3:b5 mtu 1500 type bridge
ip -n netlab.calico-racks.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.calico-racks.internet link set dev br0 alias netlab:calico-racks up
ip netns exec netlab.calico-racks.internet sysctl -qw net.ipv4.ip_forward=1

# internet host ns1
ip netns add netlab.calico-racks.ns1
ip -n netlab.calico-racks.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.calico-racks.ns1
ip -n netlab.calico-racks.internet link set dev ns1 master br0 alias netlab:calico-racks up
ip -n netlab.calico-racks.ns1 link set dev lo up
ip -n netlab.calico-racks.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.calico-racks.ns1 link set dev eth0 alias netlab:calico-racks up
ip -n netlab.calico-racks.ns1 route add default via 203.0.113.1 dev eth0

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.calico-racks.node1
ip -n netlab.calico-racks.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.calico-racks.node1
ip -n netlab.calico-racks.underlay link set dev node1 master br0 alias netlab:calico-racks up
ip -n netlab.calico-racks.node1 link set dev lo up
ip -n netlab.calico-racks.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.calico-racks.node1 link set dev eth0 alias netlab:calico-racks up
ip -n netlab.calico-racks.node1 route add default via 192.168.56.1 dev eth0

# node node2: eth0 192.168.56.12 on the underlay, default route via the router
ip netns add netlab.calico-racks.node2
ip -n netlab.calico-racks.underlay link add node2 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.calico-racks.node2
ip -n netlab.calico-racks.underlay link set dev node2 master br0 alias netlab:calico-racks up
ip -n netlab.calico-racks.node2 link set dev lo up
ip -n netlab.calico-racks.node2 addr add 192.168.56.12/24 dev eth0
ip -n netlab.calico-racks.node2 link set dev eth0 alias netlab:calico-racks up
ip -n netlab.calico-racks.node2 route add default via 192.168.56.1 dev eth0

# node node3: eth0 192.168.57.11 on the underlay, default route via the router
ip netns add netlab.calico-racks.node3
ip -n netlab.calico-racks.underlay link add node3 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.calico-racks.node3
ip -n netlab.calico-racks.underlay link set dev node3 master br1 alias netlab:calico-racks up
ip -n netlab.calico-racks.node3 link set dev lo up
ip -n netlab.calico-racks.node3 addr add 192.168.57.11/24 dev eth0
ip -n netlab.calico-racks.node3 link set dev eth0 alias netlab:calico-racks up
ip -n netlab.calico-racks.node3 route add default via 192.168.57.1 dev eth0

# node node1: felix turns on forwarding
ip netns exec netlab.calico-racks.node1 sysctl -qw net.ipv4.ip_forward=1

# node node1: felix's VXLAN device vxlan.calico holding 10.244.0.0/32
ip -n netlab.calico-racks.node1 link add vxlan.calico address 66:f9:37:c3:7e:94 mtu 1450 type vxlan id 4096 local 192.168.56.11 dev eth0 dstport 4789 nolearning
ip -n netlab.calico-racks.node1 addr add 10.244.0.0/32 dev vxlan.calico
ip -n netlab.calico-racks.node1 link set dev vxlan.calico alias netlab:calico-racks up

# node node1: felix's blackhole for its own block 10.244.0.0/26
ip -n netlab.calico-racks.node1 route add blackhole 10.244.0.0/26 proto 80

# node node1: felix's route to node2's block 10.244.0.64/26
ip -n netlab.calico-racks.node1 neigh add 10.244.0.64 lladdr 66:2d:bf:44:a6:8b dev vxlan.calico nud permanent
bridge -n netlab.calico-racks.node1 fdb add 66:2d:bf:44:a6:8b dev vxlan.calico dst 192.168.56.12 self permanent
ip -n netlab.calico-racks.node1 route add 10.244.0.64/26 via 192.168.56.12 dev eth0 proto 80

# node node1: felix's route to node3's block 10.244.0.128/26
ip -n netlab.calico-racks.node1 neigh add 10.244.0.128 lladdr 66:a4:6f:e0:c4:da dev vxlan.calico nud permanent
bridge -n netlab.calico-racks.node1 fdb add 66:a4:6f:e0:c4:da dev vxlan.calico dst 192.168.57.11 self permanent
ip -n netlab.calico-racks.node1 route add 10.244.0.128/26 via 10.244.0.128 dev vxlan.calico onlink proto 80

# node node2: felix turns on forwarding
ip netns exec netlab.calico-racks.node2 sysctl -qw net.ipv4.ip_forward=1

# node node2: felix's VXLAN device vxlan.calico holding 10.244.0.64/32
ip -n netlab.calico-racks.node2 link add vxlan.calico address 66:2d:bf:44:a6:8b mtu 1450 type vxlan id 4096 local 192.168.56.12 dev eth0 dstport 4789 nolearning
ip -n netlab.calico-racks.node2 addr add 10.244.0.64/32 dev vxlan.calico
ip -n netlab.calico-racks.node2 link set dev vxlan.calico alias netlab:calico-racks up

# node node2: felix's blackhole for its own block 10.244.0.64/26
ip -n netlab.calico-racks.node2 route add blackhole 10.244.0.64/26 proto 80

# node node2: felix's route to node1's block 10.244.0.0/26
ip -n netlab.calico-racks.node2 neigh add 10.244.0.0 lladdr 66:f9:37:c3:7e:94 dev vxlan.calico nud permanent
bridge -n netlab.calico-racks.node2 fdb add 66:f9:37:c3:7e:94 dev vxlan.calico dst 192.168.56.11 self permanent
ip -n netlab.calico-racks.node2 route add 10.244.0.0/26 via 192.168.56.11 dev eth0 proto 80

# node node2: felix's route to node3's block 10.244.0.128/26
ip -n netlab.calico-racks.node2 neigh add 10.244.0.128 lladdr 66:a4:6f:e0:c4:da dev vxlan.calico nud permanent
bridge -n netlab.calico-racks.node2 fdb add 66:a4:6f:e0:c4:da dev vxlan.calico dst 192.168.57.11 self permanent
ip -n netlab.calico-racks.node2 route add 10.244.0.128/26 via 10.244.0.128 dev vxlan.calico onlink proto 80

# node node3: felix turns on forwarding
ip netns exec netlab.calico-racks.node3 sysctl -qw net.ipv4.ip_forward=1

# node node3: felix's VXLAN device vxlan.calico holding 10.244.0.128/32
ip -n netlab.calico-racks.node3 link add vxlan.calico address 66:a4:6f:e0:c4:da mtu 1450 type vxlan id 4096 local 192.168.57.11 dev eth0 dstport 4789 nolearning
ip -n netlab.calico-racks.node3 addr add 10.244.0.128/32 dev vxlan.calico
ip -n netlab.calico-racks.node3 link set dev vxlan.calico alias netlab:calico-racks up

# node node3: felix's blackhole for its own block 10.244.0.128/26
ip -n netlab.calico-racks.node3 route add blackhole 10.244.0.128/26 proto 80

# node node3: felix's route to node1's block 10.244.0.0/26
ip -n netlab.calico-racks.node3 neigh add 10.244.0.0 lladdr 66:f9:37:c3:7e:94 dev vxlan.calico nud permanent
bridge -n netlab.calico-racks.node3 fdb add 66:f9:37:c3:7e:94 dev vxlan.calico dst 192.168.56.11 self permanent
ip -n netlab.calico-racks.node3 route add 10.244.0.0/26 via 10.244.0.0 dev vxlan.calico onlink proto 80

# node node3: felix's route to node2's block 10.244.0.64/26
ip -n netlab.calico-racks.node3 neigh add 10.244.0.64 lladdr 66:2d:bf:44:a6:8b dev vxlan.calico nud permanent
bridge -n netlab.calico-racks.node3 fdb add 66:2d:bf:44:a6:8b dev vxlan.calico dst 192.168.56.12 self permanent
ip -n netlab.calico-racks.node3 route add 10.244.0.64/26 via 10.244.0.64 dev vxlan.calico onlink proto 80

# pod a1: 10.244.0.1/32 through cali5cce677186e, routed (no bridge)
ip netns add netlab.calico-racks.a1
ip -n netlab.calico-racks.node1 link add cali5cce677186e address ee:ee:ee:ee:ee:ee mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.calico-racks.a1
ip -n netlab.calico-racks.node1 link set dev cali5cce677186e alias netlab:calico-racks up
ip -n netlab.calico-racks.a1 link set dev lo up
ip -n netlab.calico-racks.a1 addr add 10.244.0.1/32 dev eth0
ip -n netlab.calico-racks.a1 link set dev eth0 alias netlab:calico-racks up
ip netns exec netlab.calico-racks.node1 sysctl -qw net.ipv4.conf.cali5cce677186e.route_localnet=1
ip netns exec netlab.calico-racks.node1 sysctl -qw net.ipv4.conf.cali5cce677186e.proxy_arp=1
ip netns exec netlab.calico-racks.node1 sysctl -qw net.ipv4.neigh.cali5cce677186e.proxy_delay=0
ip netns exec netlab.calico-racks.node1 sysctl -qw net.ipv4.conf.cali5cce677186e.forwarding=1
ip -n netlab.calico-racks.a1 route add 169.254.1.1/32 dev eth0
ip -n netlab.calico-racks.a1 route add default via 169.254.1.1 dev eth0
ip -n netlab.calico-racks.node1 route add 10.244.0.1/32 dev cali5cce677186e metric 1024

# pod coredns-7b5fc74fc-gmtxp: 10.244.0.2/32 through calidd72509c9a3, routed (no bridge)
ip netns add netlab.calico-racks.coredns-7b5fc74fc-gmtxp
ip -n netlab.calico-racks.node1 link add calidd72509c9a3 address ee:ee:ee:ee:ee:ee mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.calico-racks.coredns-7b5fc74fc-gmtxp
ip -n netlab.calico-racks.node1 link set dev calidd72509c9a3 alias netlab:calico-racks up
ip -n netlab.calico-racks.coredns-7b5fc74fc-gmtxp link set dev lo up
ip -n netlab.calico-racks.coredns-7b5fc74fc-gmtxp addr add 10.244.0.2/32 dev eth0
ip -n netlab.calico-racks.coredns-7b5fc74fc-gmtxp link set dev eth0 alias netlab:calico-racks up
ip netns exec netlab.calico-racks.node1 sysctl -qw net.ipv4.conf.calidd72509c9a3.route_localnet=1
ip netns exec netlab.calico-racks.node1 sysctl -qw net.ipv4.conf.calidd72509c9a3.proxy_arp=1
ip netns exec netlab.calico-racks.node1 sysctl -qw net.ipv4.neigh.calidd72509c9a3.proxy_delay=0
ip netns exec netlab.calico-racks.node1 sysctl -qw net.ipv4.conf.calidd72509c9a3.forwarding=1
ip -n netlab.calico-racks.coredns-7b5fc74fc-gmtxp route add 169.254.1.1/32 dev eth0
ip -n netlab.calico-racks.coredns-7b5fc74fc-gmtxp route add default via 169.254.1.1 dev eth0
ip -n netlab.calico-racks.node1 route add 10.244.0.2/32 dev calidd72509c9a3 metric 1024

# pod b1: 10.244.0.65/32 through cali947a4e9318d, routed (no bridge)
ip netns add netlab.calico-racks.b1
ip -n netlab.calico-racks.node2 link add cali947a4e9318d address ee:ee:ee:ee:ee:ee mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.calico-racks.b1
ip -n netlab.calico-racks.node2 link set dev cali947a4e9318d alias netlab:calico-racks up
ip -n netlab.calico-racks.b1 link set dev lo up
ip -n netlab.calico-racks.b1 addr add 10.244.0.65/32 dev eth0
ip -n netlab.calico-racks.b1 link set dev eth0 alias netlab:calico-racks up
ip netns exec netlab.calico-racks.node2 sysctl -qw net.ipv4.conf.cali947a4e9318d.route_localnet=1
ip netns exec netlab.calico-racks.node2 sysctl -qw net.ipv4.conf.cali947a4e9318d.proxy_arp=1
ip netns exec netlab.calico-racks.node2 sysctl -qw net.ipv4.neigh.cali947a4e9318d.proxy_delay=0
ip netns exec netlab.calico-racks.node2 sysctl -qw net.ipv4.conf.cali947a4e9318d.forwarding=1
ip -n netlab.calico-racks.b1 route add 169.254.1.1/32 dev eth0
ip -n netlab.calico-racks.b1 route add default via 169.254.1.1 dev eth0
ip -n netlab.calico-racks.node2 route add 10.244.0.65/32 dev cali947a4e9318d metric 1024

# pod coredns-7b5fc74fc-896cd: 10.244.0.66/32 through cali42663a47498, routed (no bridge)
ip netns add netlab.calico-racks.coredns-7b5fc74fc-896cd
ip -n netlab.calico-racks.node2 link add cali42663a47498 address ee:ee:ee:ee:ee:ee mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.calico-racks.coredns-7b5fc74fc-896cd
ip -n netlab.calico-racks.node2 link set dev cali42663a47498 alias netlab:calico-racks up
ip -n netlab.calico-racks.coredns-7b5fc74fc-896cd link set dev lo up
ip -n netlab.calico-racks.coredns-7b5fc74fc-896cd addr add 10.244.0.66/32 dev eth0
ip -n netlab.calico-racks.coredns-7b5fc74fc-896cd link set dev eth0 alias netlab:calico-racks up
ip netns exec netlab.calico-racks.node2 sysctl -qw net.ipv4.conf.cali42663a47498.route_localnet=1
ip netns exec netlab.calico-racks.node2 sysctl -qw net.ipv4.conf.cali42663a47498.proxy_arp=1
ip netns exec netlab.calico-racks.node2 sysctl -qw net.ipv4.neigh.cali42663a47498.proxy_delay=0
ip netns exec netlab.calico-racks.node2 sysctl -qw net.ipv4.conf.cali42663a47498.forwarding=1
ip -n netlab.calico-racks.coredns-7b5fc74fc-896cd route add 169.254.1.1/32 dev eth0
ip -n netlab.calico-racks.coredns-7b5fc74fc-896cd route add default via 169.254.1.1 dev eth0
ip -n netlab.calico-racks.node2 route add 10.244.0.66/32 dev cali42663a47498 metric 1024

# pod c1: 10.244.0.129/32 through cali6419776c3a4, routed (no bridge)
ip netns add netlab.calico-racks.c1
ip -n netlab.calico-racks.node3 link add cali6419776c3a4 address ee:ee:ee:ee:ee:ee mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.calico-racks.c1
ip -n netlab.calico-racks.node3 link set dev cali6419776c3a4 alias netlab:calico-racks up
ip -n netlab.calico-racks.c1 link set dev lo up
ip -n netlab.calico-racks.c1 addr add 10.244.0.129/32 dev eth0
ip -n netlab.calico-racks.c1 link set dev eth0 alias netlab:calico-racks up
ip netns exec netlab.calico-racks.node3 sysctl -qw net.ipv4.conf.cali6419776c3a4.route_localnet=1
ip netns exec netlab.calico-racks.node3 sysctl -qw net.ipv4.conf.cali6419776c3a4.proxy_arp=1
ip netns exec netlab.calico-racks.node3 sysctl -qw net.ipv4.neigh.cali6419776c3a4.proxy_delay=0
ip netns exec netlab.calico-racks.node3 sysctl -qw net.ipv4.conf.cali6419776c3a4.forwarding=1
ip -n netlab.calico-racks.c1 route add 169.254.1.1/32 dev eth0
ip -n netlab.calico-racks.c1 route add default via 169.254.1.1 dev eth0
ip -n netlab.calico-racks.node3 route add 10.244.0.129/32 dev cali6419776c3a4 metric 1024

# pod client: 10.244.0.130/32 through calia7a3e029a7b, routed (no bridge)
ip netns add netlab.calico-racks.client
ip -n netlab.calico-racks.node3 link add calia7a3e029a7b address ee:ee:ee:ee:ee:ee mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.calico-racks.client
ip -n netlab.calico-racks.node3 link set dev calia7a3e029a7b alias netlab:calico-racks up
ip -n netlab.calico-racks.client link set dev lo up
ip -n netlab.calico-racks.client addr add 10.244.0.130/32 dev eth0
ip -n netlab.calico-racks.client link set dev eth0 alias netlab:calico-racks up
ip netns exec netlab.calico-racks.node3 sysctl -qw net.ipv4.conf.calia7a3e029a7b.route_localnet=1
ip netns exec netlab.calico-racks.node3 sysctl -qw net.ipv4.conf.calia7a3e029a7b.proxy_arp=1
ip netns exec netlab.calico-racks.node3 sysctl -qw net.ipv4.neigh.calia7a3e029a7b.proxy_delay=0
ip netns exec netlab.calico-racks.node3 sysctl -qw net.ipv4.conf.calia7a3e029a7b.forwarding=1
ip -n netlab.calico-racks.client route add 169.254.1.1/32 dev eth0
ip -n netlab.calico-racks.client route add default via 169.254.1.1 dev eth0
ip -n netlab.calico-racks.node3 route add 10.244.0.130/32 dev calia7a3e029a7b metric 1024

# node node1: felix's ipsets and chains: cali-FORWARD dispatches to a chain each way per local pod (2), cali-nat-outgoing
ip netns exec netlab.calico-racks.node1 ipset restore -exist <<'EOF'
create cali40all-vxlan-net hash:net family inet hashsize 1024 maxelem 1048576
add cali40all-vxlan-net 192.168.56.11/32
add cali40all-vxlan-net 192.168.56.12/32
add cali40all-vxlan-net 192.168.57.11/32
create cali40masq-ipam-pools hash:net family inet hashsize 1024 maxelem 1048576
add cali40masq-ipam-pools 10.244.0.0/16
create cali40network-ip-pools hash:net family inet hashsize 1024 maxelem 1048576
add cali40network-ip-pools 10.244.0.0/16
EOF
ip netns exec netlab.calico-racks.node1 iptables-restore --noflush <<'EOF'
*filter
:cali-FORWARD - [0:0]
:cali-INPUT - [0:0]
:cali-OUTPUT - [0:0]
:cali-wl-to-host - [0:0]
:cali-from-hep-forward - [0:0]
:cali-to-hep-forward - [0:0]
:cali-from-host-endpoint - [0:0]
:cali-to-host-endpoint - [0:0]
:cali-cidr-block - [0:0]
:cali-from-wl-dispatch - [0:0]
:cali-to-wl-dispatch - [0:0]
:cali-tw-cali5cce677186e - [0:0]
:cali-fw-cali5cce677186e - [0:0]
:cali-tw-calidd72509c9a3 - [0:0]
:cali-fw-calidd72509c9a3 - [0:0]
:cali-pri-kns.default - [0:0]
:cali-pro-kns.default - [0:0]
:cali-pri-kns.kube-system - [0:0]
:cali-pro-kns.kube-system - [0:0]
:cali-pri-ksa.default.default - [0:0]
:cali-pro-ksa.default.default - [0:0]
:cali-pri-_u2Tn2rSoAPffvE7JO6 - [0:0]
:cali-pro-_u2Tn2rSoAPffvE7JO6 - [0:0]
-A cali-FORWARD -m comment --comment "cali:W_vvds1Nw3n9QE2f" --jump MARK --set-mark 0/0x1a0000
-A cali-FORWARD -m comment --comment "cali:ZfgmjuiLaA8Pg0kp" -m mark --mark 0/0x10000 --jump cali-from-hep-forward
-A cali-FORWARD -m comment --comment "cali:tAzwBLPaV-j53OOZ" --in-interface cali+ --jump cali-from-wl-dispatch
-A cali-FORWARD -m comment --comment "cali:4Z0Pf0byo05NFe-P" --out-interface cali+ --jump cali-to-wl-dispatch
-A cali-FORWARD -m comment --comment "cali:hQ7Oc16wmUtLuneJ" --jump cali-to-hep-forward
-A cali-FORWARD -m comment --comment "cali:rnKNH2WxGcRQcIlD" --jump cali-cidr-block
-A cali-INPUT -m comment --comment "cali:J76FwxInZIsk7uKY" -m comment --comment "Allow IPv4 VXLAN packets from allowed hosts" -p 17 -m multiport --destination-ports 4789 -m set --match-set cali40all-vxlan-net src -m addrtype --dst-type LOCAL --jump ACCEPT
-A cali-INPUT -m comment --comment "cali:EDCNTTxYfggApx8C" -m comment --comment "Drop IPv4 VXLAN packets from non-allowed hosts" -p 17 -m multiport --destination-ports 4789 -m addrtype --dst-type LOCAL --jump DROP
-A cali-INPUT -m comment --comment "cali:H03xYXARh4e8pwd4" --in-interface cali+ --goto cali-wl-to-host
-A cali-INPUT -m comment --comment "cali:MN6K3isIWBigb1Va" -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-INPUT -m comment --comment "cali:aKDQAoV0P_FFAIwV" --jump MARK --set-mark 0/0x1b0000
-A cali-INPUT -m comment --comment "cali:vIx3xkWzuvLW9fr4" --jump cali-from-host-endpoint
-A cali-INPUT -m comment --comment "cali:5W9XghKma9wuz47x" -m comment --comment "Host endpoint policy accepted packet." -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-OUTPUT -m comment --comment "cali:Mq1_rAdXXH3YkrzW" -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-OUTPUT -m comment --comment "cali:69FkRTJDvD5Vu6Vl" --out-interface cali+ --jump RETURN
-A cali-OUTPUT -m comment --comment "cali:-QZG79DohFjalQBb" -m comment --comment "Allow IPv4 VXLAN packets to other allowed hosts" -p 17 -m multiport --destination-ports 4789 -m addrtype --src-type LOCAL -m set --match-set cali40all-vxlan-net dst --jump ACCEPT
-A cali-OUTPUT -m comment --comment "cali:6T0hFtymUtXMOfEV" --jump MARK --set-mark 0/0x1b0000
-A cali-OUTPUT -m comment --comment "cali:IpTGXsDHURPUaLjJ" -m conntrack ! --ctstate DNAT --jump cali-to-host-endpoint
-A cali-OUTPUT -m comment --comment "cali:wgnULo2gucg1umsA" -m comment --comment "Host endpoint policy accepted packet." -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-wl-to-host -m comment --comment "cali:Ee9Sbo10IpVujdIY" --jump cali-from-wl-dispatch
-A cali-wl-to-host -m comment --comment "cali:nSZbcOoG1xPONxb8" -m comment --comment "Configured DefaultEndpointToHostAction" --jump ACCEPT
-A cali-from-wl-dispatch -m comment --comment "cali:TpgqZrK8GYPM0rfK" --in-interface cali5cce677186e --goto cali-fw-cali5cce677186e
-A cali-from-wl-dispatch -m comment --comment "cali:Qhef8nHj_3aGWGeI" --in-interface calidd72509c9a3 --goto cali-fw-calidd72509c9a3
-A cali-from-wl-dispatch -m comment --comment "cali:8XkFU08q5pvuJsmH" -m comment --comment "Unknown interface" --jump DROP
-A cali-to-wl-dispatch -m comment --comment "cali:XxMZ0OrjLG_9xzGE" --out-interface cali5cce677186e --goto cali-tw-cali5cce677186e
-A cali-to-wl-dispatch -m comment --comment "cali:ra-tabyVVCA-OA6g" --out-interface calidd72509c9a3 --goto cali-tw-calidd72509c9a3
-A cali-to-wl-dispatch -m comment --comment "cali:97pwMBpLcQ1wAorq" -m comment --comment "Unknown interface" --jump DROP
-A cali-tw-cali5cce677186e -m comment --comment "cali:A_GPObqlteYPeJ3B" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-tw-cali5cce677186e -m comment --comment "cali:4wa30cM3h5bB6Mxm" -m conntrack --ctstate INVALID --jump DROP
-A cali-tw-cali5cce677186e -m comment --comment "cali:VnPFV6mzbX11MS_2" --jump MARK --set-mark 0/0x30000
-A cali-tw-cali5cce677186e -m comment --comment "cali:9yjFn2JrCJ-9sLgd" --jump cali-pri-kns.default
-A cali-tw-cali5cce677186e -m comment --comment "cali:2obMQ2H5kvuOtjAk" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-cali5cce677186e -m comment --comment "cali:s8dk6SpUVSnTyKHl" --jump cali-pri-ksa.default.default
-A cali-tw-cali5cce677186e -m comment --comment "cali:2tf42jRdshKWijSI" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-cali5cce677186e -m comment --comment "cali:LzVbdFl63yDUpzqu" -m comment --comment "Drop if no profiles matched" --jump DROP
-A cali-fw-cali5cce677186e -m comment --comment "cali:KJWZyDebnDlA3lbu" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-fw-cali5cce677186e -m comment --comment "cali:0zWEy1osaJR7-VWz" -m conntrack --ctstate INVALID --jump DROP
-A cali-fw-cali5cce677186e -m comment --comment "cali:pS4SugnKYpvLj5QP" --jump MARK --set-mark 0/0x30000
-A cali-fw-cali5cce677186e -m comment --comment "cali:BAkPwiyBDGLy45Ha" -m comment --comment "Drop VXLAN encapped packets originating in workloads" -p 17 -m multiport --destination-ports 4789 --jump DROP
-A cali-fw-cali5cce677186e -m comment --comment "cali:dYbiTFbbmPi4GX4b" -m comment --comment "Drop IPinIP encapped packets originating in workloads" -p 4 --jump DROP
-A cali-fw-cali5cce677186e -m comment --comment "cali:UTAaXFWEDGAxd38_" --jump cali-pro-kns.default
-A cali-fw-cali5cce677186e -m comment --comment "cali:GuMYKMWWGnzu566P" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-cali5cce677186e -m comment --comment "cali:4dh5qHn4dYZmdGpT" --jump cali-pro-ksa.default.default
-A cali-fw-cali5cce677186e -m comment --comment "cali:FIi8vJ2UiNYZaFkZ" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-cali5cce677186e -m comment --comment "cali:qgHH149lfWf2Mqh0" -m comment --comment "Drop if no profiles matched" --jump DROP
-A cali-tw-calidd72509c9a3 -m comment --comment "cali:L9ORqAPCN3oOC0CV" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-tw-calidd72509c9a3 -m comment --comment "cali:Mmf-zEHloDGl3hJy" -m conntrack --ctstate INVALID --jump DROP
-A cali-tw-calidd72509c9a3 -m comment --comment "cali:92jUAheJxCafx6kC" --jump MARK --set-mark 0/0x30000
-A cali-tw-calidd72509c9a3 -m comment --comment "cali:QBCCnq5Fc-9yLRaS" --jump cali-pri-kns.kube-system
-A cali-tw-calidd72509c9a3 -m comment --comment "cali:9Wtu17CvEg-NHoub" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-calidd72509c9a3 -m comment --comment "cali:wrL7OsbATTJ1djNT" --jump cali-pri-_u2Tn2rSoAPffvE7JO6
-A cali-tw-calidd72509c9a3 -m comment --comment "cali:jO7jyttqqO0IQ0kY" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-calidd72509c9a3 -m comment --comment "cali:gc4LhbcZmyplMGcI" -m comment --comment "Drop if no profiles matched" --jump DROP
-A cali-fw-calidd72509c9a3 -m comment --comment "cali:vf1OXBjpxKsNb_Yq" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-fw-calidd72509c9a3 -m comment --comment "cali:nAYm8b5NbChWsHUu" -m conntrack --ctstate INVALID --jump DROP
-A cali-fw-calidd72509c9a3 -m comment --comment "cali:0qPcVMwnBAMW3nO0" --jump MARK --set-mark 0/0x30000
-A cali-fw-calidd72509c9a3 -m comment --comment "cali:iu8iB8Icc_GEqa3d" -m comment --comment "Drop VXLAN encapped packets originating in workloads" -p 17 -m multiport --destination-ports 4789 --jump DROP
-A cali-fw-calidd72509c9a3 -m comment --comment "cali:HaGSQdlo1KXHJ0_H" -m comment --comment "Drop IPinIP encapped packets originating in workloads" -p 4 --jump DROP
-A cali-fw-calidd72509c9a3 -m comment --comment "cali:UTnIt7dP-a4uxD_g" --jump cali-pro-kns.kube-system
-A cali-fw-calidd72509c9a3 -m comment --comment "cali:f0-nAyv3kCuF4hLI" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-calidd72509c9a3 -m comment --comment "cali:xyVK8vqRcm1eqfil" --jump cali-pro-_u2Tn2rSoAPffvE7JO6
-A cali-fw-calidd72509c9a3 -m comment --comment "cali:odiUMSL1iSbWtkWd" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-calidd72509c9a3 -m comment --comment "cali:vfxiu8usIcqN1A53" -m comment --comment "Drop if no profiles matched" --jump DROP
-A cali-pri-kns.default -m comment --comment "cali:WMSw8BmYOknRHfsz" -m comment --comment "Profile kns.default ingress" --jump MARK --set-mark 0x10000/0x10000
-A cali-pro-kns.default -m comment --comment "cali:Vr81boRqq4V77Sg8" -m comment --comment "Profile kns.default egress" --jump MARK --set-mark 0x10000/0x10000
-A cali-pri-kns.kube-system -m comment --comment "cali:J1TyxtHWd0qaBGK-" -m comment --comment "Profile kns.kube-system ingress" --jump MARK --set-mark 0x10000/0x10000
-A cali-pro-kns.kube-system -m comment --comment "cali:tgOR2S8DVHZW3F1M" -m comment --comment "Profile kns.kube-system egress" --jump MARK --set-mark 0x10000/0x10000
-A cali-pri-ksa.default.default -m comment --comment "cali:PrckJA84jX_kGp99" -m comment --comment "Profile ksa.default.default ingress"
-A cali-pro-ksa.default.default -m comment --comment "cali:bUZzZcietq9v5Ybq" -m comment --comment "Profile ksa.default.default egress"
-A cali-pri-_u2Tn2rSoAPffvE7JO6 -m comment --comment "cali:WqgznqAQ-uYV0oBx" -m comment --comment "Profile ksa.kube-system.coredns ingress"
-A cali-pro-_u2Tn2rSoAPffvE7JO6 -m comment --comment "cali:0-_UPh39dt5XfhmJ" -m comment --comment "Profile ksa.kube-system.coredns egress"
COMMIT
*nat
:cali-PREROUTING - [0:0]
:cali-OUTPUT - [0:0]
:cali-POSTROUTING - [0:0]
:cali-fip-dnat - [0:0]
:cali-fip-snat - [0:0]
:cali-nat-outgoing - [0:0]
-A cali-PREROUTING -m comment --comment "cali:r6XmIziWUJsdOK6Z" --jump cali-fip-dnat
-A cali-OUTPUT -m comment --comment "cali:GBTAv2p5CwevEyJm" --jump cali-fip-dnat
-A cali-POSTROUTING -m comment --comment "cali:Z-c7XtVd2Bq7s_hA" --jump cali-fip-snat
-A cali-POSTROUTING -m comment --comment "cali:nYKhEzDlr11Jccal" --jump cali-nat-outgoing
-A cali-POSTROUTING -m comment --comment "cali:e9dnSgSVNmIcpVhP" --out-interface vxlan.calico -m addrtype ! --src-type LOCAL --limit-iface-out -m addrtype --src-type LOCAL --jump MASQUERADE --random-fully
-A cali-nat-outgoing -m comment --comment "cali:W_qq_N2KSTWyCvrX" -m set --match-set cali40masq-ipam-pools src -m set ! --match-set cali40network-ip-pools dst --jump MASQUERADE --random-fully
COMMIT
EOF

# node node2: felix's ipsets and chains: cali-FORWARD dispatches to a chain each way per local pod (2), cali-nat-outgoing
ip netns exec netlab.calico-racks.node2 ipset restore -exist <<'EOF'
create cali40all-vxlan-net hash:net family inet hashsize 1024 maxelem 1048576
add cali40all-vxlan-net 192.168.56.11/32
add cali40all-vxlan-net 192.168.56.12/32
add cali40all-vxlan-net 192.168.57.11/32
create cali40masq-ipam-pools hash:net family inet hashsize 1024 maxelem 1048576
add cali40masq-ipam-pools 10.244.0.0/16
create cali40network-ip-pools hash:net family inet hashsize 1024 maxelem 1048576
add cali40network-ip-pools 10.244.0.0/16
EOF
ip netns exec netlab.calico-racks.node2 iptables-restore --noflush <<'EOF'
*filter
:cali-FORWARD - [0:0]
:cali-INPUT - [0:0]
:cali-OUTPUT - [0:0]
:cali-wl-to-host - [0:0]
:cali-from-hep-forward - [0:0]
:cali-to-hep-forward - [0:0]
:cali-from-host-endpoint - [0:0]
:cali-to-host-endpoint - [0:0]
:cali-cidr-block - [0:0]
:cali-from-wl-dispatch - [0:0]
:cali-to-wl-dispatch - [0:0]
:cali-tw-cali42663a47498 - [0:0]
:cali-fw-cali42663a47498 - [0:0]
:cali-tw-cali947a4e9318d - [0:0]
:cali-fw-cali947a4e9318d - [0:0]
:cali-pri-kns.default - [0:0]
:cali-pro-kns.default - [0:0]
:cali-pri-kns.kube-system - [0:0]
:cali-pro-kns.kube-system - [0:0]
:cali-pri-ksa.default.default - [0:0]
:cali-pro-ksa.default.default - [0:0]
:cali-pri-_u2Tn2rSoAPffvE7JO6 - [0:0]
:cali-pro-_u2Tn2rSoAPffvE7JO6 - [0:0]
-A cali-FORWARD -m comment --comment "cali:W_vvds1Nw3n9QE2f" --jump MARK --set-mark 0/0x1a0000
-A cali-FORWARD -m comment --comment "cali:ZfgmjuiLaA8Pg0kp" -m mark --mark 0/0x10000 --jump cali-from-hep-forward
-A cali-FORWARD -m comment --comment "cali:tAzwBLPaV-j53OOZ" --in-interface cali+ --jump cali-from-wl-dispatch
-A cali-FORWARD -m comment --comment "cali:4Z0Pf0byo05NFe-P" --out-interface cali+ --jump cali-to-wl-dispatch
-A cali-FORWARD -m comment --comment "cali:hQ7Oc16wmUtLuneJ" --jump cali-to-hep-forward
-A cali-FORWARD -m comment --comment "cali:rnKNH2WxGcRQcIlD" --jump cali-cidr-block
-A cali-INPUT -m comment --comment "cali:J76FwxInZIsk7uKY" -m comment --comment "Allow IPv4 VXLAN packets from allowed hosts" -p 17 -m multiport --destination-ports 4789 -m set --match-set cali40all-vxlan-net src -m addrtype --dst-type LOCAL --jump ACCEPT
-A cali-INPUT -m comment --comment "cali:EDCNTTxYfggApx8C" -m comment --comment "Drop IPv4 VXLAN packets from non-allowed hosts" -p 17 -m multiport --destination-ports 4789 -m addrtype --dst-type LOCAL --jump DROP
-A cali-INPUT -m comment --comment "cali:H03xYXARh4e8pwd4" --in-interface cali+ --goto cali-wl-to-host
-A cali-INPUT -m comment --comment "cali:MN6K3isIWBigb1Va" -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-INPUT -m comment --comment "cali:aKDQAoV0P_FFAIwV" --jump MARK --set-mark 0/0x1b0000
-A cali-INPUT -m comment --comment "cali:vIx3xkWzuvLW9fr4" --jump cali-from-host-endpoint
-A cali-INPUT -m comment --comment "cali:5W9XghKma9wuz47x" -m comment --comment "Host endpoint policy accepted packet." -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-OUTPUT -m comment --comment "cali:Mq1_rAdXXH3YkrzW" -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-OUTPUT -m comment --comment "cali:69FkRTJDvD5Vu6Vl" --out-interface cali+ --jump RETURN
-A cali-OUTPUT -m comment --comment "cali:-QZG79DohFjalQBb" -m comment --comment "Allow IPv4 VXLAN packets to other allowed hosts" -p 17 -m multiport --destination-ports 4789 -m addrtype --src-type LOCAL -m set --match-set cali40all-vxlan-net dst --jump ACCEPT
-A cali-OUTPUT -m comment --comment "cali:6T0hFtymUtXMOfEV" --jump MARK --set-mark 0/0x1b0000
-A cali-OUTPUT -m comment --comment "cali:IpTGXsDHURPUaLjJ" -m conntrack ! --ctstate DNAT --jump cali-to-host-endpoint
-A cali-OUTPUT -m comment --comment "cali:wgnULo2gucg1umsA" -m comment --comment "Host endpoint policy accepted packet." -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-wl-to-host -m comment --comment "cali:Ee9Sbo10IpVujdIY" --jump cali-from-wl-dispatch
-A cali-wl-to-host -m comment --comment "cali:nSZbcOoG1xPONxb8" -m comment --comment "Configured DefaultEndpointToHostAction" --jump ACCEPT
-A cali-from-wl-dispatch -m comment --comment "cali:RDpwH570X3ttI_Cw" --in-interface cali42663a47498 --goto cali-fw-cali42663a47498
-A cali-from-wl-dispatch -m comment --comment "cali:BquaD0ECgRBXjLzI" --in-interface cali947a4e9318d --goto cali-fw-cali947a4e9318d
-A cali-from-wl-dispatch -m comment --comment "cali:25SXMFgAck5XdkVR" -m comment --comment "Unknown interface" --jump DROP
-A cali-to-wl-dispatch -m comment --comment "cali:WuLzXM27RncVz4XO" --out-interface cali42663a47498 --goto cali-tw-cali42663a47498
-A cali-to-wl-dispatch -m comment --comment "cali:d8_OVghxoGQycJ4M" --out-interface cali947a4e9318d --goto cali-tw-cali947a4e9318d
-A cali-to-wl-dispatch -m comment --comment "cali:8O-_OkJtVikGmKJO" -m comment --comment "Unknown interface" --jump DROP
-A cali-tw-cali42663a47498 -m comment --comment "cali:ixZuNZvbHN0j-fYB" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-tw-cali42663a47498 -m comment --comment "cali:8JFgsOa6CongOJKi" -m conntrack --ctstate INVALID --jump DROP
-A cali-tw-cali42663a47498 -m comment --comment "cali:oEumWRGXEDewhjyt" --jump MARK --set-mark 0/0x30000
-A cali-tw-cali42663a47498 -m comment --comment "cali:1C7b1ArEHolFF8V-" --jump cali-pri-kns.kube-system
-A cali-tw-cali42663a47498 -m comment --comment "cali:Ql9SbMDTdZ-gEq0P" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-cali42663a47498 -m comment --comment "cali:JUS1nSz0ZpaULAt1" --jump cali-pri-_u2Tn2rSoAPffvE7JO6
-A cali-tw-cali42663a47498 -m comment --comment "cali:Hf9YrhcnhwhVB1rf" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-cali42663a47498 -m comment --comment "cali:oUlmVdXJI2VsXhS_" -m comment --comment "Drop if no profiles matched" --jump DROP
-A cali-fw-cali42663a47498 -m comment --comment "cali:x8bijIzDR0qB-W0F" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-fw-cali42663a47498 -m comment --comment "cali:Ga-6HgYDiH9DrCwd" -m conntrack --ctstate INVALID --jump DROP
-A cali-fw-cali42663a47498 -m comment --comment "cali:fyTWEbZ2tlXW83gO" --jump MARK --set-mark 0/0x30000
-A cali-fw-cali42663a47498 -m comment --comment "cali:d0-iYHJijewniFUh" -m comment --comment "Drop VXLAN encapped packets originating in workloads" -p 17 -m multiport --destination-ports 4789 --jump DROP
-A cali-fw-cali42663a47498 -m comment --comment "cali:Ado7hwu6T4Ixj5Rb" -m comment --comment "Drop IPinIP encapped packets originating in workloads" -p 4 --jump DROP
-A cali-fw-cali42663a47498 -m comment --comment "cali:i3sePEk9OXij0yv8" --jump cali-pro-kns.kube-system
-A cali-fw-cali42663a47498 -m comment --comment "cali:BznK6NAzJw-eAwcc" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-cali42663a47498 -m comment --comment "cali:FQadHz3N2hfZfh6_" --jump cali-pro-_u2Tn2rSoAPffvE7JO6
-A cali-fw-cali42663a47498 -m comment --comment "cali:mIfEtnrIyTSuxvqk" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-cali42663a47498 -m comment --comment "cali:si06EGakTawpzvAn" -m comment --comment "Drop if no profiles matched" --jump DROP
-A cali-tw-cali947a4e9318d -m comment --comment "cali:nNTz0Mym34D6uJjL" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-tw-cali947a4e9318d -m comment --comment "cali:y0PRqmBPVw5Fsnwm" -m conntrack --ctstate INVALID --jump DROP
-A cali-tw-cali947a4e9318d -m comment --comment "cali:Hr0YuTE1-YNc8PR8" --jump MARK --set-mark 0/0x30000
-A cali-tw-cali947a4e9318d -m comment --comment "cali:Q3alQP9WVhLwPCsN" --jump cali-pri-kns.default
-A cali-tw-cali947a4e9318d -m comment --comment "cali:wWX4u1705IaZm_3p" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-cali947a4e9318d -m comment --comment "cali:6Z9-owy-dpNi-dYw" --jump cali-pri-ksa.default.default
-A cali-tw-cali947a4e9318d -m comment --comment "cali:ZuUjzaQu_KLyV_37" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-cali947a4e9318d -m comment --comment "cali:4IgX0_3lwCD3vBs4" -m comment --comment "Drop if no profiles matched" --jump DROP
-A cali-fw-cali947a4e9318d -m comment --comment "cali:GfqlUlWaL4473TZT" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-fw-cali947a4e9318d -m comment --comment "cali:9ZpC7puIMtPKtzt5" -m conntrack --ctstate INVALID --jump DROP
-A cali-fw-cali947a4e9318d -m comment --comment "cali:V5YvioDEwglSmuuc" --jump MARK --set-mark 0/0x30000
-A cali-fw-cali947a4e9318d -m comment --comment "cali:ihHAyx0u9WGyygr7" -m comment --comment "Drop VXLAN encapped packets originating in workloads" -p 17 -m multiport --destination-ports 4789 --jump DROP
-A cali-fw-cali947a4e9318d -m comment --comment "cali:WTq_OYpKTZAiHrJG" -m comment --comment "Drop IPinIP encapped packets originating in workloads" -p 4 --jump DROP
-A cali-fw-cali947a4e9318d -m comment --comment "cali:7FIbOBdfl7a3-FAA" --jump cali-pro-kns.default
-A cali-fw-cali947a4e9318d -m comment --comment "cali:l4O0_DPp_GCV8Fmv" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-cali947a4e9318d -m comment --comment "cali:BGBdEaX8u-24t_vd" --jump cali-pro-ksa.default.default
-A cali-fw-cali947a4e9318d -m comment --comment "cali:7lLjsUrkm3M_yc72" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-cali947a4e9318d -m comment --comment "cali:TNQaUoObo9iDfCr0" -m comment --comment "Drop if no profiles matched" --jump DROP
-A cali-pri-kns.default -m comment --comment "cali:WMSw8BmYOknRHfsz" -m comment --comment "Profile kns.default ingress" --jump MARK --set-mark 0x10000/0x10000
-A cali-pro-kns.default -m comment --comment "cali:Vr81boRqq4V77Sg8" -m comment --comment "Profile kns.default egress" --jump MARK --set-mark 0x10000/0x10000
-A cali-pri-kns.kube-system -m comment --comment "cali:J1TyxtHWd0qaBGK-" -m comment --comment "Profile kns.kube-system ingress" --jump MARK --set-mark 0x10000/0x10000
-A cali-pro-kns.kube-system -m comment --comment "cali:tgOR2S8DVHZW3F1M" -m comment --comment "Profile kns.kube-system egress" --jump MARK --set-mark 0x10000/0x10000
-A cali-pri-ksa.default.default -m comment --comment "cali:PrckJA84jX_kGp99" -m comment --comment "Profile ksa.default.default ingress"
-A cali-pro-ksa.default.default -m comment --comment "cali:bUZzZcietq9v5Ybq" -m comment --comment "Profile ksa.default.default egress"
-A cali-pri-_u2Tn2rSoAPffvE7JO6 -m comment --comment "cali:WqgznqAQ-uYV0oBx" -m comment --comment "Profile ksa.kube-system.coredns ingress"
-A cali-pro-_u2Tn2rSoAPffvE7JO6 -m comment --comment "cali:0-_UPh39dt5XfhmJ" -m comment --comment "Profile ksa.kube-system.coredns egress"
COMMIT
*nat
:cali-PREROUTING - [0:0]
:cali-OUTPUT - [0:0]
:cali-POSTROUTING - [0:0]
:cali-fip-dnat - [0:0]
:cali-fip-snat - [0:0]
:cali-nat-outgoing - [0:0]
-A cali-PREROUTING -m comment --comment "cali:r6XmIziWUJsdOK6Z" --jump cali-fip-dnat
-A cali-OUTPUT -m comment --comment "cali:GBTAv2p5CwevEyJm" --jump cali-fip-dnat
-A cali-POSTROUTING -m comment --comment "cali:Z-c7XtVd2Bq7s_hA" --jump cali-fip-snat
-A cali-POSTROUTING -m comment --comment "cali:nYKhEzDlr11Jccal" --jump cali-nat-outgoing
-A cali-POSTROUTING -m comment --comment "cali:e9dnSgSVNmIcpVhP" --out-interface vxlan.calico -m addrtype ! --src-type LOCAL --limit-iface-out -m addrtype --src-type LOCAL --jump MASQUERADE --random-fully
-A cali-nat-outgoing -m comment --comment "cali:W_qq_N2KSTWyCvrX" -m set --match-set cali40masq-ipam-pools src -m set ! --match-set cali40network-ip-pools dst --jump MASQUERADE --random-fully
COMMIT
EOF

# node node3: felix's ipsets and chains: cali-FORWARD dispatches to a chain each way per local pod (2), cali-nat-outgoing
ip netns exec netlab.calico-racks.node3 ipset restore -exist <<'EOF'
create cali40all-vxlan-net hash:net family inet hashsize 1024 maxelem 1048576
add cali40all-vxlan-net 192.168.56.11/32
add cali40all-vxlan-net 192.168.56.12/32
add cali40all-vxlan-net 192.168.57.11/32
create cali40masq-ipam-pools hash:net family inet hashsize 1024 maxelem 1048576
add cali40masq-ipam-pools 10.244.0.0/16
create cali40network-ip-pools hash:net family inet hashsize 1024 maxelem 1048576
add cali40network-ip-pools 10.244.0.0/16
EOF
ip netns exec netlab.calico-racks.node3 iptables-restore --noflush <<'EOF'
*filter
:cali-FORWARD - [0:0]
:cali-INPUT - [0:0]
:cali-OUTPUT - [0:0]
:cali-wl-to-host - [0:0]
:cali-from-hep-forward - [0:0]
:cali-to-hep-forward - [0:0]
:cali-from-host-endpoint - [0:0]
:cali-to-host-endpoint - [0:0]
:cali-cidr-block - [0:0]
:cali-from-wl-dispatch - [0:0]
:cali-to-wl-dispatch - [0:0]
:cali-tw-cali6419776c3a4 - [0:0]
:cali-fw-cali6419776c3a4 - [0:0]
:cali-tw-calia7a3e029a7b - [0:0]
:cali-fw-calia7a3e029a7b - [0:0]
:cali-pri-kns.default - [0:0]
:cali-pro-kns.default - [0:0]
:cali-pri-ksa.default.default - [0:0]
:cali-pro-ksa.default.default - [0:0]
-A cali-FORWARD -m comment --comment "cali:W_vvds1Nw3n9QE2f" --jump MARK --set-mark 0/0x1a0000
-A cali-FORWARD -m comment --comment "cali:ZfgmjuiLaA8Pg0kp" -m mark --mark 0/0x10000 --jump cali-from-hep-forward
-A cali-FORWARD -m comment --comment "cali:tAzwBLPaV-j53OOZ" --in-interface cali+ --jump cali-from-wl-dispatch
-A cali-FORWARD -m comment --comment "cali:4Z0Pf0byo05NFe-P" --out-interface cali+ --jump cali-to-wl-dispatch
-A cali-FORWARD -m comment --comment "cali:hQ7Oc16wmUtLuneJ" --jump cali-to-hep-forward
-A cali-FORWARD -m comment --comment "cali:rnKNH2WxGcRQcIlD" --jump cali-cidr-block
-A cali-INPUT -m comment --comment "cali:J76FwxInZIsk7uKY" -m comment --comment "Allow IPv4 VXLAN packets from allowed hosts" -p 17 -m multiport --destination-ports 4789 -m set --match-set cali40all-vxlan-net src -m addrtype --dst-type LOCAL --jump ACCEPT
-A cali-INPUT -m comment --comment "cali:EDCNTTxYfggApx8C" -m comment --comment "Drop IPv4 VXLAN packets from non-allowed hosts" -p 17 -m multiport --destination-ports 4789 -m addrtype --dst-type LOCAL --jump DROP
-A cali-INPUT -m comment --comment "cali:H03xYXARh4e8pwd4" --in-interface cali+ --goto cali-wl-to-host
-A cali-INPUT -m comment --comment "cali:MN6K3isIWBigb1Va" -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-INPUT -m comment --comment "cali:aKDQAoV0P_FFAIwV" --jump MARK --set-mark 0/0x1b0000
-A cali-INPUT -m comment --comment "cali:vIx3xkWzuvLW9fr4" --jump cali-from-host-endpoint
-A cali-INPUT -m comment --comment "cali:5W9XghKma9wuz47x" -m comment --comment "Host endpoint policy accepted packet." -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-OUTPUT -m comment --comment "cali:Mq1_rAdXXH3YkrzW" -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-OUTPUT -m comment --comment "cali:69FkRTJDvD5Vu6Vl" --out-interface cali+ --jump RETURN
-A cali-OUTPUT -m comment --comment "cali:-QZG79DohFjalQBb" -m comment --comment "Allow IPv4 VXLAN packets to other allowed hosts" -p 17 -m multiport --destination-ports 4789 -m addrtype --src-type LOCAL -m set --match-set cali40all-vxlan-net dst --jump ACCEPT
-A cali-OUTPUT -m comment --comment "cali:6T0hFtymUtXMOfEV" --jump MARK --set-mark 0/0x1b0000
-A cali-OUTPUT -m comment --comment "cali:IpTGXsDHURPUaLjJ" -m conntrack ! --ctstate DNAT --jump cali-to-host-endpoint
-A cali-OUTPUT -m comment --comment "cali:wgnULo2gucg1umsA" -m comment --comment "Host endpoint policy accepted packet." -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-wl-to-host -m comment --comment "cali:Ee9Sbo10IpVujdIY" --jump cali-from-wl-dispatch
-A cali-wl-to-host -m comment --comment "cali:nSZbcOoG1xPONxb8" -m comment --comment "Configured DefaultEndpointToHostAction" --jump ACCEPT
-A cali-from-wl-dispatch -m comment --comment "cali:ZARTUJOE8b3fa2bi" --in-interface cali6419776c3a4 --goto cali-fw-cali6419776c3a4
-A cali-from-wl-dispatch -m comment --comment "cali:LgeZ5nNowGMbbHub" --in-interface calia7a3e029a7b --goto cali-fw-calia7a3e029a7b
-A cali-from-wl-dispatch -m comment --comment "cali:qWeWPI8IGMjew6Fm" -m comment --comment "Unknown interface" --jump DROP
-A cali-to-wl-dispatch -m comment --comment "cali:nbCud_3XV8uPU7P8" --out-interface cali6419776c3a4 --goto cali-tw-cali6419776c3a4
-A cali-to-wl-dispatch -m comment --comment "cali:s0vbDop9fxaprMgt" --out-interface calia7a3e029a7b --goto cali-tw-calia7a3e029a7b
-A cali-to-wl-dispatch -m comment --comment "cali:_OIbfMuWcmpFfI2o" -m comment --comment "Unknown interface" --jump DROP
-A cali-tw-cali6419776c3a4 -m comment --comment "cali:oZ9vT2hcgJt7q7kx" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-tw-cali6419776c3a4 -m comment --comment "cali:DvqgQk8arGAhNKC6" -m conntrack --ctstate INVALID --jump DROP
-A cali-tw-cali6419776c3a4 -m comment --comment "cali:sTzIBF1zLNcYPHl6" --jump MARK --set-mark 0/0x30000
-A cali-tw-cali6419776c3a4 -m comment --comment "cali:KhLtOpUWhNNQmv5N" --jump cali-pri-kns.default
-A cali-tw-cali6419776c3a4 -m comment --comment "cali:kWneYcUQ33IVUzsY" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-cali6419776c3a4 -m comment --comment "cali:wIS6jBJ0HXKx6zjm" --jump cali-pri-ksa.default.default
-A cali-tw-cali6419776c3a4 -m comment --comment "cali:Qx1KCGeJqeQw7R99" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-cali6419776c3a4 -m comment --comment "cali:kZWIHt0RiECrT1wL" -m comment --comment "Drop if no profiles matched" --jump DROP
-A cali-fw-cali6419776c3a4 -m comment --comment "cali:iwqxzhUzzTpE-NAC" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-fw-cali6419776c3a4 -m comment --comment "cali:jf1TeCwmUVM5yQab" -m conntrack --ctstate INVALID --jump DROP
-A cali-fw-cali6419776c3a4 -m comment --comment "cali:FSARCoSejtcCYNua" --jump MARK --set-mark 0/0x30000
-A cali-fw-cali6419776c3a4 -m comment --comment "cali:mbtUYSDQuu4ro9KH" -m comment --comment "Drop VXLAN encapped packets originating in workloads" -p 17 -m multiport --destination-ports 4789 --jump DROP
-A cali-fw-cali6419776c3a4 -m comment --comment "cali:poMUvKQJHp9xLupj" -m comment --comment "Drop IPinIP encapped packets originating in workloads" -p 4 --jump DROP
-A cali-fw-cali6419776c3a4 -m comment --comment "cali:DEw3JlQZ2SGPv0QB" --jump cali-pro-kns.default
-A cali-fw-cali6419776c3a4 -m comment --comment "cali:JsYzoghH0-AOOKl1" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-cali6419776c3a4 -m comment --comment "cali:sdqSJVScfb_NPwHF" --jump cali-pro-ksa.default.default
-A cali-fw-cali6419776c3a4 -m comment --comment "cali:Sz2i0ZpWRnTjcNww" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-cali6419776c3a4 -m comment --comment "cali:bnHNdSZX8xr6EzKU" -m comment --comment "Drop if no profiles matched" --jump DROP
-A cali-tw-calia7a3e029a7b -m comment --comment "cali:syG2cW3Id_hBDNh7" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-tw-calia7a3e029a7b -m comment --comment "cali:_G02SorPukmJJva6" -m conntrack --ctstate INVALID --jump DROP
-A cali-tw-calia7a3e029a7b -m comment --comment "cali:lEZLc27xzY3P2aG0" --jump MARK --set-mark 0/0x30000
-A cali-tw-calia7a3e029a7b -m comment --comment "cali:174ky4aGkL8JTLtV" --jump cali-pri-kns.default
-A cali-tw-calia7a3e029a7b -m comment --comment "cali:XaXCir4vjuWnUIfE" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-calia7a3e029a7b -m comment --comment "cali:sSkksrWkIWsjh_AB" --jump cali-pri-ksa.default.default
-A cali-tw-calia7a3e029a7b -m comment --comment "cali:ntSv1d-3KG0Hp5s5" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-calia7a3e029a7b -m comment --comment "cali:U94D9xgPHoL-C6Oi" -m comment --comment "Drop if no profiles matched" --jump DROP
-A cali-fw-calia7a3e029a7b -m comment --comment "cali:ll5BVamHIQXEwGHl" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-fw-calia7a3e029a7b -m comment --comment "cali:YWWBwGvXvdxSlR52" -m conntrack --ctstate INVALID --jump DROP
-A cali-fw-calia7a3e029a7b -m comment --comment "cali:tSuq-x_UX5n5jpga" --jump MARK --set-mark 0/0x30000
-A cali-fw-calia7a3e029a7b -m comment --comment "cali:9UtLyfPAb_3Mz53T" -m comment --comment "Drop VXLAN encapped packets originating in workloads" -p 17 -m multiport --destination-ports 4789 --jump DROP
-A cali-fw-calia7a3e029a7b -m comment --comment "cali:NLhiq6G0g-rH0qPI" -m comment --comment "Drop IPinIP encapped packets originating in workloads" -p 4 --jump DROP
-A cali-fw-calia7a3e029a7b -m comment --comment "cali:sJ2FcRZX2Km5arXk" --jump cali-pro-kns.default
-A cali-fw-calia7a3e029a7b -m comment --comment "cali:WsEwrrkA4n-PROpf" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-calia7a3e029a7b -m comment --comment "cali:OaqQ7Lvc6nv-9zfR" --jump cali-pro-ksa.default.default
-A cali-fw-calia7a3e029a7b -m comment --comment "cali:9ZHHzX7-7ZFZ6rsf" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-calia7a3e029a7b -m comment --comment "cali:bR8LUxWkMaeQRfls" -m comment --comment "Drop if no profiles matched" --jump DROP
-A cali-pri-kns.default -m comment --comment "cali:WMSw8BmYOknRHfsz" -m comment --comment "Profile kns.default ingress" --jump MARK --set-mark 0x10000/0x10000
-A cali-pro-kns.default -m comment --comment "cali:Vr81boRqq4V77Sg8" -m comment --comment "Profile kns.default egress" --jump MARK --set-mark 0x10000/0x10000
-A cali-pri-ksa.default.default -m comment --comment "cali:PrckJA84jX_kGp99" -m comment --comment "Profile ksa.default.default ingress"
-A cali-pro-ksa.default.default -m comment --comment "cali:bUZzZcietq9v5Ybq" -m comment --comment "Profile ksa.default.default egress"
COMMIT
*nat
:cali-PREROUTING - [0:0]
:cali-OUTPUT - [0:0]
:cali-POSTROUTING - [0:0]
:cali-fip-dnat - [0:0]
:cali-fip-snat - [0:0]
:cali-nat-outgoing - [0:0]
-A cali-PREROUTING -m comment --comment "cali:r6XmIziWUJsdOK6Z" --jump cali-fip-dnat
-A cali-OUTPUT -m comment --comment "cali:GBTAv2p5CwevEyJm" --jump cali-fip-dnat
-A cali-POSTROUTING -m comment --comment "cali:Z-c7XtVd2Bq7s_hA" --jump cali-fip-snat
-A cali-POSTROUTING -m comment --comment "cali:nYKhEzDlr11Jccal" --jump cali-nat-outgoing
-A cali-POSTROUTING -m comment --comment "cali:e9dnSgSVNmIcpVhP" --out-interface vxlan.calico -m addrtype ! --src-type LOCAL --limit-iface-out -m addrtype --src-type LOCAL --jump MASQUERADE --random-fully
-A cali-nat-outgoing -m comment --comment "cali:W_qq_N2KSTWyCvrX" -m set --match-set cali40masq-ipam-pools src -m set ! --match-set cali40network-ip-pools dst --jump MASQUERADE --random-fully
COMMIT
EOF

# node node1: BIRD announces 10.244.0.0/26 over BGP (AS 64512)
mkdir -p "$NETLAB_STATE/calico/node1" && cat > "$NETLAB_STATE/calico/node1/bird.cfg" <<'EOF'
function apply_communities ()
{
}
template kernel kernel_template {
  learn;             # Learn all alien routes from the kernel
  persist;           # Don't remove routes on bird shutdown
  scan time 2;       # Scan kernel routing table every 2 seconds
  import all;
}
template direct direct_template {
  debug { states };
  interface -"cali*", -"kube-ipvs*", "*"; # Exclude cali* and kube-ipvs* but
                                          # include everything else.  In
                                          # IPVS-mode, kube-proxy creates a
                                          # kube-ipvs0 interface. We exclude
                                          # kube-ipvs0 because this interface
                                          # gets an address for every in use
                                          # cluster IP. We use static routes
                                          # for when we legitimately want to
                                          # export cluster IPs.
}
# Generated by confd
include "bird_aggr.cfg";
include "bird_ipam.cfg";
router id 192.168.56.11;
# Configure synchronization between routing tables and kernel.
protocol kernel from kernel_template {
  export filter calico_kernel_programming; # Default is export none
  graceful restart;  # Turn on graceful restart to reduce potential flaps in
                     # routes when reloading BIRD configuration.  With a full
                     # automatic mesh, there is no way to prevent BGP from
                     # flapping since multiple nodes update their BGP
                     # configuration at the same time, GR is not guaranteed to
                     # work correctly in this scenario.
  merge paths on;    # Allow export multipath routes (ECMP)
}
# Watch interface up/down events.
protocol device {
  debug { states };
  scan time 2;    # Scan interfaces every 2 seconds
}
protocol direct from direct_template {
}
# Template for all BGP clients
template bgp bgp_template {
  debug { states, routes, filters, events };
  description "Connection to BGP peer";
  local as 64512;
  gateway recursive; # This should be the default, but just in case.
  add paths on;
  graceful restart;  # See comment in kernel section about graceful restart.
  connect delay time 2;
  connect retry time 5;
  error wait time 5,30;
}
# -------------- BGP Filters ------------------
# No v4 BGPFilters configured
# BGP Protocol Configurations
protocol bgp Mesh_192_168_56_12 from bgp_template {
  neighbor 192.168.56.12 as 64512;
  source address 192.168.56.11;  # The local address we use for the TCP connection
  ttl security off;
  multihop;
  import filter {
    if (defined(bgp_local_pref)&&(bgp_local_pref > 2147482623)) then
      preference = 200;
    accept;
  };
  export filter {
    if (defined(source) && source = RTS_BGP && defined(bgp_local_pref)) then {
      krt_metric = 2147483647 - bgp_local_pref;
    } else {
      if (!defined(krt_metric)) then { krt_metric = 1024; }
      bgp_local_pref = 2147483647 - krt_metric;
    }
    calico_export_to_bgp_peers(true);
    reject;
  };  # Only want to export routes for workloads.
  passive on;
}
protocol bgp Mesh_192_168_57_11 from bgp_template {
  neighbor 192.168.57.11 as 64512;
  source address 192.168.56.11;  # The local address we use for the TCP connection
  ttl security off;
  multihop;
  import filter {
    if (defined(bgp_local_pref)&&(bgp_local_pref > 2147482623)) then
      preference = 200;
    accept;
  };
  export filter {
    if (defined(source) && source = RTS_BGP && defined(bgp_local_pref)) then {
      krt_metric = 2147483647 - bgp_local_pref;
    } else {
      if (!defined(krt_metric)) then { krt_metric = 1024; }
      bgp_local_pref = 2147483647 - krt_metric;
    }
    calico_export_to_bgp_peers(true);
    reject;
  };  # Only want to export routes for workloads.
  passive on;
}
EOF
mkdir -p "$NETLAB_STATE/calico/node1" && cat > "$NETLAB_STATE/calico/node1/bird_aggr.cfg" <<'EOF'
# Generated by confd
template static static_template {
   # IP blocks for this host.
   route 10.244.0.0/26 blackhole;
}
protocol static from static_template {
}
# Aggregation of routes on this host; export the block, nothing beneath it.
function calico_aggr ()
{
      # Block 10.244.0.0/26 is confirmed
      if ( net = 10.244.0.0/26 ) then { accept; }
      if ( net ~ 10.244.0.0/26 && krt_metric < 1024 ) then { accept; }
      if ( net ~ 10.244.0.0/26 ) then { reject; }
}
EOF
mkdir -p "$NETLAB_STATE/calico/node1" && cat > "$NETLAB_STATE/calico/node1/bird_ipam.cfg" <<'EOF'
# Generated by confd
function reject_local_routes () {
  # Don't export local routes learned via BPF as they should never leave the node.
  if (defined(ifname)) then {
     if (ifname ~ "bpf*.cali") then {
        reject;
     }
  }
}
function calico_export_to_bgp_peers(bool internal_peer) {
  # filter code terminates when it calls `accept;` or `reject;`,
  if (internal_peer) then {
    if (defined(ifname)) then {
      if ((ifname ~ "*.cali") || (ifname ~ "*.calico") || (ifname ~ "tunl0")) then {
        reject;
      }
    }
  }
  reject_local_routes();
  apply_communities();
  calico_aggr();
  if (net ~ 10.244.0.0/16) then { accept; }
}
filter calico_kernel_programming {
  if (defined(source) && (source = RTS_BGP) && !defined(krt_metric)) then {
      krt_metric = 1024;
      if (defined(bgp_local_pref)) then {
          krt_metric = 2147483647 - bgp_local_pref;
      }
      if (krt_metric < 1024) then {
          preference = 200;
      }
  }
  if (net ~ 10.244.0.0/16) then { reject; } # VXLAN routes are handled by Felix.
  accept;
}
EOF
ip netns exec netlab.calico-racks.node1 setsid -f bird -R -s "$NETLAB_STATE/calico/node1/bird.ctl" -d -c "$NETLAB_STATE/calico/node1/bird.cfg" >"$NETLAB_STATE/logs/bird-node1.log" 2>&1 </dev/null

# node node2: BIRD announces 10.244.0.64/26 over BGP (AS 64512)
mkdir -p "$NETLAB_STATE/calico/node2" && cat > "$NETLAB_STATE/calico/node2/bird.cfg" <<'EOF'
function apply_communities ()
{
}
template kernel kernel_template {
  learn;             # Learn all alien routes from the kernel
  persist;           # Don't remove routes on bird shutdown
  scan time 2;       # Scan kernel routing table every 2 seconds
  import all;
}
template direct direct_template {
  debug { states };
  interface -"cali*", -"kube-ipvs*", "*"; # Exclude cali* and kube-ipvs* but
                                          # include everything else.  In
                                          # IPVS-mode, kube-proxy creates a
                                          # kube-ipvs0 interface. We exclude
                                          # kube-ipvs0 because this interface
                                          # gets an address for every in use
                                          # cluster IP. We use static routes
                                          # for when we legitimately want to
                                          # export cluster IPs.
}
# Generated by confd
include "bird_aggr.cfg";
include "bird_ipam.cfg";
router id 192.168.56.12;
# Configure synchronization between routing tables and kernel.
protocol kernel from kernel_template {
  export filter calico_kernel_programming; # Default is export none
  graceful restart;  # Turn on graceful restart to reduce potential flaps in
                     # routes when reloading BIRD configuration.  With a full
                     # automatic mesh, there is no way to prevent BGP from
                     # flapping since multiple nodes update their BGP
                     # configuration at the same time, GR is not guaranteed to
                     # work correctly in this scenario.
  merge paths on;    # Allow export multipath routes (ECMP)
}
# Watch interface up/down events.
protocol device {
  debug { states };
  scan time 2;    # Scan interfaces every 2 seconds
}
protocol direct from direct_template {
}
# Template for all BGP clients
template bgp bgp_template {
  debug { states, routes, filters, events };
  description "Connection to BGP peer";
  local as 64512;
  gateway recursive; # This should be the default, but just in case.
  add paths on;
  graceful restart;  # See comment in kernel section about graceful restart.
  connect delay time 2;
  connect retry time 5;
  error wait time 5,30;
}
# -------------- BGP Filters ------------------
# No v4 BGPFilters configured
# BGP Protocol Configurations
protocol bgp Mesh_192_168_56_11 from bgp_template {
  neighbor 192.168.56.11 as 64512;
  source address 192.168.56.12;  # The local address we use for the TCP connection
  ttl security off;
  multihop;
  import filter {
    if (defined(bgp_local_pref)&&(bgp_local_pref > 2147482623)) then
      preference = 200;
    accept;
  };
  export filter {
    if (defined(source) && source = RTS_BGP && defined(bgp_local_pref)) then {
      krt_metric = 2147483647 - bgp_local_pref;
    } else {
      if (!defined(krt_metric)) then { krt_metric = 1024; }
      bgp_local_pref = 2147483647 - krt_metric;
    }
    calico_export_to_bgp_peers(true);
    reject;
  };  # Only want to export routes for workloads.
}
protocol bgp Mesh_192_168_57_11 from bgp_template {
  neighbor 192.168.57.11 as 64512;
  source address 192.168.56.12;  # The local address we use for the TCP connection
  ttl security off;
  multihop;
  import filter {
    if (defined(bgp_local_pref)&&(bgp_local_pref > 2147482623)) then
      preference = 200;
    accept;
  };
  export filter {
    if (defined(source) && source = RTS_BGP && defined(bgp_local_pref)) then {
      krt_metric = 2147483647 - bgp_local_pref;
    } else {
      if (!defined(krt_metric)) then { krt_metric = 1024; }
      bgp_local_pref = 2147483647 - krt_metric;
    }
    calico_export_to_bgp_peers(true);
    reject;
  };  # Only want to export routes for workloads.
  passive on;
}
EOF
mkdir -p "$NETLAB_STATE/calico/node2" && cat > "$NETLAB_STATE/calico/node2/bird_aggr.cfg" <<'EOF'
# Generated by confd
template static static_template {
   # IP blocks for this host.
   route 10.244.0.64/26 blackhole;
}
protocol static from static_template {
}
# Aggregation of routes on this host; export the block, nothing beneath it.
function calico_aggr ()
{
      # Block 10.244.0.64/26 is confirmed
      if ( net = 10.244.0.64/26 ) then { accept; }
      if ( net ~ 10.244.0.64/26 && krt_metric < 1024 ) then { accept; }
      if ( net ~ 10.244.0.64/26 ) then { reject; }
}
EOF
mkdir -p "$NETLAB_STATE/calico/node2" && cat > "$NETLAB_STATE/calico/node2/bird_ipam.cfg" <<'EOF'
# Generated by confd
function reject_local_routes () {
  # Don't export local routes learned via BPF as they should never leave the node.
  if (defined(ifname)) then {
     if (ifname ~ "bpf*.cali") then {
        reject;
     }
  }
}
function calico_export_to_bgp_peers(bool internal_peer) {
  # filter code terminates when it calls `accept;` or `reject;`,
  if (internal_peer) then {
    if (defined(ifname)) then {
      if ((ifname ~ "*.cali") || (ifname ~ "*.calico") || (ifname ~ "tunl0")) then {
        reject;
      }
    }
  }
  reject_local_routes();
  apply_communities();
  calico_aggr();
  if (net ~ 10.244.0.0/16) then { accept; }
}
filter calico_kernel_programming {
  if (defined(source) && (source = RTS_BGP) && !defined(krt_metric)) then {
      krt_metric = 1024;
      if (defined(bgp_local_pref)) then {
          krt_metric = 2147483647 - bgp_local_pref;
      }
      if (krt_metric < 1024) then {
          preference = 200;
      }
  }
  if (net ~ 10.244.0.0/16) then { reject; } # VXLAN routes are handled by Felix.
  accept;
}
EOF
ip netns exec netlab.calico-racks.node2 setsid -f bird -R -s "$NETLAB_STATE/calico/node2/bird.ctl" -d -c "$NETLAB_STATE/calico/node2/bird.cfg" >"$NETLAB_STATE/logs/bird-node2.log" 2>&1 </dev/null

# node node3: BIRD announces 10.244.0.128/26 over BGP (AS 64512)
mkdir -p "$NETLAB_STATE/calico/node3" && cat > "$NETLAB_STATE/calico/node3/bird.cfg" <<'EOF'
function apply_communities ()
{
}
template kernel kernel_template {
  learn;             # Learn all alien routes from the kernel
  persist;           # Don't remove routes on bird shutdown
  scan time 2;       # Scan kernel routing table every 2 seconds
  import all;
}
template direct direct_template {
  debug { states };
  interface -"cali*", -"kube-ipvs*", "*"; # Exclude cali* and kube-ipvs* but
                                          # include everything else.  In
                                          # IPVS-mode, kube-proxy creates a
                                          # kube-ipvs0 interface. We exclude
                                          # kube-ipvs0 because this interface
                                          # gets an address for every in use
                                          # cluster IP. We use static routes
                                          # for when we legitimately want to
                                          # export cluster IPs.
}
# Generated by confd
include "bird_aggr.cfg";
include "bird_ipam.cfg";
router id 192.168.57.11;
# Configure synchronization between routing tables and kernel.
protocol kernel from kernel_template {
  export filter calico_kernel_programming; # Default is export none
  graceful restart;  # Turn on graceful restart to reduce potential flaps in
                     # routes when reloading BIRD configuration.  With a full
                     # automatic mesh, there is no way to prevent BGP from
                     # flapping since multiple nodes update their BGP
                     # configuration at the same time, GR is not guaranteed to
                     # work correctly in this scenario.
  merge paths on;    # Allow export multipath routes (ECMP)
}
# Watch interface up/down events.
protocol device {
  debug { states };
  scan time 2;    # Scan interfaces every 2 seconds
}
protocol direct from direct_template {
}
# Template for all BGP clients
template bgp bgp_template {
  debug { states, routes, filters, events };
  description "Connection to BGP peer";
  local as 64512;
  gateway recursive; # This should be the default, but just in case.
  add paths on;
  graceful restart;  # See comment in kernel section about graceful restart.
  connect delay time 2;
  connect retry time 5;
  error wait time 5,30;
}
# -------------- BGP Filters ------------------
# No v4 BGPFilters configured
# BGP Protocol Configurations
protocol bgp Mesh_192_168_56_11 from bgp_template {
  neighbor 192.168.56.11 as 64512;
  source address 192.168.57.11;  # The local address we use for the TCP connection
  ttl security off;
  multihop;
  import filter {
    if (defined(bgp_local_pref)&&(bgp_local_pref > 2147482623)) then
      preference = 200;
    accept;
  };
  export filter {
    if (defined(source) && source = RTS_BGP && defined(bgp_local_pref)) then {
      krt_metric = 2147483647 - bgp_local_pref;
    } else {
      if (!defined(krt_metric)) then { krt_metric = 1024; }
      bgp_local_pref = 2147483647 - krt_metric;
    }
    calico_export_to_bgp_peers(true);
    reject;
  };  # Only want to export routes for workloads.
}
protocol bgp Mesh_192_168_56_12 from bgp_template {
  neighbor 192.168.56.12 as 64512;
  source address 192.168.57.11;  # The local address we use for the TCP connection
  ttl security off;
  multihop;
  import filter {
    if (defined(bgp_local_pref)&&(bgp_local_pref > 2147482623)) then
      preference = 200;
    accept;
  };
  export filter {
    if (defined(source) && source = RTS_BGP && defined(bgp_local_pref)) then {
      krt_metric = 2147483647 - bgp_local_pref;
    } else {
      if (!defined(krt_metric)) then { krt_metric = 1024; }
      bgp_local_pref = 2147483647 - krt_metric;
    }
    calico_export_to_bgp_peers(true);
    reject;
  };  # Only want to export routes for workloads.
}
EOF
mkdir -p "$NETLAB_STATE/calico/node3" && cat > "$NETLAB_STATE/calico/node3/bird_aggr.cfg" <<'EOF'
# Generated by confd
template static static_template {
   # IP blocks for this host.
   route 10.244.0.128/26 blackhole;
}
protocol static from static_template {
}
# Aggregation of routes on this host; export the block, nothing beneath it.
function calico_aggr ()
{
      # Block 10.244.0.128/26 is confirmed
      if ( net = 10.244.0.128/26 ) then { accept; }
      if ( net ~ 10.244.0.128/26 && krt_metric < 1024 ) then { accept; }
      if ( net ~ 10.244.0.128/26 ) then { reject; }
}
EOF
mkdir -p "$NETLAB_STATE/calico/node3" && cat > "$NETLAB_STATE/calico/node3/bird_ipam.cfg" <<'EOF'
# Generated by confd
function reject_local_routes () {
  # Don't export local routes learned via BPF as they should never leave the node.
  if (defined(ifname)) then {
     if (ifname ~ "bpf*.cali") then {
        reject;
     }
  }
}
function calico_export_to_bgp_peers(bool internal_peer) {
  # filter code terminates when it calls `accept;` or `reject;`,
  if (internal_peer) then {
    if (defined(ifname)) then {
      if ((ifname ~ "*.cali") || (ifname ~ "*.calico") || (ifname ~ "tunl0")) then {
        reject;
      }
    }
  }
  reject_local_routes();
  apply_communities();
  calico_aggr();
  if (net ~ 10.244.0.0/16) then { accept; }
}
filter calico_kernel_programming {
  if (defined(source) && (source = RTS_BGP) && !defined(krt_metric)) then {
      krt_metric = 1024;
      if (defined(bgp_local_pref)) then {
          krt_metric = 2147483647 - bgp_local_pref;
      }
      if (krt_metric < 1024) then {
          preference = 200;
      }
  }
  if (net ~ 10.244.0.0/16) then { reject; } # VXLAN routes are handled by Felix.
  accept;
}
EOF
ip netns exec netlab.calico-racks.node3 setsid -f bird -R -s "$NETLAB_STATE/calico/node3/bird.ctl" -d -c "$NETLAB_STATE/calico/node3/bird.cfg" >"$NETLAB_STATE/logs/bird-node3.log" 2>&1 </dev/null

# node node1: BGP sessions Established: Mesh_192_168_56_12, Mesh_192_168_57_11
ip netns exec netlab.calico-racks.node1 sh -c 'until [ "$(birdc -s "$0" show protocols | grep -c -e '"'"'^Mesh_192_168_56_12 .*Established'"'"' -e '"'"'^Mesh_192_168_57_11 .*Established'"'"')" = 2 ]; do sleep 0.2; done' "$NETLAB_STATE/calico/node1/bird.ctl"

# node node2: BGP sessions Established: Mesh_192_168_56_11, Mesh_192_168_57_11
ip netns exec netlab.calico-racks.node2 sh -c 'until [ "$(birdc -s "$0" show protocols | grep -c -e '"'"'^Mesh_192_168_56_11 .*Established'"'"' -e '"'"'^Mesh_192_168_57_11 .*Established'"'"')" = 2 ]; do sleep 0.2; done' "$NETLAB_STATE/calico/node2/bird.ctl"

# node node3: BGP sessions Established: Mesh_192_168_56_11, Mesh_192_168_56_12
ip netns exec netlab.calico-racks.node3 sh -c 'until [ "$(birdc -s "$0" show protocols | grep -c -e '"'"'^Mesh_192_168_56_11 .*Established'"'"' -e '"'"'^Mesh_192_168_56_12 .*Established'"'"')" = 2 ]; do sleep 0.2; done' "$NETLAB_STATE/calico/node3/bird.ctl"

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.calico-racks.a1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name a1 --http 80 >"$NETLAB_STATE/logs/echo-a1.log" 2>&1 </dev/null
ip netns exec netlab.calico-racks.b1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name b1 --http 80 >"$NETLAB_STATE/logs/echo-b1.log" 2>&1 </dev/null
ip netns exec netlab.calico-racks.c1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name c1 --http 80 >"$NETLAB_STATE/logs/echo-c1.log" 2>&1 </dev/null

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
ip netns exec netlab.calico-racks.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.calico-racks.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.calico-racks.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.calico-racks.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
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
ip netns exec netlab.calico-racks.coredns-7b5fc74fc-gmtxp setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-gmtxp.log" 2>&1 </dev/null
ip netns exec netlab.calico-racks.coredns-7b5fc74fc-gmtxp sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf"
ip netns exec netlab.calico-racks.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.calico-racks.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 455236198 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
1.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-1.web.default.svc.cluster.local.
10-244-0-1.default.pod.cluster.local. 30 IN A 10.244.0.1
10-244-0-1.web.default.svc.cluster.local. 30 IN A 10.244.0.1
10-244-0-129.default.pod.cluster.local. 30 IN A 10.244.0.129
10-244-0-129.web.default.svc.cluster.local. 30 IN A 10.244.0.129
10-244-0-130.default.pod.cluster.local. 30 IN A 10.244.0.130
10-244-0-2.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.kube-system.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-65.default.pod.cluster.local. 30 IN A 10.244.0.65
10-244-0-65.web.default.svc.cluster.local. 30 IN A 10.244.0.65
10-244-0-66.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.66
10-244-0-66.kube-system.pod.cluster.local. 30 IN A 10.244.0.66
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local.
129.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-129.web.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.kube-dns.kube-system.svc.cluster.local.
65.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-65.web.default.svc.cluster.local.
66.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-66.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
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
ip netns exec netlab.calico-racks.coredns-7b5fc74fc-896cd setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-896cd.log" 2>&1 </dev/null
ip netns exec netlab.calico-racks.coredns-7b5fc74fc-896cd sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf"
ip netns exec netlab.calico-racks.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.calico-racks.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 455236198 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
1.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-1.web.default.svc.cluster.local.
10-244-0-1.default.pod.cluster.local. 30 IN A 10.244.0.1
10-244-0-1.web.default.svc.cluster.local. 30 IN A 10.244.0.1
10-244-0-129.default.pod.cluster.local. 30 IN A 10.244.0.129
10-244-0-129.web.default.svc.cluster.local. 30 IN A 10.244.0.129
10-244-0-130.default.pod.cluster.local. 30 IN A 10.244.0.130
10-244-0-2.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.kube-system.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-65.default.pod.cluster.local. 30 IN A 10.244.0.65
10-244-0-65.web.default.svc.cluster.local. 30 IN A 10.244.0.65
10-244-0-66.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.66
10-244-0-66.kube-system.pod.cluster.local. 30 IN A 10.244.0.66
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local.
129.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-129.web.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.kube-dns.kube-system.svc.cluster.local.
65.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-65.web.default.svc.cluster.local.
66.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-66.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
web.default.svc.cluster.local. 30 IN A 10.96.0.11
web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.
EOF
mkdir -p "/etc/netns/netlab.calico-racks.node1" && cat > "/etc/netns/netlab.calico-racks.node1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.calico-racks.node2" && cat > "/etc/netns/netlab.calico-racks.node2/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.calico-racks.node3" && cat > "/etc/netns/netlab.calico-racks.node3/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.calico-racks.ns1" && cat > "/etc/netns/netlab.calico-racks.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.calico-racks.a1" && cat > "/etc/netns/netlab.calico-racks.a1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.calico-racks.b1" && cat > "/etc/netns/netlab.calico-racks.b1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.calico-racks.c1" && cat > "/etc/netns/netlab.calico-racks.c1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.calico-racks.client" && cat > "/etc/netns/netlab.calico-racks.client/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.calico-racks.coredns-7b5fc74fc-gmtxp" && cat > "/etc/netns/netlab.calico-racks.coredns-7b5fc74fc-gmtxp/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.calico-racks.coredns-7b5fc74fc-896cd" && cat > "/etc/netns/netlab.calico-racks.coredns-7b5fc74fc-896cd/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF

# node node1: kube-proxy (iptables mode) programs 2 services
ip netns exec netlab.calico-racks.node1 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.calico-racks.node1 iptables-restore --noflush <<'EOF'
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
:KUBE-SVC-LOLE4ISW44XBNF3G - [0:0]
:KUBE-SEP-WD2B3BUTQ6EB6WPE - [0:0]
:KUBE-SEP-AVFCERX3Q6XWS5BG - [0:0]
:KUBE-SEP-KVGIN7NXSJSDU5AG - [0:0]
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-IT2ZTR26TO4XFPTO - [0:0]
:KUBE-SEP-GLHS7TOLUBHQC5HW - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-YIL6JZP7A3QYXJU2 - [0:0]
:KUBE-SEP-RTYKDKZMF3MV2JNK - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-N4G2XR5TDX7PQE7P - [0:0]
:KUBE-SEP-CMXT3SDFXXB2DOVQ - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 -j KUBE-SVC-LOLE4ISW44XBNF3G
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.0.129:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-WD2B3BUTQ6EB6WPE
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.0.1:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-AVFCERX3Q6XWS5BG
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.0.65:80" -j KUBE-SEP-KVGIN7NXSJSDU5AG
-A KUBE-SEP-WD2B3BUTQ6EB6WPE -m comment --comment default/web -s 10.244.0.129 -j KUBE-MARK-MASQ
-A KUBE-SEP-WD2B3BUTQ6EB6WPE -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.0.129:80
-A KUBE-SEP-AVFCERX3Q6XWS5BG -m comment --comment default/web -s 10.244.0.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-AVFCERX3Q6XWS5BG -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.0.1:80
-A KUBE-SEP-KVGIN7NXSJSDU5AG -m comment --comment default/web -s 10.244.0.65 -j KUBE-MARK-MASQ
-A KUBE-SEP-KVGIN7NXSJSDU5AG -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.0.65:80
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.2:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-IT2ZTR26TO4XFPTO
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.66:53" -j KUBE-SEP-GLHS7TOLUBHQC5HW
-A KUBE-SEP-IT2ZTR26TO4XFPTO -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-IT2ZTR26TO4XFPTO -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:53
-A KUBE-SEP-GLHS7TOLUBHQC5HW -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.66 -j KUBE-MARK-MASQ
-A KUBE-SEP-GLHS7TOLUBHQC5HW -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.66:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.2:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-YIL6JZP7A3QYXJU2
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.66:53" -j KUBE-SEP-RTYKDKZMF3MV2JNK
-A KUBE-SEP-YIL6JZP7A3QYXJU2 -m comment --comment kube-system/kube-dns:dns -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-YIL6JZP7A3QYXJU2 -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.2:53
-A KUBE-SEP-RTYKDKZMF3MV2JNK -m comment --comment kube-system/kube-dns:dns -s 10.244.0.66 -j KUBE-MARK-MASQ
-A KUBE-SEP-RTYKDKZMF3MV2JNK -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.66:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.2:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-N4G2XR5TDX7PQE7P
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.66:9153" -j KUBE-SEP-CMXT3SDFXXB2DOVQ
-A KUBE-SEP-N4G2XR5TDX7PQE7P -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-N4G2XR5TDX7PQE7P -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:9153
-A KUBE-SEP-CMXT3SDFXXB2DOVQ -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.66 -j KUBE-MARK-MASQ
-A KUBE-SEP-CMXT3SDFXXB2DOVQ -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.66:9153
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node2: kube-proxy (iptables mode) programs 2 services
ip netns exec netlab.calico-racks.node2 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.calico-racks.node2 iptables-restore --noflush <<'EOF'
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
:KUBE-SVC-LOLE4ISW44XBNF3G - [0:0]
:KUBE-SEP-WD2B3BUTQ6EB6WPE - [0:0]
:KUBE-SEP-AVFCERX3Q6XWS5BG - [0:0]
:KUBE-SEP-KVGIN7NXSJSDU5AG - [0:0]
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-IT2ZTR26TO4XFPTO - [0:0]
:KUBE-SEP-GLHS7TOLUBHQC5HW - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-YIL6JZP7A3QYXJU2 - [0:0]
:KUBE-SEP-RTYKDKZMF3MV2JNK - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-N4G2XR5TDX7PQE7P - [0:0]
:KUBE-SEP-CMXT3SDFXXB2DOVQ - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 -j KUBE-SVC-LOLE4ISW44XBNF3G
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.0.129:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-WD2B3BUTQ6EB6WPE
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.0.1:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-AVFCERX3Q6XWS5BG
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.0.65:80" -j KUBE-SEP-KVGIN7NXSJSDU5AG
-A KUBE-SEP-WD2B3BUTQ6EB6WPE -m comment --comment default/web -s 10.244.0.129 -j KUBE-MARK-MASQ
-A KUBE-SEP-WD2B3BUTQ6EB6WPE -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.0.129:80
-A KUBE-SEP-AVFCERX3Q6XWS5BG -m comment --comment default/web -s 10.244.0.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-AVFCERX3Q6XWS5BG -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.0.1:80
-A KUBE-SEP-KVGIN7NXSJSDU5AG -m comment --comment default/web -s 10.244.0.65 -j KUBE-MARK-MASQ
-A KUBE-SEP-KVGIN7NXSJSDU5AG -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.0.65:80
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.2:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-IT2ZTR26TO4XFPTO
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.66:53" -j KUBE-SEP-GLHS7TOLUBHQC5HW
-A KUBE-SEP-IT2ZTR26TO4XFPTO -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-IT2ZTR26TO4XFPTO -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:53
-A KUBE-SEP-GLHS7TOLUBHQC5HW -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.66 -j KUBE-MARK-MASQ
-A KUBE-SEP-GLHS7TOLUBHQC5HW -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.66:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.2:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-YIL6JZP7A3QYXJU2
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.66:53" -j KUBE-SEP-RTYKDKZMF3MV2JNK
-A KUBE-SEP-YIL6JZP7A3QYXJU2 -m comment --comment kube-system/kube-dns:dns -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-YIL6JZP7A3QYXJU2 -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.2:53
-A KUBE-SEP-RTYKDKZMF3MV2JNK -m comment --comment kube-system/kube-dns:dns -s 10.244.0.66 -j KUBE-MARK-MASQ
-A KUBE-SEP-RTYKDKZMF3MV2JNK -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.66:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.2:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-N4G2XR5TDX7PQE7P
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.66:9153" -j KUBE-SEP-CMXT3SDFXXB2DOVQ
-A KUBE-SEP-N4G2XR5TDX7PQE7P -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-N4G2XR5TDX7PQE7P -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:9153
-A KUBE-SEP-CMXT3SDFXXB2DOVQ -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.66 -j KUBE-MARK-MASQ
-A KUBE-SEP-CMXT3SDFXXB2DOVQ -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.66:9153
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node3: kube-proxy (iptables mode) programs 2 services
ip netns exec netlab.calico-racks.node3 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.calico-racks.node3 iptables-restore --noflush <<'EOF'
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
:KUBE-SVC-LOLE4ISW44XBNF3G - [0:0]
:KUBE-SEP-WD2B3BUTQ6EB6WPE - [0:0]
:KUBE-SEP-AVFCERX3Q6XWS5BG - [0:0]
:KUBE-SEP-KVGIN7NXSJSDU5AG - [0:0]
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-IT2ZTR26TO4XFPTO - [0:0]
:KUBE-SEP-GLHS7TOLUBHQC5HW - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-YIL6JZP7A3QYXJU2 - [0:0]
:KUBE-SEP-RTYKDKZMF3MV2JNK - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-N4G2XR5TDX7PQE7P - [0:0]
:KUBE-SEP-CMXT3SDFXXB2DOVQ - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 -j KUBE-SVC-LOLE4ISW44XBNF3G
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.0.129:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-WD2B3BUTQ6EB6WPE
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.0.1:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-AVFCERX3Q6XWS5BG
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.0.65:80" -j KUBE-SEP-KVGIN7NXSJSDU5AG
-A KUBE-SEP-WD2B3BUTQ6EB6WPE -m comment --comment default/web -s 10.244.0.129 -j KUBE-MARK-MASQ
-A KUBE-SEP-WD2B3BUTQ6EB6WPE -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.0.129:80
-A KUBE-SEP-AVFCERX3Q6XWS5BG -m comment --comment default/web -s 10.244.0.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-AVFCERX3Q6XWS5BG -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.0.1:80
-A KUBE-SEP-KVGIN7NXSJSDU5AG -m comment --comment default/web -s 10.244.0.65 -j KUBE-MARK-MASQ
-A KUBE-SEP-KVGIN7NXSJSDU5AG -m comment --comment default/web -m tcp -p tcp -j DNAT --to-destination 10.244.0.65:80
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.2:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-IT2ZTR26TO4XFPTO
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.66:53" -j KUBE-SEP-GLHS7TOLUBHQC5HW
-A KUBE-SEP-IT2ZTR26TO4XFPTO -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-IT2ZTR26TO4XFPTO -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:53
-A KUBE-SEP-GLHS7TOLUBHQC5HW -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.66 -j KUBE-MARK-MASQ
-A KUBE-SEP-GLHS7TOLUBHQC5HW -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.66:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.2:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-YIL6JZP7A3QYXJU2
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.66:53" -j KUBE-SEP-RTYKDKZMF3MV2JNK
-A KUBE-SEP-YIL6JZP7A3QYXJU2 -m comment --comment kube-system/kube-dns:dns -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-YIL6JZP7A3QYXJU2 -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.2:53
-A KUBE-SEP-RTYKDKZMF3MV2JNK -m comment --comment kube-system/kube-dns:dns -s 10.244.0.66 -j KUBE-MARK-MASQ
-A KUBE-SEP-RTYKDKZMF3MV2JNK -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.66:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.2:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-N4G2XR5TDX7PQE7P
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.66:9153" -j KUBE-SEP-CMXT3SDFXXB2DOVQ
-A KUBE-SEP-N4G2XR5TDX7PQE7P -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-N4G2XR5TDX7PQE7P -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:9153
-A KUBE-SEP-CMXT3SDFXXB2DOVQ -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.66 -j KUBE-MARK-MASQ
-A KUBE-SEP-CMXT3SDFXXB2DOVQ -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.66:9153
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node1: felix hooks its chains in first (INPUT, FORWARD, OUTPUT, nat)
ip netns exec netlab.calico-racks.node1 iptables-restore --noflush <<'EOF'
*filter
-I INPUT 1 -m comment --comment "cali:Cz_u1IQiXIMmKD4c" --jump cali-INPUT
-I FORWARD 1 -m comment --comment "cali:wUHhoiAYhphO9Mso" --jump cali-FORWARD
-I OUTPUT 1 -m comment --comment "cali:tVnHkvAo15HuiPy0" --jump cali-OUTPUT
-A FORWARD -m comment --comment "cali:S93hcgKJrXEqnTfs" -m comment --comment "Policy explicitly accepted packet." -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A FORWARD -m comment --comment "cali:mp77cMpurHhyjLrM" --jump MARK --set-mark 0x10000/0x10000
COMMIT
*nat
-I PREROUTING 1 -m comment --comment "cali:6gwbT8clXdHdC1b1" --jump cali-PREROUTING
-I OUTPUT 1 -m comment --comment "cali:tVnHkvAo15HuiPy0" --jump cali-OUTPUT
-A POSTROUTING -m comment --comment "cali:0i8pjzKKPyA34aQD" --jump cali-POSTROUTING
COMMIT
EOF

# node node2: felix hooks its chains in first (INPUT, FORWARD, OUTPUT, nat)
ip netns exec netlab.calico-racks.node2 iptables-restore --noflush <<'EOF'
*filter
-I INPUT 1 -m comment --comment "cali:Cz_u1IQiXIMmKD4c" --jump cali-INPUT
-I FORWARD 1 -m comment --comment "cali:wUHhoiAYhphO9Mso" --jump cali-FORWARD
-I OUTPUT 1 -m comment --comment "cali:tVnHkvAo15HuiPy0" --jump cali-OUTPUT
-A FORWARD -m comment --comment "cali:S93hcgKJrXEqnTfs" -m comment --comment "Policy explicitly accepted packet." -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A FORWARD -m comment --comment "cali:mp77cMpurHhyjLrM" --jump MARK --set-mark 0x10000/0x10000
COMMIT
*nat
-I PREROUTING 1 -m comment --comment "cali:6gwbT8clXdHdC1b1" --jump cali-PREROUTING
-I OUTPUT 1 -m comment --comment "cali:tVnHkvAo15HuiPy0" --jump cali-OUTPUT
-A POSTROUTING -m comment --comment "cali:0i8pjzKKPyA34aQD" --jump cali-POSTROUTING
COMMIT
EOF

# node node3: felix hooks its chains in first (INPUT, FORWARD, OUTPUT, nat)
ip netns exec netlab.calico-racks.node3 iptables-restore --noflush <<'EOF'
*filter
-I INPUT 1 -m comment --comment "cali:Cz_u1IQiXIMmKD4c" --jump cali-INPUT
-I FORWARD 1 -m comment --comment "cali:wUHhoiAYhphO9Mso" --jump cali-FORWARD
-I OUTPUT 1 -m comment --comment "cali:tVnHkvAo15HuiPy0" --jump cali-OUTPUT
-A FORWARD -m comment --comment "cali:S93hcgKJrXEqnTfs" -m comment --comment "Policy explicitly accepted packet." -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A FORWARD -m comment --comment "cali:mp77cMpurHhyjLrM" --jump MARK --set-mark 0x10000/0x10000
COMMIT
*nat
-I PREROUTING 1 -m comment --comment "cali:6gwbT8clXdHdC1b1" --jump cali-PREROUTING
-I OUTPUT 1 -m comment --comment "cali:tVnHkvAo15HuiPy0" --jump cali-OUTPUT
-A POSTROUTING -m comment --comment "cali:0i8pjzKKPyA34aQD" --jump cali-POSTROUTING
COMMIT
EOF

#!/usr/bin/env bash
# netlab plan for lab flannel-vxlan: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down flannel-vxlan`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/flannel-vxlan}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.flannel-vxlan.underlay
ip -n netlab.flannel-vxlan.underlay link add br0 address 02:b6:26:af:17:49 mtu 1500 type bridge
ip -n netlab.flannel-vxlan.underlay link set dev br0 alias netlab:flannel-vxlan up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.flannel-vxlan.internet
ip -n netlab.flannel-vxlan.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.flannel-vxlan.internet
ip -n netlab.flannel-vxlan.underlay link set dev internet master br0 alias netlab:flannel-vxlan up
ip -n netlab.flannel-vxlan.internet link set dev lo up
ip -n netlab.flannel-vxlan.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.flannel-vxlan.internet link set dev eth0 alias netlab:flannel-vxlan up
ip -n netlab.flannel-vxlan.internet link add br0 address a2:5d:8a:b6:b0:46 mtu 1500 type bridge
ip -n netlab.flannel-vxlan.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.flannel-vxlan.internet link set dev br0 alias netlab:flannel-vxlan up
ip netns exec netlab.flannel-vxlan.internet sysctl -qw net.ipv4.ip_forward=1

# internet host web
ip netns add netlab.flannel-vxlan.web
ip -n netlab.flannel-vxlan.internet link add web mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.flannel-vxlan.web
ip -n netlab.flannel-vxlan.internet link set dev web master br0 alias netlab:flannel-vxlan up
ip -n netlab.flannel-vxlan.web link set dev lo up
ip -n netlab.flannel-vxlan.web addr add 203.0.113.10/24 dev eth0
ip -n netlab.flannel-vxlan.web link set dev eth0 alias netlab:flannel-vxlan up
ip -n netlab.flannel-vxlan.web route add default via 203.0.113.1 dev eth0

# internet host ns1
ip netns add netlab.flannel-vxlan.ns1
ip -n netlab.flannel-vxlan.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.flannel-vxlan.ns1
ip -n netlab.flannel-vxlan.internet link set dev ns1 master br0 alias netlab:flannel-vxlan up
ip -n netlab.flannel-vxlan.ns1 link set dev lo up
ip -n netlab.flannel-vxlan.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.flannel-vxlan.ns1 link set dev eth0 alias netlab:flannel-vxlan up
ip -n netlab.flannel-vxlan.ns1 route add default via 203.0.113.1 dev eth0

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.flannel-vxlan.node1
ip -n netlab.flannel-vxlan.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.flannel-vxlan.node1
ip -n netlab.flannel-vxlan.underlay link set dev node1 master br0 alias netlab:flannel-vxlan up
ip -n netlab.flannel-vxlan.node1 link set dev lo up
ip -n netlab.flannel-vxlan.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.flannel-vxlan.node1 link set dev eth0 alias netlab:flannel-vxlan up
ip -n netlab.flannel-vxlan.node1 route add default via 192.168.56.1 dev eth0

# node node2: eth0 192.168.56.12 on the underlay, default route via the router
ip netns add netlab.flannel-vxlan.node2
ip -n netlab.flannel-vxlan.underlay link add node2 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.flannel-vxlan.node2
ip -n netlab.flannel-vxlan.underlay link set dev node2 master br0 alias netlab:flannel-vxlan up
ip -n netlab.flannel-vxlan.node2 link set dev lo up
ip -n netlab.flannel-vxlan.node2 addr add 192.168.56.12/24 dev eth0
ip -n netlab.flannel-vxlan.node2 link set dev eth0 alias netlab:flannel-vxlan up
ip -n netlab.flannel-vxlan.node2 route add default via 192.168.56.1 dev eth0

# node node1: flanneld (vxlan) leases 10.244.0.0/24; forwarding and bridge netfilter on
ip netns exec netlab.flannel-vxlan.node1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.flannel-vxlan.node1 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node1" && cat > "$NETLAB_STATE/flannel/node1/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.0.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node1: flanneld's masquerade and forward rules
ip netns exec netlab.flannel-vxlan.node1 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.flannel-vxlan.node1 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node1: the VXLAN tunnel endpoint flannel.1
ip -n netlab.flannel-vxlan.node1 link add flannel.1 address 02:f6:e0:2a:e5:07 mtu 1450 type vxlan id 1 local 192.168.56.11 dev eth0 nolearning
ip -n netlab.flannel-vxlan.node1 addr add 10.244.0.0/32 dev flannel.1
ip -n netlab.flannel-vxlan.node1 link set dev flannel.1 alias netlab:flannel-vxlan up

# node node1: how to reach 10.244.1.0/24 on node2 (ARP, FDB, route)
ip -n netlab.flannel-vxlan.node1 neigh add 10.244.1.0 lladdr 86:a0:be:88:e9:57 dev flannel.1 nud permanent
bridge -n netlab.flannel-vxlan.node1 fdb add 86:a0:be:88:e9:57 dev flannel.1 dst 192.168.56.12 self permanent
ip -n netlab.flannel-vxlan.node1 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink

# node node2: flanneld (vxlan) leases 10.244.1.0/24; forwarding and bridge netfilter on
ip netns exec netlab.flannel-vxlan.node2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.flannel-vxlan.node2 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node2" && cat > "$NETLAB_STATE/flannel/node2/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.1.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node2: flanneld's masquerade and forward rules
ip netns exec netlab.flannel-vxlan.node2 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.flannel-vxlan.node2 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node2: the VXLAN tunnel endpoint flannel.1
ip -n netlab.flannel-vxlan.node2 link add flannel.1 address 86:a0:be:88:e9:57 mtu 1450 type vxlan id 1 local 192.168.56.12 dev eth0 nolearning
ip -n netlab.flannel-vxlan.node2 addr add 10.244.1.0/32 dev flannel.1
ip -n netlab.flannel-vxlan.node2 link set dev flannel.1 alias netlab:flannel-vxlan up

# node node2: how to reach 10.244.0.0/24 on node1 (ARP, FDB, route)
ip -n netlab.flannel-vxlan.node2 neigh add 10.244.0.0 lladdr 02:f6:e0:2a:e5:07 dev flannel.1 nud permanent
bridge -n netlab.flannel-vxlan.node2 fdb add 02:f6:e0:2a:e5:07 dev flannel.1 dst 192.168.56.11 self permanent
ip -n netlab.flannel-vxlan.node2 route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink

# node node1: the CNI bridge plugin creates cni0 10.244.0.1/24
ip -n netlab.flannel-vxlan.node1 link add cni0 address 62:ad:bd:23:d8:95 mtu 1450 type bridge
ip -n netlab.flannel-vxlan.node1 addr add 10.244.0.1/24 dev cni0
ip -n netlab.flannel-vxlan.node1 link set dev cni0 alias netlab:flannel-vxlan up

# pod web1: 10.244.0.2/24 on cni0 through vethb6316793
ip netns add netlab.flannel-vxlan.web1
ip -n netlab.flannel-vxlan.node1 link add vethb6316793 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.flannel-vxlan.web1
ip -n netlab.flannel-vxlan.node1 link set dev vethb6316793 master cni0 alias netlab:flannel-vxlan up
ip netns exec netlab.flannel-vxlan.web1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.flannel-vxlan.web1 link set dev lo up
ip -n netlab.flannel-vxlan.web1 addr add 10.244.0.2/24 dev eth0
ip -n netlab.flannel-vxlan.web1 link set dev eth0 alias netlab:flannel-vxlan up
bridge -n netlab.flannel-vxlan.node1 link set dev vethb6316793 hairpin on
ip -n netlab.flannel-vxlan.web1 route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.flannel-vxlan.web1 route add default via 10.244.0.1 dev eth0

# pod db1: 10.244.0.3/24 on cni0 through veth0333e0d5
ip netns add netlab.flannel-vxlan.db1
ip -n netlab.flannel-vxlan.node1 link add veth0333e0d5 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.flannel-vxlan.db1
ip -n netlab.flannel-vxlan.node1 link set dev veth0333e0d5 master cni0 alias netlab:flannel-vxlan up
ip netns exec netlab.flannel-vxlan.db1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.flannel-vxlan.db1 link set dev lo up
ip -n netlab.flannel-vxlan.db1 addr add 10.244.0.3/24 dev eth0
ip -n netlab.flannel-vxlan.db1 link set dev eth0 alias netlab:flannel-vxlan up
bridge -n netlab.flannel-vxlan.node1 link set dev veth0333e0d5 hairpin on
ip -n netlab.flannel-vxlan.db1 route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.flannel-vxlan.db1 route add default via 10.244.0.1 dev eth0

# pod client1: 10.244.0.4/24 on cni0 through vethbb901816
ip netns add netlab.flannel-vxlan.client1
ip -n netlab.flannel-vxlan.node1 link add vethbb901816 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.flannel-vxlan.client1
ip -n netlab.flannel-vxlan.node1 link set dev vethbb901816 master cni0 alias netlab:flannel-vxlan up
ip netns exec netlab.flannel-vxlan.client1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.flannel-vxlan.client1 link set dev lo up
ip -n netlab.flannel-vxlan.client1 addr add 10.244.0.4/24 dev eth0
ip -n netlab.flannel-vxlan.client1 link set dev eth0 alias netlab:flannel-vxlan up
bridge -n netlab.flannel-vxlan.node1 link set dev vethbb901816 hairpin on
ip -n netlab.flannel-vxlan.client1 route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.flannel-vxlan.client1 route add default via 10.244.0.1 dev eth0

# pod coredns-7b5fc74fc-gmtxp: 10.244.0.5/24 on cni0 through vethd1b998cc
ip netns add netlab.flannel-vxlan.coredns-7b5fc74fc-gmtxp
ip -n netlab.flannel-vxlan.node1 link add vethd1b998cc mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.flannel-vxlan.coredns-7b5fc74fc-gmtxp
ip -n netlab.flannel-vxlan.node1 link set dev vethd1b998cc master cni0 alias netlab:flannel-vxlan up
ip netns exec netlab.flannel-vxlan.coredns-7b5fc74fc-gmtxp sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.flannel-vxlan.coredns-7b5fc74fc-gmtxp link set dev lo up
ip -n netlab.flannel-vxlan.coredns-7b5fc74fc-gmtxp addr add 10.244.0.5/24 dev eth0
ip -n netlab.flannel-vxlan.coredns-7b5fc74fc-gmtxp link set dev eth0 alias netlab:flannel-vxlan up
bridge -n netlab.flannel-vxlan.node1 link set dev vethd1b998cc hairpin on
ip -n netlab.flannel-vxlan.coredns-7b5fc74fc-gmtxp route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.flannel-vxlan.coredns-7b5fc74fc-gmtxp route add default via 10.244.0.1 dev eth0

# node node2: the CNI bridge plugin creates cni0 10.244.1.1/24
ip -n netlab.flannel-vxlan.node2 link add cni0 address 7a:56:74:7a:63:97 mtu 1450 type bridge
ip -n netlab.flannel-vxlan.node2 addr add 10.244.1.1/24 dev cni0
ip -n netlab.flannel-vxlan.node2 link set dev cni0 alias netlab:flannel-vxlan up

# pod web2: 10.244.1.2/24 on cni0 through vethb2939122
ip netns add netlab.flannel-vxlan.web2
ip -n netlab.flannel-vxlan.node2 link add vethb2939122 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.flannel-vxlan.web2
ip -n netlab.flannel-vxlan.node2 link set dev vethb2939122 master cni0 alias netlab:flannel-vxlan up
ip netns exec netlab.flannel-vxlan.web2 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.flannel-vxlan.web2 link set dev lo up
ip -n netlab.flannel-vxlan.web2 addr add 10.244.1.2/24 dev eth0
ip -n netlab.flannel-vxlan.web2 link set dev eth0 alias netlab:flannel-vxlan up
bridge -n netlab.flannel-vxlan.node2 link set dev vethb2939122 hairpin on
ip -n netlab.flannel-vxlan.web2 route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.flannel-vxlan.web2 route add default via 10.244.1.1 dev eth0

# pod cache1: 10.244.1.3/24 on cni0 through veth8d1e81d4
ip netns add netlab.flannel-vxlan.cache1
ip -n netlab.flannel-vxlan.node2 link add veth8d1e81d4 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.flannel-vxlan.cache1
ip -n netlab.flannel-vxlan.node2 link set dev veth8d1e81d4 master cni0 alias netlab:flannel-vxlan up
ip netns exec netlab.flannel-vxlan.cache1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.flannel-vxlan.cache1 link set dev lo up
ip -n netlab.flannel-vxlan.cache1 addr add 10.244.1.3/24 dev eth0
ip -n netlab.flannel-vxlan.cache1 link set dev eth0 alias netlab:flannel-vxlan up
bridge -n netlab.flannel-vxlan.node2 link set dev veth8d1e81d4 hairpin on
ip -n netlab.flannel-vxlan.cache1 route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.flannel-vxlan.cache1 route add default via 10.244.1.1 dev eth0

# pod client2: 10.244.1.4/24 on cni0 through vethd80a5c02
ip netns add netlab.flannel-vxlan.client2
ip -n netlab.flannel-vxlan.node2 link add vethd80a5c02 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.flannel-vxlan.client2
ip -n netlab.flannel-vxlan.node2 link set dev vethd80a5c02 master cni0 alias netlab:flannel-vxlan up
ip netns exec netlab.flannel-vxlan.client2 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.flannel-vxlan.client2 link set dev lo up
ip -n netlab.flannel-vxlan.client2 addr add 10.244.1.4/24 dev eth0
ip -n netlab.flannel-vxlan.client2 link set dev eth0 alias netlab:flannel-vxlan up
bridge -n netlab.flannel-vxlan.node2 link set dev vethd80a5c02 hairpin on
ip -n netlab.flannel-vxlan.client2 route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.flannel-vxlan.client2 route add default via 10.244.1.1 dev eth0

# pod coredns-7b5fc74fc-896cd: 10.244.1.5/24 on cni0 through veth071a67b9
ip netns add netlab.flannel-vxlan.coredns-7b5fc74fc-896cd
ip -n netlab.flannel-vxlan.node2 link add veth071a67b9 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.flannel-vxlan.coredns-7b5fc74fc-896cd
ip -n netlab.flannel-vxlan.node2 link set dev veth071a67b9 master cni0 alias netlab:flannel-vxlan up
ip netns exec netlab.flannel-vxlan.coredns-7b5fc74fc-896cd sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.flannel-vxlan.coredns-7b5fc74fc-896cd link set dev lo up
ip -n netlab.flannel-vxlan.coredns-7b5fc74fc-896cd addr add 10.244.1.5/24 dev eth0
ip -n netlab.flannel-vxlan.coredns-7b5fc74fc-896cd link set dev eth0 alias netlab:flannel-vxlan up
bridge -n netlab.flannel-vxlan.node2 link set dev veth071a67b9 hairpin on
ip -n netlab.flannel-vxlan.coredns-7b5fc74fc-896cd route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.flannel-vxlan.coredns-7b5fc74fc-896cd route add default via 10.244.1.1 dev eth0

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.flannel-vxlan.web1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web1 --http 80 >"$NETLAB_STATE/logs/echo-web1.log" 2>&1 </dev/null
ip netns exec netlab.flannel-vxlan.web2 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web2 --http 80 >"$NETLAB_STATE/logs/echo-web2.log" 2>&1 </dev/null
ip netns exec netlab.flannel-vxlan.db1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name db1 --tcp 5432 >"$NETLAB_STATE/logs/echo-db1.log" 2>&1 </dev/null
ip netns exec netlab.flannel-vxlan.cache1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name cache1 --udp 11211 >"$NETLAB_STATE/logs/echo-cache1.log" 2>&1 </dev/null
ip netns exec netlab.flannel-vxlan.web setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web.log" 2>&1 </dev/null

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
ip netns exec netlab.flannel-vxlan.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.flannel-vxlan.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.flannel-vxlan.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.flannel-vxlan.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 3195249576 7200 1800 86400 300
example.com. 300 IN NS ns1.example.com.
10.113.0.203.in-addr.arpa. 300 IN PTR web.example.com.
53.113.0.203.in-addr.arpa. 300 IN PTR ns1.example.com.
ns1.example.com. 300 IN A 203.0.113.53
web.example.com. 300 IN A 203.0.113.10
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
ip netns exec netlab.flannel-vxlan.coredns-7b5fc74fc-gmtxp setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-gmtxp.log" 2>&1 </dev/null
ip netns exec netlab.flannel-vxlan.coredns-7b5fc74fc-gmtxp sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf"
ip netns exec netlab.flannel-vxlan.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.flannel-vxlan.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1700882568 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.default.pod.cluster.local. 30 IN A 10.244.0.3
10-244-0-4.default.pod.cluster.local. 30 IN A 10.244.0.4
10-244-0-5.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.5
10-244-0-5.kube-system.pod.cluster.local. 30 IN A 10.244.0.5
10-244-1-2.default.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.default.pod.cluster.local. 30 IN A 10.244.1.3
10-244-1-4.default.pod.cluster.local. 30 IN A 10.244.1.4
10-244-1-5.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.5
10-244-1-5.kube-system.pod.cluster.local. 30 IN A 10.244.1.5
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
5.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-5.kube-dns.kube-system.svc.cluster.local.
5.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-5.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
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
ip netns exec netlab.flannel-vxlan.coredns-7b5fc74fc-896cd setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-896cd.log" 2>&1 </dev/null
ip netns exec netlab.flannel-vxlan.coredns-7b5fc74fc-896cd sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf"
ip netns exec netlab.flannel-vxlan.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.flannel-vxlan.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1700882568 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.default.pod.cluster.local. 30 IN A 10.244.0.3
10-244-0-4.default.pod.cluster.local. 30 IN A 10.244.0.4
10-244-0-5.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.5
10-244-0-5.kube-system.pod.cluster.local. 30 IN A 10.244.0.5
10-244-1-2.default.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.default.pod.cluster.local. 30 IN A 10.244.1.3
10-244-1-4.default.pod.cluster.local. 30 IN A 10.244.1.4
10-244-1-5.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.5
10-244-1-5.kube-system.pod.cluster.local. 30 IN A 10.244.1.5
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
5.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-5.kube-dns.kube-system.svc.cluster.local.
5.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-5.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
EOF
mkdir -p "/etc/netns/netlab.flannel-vxlan.node1" && cat > "/etc/netns/netlab.flannel-vxlan.node1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.flannel-vxlan.node2" && cat > "/etc/netns/netlab.flannel-vxlan.node2/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.flannel-vxlan.web" && cat > "/etc/netns/netlab.flannel-vxlan.web/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.flannel-vxlan.ns1" && cat > "/etc/netns/netlab.flannel-vxlan.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.flannel-vxlan.web1" && cat > "/etc/netns/netlab.flannel-vxlan.web1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.flannel-vxlan.web2" && cat > "/etc/netns/netlab.flannel-vxlan.web2/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.flannel-vxlan.db1" && cat > "/etc/netns/netlab.flannel-vxlan.db1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.flannel-vxlan.cache1" && cat > "/etc/netns/netlab.flannel-vxlan.cache1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.flannel-vxlan.client1" && cat > "/etc/netns/netlab.flannel-vxlan.client1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.flannel-vxlan.client2" && cat > "/etc/netns/netlab.flannel-vxlan.client2/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.flannel-vxlan.coredns-7b5fc74fc-gmtxp" && cat > "/etc/netns/netlab.flannel-vxlan.coredns-7b5fc74fc-gmtxp/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.flannel-vxlan.coredns-7b5fc74fc-896cd" && cat > "/etc/netns/netlab.flannel-vxlan.coredns-7b5fc74fc-896cd/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF

# node node1: kube-proxy (iptables mode) programs 1 services
ip netns exec netlab.flannel-vxlan.node1 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.flannel-vxlan.node1 iptables-restore --noflush <<'EOF'
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
:KUBE-SEP-L5UB4QESNOI3ACO5 - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-LPGSDLJ3FDW46N4W - [0:0]
:KUBE-SEP-CEYPGFB7VCORONY3 - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-FVQSBIWR5JTECIVC - [0:0]
:KUBE-SEP-M4EEMRISQ2ZZKTRC - [0:0]
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
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.1.5:53" -j KUBE-SEP-L5UB4QESNOI3ACO5
-A KUBE-SEP-LASJGFFJP3UOS6RQ -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-LASJGFFJP3UOS6RQ -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:53
-A KUBE-SEP-L5UB4QESNOI3ACO5 -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.1.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-L5UB4QESNOI3ACO5 -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.5:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LPGSDLJ3FDW46N4W
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.5:53" -j KUBE-SEP-CEYPGFB7VCORONY3
-A KUBE-SEP-LPGSDLJ3FDW46N4W -m comment --comment kube-system/kube-dns:dns -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-LPGSDLJ3FDW46N4W -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.5:53
-A KUBE-SEP-CEYPGFB7VCORONY3 -m comment --comment kube-system/kube-dns:dns -s 10.244.1.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-CEYPGFB7VCORONY3 -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.1.5:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.5:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-FVQSBIWR5JTECIVC
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.1.5:9153" -j KUBE-SEP-M4EEMRISQ2ZZKTRC
-A KUBE-SEP-FVQSBIWR5JTECIVC -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-FVQSBIWR5JTECIVC -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:9153
-A KUBE-SEP-M4EEMRISQ2ZZKTRC -m comment --comment kube-system/kube-dns:metrics -s 10.244.1.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-M4EEMRISQ2ZZKTRC -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:9153
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node2: kube-proxy (iptables mode) programs 1 services
ip netns exec netlab.flannel-vxlan.node2 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.flannel-vxlan.node2 iptables-restore --noflush <<'EOF'
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
:KUBE-SEP-L5UB4QESNOI3ACO5 - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-LPGSDLJ3FDW46N4W - [0:0]
:KUBE-SEP-CEYPGFB7VCORONY3 - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-FVQSBIWR5JTECIVC - [0:0]
:KUBE-SEP-M4EEMRISQ2ZZKTRC - [0:0]
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
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.1.5:53" -j KUBE-SEP-L5UB4QESNOI3ACO5
-A KUBE-SEP-LASJGFFJP3UOS6RQ -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-LASJGFFJP3UOS6RQ -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:53
-A KUBE-SEP-L5UB4QESNOI3ACO5 -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.1.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-L5UB4QESNOI3ACO5 -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.5:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LPGSDLJ3FDW46N4W
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.5:53" -j KUBE-SEP-CEYPGFB7VCORONY3
-A KUBE-SEP-LPGSDLJ3FDW46N4W -m comment --comment kube-system/kube-dns:dns -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-LPGSDLJ3FDW46N4W -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.5:53
-A KUBE-SEP-CEYPGFB7VCORONY3 -m comment --comment kube-system/kube-dns:dns -s 10.244.1.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-CEYPGFB7VCORONY3 -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.1.5:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.5:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-FVQSBIWR5JTECIVC
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.1.5:9153" -j KUBE-SEP-M4EEMRISQ2ZZKTRC
-A KUBE-SEP-FVQSBIWR5JTECIVC -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-FVQSBIWR5JTECIVC -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:9153
-A KUBE-SEP-M4EEMRISQ2ZZKTRC -m comment --comment kube-system/kube-dns:metrics -s 10.244.1.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-M4EEMRISQ2ZZKTRC -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:9153
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

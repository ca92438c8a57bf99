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

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.flannel-vxlan.web1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web1 --http 80 >"$NETLAB_STATE/logs/echo-web1.log" 2>&1 </dev/null
ip netns exec netlab.flannel-vxlan.web2 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web2 --http 80 >"$NETLAB_STATE/logs/echo-web2.log" 2>&1 </dev/null
ip netns exec netlab.flannel-vxlan.db1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name db1 --tcp 5432 >"$NETLAB_STATE/logs/echo-db1.log" 2>&1 </dev/null
ip netns exec netlab.flannel-vxlan.cache1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name cache1 --udp 11211 >"$NETLAB_STATE/logs/echo-cache1.log" 2>&1 </dev/null
ip netns exec netlab.flannel-vxlan.web setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web.log" 2>&1 </dev/null

# node node1: kube-proxy (iptables mode) programs 0 services
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
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node2: kube-proxy (iptables mode) programs 0 services
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
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

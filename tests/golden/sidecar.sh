#!/usr/bin/env bash
# netlab plan for lab sidecar: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down sidecar`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/sidecar}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.sidecar.underlay
ip -n netlab.sidecar.underlay link add br0 address d2:49:ee:dc:ea:d7 mtu 1500 type bridge
ip -n netlab.sidecar.underlay link set dev br0 alias netlab:sidecar up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.sidecar.internet
ip -n netlab.sidecar.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.sidecar.internet
ip -n netlab.sidecar.underlay link set dev internet master br0 alias netlab:sidecar up
ip -n netlab.sidecar.internet link set dev lo up
ip -n netlab.sidecar.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.sidecar.internet link set dev eth0 alias netlab:sidecar up
ip -n netlab.sidecar.internet link add br0 address 7e:73:00:39:29:68 mtu 1500 type bridge
ip -n netlab.sidecar.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.sidecar.internet link set dev br0 alias netlab:sidecar up
ip netns exec netlab.sidecar.internet sysctl -qw net.ipv4.ip_forward=1

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.sidecar.node1
ip -n netlab.sidecar.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.sidecar.node1
ip -n netlab.sidecar.underlay link set dev node1 master br0 alias netlab:sidecar up
ip -n netlab.sidecar.node1 link set dev lo up
ip -n netlab.sidecar.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.sidecar.node1 link set dev eth0 alias netlab:sidecar up
ip -n netlab.sidecar.node1 route add default via 192.168.56.1 dev eth0

# node node2: eth0 192.168.56.12 on the underlay, default route via the router
ip netns add netlab.sidecar.node2
ip -n netlab.sidecar.underlay link add node2 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.sidecar.node2
ip -n netlab.sidecar.underlay link set dev node2 master br0 alias netlab:sidecar up
ip -n netlab.sidecar.node2 link set dev lo up
ip -n netlab.sidecar.node2 addr add 192.168.56.12/24 dev eth0
ip -n netlab.sidecar.node2 link set dev eth0 alias netlab:sidecar up
ip -n netlab.sidecar.node2 route add default via 192.168.56.1 dev eth0

# node node1: flanneld (vxlan) leases 10.244.0.0/24; forwarding and bridge netfilter on
ip netns exec netlab.sidecar.node1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.sidecar.node1 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node1" && cat > "$NETLAB_STATE/flannel/node1/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.0.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node1: flanneld's masquerade and forward rules
ip netns exec netlab.sidecar.node1 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.sidecar.node1 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node1: the VXLAN tunnel endpoint flannel.1
ip -n netlab.sidecar.node1 link add flannel.1 address 8e:de:b0:0f:c8:e1 mtu 1450 type vxlan id 1 local 192.168.56.11 dev eth0 nolearning
ip -n netlab.sidecar.node1 addr add 10.244.0.0/32 dev flannel.1
ip -n netlab.sidecar.node1 link set dev flannel.1 alias netlab:sidecar up

# node node1: how to reach 10.244.1.0/24 on node2 (ARP, FDB, route)
ip -n netlab.sidecar.node1 neigh add 10.244.1.0 lladdr f2:f4:7f:93:00:bd dev flannel.1 nud permanent
bridge -n netlab.sidecar.node1 fdb add f2:f4:7f:93:00:bd dev flannel.1 dst 192.168.56.12 self permanent
ip -n netlab.sidecar.node1 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink

# node node2: flanneld (vxlan) leases 10.244.1.0/24; forwarding and bridge netfilter on
ip netns exec netlab.sidecar.node2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.sidecar.node2 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node2" && cat > "$NETLAB_STATE/flannel/node2/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.1.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node2: flanneld's masquerade and forward rules
ip netns exec netlab.sidecar.node2 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.sidecar.node2 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node2: the VXLAN tunnel endpoint flannel.1
ip -n netlab.sidecar.node2 link add flannel.1 address f2:f4:7f:93:00:bd mtu 1450 type vxlan id 1 local 192.168.56.12 dev eth0 nolearning
ip -n netlab.sidecar.node2 addr add 10.244.1.0/32 dev flannel.1
ip -n netlab.sidecar.node2 link set dev flannel.1 alias netlab:sidecar up

# node node2: how to reach 10.244.0.0/24 on node1 (ARP, FDB, route)
ip -n netlab.sidecar.node2 neigh add 10.244.0.0 lladdr 8e:de:b0:0f:c8:e1 dev flannel.1 nud permanent
bridge -n netlab.sidecar.node2 fdb add 8e:de:b0:0f:c8:e1 dev flannel.1 dst 192.168.56.11 self permanent
ip -n netlab.sidecar.node2 route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink

# node node1: the CNI bridge plugin creates cni0 10.244.0.1/24
ip -n netlab.sidecar.node1 link add cni0 address 42:28:ad:29:85:a3 mtu 1450 type bridge
ip -n netlab.sidecar.node1 addr add 10.244.0.1/24 dev cni0
ip -n netlab.sidecar.node1 link set dev cni0 alias netlab:sidecar up

# pod web: 10.244.0.2/24 on cni0 through vethed1eed4c
ip netns add netlab.sidecar.web
ip -n netlab.sidecar.node1 link add vethed1eed4c mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.sidecar.web
ip -n netlab.sidecar.node1 link set dev vethed1eed4c master cni0 alias netlab:sidecar up
ip netns exec netlab.sidecar.web sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.sidecar.web link set dev lo up
ip -n netlab.sidecar.web addr add 10.244.0.2/24 dev eth0
ip -n netlab.sidecar.web link set dev eth0 alias netlab:sidecar up
bridge -n netlab.sidecar.node1 link set dev vethed1eed4c hairpin on
ip -n netlab.sidecar.web route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.sidecar.web route add default via 10.244.0.1 dev eth0

# node node2: the CNI bridge plugin creates cni0 10.244.1.1/24
ip -n netlab.sidecar.node2 link add cni0 address 9e:b1:0f:54:a0:48 mtu 1450 type bridge
ip -n netlab.sidecar.node2 addr add 10.244.1.1/24 dev cni0
ip -n netlab.sidecar.node2 link set dev cni0 alias netlab:sidecar up

# pod client: 10.244.1.2/24 on cni0 through veth08f814fe
ip netns add netlab.sidecar.client
ip -n netlab.sidecar.node2 link add veth08f814fe mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.sidecar.client
ip -n netlab.sidecar.node2 link set dev veth08f814fe master cni0 alias netlab:sidecar up
ip netns exec netlab.sidecar.client sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.sidecar.client link set dev lo up
ip -n netlab.sidecar.client addr add 10.244.1.2/24 dev eth0
ip -n netlab.sidecar.client link set dev eth0 alias netlab:sidecar up
bridge -n netlab.sidecar.node2 link set dev veth08f814fe hairpin on
ip -n netlab.sidecar.client route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.sidecar.client route add default via 10.244.1.1 dev eth0

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.sidecar.web setsid -f sleep infinity >"$NETLAB_STATE/logs/pause-web.log" 2>&1 </dev/null
ip netns exec netlab.sidecar.web setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web --container app --http 8080 >"$NETLAB_STATE/logs/echo-web.app.log" 2>&1 </dev/null
ip netns exec netlab.sidecar.web setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web --container proxy --http 80 >"$NETLAB_STATE/logs/echo-web.proxy.log" 2>&1 </dev/null

# node node1: kube-proxy (iptables mode) programs 1 services
ip netns exec netlab.sidecar.node1 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.sidecar.node1 iptables-restore --noflush <<'EOF'
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
:KUBE-SVC-ENODL3HWJ5BZY56Q - [0:0]
:KUBE-SEP-5SELYMSAC7COINGN - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/frontend cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j KUBE-SVC-ENODL3HWJ5BZY56Q
-A KUBE-SVC-ENODL3HWJ5BZY56Q -m comment --comment "default/frontend cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ENODL3HWJ5BZY56Q -m comment --comment "default/frontend -> 10.244.0.2:80" -j KUBE-SEP-5SELYMSAC7COINGN
-A KUBE-SEP-5SELYMSAC7COINGN -m comment --comment default/frontend -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-5SELYMSAC7COINGN -m comment --comment default/frontend -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node2: kube-proxy (iptables mode) programs 1 services
ip netns exec netlab.sidecar.node2 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.sidecar.node2 iptables-restore --noflush <<'EOF'
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
:KUBE-SVC-ENODL3HWJ5BZY56Q - [0:0]
:KUBE-SEP-5SELYMSAC7COINGN - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/frontend cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j KUBE-SVC-ENODL3HWJ5BZY56Q
-A KUBE-SVC-ENODL3HWJ5BZY56Q -m comment --comment "default/frontend cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ENODL3HWJ5BZY56Q -m comment --comment "default/frontend -> 10.244.0.2:80" -j KUBE-SEP-5SELYMSAC7COINGN
-A KUBE-SEP-5SELYMSAC7COINGN -m comment --comment default/frontend -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-5SELYMSAC7COINGN -m comment --comment default/frontend -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

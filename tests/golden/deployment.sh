#!/usr/bin/env bash
# netlab plan for lab deployment: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down deployment`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/deployment}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.deployment.underlay
ip -n netlab.deployment.underlay link add br0 address f2:ec:6a:6a:58:2c mtu 1500 type bridge
ip -n netlab.deployment.underlay link set dev br0 alias netlab:deployment up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.deployment.internet
ip -n netlab.deployment.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.deployment.internet
ip -n netlab.deployment.underlay link set dev internet master br0 alias netlab:deployment up
ip -n netlab.deployment.internet link set dev lo up
ip -n netlab.deployment.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.deployment.internet link set dev eth0 alias netlab:deployment up
ip -n netlab.deployment.internet link add br0 address 5e:0c:72:4b:51:1f mtu 1500 type bridge
ip -n netlab.deployment.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.deployment.internet link set dev br0 alias netlab:deployment up
ip netns exec netlab.deployment.internet sysctl -qw net.ipv4.ip_forward=1

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.deployment.node1
ip -n netlab.deployment.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.deployment.node1
ip -n netlab.deployment.underlay link set dev node1 master br0 alias netlab:deployment up
ip -n netlab.deployment.node1 link set dev lo up
ip -n netlab.deployment.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.deployment.node1 link set dev eth0 alias netlab:deployment up
ip -n netlab.deployment.node1 route add default via 192.168.56.1 dev eth0

# node node2: eth0 192.168.56.12 on the underlay, default route via the router
ip netns add netlab.deployment.node2
ip -n netlab.deployment.underlay link add node2 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.deployment.node2
ip -n netlab.deployment.underlay link set dev node2 master br0 alias netlab:deployment up
ip -n netlab.deployment.node2 link set dev lo up
ip -n netlab.deployment.node2 addr add 192.168.56.12/24 dev eth0
ip -n netlab.deployment.node2 link set dev eth0 alias netlab:deployment up
ip -n netlab.deployment.node2 route add default via 192.168.56.1 dev eth0

# node node1: flanneld (vxlan) leases 10.244.0.0/24; forwarding and bridge netfilter on
ip netns exec netlab.deployment.node1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.deployment.node1 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node1" && cat > "$NETLAB_STATE/flannel/node1/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.0.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node1: flanneld's masquerade and forward rules
ip netns exec netlab.deployment.node1 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.deployment.node1 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node1: the VXLAN tunnel endpoint flannel.1
ip -n netlab.deployment.node1 link add flannel.1 address 22:12:14:05:06:25 mtu 1450 type vxlan id 1 local 192.168.56.11 dev eth0 nolearning
ip -n netlab.deployment.node1 addr add 10.244.0.0/32 dev flannel.1
ip -n netlab.deployment.node1 link set dev flannel.1 alias netlab:deployment up

# node node1: how to reach 10.244.1.0/24 on node2 (ARP, FDB, route)
ip -n netlab.deployment.node1 neigh add 10.244.1.0 lladdr da:db:39:01:27:eb dev flannel.1 nud permanent
bridge -n netlab.deployment.node1 fdb add da:db:39:01:27:eb dev flannel.1 dst 192.168.56.12 self permanent
ip -n netlab.deployment.node1 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink

# node node2: flanneld (vxlan) leases 10.244.1.0/24; forwarding and bridge netfilter on
ip netns exec netlab.deployment.node2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.deployment.node2 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node2" && cat > "$NETLAB_STATE/flannel/node2/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.1.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node2: flanneld's masquerade and forward rules
ip netns exec netlab.deployment.node2 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.deployment.node2 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node2: the VXLAN tunnel endpoint flannel.1
ip -n netlab.deployment.node2 link add flannel.1 address da:db:39:01:27:eb mtu 1450 type vxlan id 1 local 192.168.56.12 dev eth0 nolearning
ip -n netlab.deployment.node2 addr add 10.244.1.0/32 dev flannel.1
ip -n netlab.deployment.node2 link set dev flannel.1 alias netlab:deployment up

# node node2: how to reach 10.244.0.0/24 on node1 (ARP, FDB, route)
ip -n netlab.deployment.node2 neigh add 10.244.0.0 lladdr 22:12:14:05:06:25 dev flannel.1 nud permanent
bridge -n netlab.deployment.node2 fdb add 22:12:14:05:06:25 dev flannel.1 dst 192.168.56.11 self permanent
ip -n netlab.deployment.node2 route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink

# node node1: the CNI bridge plugin creates cni0 10.244.0.1/24
ip -n netlab.deployment.node1 link add cni0 address 12:ed:8b:50:91:5b mtu 1450 type bridge
ip -n netlab.deployment.node1 addr add 10.244.0.1/24 dev cni0
ip -n netlab.deployment.node1 link set dev cni0 alias netlab:deployment up

# pod web-545599c9dd-rf9db: 10.244.0.2/24 on cni0 through veth7c043fe7
ip netns add netlab.deployment.web-545599c9dd-rf9db
ip -n netlab.deployment.node1 link add veth7c043fe7 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.deployment.web-545599c9dd-rf9db
ip -n netlab.deployment.node1 link set dev veth7c043fe7 master cni0 alias netlab:deployment up
ip netns exec netlab.deployment.web-545599c9dd-rf9db sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.deployment.web-545599c9dd-rf9db link set dev lo up
ip -n netlab.deployment.web-545599c9dd-rf9db addr add 10.244.0.2/24 dev eth0
ip -n netlab.deployment.web-545599c9dd-rf9db link set dev eth0 alias netlab:deployment up
bridge -n netlab.deployment.node1 link set dev veth7c043fe7 hairpin on
ip -n netlab.deployment.web-545599c9dd-rf9db route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.deployment.web-545599c9dd-rf9db route add default via 10.244.0.1 dev eth0

# pod web-545599c9dd-7g4wb: 10.244.0.3/24 on cni0 through veth451f20ca
ip netns add netlab.deployment.web-545599c9dd-7g4wb
ip -n netlab.deployment.node1 link add veth451f20ca mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.deployment.web-545599c9dd-7g4wb
ip -n netlab.deployment.node1 link set dev veth451f20ca master cni0 alias netlab:deployment up
ip netns exec netlab.deployment.web-545599c9dd-7g4wb sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.deployment.web-545599c9dd-7g4wb link set dev lo up
ip -n netlab.deployment.web-545599c9dd-7g4wb addr add 10.244.0.3/24 dev eth0
ip -n netlab.deployment.web-545599c9dd-7g4wb link set dev eth0 alias netlab:deployment up
bridge -n netlab.deployment.node1 link set dev veth451f20ca hairpin on
ip -n netlab.deployment.web-545599c9dd-7g4wb route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.deployment.web-545599c9dd-7g4wb route add default via 10.244.0.1 dev eth0

# pod client: 10.244.0.4/24 on cni0 through vethc4bbf737
ip netns add netlab.deployment.client
ip -n netlab.deployment.node1 link add vethc4bbf737 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.deployment.client
ip -n netlab.deployment.node1 link set dev vethc4bbf737 master cni0 alias netlab:deployment up
ip netns exec netlab.deployment.client sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.deployment.client link set dev lo up
ip -n netlab.deployment.client addr add 10.244.0.4/24 dev eth0
ip -n netlab.deployment.client link set dev eth0 alias netlab:deployment up
bridge -n netlab.deployment.node1 link set dev vethc4bbf737 hairpin on
ip -n netlab.deployment.client route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.deployment.client route add default via 10.244.0.1 dev eth0

# node node2: the CNI bridge plugin creates cni0 10.244.1.1/24
ip -n netlab.deployment.node2 link add cni0 address 36:25:7a:43:20:cf mtu 1450 type bridge
ip -n netlab.deployment.node2 addr add 10.244.1.1/24 dev cni0
ip -n netlab.deployment.node2 link set dev cni0 alias netlab:deployment up

# pod web-545599c9dd-78npk: 10.244.1.2/24 on cni0 through vethb12a126f
ip netns add netlab.deployment.web-545599c9dd-78npk
ip -n netlab.deployment.node2 link add vethb12a126f mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.deployment.web-545599c9dd-78npk
ip -n netlab.deployment.node2 link set dev vethb12a126f master cni0 alias netlab:deployment up
ip netns exec netlab.deployment.web-545599c9dd-78npk sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.deployment.web-545599c9dd-78npk link set dev lo up
ip -n netlab.deployment.web-545599c9dd-78npk addr add 10.244.1.2/24 dev eth0
ip -n netlab.deployment.web-545599c9dd-78npk link set dev eth0 alias netlab:deployment up
bridge -n netlab.deployment.node2 link set dev vethb12a126f hairpin on
ip -n netlab.deployment.web-545599c9dd-78npk route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.deployment.web-545599c9dd-78npk route add default via 10.244.1.1 dev eth0

# pod web-545599c9dd-ph4zw: 10.244.1.3/24 on cni0 through vethffc1c512
ip netns add netlab.deployment.web-545599c9dd-ph4zw
ip -n netlab.deployment.node2 link add vethffc1c512 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.deployment.web-545599c9dd-ph4zw
ip -n netlab.deployment.node2 link set dev vethffc1c512 master cni0 alias netlab:deployment up
ip netns exec netlab.deployment.web-545599c9dd-ph4zw sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.deployment.web-545599c9dd-ph4zw link set dev lo up
ip -n netlab.deployment.web-545599c9dd-ph4zw addr add 10.244.1.3/24 dev eth0
ip -n netlab.deployment.web-545599c9dd-ph4zw link set dev eth0 alias netlab:deployment up
bridge -n netlab.deployment.node2 link set dev vethffc1c512 hairpin on
ip -n netlab.deployment.web-545599c9dd-ph4zw route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.deployment.web-545599c9dd-ph4zw route add default via 10.244.1.1 dev eth0

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.deployment.web-545599c9dd-rf9db setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web-545599c9dd-rf9db --version v1 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web-545599c9dd-rf9db.log" 2>&1 </dev/null
ip netns exec netlab.deployment.web-545599c9dd-78npk setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web-545599c9dd-78npk --version v1 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web-545599c9dd-78npk.log" 2>&1 </dev/null
ip netns exec netlab.deployment.web-545599c9dd-7g4wb setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web-545599c9dd-7g4wb --version v1 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web-545599c9dd-7g4wb.log" 2>&1 </dev/null
ip netns exec netlab.deployment.web-545599c9dd-ph4zw setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web-545599c9dd-ph4zw --version v1 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web-545599c9dd-ph4zw.log" 2>&1 </dev/null

# node node1: kube-proxy (iptables mode) programs 1 services
ip netns exec netlab.deployment.node1 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.deployment.node1 iptables-restore --noflush <<'EOF'
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
:KUBE-SVC-3OI236ZBKTWAFB2I - [0:0]
:KUBE-SEP-6RQJO7G3PCVEGYLK - [0:0]
:KUBE-SEP-E224WFW45Z4C6ZZP - [0:0]
:KUBE-SEP-BTVZB7E4KKPGX6I5 - [0:0]
:KUBE-SEP-CQZDYGHQIRXGFFTQ - [0:0]
:KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]
:KUBE-SEP-ZA46Z6MXOL6YIMBQ - [0:0]
:KUBE-SEP-UF6OOORCMXPJJDSV - [0:0]
:KUBE-SEP-PBQ62IOVWGYEN623 - [0:0]
:KUBE-SEP-BHMTFEMIGCOTLSJP - [0:0]
:KUBE-SVC-BMVAO25PBZVXAPGL - [0:0]
:KUBE-SEP-W66QVPPSTMGKI22C - [0:0]
:KUBE-SEP-SIQPJQOSO5XUOTED - [0:0]
:KUBE-SEP-DOJG724R5GQXKJVF - [0:0]
:KUBE-SEP-R2ZRRPRUJBZCB7PZ - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/web:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-3OI236ZBKTWAFB2I
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns -> 10.244.0.2:53" -m statistic --mode random --probability 0.2500000000 -j KUBE-SEP-6RQJO7G3PCVEGYLK
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns -> 10.244.0.3:53" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-E224WFW45Z4C6ZZP
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns -> 10.244.1.2:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-BTVZB7E4KKPGX6I5
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns -> 10.244.1.3:53" -j KUBE-SEP-CQZDYGHQIRXGFFTQ
-A KUBE-SEP-6RQJO7G3PCVEGYLK -m comment --comment default/web:dns -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-6RQJO7G3PCVEGYLK -m comment --comment default/web:dns -m udp -p udp -j DNAT --to-destination 10.244.0.2:53
-A KUBE-SEP-E224WFW45Z4C6ZZP -m comment --comment default/web:dns -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-E224WFW45Z4C6ZZP -m comment --comment default/web:dns -m udp -p udp -j DNAT --to-destination 10.244.0.3:53
-A KUBE-SEP-BTVZB7E4KKPGX6I5 -m comment --comment default/web:dns -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-BTVZB7E4KKPGX6I5 -m comment --comment default/web:dns -m udp -p udp -j DNAT --to-destination 10.244.1.2:53
-A KUBE-SEP-CQZDYGHQIRXGFFTQ -m comment --comment default/web:dns -s 10.244.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-CQZDYGHQIRXGFFTQ -m comment --comment default/web:dns -m udp -p udp -j DNAT --to-destination 10.244.1.3:53
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.0.2:80" -m statistic --mode random --probability 0.2500000000 -j KUBE-SEP-ZA46Z6MXOL6YIMBQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.0.3:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-UF6OOORCMXPJJDSV
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-PBQ62IOVWGYEN623
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.3:80" -j KUBE-SEP-BHMTFEMIGCOTLSJP
-A KUBE-SEP-ZA46Z6MXOL6YIMBQ -m comment --comment default/web:http -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZA46Z6MXOL6YIMBQ -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SEP-UF6OOORCMXPJJDSV -m comment --comment default/web:http -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-UF6OOORCMXPJJDSV -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:80
-A KUBE-SEP-PBQ62IOVWGYEN623 -m comment --comment default/web:http -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-PBQ62IOVWGYEN623 -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SEP-BHMTFEMIGCOTLSJP -m comment --comment default/web:http -s 10.244.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-BHMTFEMIGCOTLSJP -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.3:80
-A KUBE-SERVICES -m comment --comment "default/web:hold cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9000 -j KUBE-SVC-BMVAO25PBZVXAPGL
-A KUBE-SVC-BMVAO25PBZVXAPGL -m comment --comment "default/web:hold cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9000 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-BMVAO25PBZVXAPGL -m comment --comment "default/web:hold -> 10.244.0.2:9000" -m statistic --mode random --probability 0.2500000000 -j KUBE-SEP-W66QVPPSTMGKI22C
-A KUBE-SVC-BMVAO25PBZVXAPGL -m comment --comment "default/web:hold -> 10.244.0.3:9000" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-SIQPJQOSO5XUOTED
-A KUBE-SVC-BMVAO25PBZVXAPGL -m comment --comment "default/web:hold -> 10.244.1.2:9000" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-DOJG724R5GQXKJVF
-A KUBE-SVC-BMVAO25PBZVXAPGL -m comment --comment "default/web:hold -> 10.244.1.3:9000" -j KUBE-SEP-R2ZRRPRUJBZCB7PZ
-A KUBE-SEP-W66QVPPSTMGKI22C -m comment --comment default/web:hold -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-W66QVPPSTMGKI22C -m comment --comment default/web:hold -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:9000
-A KUBE-SEP-SIQPJQOSO5XUOTED -m comment --comment default/web:hold -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-SIQPJQOSO5XUOTED -m comment --comment default/web:hold -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:9000
-A KUBE-SEP-DOJG724R5GQXKJVF -m comment --comment default/web:hold -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-DOJG724R5GQXKJVF -m comment --comment default/web:hold -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:9000
-A KUBE-SEP-R2ZRRPRUJBZCB7PZ -m comment --comment default/web:hold -s 10.244.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-R2ZRRPRUJBZCB7PZ -m comment --comment default/web:hold -m tcp -p tcp -j DNAT --to-destination 10.244.1.3:9000
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node2: kube-proxy (iptables mode) programs 1 services
ip netns exec netlab.deployment.node2 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.deployment.node2 iptables-restore --noflush <<'EOF'
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
:KUBE-SVC-3OI236ZBKTWAFB2I - [0:0]
:KUBE-SEP-6RQJO7G3PCVEGYLK - [0:0]
:KUBE-SEP-E224WFW45Z4C6ZZP - [0:0]
:KUBE-SEP-BTVZB7E4KKPGX6I5 - [0:0]
:KUBE-SEP-CQZDYGHQIRXGFFTQ - [0:0]
:KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]
:KUBE-SEP-ZA46Z6MXOL6YIMBQ - [0:0]
:KUBE-SEP-UF6OOORCMXPJJDSV - [0:0]
:KUBE-SEP-PBQ62IOVWGYEN623 - [0:0]
:KUBE-SEP-BHMTFEMIGCOTLSJP - [0:0]
:KUBE-SVC-BMVAO25PBZVXAPGL - [0:0]
:KUBE-SEP-W66QVPPSTMGKI22C - [0:0]
:KUBE-SEP-SIQPJQOSO5XUOTED - [0:0]
:KUBE-SEP-DOJG724R5GQXKJVF - [0:0]
:KUBE-SEP-R2ZRRPRUJBZCB7PZ - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/web:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-3OI236ZBKTWAFB2I
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns -> 10.244.0.2:53" -m statistic --mode random --probability 0.2500000000 -j KUBE-SEP-6RQJO7G3PCVEGYLK
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns -> 10.244.0.3:53" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-E224WFW45Z4C6ZZP
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns -> 10.244.1.2:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-BTVZB7E4KKPGX6I5
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns -> 10.244.1.3:53" -j KUBE-SEP-CQZDYGHQIRXGFFTQ
-A KUBE-SEP-6RQJO7G3PCVEGYLK -m comment --comment default/web:dns -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-6RQJO7G3PCVEGYLK -m comment --comment default/web:dns -m udp -p udp -j DNAT --to-destination 10.244.0.2:53
-A KUBE-SEP-E224WFW45Z4C6ZZP -m comment --comment default/web:dns -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-E224WFW45Z4C6ZZP -m comment --comment default/web:dns -m udp -p udp -j DNAT --to-destination 10.244.0.3:53
-A KUBE-SEP-BTVZB7E4KKPGX6I5 -m comment --comment default/web:dns -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-BTVZB7E4KKPGX6I5 -m comment --comment default/web:dns -m udp -p udp -j DNAT --to-destination 10.244.1.2:53
-A KUBE-SEP-CQZDYGHQIRXGFFTQ -m comment --comment default/web:dns -s 10.244.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-CQZDYGHQIRXGFFTQ -m comment --comment default/web:dns -m udp -p udp -j DNAT --to-destination 10.244.1.3:53
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.0.2:80" -m statistic --mode random --probability 0.2500000000 -j KUBE-SEP-ZA46Z6MXOL6YIMBQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.0.3:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-UF6OOORCMXPJJDSV
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-PBQ62IOVWGYEN623
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.3:80" -j KUBE-SEP-BHMTFEMIGCOTLSJP
-A KUBE-SEP-ZA46Z6MXOL6YIMBQ -m comment --comment default/web:http -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZA46Z6MXOL6YIMBQ -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SEP-UF6OOORCMXPJJDSV -m comment --comment default/web:http -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-UF6OOORCMXPJJDSV -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:80
-A KUBE-SEP-PBQ62IOVWGYEN623 -m comment --comment default/web:http -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-PBQ62IOVWGYEN623 -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SEP-BHMTFEMIGCOTLSJP -m comment --comment default/web:http -s 10.244.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-BHMTFEMIGCOTLSJP -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.3:80
-A KUBE-SERVICES -m comment --comment "default/web:hold cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9000 -j KUBE-SVC-BMVAO25PBZVXAPGL
-A KUBE-SVC-BMVAO25PBZVXAPGL -m comment --comment "default/web:hold cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9000 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-BMVAO25PBZVXAPGL -m comment --comment "default/web:hold -> 10.244.0.2:9000" -m statistic --mode random --probability 0.2500000000 -j KUBE-SEP-W66QVPPSTMGKI22C
-A KUBE-SVC-BMVAO25PBZVXAPGL -m comment --comment "default/web:hold -> 10.244.0.3:9000" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-SIQPJQOSO5XUOTED
-A KUBE-SVC-BMVAO25PBZVXAPGL -m comment --comment "default/web:hold -> 10.244.1.2:9000" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-DOJG724R5GQXKJVF
-A KUBE-SVC-BMVAO25PBZVXAPGL -m comment --comment "default/web:hold -> 10.244.1.3:9000" -j KUBE-SEP-R2ZRRPRUJBZCB7PZ
-A KUBE-SEP-W66QVPPSTMGKI22C -m comment --comment default/web:hold -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-W66QVPPSTMGKI22C -m comment --comment default/web:hold -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:9000
-A KUBE-SEP-SIQPJQOSO5XUOTED -m comment --comment default/web:hold -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-SIQPJQOSO5XUOTED -m comment --comment default/web:hold -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:9000
-A KUBE-SEP-DOJG724R5GQXKJVF -m comment --comment default/web:hold -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-DOJG724R5GQXKJVF -m comment --comment default/web:hold -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:9000
-A KUBE-SEP-R2ZRRPRUJBZCB7PZ -m comment --comment default/web:hold -s 10.244.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-R2ZRRPRUJBZCB7PZ -m comment --comment default/web:hold -m tcp -p tcp -j DNAT --to-destination 10.244.1.3:9000
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

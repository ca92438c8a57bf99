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

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.services-iptables.web1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web1 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web1.log" 2>&1 </dev/null
ip netns exec netlab.services-iptables.web2 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web2 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web2.log" 2>&1 </dev/null

# node node1: kube-proxy (iptables mode) programs 4 services
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
-A KUBE-SERVICES -m comment --comment "default/nothing has no endpoints" -m tcp -p tcp -d 10.96.0.13 --dport 80 -j REJECT
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
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/web:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-3OI236ZBKTWAFB2I
-A KUBE-NODEPORTS -m comment --comment default/web:dns -m udp -p udp --dport 30000 -j KUBE-EXT-3OI236ZBKTWAFB2I
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-3OI236ZBKTWAFB2I -m comment --comment "masquerade traffic for default/web:dns external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-3OI236ZBKTWAFB2I -j KUBE-SVC-3OI236ZBKTWAFB2I
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns -> 10.244.0.2:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-6RQJO7G3PCVEGYLK
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns -> 10.244.1.2:53" -j KUBE-SEP-BTVZB7E4KKPGX6I5
-A KUBE-SEP-6RQJO7G3PCVEGYLK -m comment --comment default/web:dns -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-6RQJO7G3PCVEGYLK -m comment --comment default/web:dns -m udp -p udp -j DNAT --to-destination 10.244.0.2:53
-A KUBE-SEP-BTVZB7E4KKPGX6I5 -m comment --comment default/web:dns -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-BTVZB7E4KKPGX6I5 -m comment --comment default/web:dns -m udp -p udp -j DNAT --to-destination 10.244.1.2:53
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-NODEPORTS -m comment --comment default/web:http -m tcp -p tcp --dport 30080 -j KUBE-EXT-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-CDGGSHYLG3RE2FKL -m comment --comment "masquerade traffic for default/web:http external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-CDGGSHYLG3RE2FKL -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.0.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ZA46Z6MXOL6YIMBQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.2:80" -j KUBE-SEP-PBQ62IOVWGYEN623
-A KUBE-SEP-ZA46Z6MXOL6YIMBQ -m comment --comment default/web:http -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZA46Z6MXOL6YIMBQ -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SEP-PBQ62IOVWGYEN623 -m comment --comment default/web:http -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-PBQ62IOVWGYEN623 -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SERVICES -m comment --comment "default/web-local cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 -j KUBE-SVC-W6DWRVOIQKRHXDQP
-A KUBE-NODEPORTS -m comment --comment default/web-local -m tcp -p tcp --dport 30081 -j KUBE-EXT-W6DWRVOIQKRHXDQP
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
-A KUBE-SERVICES -m comment --comment "default/web-sticky cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 8080 -j KUBE-SVC-ZRW2IZUANS4E5N2L
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 8080 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky -> 10.244.0.2:80" -m recent --name KUBE-SEP-4NU4D4JHZZSNXMXA --rcheck --seconds 10800 --reap -j KUBE-SEP-4NU4D4JHZZSNXMXA
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky -> 10.244.1.2:80" -m recent --name KUBE-SEP-CKLGJ7SWY7TSCKKG --rcheck --seconds 10800 --reap -j KUBE-SEP-CKLGJ7SWY7TSCKKG
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky -> 10.244.0.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-4NU4D4JHZZSNXMXA
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky -> 10.244.1.2:80" -j KUBE-SEP-CKLGJ7SWY7TSCKKG
-A KUBE-SEP-4NU4D4JHZZSNXMXA -m comment --comment default/web-sticky -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-4NU4D4JHZZSNXMXA -m comment --comment default/web-sticky -m recent --name KUBE-SEP-4NU4D4JHZZSNXMXA --set -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SEP-CKLGJ7SWY7TSCKKG -m comment --comment default/web-sticky -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-CKLGJ7SWY7TSCKKG -m comment --comment default/web-sticky -m recent --name KUBE-SEP-CKLGJ7SWY7TSCKKG --set -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node2: kube-proxy (iptables mode) programs 4 services
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
-A KUBE-SERVICES -m comment --comment "default/nothing has no endpoints" -m tcp -p tcp -d 10.96.0.13 --dport 80 -j REJECT
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
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/web:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-3OI236ZBKTWAFB2I
-A KUBE-NODEPORTS -m comment --comment default/web:dns -m udp -p udp --dport 30000 -j KUBE-EXT-3OI236ZBKTWAFB2I
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-3OI236ZBKTWAFB2I -m comment --comment "masquerade traffic for default/web:dns external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-3OI236ZBKTWAFB2I -j KUBE-SVC-3OI236ZBKTWAFB2I
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns -> 10.244.0.2:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-6RQJO7G3PCVEGYLK
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns -> 10.244.1.2:53" -j KUBE-SEP-BTVZB7E4KKPGX6I5
-A KUBE-SEP-6RQJO7G3PCVEGYLK -m comment --comment default/web:dns -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-6RQJO7G3PCVEGYLK -m comment --comment default/web:dns -m udp -p udp -j DNAT --to-destination 10.244.0.2:53
-A KUBE-SEP-BTVZB7E4KKPGX6I5 -m comment --comment default/web:dns -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-BTVZB7E4KKPGX6I5 -m comment --comment default/web:dns -m udp -p udp -j DNAT --to-destination 10.244.1.2:53
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-NODEPORTS -m comment --comment default/web:http -m tcp -p tcp --dport 30080 -j KUBE-EXT-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-CDGGSHYLG3RE2FKL -m comment --comment "masquerade traffic for default/web:http external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-CDGGSHYLG3RE2FKL -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.0.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ZA46Z6MXOL6YIMBQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.2:80" -j KUBE-SEP-PBQ62IOVWGYEN623
-A KUBE-SEP-ZA46Z6MXOL6YIMBQ -m comment --comment default/web:http -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZA46Z6MXOL6YIMBQ -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SEP-PBQ62IOVWGYEN623 -m comment --comment default/web:http -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-PBQ62IOVWGYEN623 -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SERVICES -m comment --comment "default/web-local cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 -j KUBE-SVC-W6DWRVOIQKRHXDQP
-A KUBE-NODEPORTS -m comment --comment default/web-local -m tcp -p tcp --dport 30081 -j KUBE-EXT-W6DWRVOIQKRHXDQP
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
-A KUBE-SERVICES -m comment --comment "default/web-sticky cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 8080 -j KUBE-SVC-ZRW2IZUANS4E5N2L
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 8080 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky -> 10.244.0.2:80" -m recent --name KUBE-SEP-4NU4D4JHZZSNXMXA --rcheck --seconds 10800 --reap -j KUBE-SEP-4NU4D4JHZZSNXMXA
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky -> 10.244.1.2:80" -m recent --name KUBE-SEP-CKLGJ7SWY7TSCKKG --rcheck --seconds 10800 --reap -j KUBE-SEP-CKLGJ7SWY7TSCKKG
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky -> 10.244.0.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-4NU4D4JHZZSNXMXA
-A KUBE-SVC-ZRW2IZUANS4E5N2L -m comment --comment "default/web-sticky -> 10.244.1.2:80" -j KUBE-SEP-CKLGJ7SWY7TSCKKG
-A KUBE-SEP-4NU4D4JHZZSNXMXA -m comment --comment default/web-sticky -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-4NU4D4JHZZSNXMXA -m comment --comment default/web-sticky -m recent --name KUBE-SEP-4NU4D4JHZZSNXMXA --set -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:80
-A KUBE-SEP-CKLGJ7SWY7TSCKKG -m comment --comment default/web-sticky -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-CKLGJ7SWY7TSCKKG -m comment --comment default/web-sticky -m recent --name KUBE-SEP-CKLGJ7SWY7TSCKKG --set -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

#!/usr/bin/env bash
# netlab plan for lab ingress: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down ingress`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/ingress}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.ingress.underlay
ip -n netlab.ingress.underlay link add br0 address 46:2e:ec:0a:7d:8d mtu 1500 type bridge
ip -n netlab.ingress.underlay link set dev br0 alias netlab:ingress up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.ingress.internet
ip -n netlab.ingress.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.ingress.internet
ip -n netlab.ingress.underlay link set dev internet master br0 alias netlab:ingress up
ip -n netlab.ingress.internet link set dev lo up
ip -n netlab.ingress.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.ingress.internet link set dev eth0 alias netlab:ingress up
ip -n netlab.ingress.internet link add br0 address a6:2a:58:56:75:c7 mtu 1500 type bridge
ip -n netlab.ingress.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.ingress.internet link set dev br0 alias netlab:ingress up
ip netns exec netlab.ingress.internet sysctl -qw net.ipv4.ip_forward=1

# internet host client
ip netns add netlab.ingress.client
ip -n netlab.ingress.internet link add client mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.ingress.client
ip -n netlab.ingress.internet link set dev client master br0 alias netlab:ingress up
ip -n netlab.ingress.client link set dev lo up
ip -n netlab.ingress.client addr add 203.0.113.10/24 dev eth0
ip -n netlab.ingress.client link set dev eth0 alias netlab:ingress up
ip -n netlab.ingress.client route add default via 203.0.113.1 dev eth0

# internet host ns1
ip netns add netlab.ingress.ns1
ip -n netlab.ingress.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.ingress.ns1
ip -n netlab.ingress.internet link set dev ns1 master br0 alias netlab:ingress up
ip -n netlab.ingress.ns1 link set dev lo up
ip -n netlab.ingress.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.ingress.ns1 link set dev eth0 alias netlab:ingress up
ip -n netlab.ingress.ns1 route add default via 203.0.113.1 dev eth0

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.ingress.node1
ip -n netlab.ingress.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.ingress.node1
ip -n netlab.ingress.underlay link set dev node1 master br0 alias netlab:ingress up
ip -n netlab.ingress.node1 link set dev lo up
ip -n netlab.ingress.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.ingress.node1 link set dev eth0 alias netlab:ingress up
ip -n netlab.ingress.node1 route add default via 192.168.56.1 dev eth0

# node node2: eth0 192.168.56.12 on the underlay, default route via the router
ip netns add netlab.ingress.node2
ip -n netlab.ingress.underlay link add node2 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.ingress.node2
ip -n netlab.ingress.underlay link set dev node2 master br0 alias netlab:ingress up
ip -n netlab.ingress.node2 link set dev lo up
ip -n netlab.ingress.node2 addr add 192.168.56.12/24 dev eth0
ip -n netlab.ingress.node2 link set dev eth0 alias netlab:ingress up
ip -n netlab.ingress.node2 route add default via 192.168.56.1 dev eth0

# node node1: flanneld (vxlan) leases 10.244.0.0/24; forwarding and bridge netfilter on
ip netns exec netlab.ingress.node1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.ingress.node1 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node1" && cat > "$NETLAB_STATE/flannel/node1/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.0.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node1: flanneld's masquerade and forward rules
ip netns exec netlab.ingress.node1 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.ingress.node1 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node1: the VXLAN tunnel endpoint flannel.1
ip -n netlab.ingress.node1 link add flannel.1 address ee:50:62:92:6f:df mtu 1450 type vxlan id 1 local 192.168.56.11 dev eth0 nolearning
ip -n netlab.ingress.node1 addr add 10.244.0.0/32 dev flannel.1
ip -n netlab.ingress.node1 link set dev flannel.1 alias netlab:ingress up

# node node1: how to reach 10.244.1.0/24 on node2 (ARP, FDB, route)
ip -n netlab.ingress.node1 neigh add 10.244.1.0 lladdr aa:0e:05:6e:a7:a8 dev flannel.1 nud permanent
bridge -n netlab.ingress.node1 fdb add aa:0e:05:6e:a7:a8 dev flannel.1 dst 192.168.56.12 self permanent
ip -n netlab.ingress.node1 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink

# node node2: flanneld (vxlan) leases 10.244.1.0/24; forwarding and bridge netfilter on
ip netns exec netlab.ingress.node2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec netlab.ingress.node2 sysctl -qw net.bridge.bridge-nf-call-iptables=1
mkdir -p "$NETLAB_STATE/flannel/node2" && cat > "$NETLAB_STATE/flannel/node2/subnet.env" <<'EOF'
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.1.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
EOF

# node node2: flanneld's masquerade and forward rules
ip netns exec netlab.ingress.node2 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.ingress.node2 iptables-restore --noflush <<'EOF'
*filter
:FLANNEL-FWD - [0:0]
-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
COMMIT
EOF

# node node2: the VXLAN tunnel endpoint flannel.1
ip -n netlab.ingress.node2 link add flannel.1 address aa:0e:05:6e:a7:a8 mtu 1450 type vxlan id 1 local 192.168.56.12 dev eth0 nolearning
ip -n netlab.ingress.node2 addr add 10.244.1.0/32 dev flannel.1
ip -n netlab.ingress.node2 link set dev flannel.1 alias netlab:ingress up

# node node2: how to reach 10.244.0.0/24 on node1 (ARP, FDB, route)
ip -n netlab.ingress.node2 neigh add 10.244.0.0 lladdr ee:50:62:92:6f:df dev flannel.1 nud permanent
bridge -n netlab.ingress.node2 fdb add ee:50:62:92:6f:df dev flannel.1 dst 192.168.56.11 self permanent
ip -n netlab.ingress.node2 route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink

# node node1: the CNI bridge plugin creates cni0 10.244.0.1/24
ip -n netlab.ingress.node1 link add cni0 address f6:bb:54:9d:d7:0e mtu 1450 type bridge
ip -n netlab.ingress.node1 addr add 10.244.0.1/24 dev cni0
ip -n netlab.ingress.node1 link set dev cni0 alias netlab:ingress up

# pod web1: 10.244.0.2/24 on cni0 through veth1d5b8f4f
ip netns add netlab.ingress.web1
ip -n netlab.ingress.node1 link add veth1d5b8f4f mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.ingress.web1
ip -n netlab.ingress.node1 link set dev veth1d5b8f4f master cni0 alias netlab:ingress up
ip netns exec netlab.ingress.web1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.ingress.web1 link set dev lo up
ip -n netlab.ingress.web1 addr add 10.244.0.2/24 dev eth0
ip -n netlab.ingress.web1 link set dev eth0 alias netlab:ingress up
bridge -n netlab.ingress.node1 link set dev veth1d5b8f4f hairpin on
ip -n netlab.ingress.web1 route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.ingress.web1 route add default via 10.244.0.1 dev eth0

# pod coredns-7b5fc74fc-gmtxp: 10.244.0.3/24 on cni0 through veth0bd33b03
ip netns add netlab.ingress.coredns-7b5fc74fc-gmtxp
ip -n netlab.ingress.node1 link add veth0bd33b03 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.ingress.coredns-7b5fc74fc-gmtxp
ip -n netlab.ingress.node1 link set dev veth0bd33b03 master cni0 alias netlab:ingress up
ip netns exec netlab.ingress.coredns-7b5fc74fc-gmtxp sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.ingress.coredns-7b5fc74fc-gmtxp link set dev lo up
ip -n netlab.ingress.coredns-7b5fc74fc-gmtxp addr add 10.244.0.3/24 dev eth0
ip -n netlab.ingress.coredns-7b5fc74fc-gmtxp link set dev eth0 alias netlab:ingress up
bridge -n netlab.ingress.node1 link set dev veth0bd33b03 hairpin on
ip -n netlab.ingress.coredns-7b5fc74fc-gmtxp route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.ingress.coredns-7b5fc74fc-gmtxp route add default via 10.244.0.1 dev eth0

# pod ingress-nginx-controller-7595c8ccfd-jn4pm: 10.244.0.4/24 on cni0 through veth2fa51378
ip netns add netlab.ingress.ingress-nginx-controller-7595c8ccfd-jn4pm
ip -n netlab.ingress.node1 link add veth2fa51378 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.ingress.ingress-nginx-controller-7595c8ccfd-jn4pm
ip -n netlab.ingress.node1 link set dev veth2fa51378 master cni0 alias netlab:ingress up
ip netns exec netlab.ingress.ingress-nginx-controller-7595c8ccfd-jn4pm sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.ingress.ingress-nginx-controller-7595c8ccfd-jn4pm link set dev lo up
ip -n netlab.ingress.ingress-nginx-controller-7595c8ccfd-jn4pm addr add 10.244.0.4/24 dev eth0
ip -n netlab.ingress.ingress-nginx-controller-7595c8ccfd-jn4pm link set dev eth0 alias netlab:ingress up
bridge -n netlab.ingress.node1 link set dev veth2fa51378 hairpin on
ip -n netlab.ingress.ingress-nginx-controller-7595c8ccfd-jn4pm route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.ingress.ingress-nginx-controller-7595c8ccfd-jn4pm route add default via 10.244.0.1 dev eth0

# node node2: the CNI bridge plugin creates cni0 10.244.1.1/24
ip -n netlab.ingress.node2 link add cni0 address b2:6e:9b:57:6f:d7 mtu 1450 type bridge
ip -n netlab.ingress.node2 addr add 10.244.1.1/24 dev cni0
ip -n netlab.ingress.node2 link set dev cni0 alias netlab:ingress up

# pod web2: 10.244.1.2/24 on cni0 through veth6d89bea3
ip netns add netlab.ingress.web2
ip -n netlab.ingress.node2 link add veth6d89bea3 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.ingress.web2
ip -n netlab.ingress.node2 link set dev veth6d89bea3 master cni0 alias netlab:ingress up
ip netns exec netlab.ingress.web2 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.ingress.web2 link set dev lo up
ip -n netlab.ingress.web2 addr add 10.244.1.2/24 dev eth0
ip -n netlab.ingress.web2 link set dev eth0 alias netlab:ingress up
bridge -n netlab.ingress.node2 link set dev veth6d89bea3 hairpin on
ip -n netlab.ingress.web2 route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.ingress.web2 route add default via 10.244.1.1 dev eth0

# pod api1: 10.244.1.3/24 on cni0 through vethbcf81961
ip netns add netlab.ingress.api1
ip -n netlab.ingress.node2 link add vethbcf81961 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.ingress.api1
ip -n netlab.ingress.node2 link set dev vethbcf81961 master cni0 alias netlab:ingress up
ip netns exec netlab.ingress.api1 sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.ingress.api1 link set dev lo up
ip -n netlab.ingress.api1 addr add 10.244.1.3/24 dev eth0
ip -n netlab.ingress.api1 link set dev eth0 alias netlab:ingress up
bridge -n netlab.ingress.node2 link set dev vethbcf81961 hairpin on
ip -n netlab.ingress.api1 route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.ingress.api1 route add default via 10.244.1.1 dev eth0

# pod coredns-7b5fc74fc-896cd: 10.244.1.4/24 on cni0 through veth6e8ef943
ip netns add netlab.ingress.coredns-7b5fc74fc-896cd
ip -n netlab.ingress.node2 link add veth6e8ef943 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.ingress.coredns-7b5fc74fc-896cd
ip -n netlab.ingress.node2 link set dev veth6e8ef943 master cni0 alias netlab:ingress up
ip netns exec netlab.ingress.coredns-7b5fc74fc-896cd sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.ingress.coredns-7b5fc74fc-896cd link set dev lo up
ip -n netlab.ingress.coredns-7b5fc74fc-896cd addr add 10.244.1.4/24 dev eth0
ip -n netlab.ingress.coredns-7b5fc74fc-896cd link set dev eth0 alias netlab:ingress up
bridge -n netlab.ingress.node2 link set dev veth6e8ef943 hairpin on
ip -n netlab.ingress.coredns-7b5fc74fc-896cd route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.ingress.coredns-7b5fc74fc-896cd route add default via 10.244.1.1 dev eth0

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.ingress.web1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web1 --http 8080 >"$NETLAB_STATE/logs/echo-web1.log" 2>&1 </dev/null
ip netns exec netlab.ingress.web2 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web2 --http 8080 >"$NETLAB_STATE/logs/echo-web2.log" 2>&1 </dev/null
ip netns exec netlab.ingress.api1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name api1 --http 9090 >"$NETLAB_STATE/logs/echo-api1.log" 2>&1 </dev/null

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
ip netns exec netlab.ingress.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.ingress.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.ingress.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.ingress.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
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
ip netns exec netlab.ingress.coredns-7b5fc74fc-gmtxp setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-gmtxp.log" 2>&1 </dev/null
ip netns exec netlab.ingress.coredns-7b5fc74fc-gmtxp sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf"
ip netns exec netlab.ingress.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.ingress.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 16340080 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.3
10-244-0-3.kube-system.pod.cluster.local. 30 IN A 10.244.0.3
10-244-0-4.ingress-nginx-controller.ingress-nginx.svc.cluster.local. 30 IN A 10.244.0.4
10-244-0-4.ingress-nginx.pod.cluster.local. 30 IN A 10.244.0.4
10-244-1-2.default.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.api.default.svc.cluster.local. 30 IN A 10.244.1.3
10-244-1-3.default.pod.cluster.local. 30 IN A 10.244.1.3
10-244-1-4.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.4
10-244-1-4.kube-system.pod.cluster.local. 30 IN A 10.244.1.4
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local.
12.0.96.10.in-addr.arpa. 30 IN PTR api.default.svc.cluster.local.
13.0.96.10.in-addr.arpa. 30 IN PTR ingress-nginx-controller.ingress-nginx.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web.default.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.web.default.svc.cluster.local.
3.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-3.kube-dns.kube-system.svc.cluster.local.
3.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-3.api.default.svc.cluster.local.
4.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-4.ingress-nginx-controller.ingress-nginx.svc.cluster.local.
4.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-4.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_http._tcp.api.default.svc.cluster.local. 30 IN SRV 0 100 80 api.default.svc.cluster.local.
_http._tcp.ingress-nginx-controller.ingress-nginx.svc.cluster.local. 30 IN SRV 0 100 80 ingress-nginx-controller.ingress-nginx.svc.cluster.local.
_http._tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
api.default.svc.cluster.local. 30 IN A 10.96.0.12
api.default.svc.cluster.local. 30 IN SRV 0 100 80 api.default.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
ingress-nginx-controller.ingress-nginx.svc.cluster.local. 30 IN A 10.96.0.13
ingress-nginx-controller.ingress-nginx.svc.cluster.local. 30 IN SRV 0 100 80 ingress-nginx-controller.ingress-nginx.svc.cluster.local.
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
ip netns exec netlab.ingress.coredns-7b5fc74fc-896cd setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-896cd.log" 2>&1 </dev/null
ip netns exec netlab.ingress.coredns-7b5fc74fc-896cd sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf"
ip netns exec netlab.ingress.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.ingress.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 16340080 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.3
10-244-0-3.kube-system.pod.cluster.local. 30 IN A 10.244.0.3
10-244-0-4.ingress-nginx-controller.ingress-nginx.svc.cluster.local. 30 IN A 10.244.0.4
10-244-0-4.ingress-nginx.pod.cluster.local. 30 IN A 10.244.0.4
10-244-1-2.default.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.api.default.svc.cluster.local. 30 IN A 10.244.1.3
10-244-1-3.default.pod.cluster.local. 30 IN A 10.244.1.3
10-244-1-4.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.4
10-244-1-4.kube-system.pod.cluster.local. 30 IN A 10.244.1.4
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local.
12.0.96.10.in-addr.arpa. 30 IN PTR api.default.svc.cluster.local.
13.0.96.10.in-addr.arpa. 30 IN PTR ingress-nginx-controller.ingress-nginx.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web.default.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.web.default.svc.cluster.local.
3.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-3.kube-dns.kube-system.svc.cluster.local.
3.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-3.api.default.svc.cluster.local.
4.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-4.ingress-nginx-controller.ingress-nginx.svc.cluster.local.
4.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-4.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_http._tcp.api.default.svc.cluster.local. 30 IN SRV 0 100 80 api.default.svc.cluster.local.
_http._tcp.ingress-nginx-controller.ingress-nginx.svc.cluster.local. 30 IN SRV 0 100 80 ingress-nginx-controller.ingress-nginx.svc.cluster.local.
_http._tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
api.default.svc.cluster.local. 30 IN A 10.96.0.12
api.default.svc.cluster.local. 30 IN SRV 0 100 80 api.default.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
ingress-nginx-controller.ingress-nginx.svc.cluster.local. 30 IN A 10.96.0.13
ingress-nginx-controller.ingress-nginx.svc.cluster.local. 30 IN SRV 0 100 80 ingress-nginx-controller.ingress-nginx.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
web.default.svc.cluster.local. 30 IN A 10.96.0.11
web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.
EOF
mkdir -p "/etc/netns/netlab.ingress.node1" && cat > "/etc/netns/netlab.ingress.node1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.ingress.node2" && cat > "/etc/netns/netlab.ingress.node2/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.ingress.client" && cat > "/etc/netns/netlab.ingress.client/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.ingress.ns1" && cat > "/etc/netns/netlab.ingress.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.ingress.web1" && cat > "/etc/netns/netlab.ingress.web1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.ingress.web2" && cat > "/etc/netns/netlab.ingress.web2/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.ingress.api1" && cat > "/etc/netns/netlab.ingress.api1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.ingress.coredns-7b5fc74fc-gmtxp" && cat > "/etc/netns/netlab.ingress.coredns-7b5fc74fc-gmtxp/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.ingress.coredns-7b5fc74fc-896cd" && cat > "/etc/netns/netlab.ingress.coredns-7b5fc74fc-896cd/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.ingress.ingress-nginx-controller-7595c8ccfd-jn4pm" && cat > "/etc/netns/netlab.ingress.ingress-nginx-controller-7595c8ccfd-jn4pm/resolv.conf" <<'EOF'
search ingress-nginx.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF

# ingress: 1 × ingress-nginx/ingress-nginx-controller behind a NodePort Service, nginx serving _, shop.example.com
mkdir -p "$NETLAB_STATE/ingress/ingress-nginx-controller-7595c8ccfd-jn4pm" && cat > "$NETLAB_STATE/ingress/ingress-nginx-controller-7595c8ccfd-jn4pm/nginx.conf" <<'EOF'
# Rendered by netlab from the lab's Ingresses, as ingress-nginx renders nginx.tmpl; upstreams are static
# (the endpoints, as before ingress-nginx's Lua balancer). nginx is Debian's.
worker_processes 1;
events {
    worker_connections 16384;
}
http {
    client_body_temp_path client_body-temp;
    proxy_temp_path proxy-temp;
    fastcgi_temp_path fastcgi-temp;
    uwsgi_temp_path uwsgi-temp;
    scgi_temp_path scgi-temp;
    log_format upstreaminfo '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id';
    access_log /dev/stdout upstreaminfo;
    # Retain the default nginx handling of requests without a "Connection" header
    map $http_upgrade $connection_upgrade {
        default          upgrade;
        ''               close;
    }
    map $http_x_request_id $req_id {
        default   $http_x_request_id;
        ""        $request_id;
    }
    # The alternative upstream of a canary; netlab has none
    map "" $proxy_alternative_upstream_name {
        default "";
    }

    upstream default-api-80 {
        server 10.244.1.3:9090 max_fails=0 fail_timeout=0;
    }

    upstream default-api-http {
        server 10.244.1.3:9090 max_fails=0 fail_timeout=0;
    }

    upstream default-web-80 {
        server 10.244.0.2:8080 max_fails=0 fail_timeout=0;
        server 10.244.1.2:8080 max_fails=0 fail_timeout=0;
    }

    upstream upstream-default-backend {
        server 127.0.0.1:8181 max_fails=0 fail_timeout=0;
    }

    ## start server _
    server {
        server_name _ ;

        listen 80 default_server reuseport backlog=4096;

        set $proxy_upstream_name "-";

        location "/" {
            port_in_redirect off;

            set $proxy_upstream_name "upstream-default-backend";
            set $proxy_host          $proxy_upstream_name;
            set $pass_access_scheme  $scheme;
            set $pass_server_port    $server_port;
            set $best_http_host      $http_host;
            set $pass_port           $pass_server_port;

            proxy_set_header Host                   $best_http_host;

            # Allow websocket connections
            proxy_set_header                        Upgrade           $http_upgrade;
            proxy_set_header                        Connection        $connection_upgrade;

            proxy_set_header X-Request-ID           $req_id;
            proxy_set_header X-Real-IP              $remote_addr;
            proxy_set_header X-Forwarded-For        $remote_addr;
            proxy_set_header X-Forwarded-Host       $best_http_host;
            proxy_set_header X-Forwarded-Port       $pass_port;
            proxy_set_header X-Forwarded-Proto      $pass_access_scheme;
            proxy_set_header X-Forwarded-Scheme     $pass_access_scheme;
            proxy_set_header X-Scheme               $pass_access_scheme;

            # Pass the original X-Forwarded-For
            proxy_set_header X-Original-Forwarded-For $http_x_forwarded_for;

            # mitigate HTTPoxy Vulnerability
            proxy_set_header Proxy                  "";

            proxy_http_version                      1.1;

            proxy_pass http://upstream-default-backend;
        }

    }
    ## end server _

    ## start server shop.example.com
    server {
        server_name shop.example.com ;

        listen 80;

        set $proxy_upstream_name "-";

        location = "/health" {
            set $namespace      "default";
            set $ingress_name   "shop";
            set $service_name   "api";
            set $service_port   "80";
            set $location_path  "/health";

            port_in_redirect off;

            set $proxy_upstream_name "default-api-80";
            set $proxy_host          $proxy_upstream_name;
            set $pass_access_scheme  $scheme;
            set $pass_server_port    $server_port;
            set $best_http_host      $http_host;
            set $pass_port           $pass_server_port;

            proxy_set_header Host                   $best_http_host;

            # Allow websocket connections
            proxy_set_header                        Upgrade           $http_upgrade;
            proxy_set_header                        Connection        $connection_upgrade;

            proxy_set_header X-Request-ID           $req_id;
            proxy_set_header X-Real-IP              $remote_addr;
            proxy_set_header X-Forwarded-For        $remote_addr;
            proxy_set_header X-Forwarded-Host       $best_http_host;
            proxy_set_header X-Forwarded-Port       $pass_port;
            proxy_set_header X-Forwarded-Proto      $pass_access_scheme;
            proxy_set_header X-Forwarded-Scheme     $pass_access_scheme;
            proxy_set_header X-Scheme               $pass_access_scheme;

            # Pass the original X-Forwarded-For
            proxy_set_header X-Original-Forwarded-For $http_x_forwarded_for;

            # mitigate HTTPoxy Vulnerability
            proxy_set_header Proxy                  "";

            proxy_http_version                      1.1;

            proxy_pass http://default-api-80;
        }

        location "/api/" {
            set $namespace      "default";
            set $ingress_name   "shop";
            set $service_name   "api";
            set $service_port   "http";
            set $location_path  "/api";

            port_in_redirect off;

            set $proxy_upstream_name "default-api-http";
            set $proxy_host          $proxy_upstream_name;
            set $pass_access_scheme  $scheme;
            set $pass_server_port    $server_port;
            set $best_http_host      $http_host;
            set $pass_port           $pass_server_port;

            proxy_set_header Host                   $best_http_host;

            # Allow websocket connections
            proxy_set_header                        Upgrade           $http_upgrade;
            proxy_set_header                        Connection        $connection_upgrade;

            proxy_set_header X-Request-ID           $req_id;
            proxy_set_header X-Real-IP              $remote_addr;
            proxy_set_header X-Forwarded-For        $remote_addr;
            proxy_set_header X-Forwarded-Host       $best_http_host;
            proxy_set_header X-Forwarded-Port       $pass_port;
            proxy_set_header X-Forwarded-Proto      $pass_access_scheme;
            proxy_set_header X-Forwarded-Scheme     $pass_access_scheme;
            proxy_set_header X-Scheme               $pass_access_scheme;

            # Pass the original X-Forwarded-For
            proxy_set_header X-Original-Forwarded-For $http_x_forwarded_for;

            # mitigate HTTPoxy Vulnerability
            proxy_set_header Proxy                  "";

            proxy_http_version                      1.1;

            proxy_pass http://default-api-http;
        }

        location = "/api" {
            set $namespace      "default";
            set $ingress_name   "shop";
            set $service_name   "api";
            set $service_port   "http";
            set $location_path  "/api";

            port_in_redirect off;

            set $proxy_upstream_name "default-api-http";
            set $proxy_host          $proxy_upstream_name;
            set $pass_access_scheme  $scheme;
            set $pass_server_port    $server_port;
            set $best_http_host      $http_host;
            set $pass_port           $pass_server_port;

            proxy_set_header Host                   $best_http_host;

            # Allow websocket connections
            proxy_set_header                        Upgrade           $http_upgrade;
            proxy_set_header                        Connection        $connection_upgrade;

            proxy_set_header X-Request-ID           $req_id;
            proxy_set_header X-Real-IP              $remote_addr;
            proxy_set_header X-Forwarded-For        $remote_addr;
            proxy_set_header X-Forwarded-Host       $best_http_host;
            proxy_set_header X-Forwarded-Port       $pass_port;
            proxy_set_header X-Forwarded-Proto      $pass_access_scheme;
            proxy_set_header X-Forwarded-Scheme     $pass_access_scheme;
            proxy_set_header X-Scheme               $pass_access_scheme;

            # Pass the original X-Forwarded-For
            proxy_set_header X-Original-Forwarded-For $http_x_forwarded_for;

            # mitigate HTTPoxy Vulnerability
            proxy_set_header Proxy                  "";

            proxy_http_version                      1.1;

            proxy_pass http://default-api-http;
        }

        location "/" {
            set $namespace      "default";
            set $ingress_name   "shop";
            set $service_name   "web";
            set $service_port   "80";
            set $location_path  "/";

            port_in_redirect off;

            set $proxy_upstream_name "default-web-80";
            set $proxy_host          $proxy_upstream_name;
            set $pass_access_scheme  $scheme;
            set $pass_server_port    $server_port;
            set $best_http_host      $http_host;
            set $pass_port           $pass_server_port;

            proxy_set_header Host                   $best_http_host;

            # Allow websocket connections
            proxy_set_header                        Upgrade           $http_upgrade;
            proxy_set_header                        Connection        $connection_upgrade;

            proxy_set_header X-Request-ID           $req_id;
            proxy_set_header X-Real-IP              $remote_addr;
            proxy_set_header X-Forwarded-For        $remote_addr;
            proxy_set_header X-Forwarded-Host       $best_http_host;
            proxy_set_header X-Forwarded-Port       $pass_port;
            proxy_set_header X-Forwarded-Proto      $pass_access_scheme;
            proxy_set_header X-Forwarded-Scheme     $pass_access_scheme;
            proxy_set_header X-Scheme               $pass_access_scheme;

            # Pass the original X-Forwarded-For
            proxy_set_header X-Original-Forwarded-For $http_x_forwarded_for;

            # mitigate HTTPoxy Vulnerability
            proxy_set_header Proxy                  "";

            proxy_http_version                      1.1;

            proxy_pass http://default-web-80;
        }

    }
    ## end server shop.example.com

    # backend for when default-backend-service is not configured or it does not have endpoints
    server {
        listen 8181 default_server reuseport backlog=4096;
        set $proxy_upstream_name "internal";

        access_log off;

        location / {
          return 404;
        }
    }
}
EOF
ip netns exec netlab.ingress.ingress-nginx-controller-7595c8ccfd-jn4pm setsid -f nginx -e stderr -p "$NETLAB_STATE/ingress/ingress-nginx-controller-7595c8ccfd-jn4pm" -c "$NETLAB_STATE/ingress/ingress-nginx-controller-7595c8ccfd-jn4pm/nginx.conf" -g "daemon off; pid $NETLAB_STATE/ingress/ingress-nginx-controller-7595c8ccfd-jn4pm/nginx.pid;" >"$NETLAB_STATE/logs/nginx-ingress-nginx-controller-7595c8ccfd-jn4pm.log" 2>&1 </dev/null

# node node1: kube-proxy (iptables mode) programs 4 services
ip netns exec netlab.ingress.node1 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.ingress.node1 iptables-restore --noflush <<'EOF'
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
:KUBE-SVC-KKDGWRPDK6Z5NCHS - [0:0]
:KUBE-SEP-R6M3VD42AX2BMDT6 - [0:0]
:KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]
:KUBE-SEP-QA4PSDNF5R2OJOPA - [0:0]
:KUBE-SEP-UIQK3OSOSTRHRPBX - [0:0]
:KUBE-EXT-CG5I4G2RS3ZVWGLK - [0:0]
:KUBE-SVC-CG5I4G2RS3ZVWGLK - [0:0]
:KUBE-SEP-MXTCW37IOF46JEGH - [0:0]
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-ZXMNUKOKXUTL2MK2 - [0:0]
:KUBE-SEP-5BME6LXGYWTVD5D3 - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-6E7XQMQ4RAYOWTTM - [0:0]
:KUBE-SEP-222YD7DQOUNKFRLL - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-ZP3FB6NMPNCO4VBJ - [0:0]
:KUBE-SEP-NG3JZDJDUTWZSDOR - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/api:http cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 -j KUBE-SVC-KKDGWRPDK6Z5NCHS
-A KUBE-SVC-KKDGWRPDK6Z5NCHS -m comment --comment "default/api:http cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-KKDGWRPDK6Z5NCHS -m comment --comment "default/api:http -> 10.244.1.3:9090" -j KUBE-SEP-R6M3VD42AX2BMDT6
-A KUBE-SEP-R6M3VD42AX2BMDT6 -m comment --comment default/api:http -s 10.244.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-R6M3VD42AX2BMDT6 -m comment --comment default/api:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.3:9090
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.0.2:8080" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-QA4PSDNF5R2OJOPA
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.2:8080" -j KUBE-SEP-UIQK3OSOSTRHRPBX
-A KUBE-SEP-QA4PSDNF5R2OJOPA -m comment --comment default/web:http -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-QA4PSDNF5R2OJOPA -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:8080
-A KUBE-SEP-UIQK3OSOSTRHRPBX -m comment --comment default/web:http -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-UIQK3OSOSTRHRPBX -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:8080
-A KUBE-SERVICES -m comment --comment "ingress-nginx/ingress-nginx-controller:http cluster IP" -m tcp -p tcp -d 10.96.0.13 --dport 80 -j KUBE-SVC-CG5I4G2RS3ZVWGLK
-A KUBE-NODEPORTS -m comment --comment ingress-nginx/ingress-nginx-controller:http -m tcp -p tcp --dport 30080 -j KUBE-EXT-CG5I4G2RS3ZVWGLK
-A KUBE-SVC-CG5I4G2RS3ZVWGLK -m comment --comment "ingress-nginx/ingress-nginx-controller:http cluster IP" -m tcp -p tcp -d 10.96.0.13 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-CG5I4G2RS3ZVWGLK -m comment --comment "masquerade traffic for ingress-nginx/ingress-nginx-controller:http external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-CG5I4G2RS3ZVWGLK -j KUBE-SVC-CG5I4G2RS3ZVWGLK
-A KUBE-SVC-CG5I4G2RS3ZVWGLK -m comment --comment "ingress-nginx/ingress-nginx-controller:http -> 10.244.0.4:80" -j KUBE-SEP-MXTCW37IOF46JEGH
-A KUBE-SEP-MXTCW37IOF46JEGH -m comment --comment ingress-nginx/ingress-nginx-controller:http -s 10.244.0.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-MXTCW37IOF46JEGH -m comment --comment ingress-nginx/ingress-nginx-controller:http -m tcp -p tcp -j DNAT --to-destination 10.244.0.4:80
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.3:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ZXMNUKOKXUTL2MK2
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.1.4:53" -j KUBE-SEP-5BME6LXGYWTVD5D3
-A KUBE-SEP-ZXMNUKOKXUTL2MK2 -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZXMNUKOKXUTL2MK2 -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:53
-A KUBE-SEP-5BME6LXGYWTVD5D3 -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-5BME6LXGYWTVD5D3 -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.3:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-6E7XQMQ4RAYOWTTM
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.4:53" -j KUBE-SEP-222YD7DQOUNKFRLL
-A KUBE-SEP-6E7XQMQ4RAYOWTTM -m comment --comment kube-system/kube-dns:dns -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-6E7XQMQ4RAYOWTTM -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.3:53
-A KUBE-SEP-222YD7DQOUNKFRLL -m comment --comment kube-system/kube-dns:dns -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-222YD7DQOUNKFRLL -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.1.4:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.3:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ZP3FB6NMPNCO4VBJ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.1.4:9153" -j KUBE-SEP-NG3JZDJDUTWZSDOR
-A KUBE-SEP-ZP3FB6NMPNCO4VBJ -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZP3FB6NMPNCO4VBJ -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:9153
-A KUBE-SEP-NG3JZDJDUTWZSDOR -m comment --comment kube-system/kube-dns:metrics -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-NG3JZDJDUTWZSDOR -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:9153
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node2: kube-proxy (iptables mode) programs 4 services
ip netns exec netlab.ingress.node2 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.ingress.node2 iptables-restore --noflush <<'EOF'
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
:KUBE-SVC-KKDGWRPDK6Z5NCHS - [0:0]
:KUBE-SEP-R6M3VD42AX2BMDT6 - [0:0]
:KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]
:KUBE-SEP-QA4PSDNF5R2OJOPA - [0:0]
:KUBE-SEP-UIQK3OSOSTRHRPBX - [0:0]
:KUBE-EXT-CG5I4G2RS3ZVWGLK - [0:0]
:KUBE-SVC-CG5I4G2RS3ZVWGLK - [0:0]
:KUBE-SEP-MXTCW37IOF46JEGH - [0:0]
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-ZXMNUKOKXUTL2MK2 - [0:0]
:KUBE-SEP-5BME6LXGYWTVD5D3 - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-6E7XQMQ4RAYOWTTM - [0:0]
:KUBE-SEP-222YD7DQOUNKFRLL - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-ZP3FB6NMPNCO4VBJ - [0:0]
:KUBE-SEP-NG3JZDJDUTWZSDOR - [0:0]
:KUBE-PROXY-CANARY - [0:0]
-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I PREROUTING 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-I POSTROUTING 1 -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/api:http cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 -j KUBE-SVC-KKDGWRPDK6Z5NCHS
-A KUBE-SVC-KKDGWRPDK6Z5NCHS -m comment --comment "default/api:http cluster IP" -m tcp -p tcp -d 10.96.0.12 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-KKDGWRPDK6Z5NCHS -m comment --comment "default/api:http -> 10.244.1.3:9090" -j KUBE-SEP-R6M3VD42AX2BMDT6
-A KUBE-SEP-R6M3VD42AX2BMDT6 -m comment --comment default/api:http -s 10.244.1.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-R6M3VD42AX2BMDT6 -m comment --comment default/api:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.3:9090
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.0.2:8080" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-QA4PSDNF5R2OJOPA
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.2:8080" -j KUBE-SEP-UIQK3OSOSTRHRPBX
-A KUBE-SEP-QA4PSDNF5R2OJOPA -m comment --comment default/web:http -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-QA4PSDNF5R2OJOPA -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:8080
-A KUBE-SEP-UIQK3OSOSTRHRPBX -m comment --comment default/web:http -s 10.244.1.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-UIQK3OSOSTRHRPBX -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:8080
-A KUBE-SERVICES -m comment --comment "ingress-nginx/ingress-nginx-controller:http cluster IP" -m tcp -p tcp -d 10.96.0.13 --dport 80 -j KUBE-SVC-CG5I4G2RS3ZVWGLK
-A KUBE-NODEPORTS -m comment --comment ingress-nginx/ingress-nginx-controller:http -m tcp -p tcp --dport 30080 -j KUBE-EXT-CG5I4G2RS3ZVWGLK
-A KUBE-SVC-CG5I4G2RS3ZVWGLK -m comment --comment "ingress-nginx/ingress-nginx-controller:http cluster IP" -m tcp -p tcp -d 10.96.0.13 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-CG5I4G2RS3ZVWGLK -m comment --comment "masquerade traffic for ingress-nginx/ingress-nginx-controller:http external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-CG5I4G2RS3ZVWGLK -j KUBE-SVC-CG5I4G2RS3ZVWGLK
-A KUBE-SVC-CG5I4G2RS3ZVWGLK -m comment --comment "ingress-nginx/ingress-nginx-controller:http -> 10.244.0.4:80" -j KUBE-SEP-MXTCW37IOF46JEGH
-A KUBE-SEP-MXTCW37IOF46JEGH -m comment --comment ingress-nginx/ingress-nginx-controller:http -s 10.244.0.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-MXTCW37IOF46JEGH -m comment --comment ingress-nginx/ingress-nginx-controller:http -m tcp -p tcp -j DNAT --to-destination 10.244.0.4:80
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.3:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ZXMNUKOKXUTL2MK2
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.1.4:53" -j KUBE-SEP-5BME6LXGYWTVD5D3
-A KUBE-SEP-ZXMNUKOKXUTL2MK2 -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZXMNUKOKXUTL2MK2 -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:53
-A KUBE-SEP-5BME6LXGYWTVD5D3 -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-5BME6LXGYWTVD5D3 -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.3:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-6E7XQMQ4RAYOWTTM
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.4:53" -j KUBE-SEP-222YD7DQOUNKFRLL
-A KUBE-SEP-6E7XQMQ4RAYOWTTM -m comment --comment kube-system/kube-dns:dns -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-6E7XQMQ4RAYOWTTM -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.3:53
-A KUBE-SEP-222YD7DQOUNKFRLL -m comment --comment kube-system/kube-dns:dns -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-222YD7DQOUNKFRLL -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.1.4:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.3:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-ZP3FB6NMPNCO4VBJ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.1.4:9153" -j KUBE-SEP-NG3JZDJDUTWZSDOR
-A KUBE-SEP-ZP3FB6NMPNCO4VBJ -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-ZP3FB6NMPNCO4VBJ -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.3:9153
-A KUBE-SEP-NG3JZDJDUTWZSDOR -m comment --comment kube-system/kube-dns:metrics -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-NG3JZDJDUTWZSDOR -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:9153
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

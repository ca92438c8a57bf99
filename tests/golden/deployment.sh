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

# internet host ns1
ip netns add netlab.deployment.ns1
ip -n netlab.deployment.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.deployment.ns1
ip -n netlab.deployment.internet link set dev ns1 master br0 alias netlab:deployment up
ip -n netlab.deployment.ns1 link set dev lo up
ip -n netlab.deployment.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.deployment.ns1 link set dev eth0 alias netlab:deployment up
ip -n netlab.deployment.ns1 route add default via 203.0.113.1 dev eth0

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

# pod coredns-7b5fc74fc-gmtxp: 10.244.0.5/24 on cni0 through veth7d753d69
ip netns add netlab.deployment.coredns-7b5fc74fc-gmtxp
ip -n netlab.deployment.node1 link add veth7d753d69 mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.deployment.coredns-7b5fc74fc-gmtxp
ip -n netlab.deployment.node1 link set dev veth7d753d69 master cni0 alias netlab:deployment up
ip netns exec netlab.deployment.coredns-7b5fc74fc-gmtxp sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.deployment.coredns-7b5fc74fc-gmtxp link set dev lo up
ip -n netlab.deployment.coredns-7b5fc74fc-gmtxp addr add 10.244.0.5/24 dev eth0
ip -n netlab.deployment.coredns-7b5fc74fc-gmtxp link set dev eth0 alias netlab:deployment up
bridge -n netlab.deployment.node1 link set dev veth7d753d69 hairpin on
ip -n netlab.deployment.coredns-7b5fc74fc-gmtxp route add 10.244.0.0/16 via 10.244.0.1 dev eth0
ip -n netlab.deployment.coredns-7b5fc74fc-gmtxp route add default via 10.244.0.1 dev eth0

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

# pod coredns-7b5fc74fc-896cd: 10.244.1.4/24 on cni0 through veth49633dcf
ip netns add netlab.deployment.coredns-7b5fc74fc-896cd
ip -n netlab.deployment.node2 link add veth49633dcf mtu 1450 type veth peer name eth0 mtu 1450 netns netlab.deployment.coredns-7b5fc74fc-896cd
ip -n netlab.deployment.node2 link set dev veth49633dcf master cni0 alias netlab:deployment up
ip netns exec netlab.deployment.coredns-7b5fc74fc-896cd sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip -n netlab.deployment.coredns-7b5fc74fc-896cd link set dev lo up
ip -n netlab.deployment.coredns-7b5fc74fc-896cd addr add 10.244.1.4/24 dev eth0
ip -n netlab.deployment.coredns-7b5fc74fc-896cd link set dev eth0 alias netlab:deployment up
bridge -n netlab.deployment.node2 link set dev veth49633dcf hairpin on
ip -n netlab.deployment.coredns-7b5fc74fc-896cd route add 10.244.0.0/16 via 10.244.1.1 dev eth0
ip -n netlab.deployment.coredns-7b5fc74fc-896cd route add default via 10.244.1.1 dev eth0

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.deployment.web-545599c9dd-rf9db setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web-545599c9dd-rf9db --version v1 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web-545599c9dd-rf9db.log" 2>&1 </dev/null
ip netns exec netlab.deployment.web-545599c9dd-78npk setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web-545599c9dd-78npk --version v1 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web-545599c9dd-78npk.log" 2>&1 </dev/null
ip netns exec netlab.deployment.web-545599c9dd-7g4wb setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web-545599c9dd-7g4wb --version v1 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web-545599c9dd-7g4wb.log" 2>&1 </dev/null
ip netns exec netlab.deployment.web-545599c9dd-ph4zw setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web-545599c9dd-ph4zw --version v1 --http 80 --udp 53 >"$NETLAB_STATE/logs/echo-web-545599c9dd-ph4zw.log" 2>&1 </dev/null

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
ip netns exec netlab.deployment.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.deployment.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.deployment.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.deployment.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
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
ip netns exec netlab.deployment.coredns-7b5fc74fc-gmtxp setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-gmtxp.log" 2>&1 </dev/null
ip netns exec netlab.deployment.coredns-7b5fc74fc-gmtxp sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf"
ip netns exec netlab.deployment.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.deployment.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1687187300 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.default.pod.cluster.local. 30 IN A 10.244.0.3
10-244-0-3.web.default.svc.cluster.local. 30 IN A 10.244.0.3
10-244-0-4.default.pod.cluster.local. 30 IN A 10.244.0.4
10-244-0-5.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.5
10-244-0-5.kube-system.pod.cluster.local. 30 IN A 10.244.0.5
10-244-1-2.default.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.default.pod.cluster.local. 30 IN A 10.244.1.3
10-244-1-3.web.default.svc.cluster.local. 30 IN A 10.244.1.3
10-244-1-4.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.4
10-244-1-4.kube-system.pod.cluster.local. 30 IN A 10.244.1.4
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web.default.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.web.default.svc.cluster.local.
3.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-3.web.default.svc.cluster.local.
3.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-3.web.default.svc.cluster.local.
4.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-4.kube-dns.kube-system.svc.cluster.local.
5.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-5.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.web.default.svc.cluster.local. 30 IN SRV 0 100 53 web.default.svc.cluster.local.
_hold._tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 9000 web.default.svc.cluster.local.
_http._tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
web.default.svc.cluster.local. 30 IN A 10.96.0.11
web.default.svc.cluster.local. 30 IN SRV 0 33 53 web.default.svc.cluster.local.
web.default.svc.cluster.local. 30 IN SRV 0 33 80 web.default.svc.cluster.local.
web.default.svc.cluster.local. 30 IN SRV 0 33 9000 web.default.svc.cluster.local.
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
ip netns exec netlab.deployment.coredns-7b5fc74fc-896cd setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-896cd.log" 2>&1 </dev/null
ip netns exec netlab.deployment.coredns-7b5fc74fc-896cd sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf"
ip netns exec netlab.deployment.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.deployment.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1687187300 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-2.default.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.web.default.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-3.default.pod.cluster.local. 30 IN A 10.244.0.3
10-244-0-3.web.default.svc.cluster.local. 30 IN A 10.244.0.3
10-244-0-4.default.pod.cluster.local. 30 IN A 10.244.0.4
10-244-0-5.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.5
10-244-0-5.kube-system.pod.cluster.local. 30 IN A 10.244.0.5
10-244-1-2.default.pod.cluster.local. 30 IN A 10.244.1.2
10-244-1-2.web.default.svc.cluster.local. 30 IN A 10.244.1.2
10-244-1-3.default.pod.cluster.local. 30 IN A 10.244.1.3
10-244-1-3.web.default.svc.cluster.local. 30 IN A 10.244.1.3
10-244-1-4.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.1.4
10-244-1-4.kube-system.pod.cluster.local. 30 IN A 10.244.1.4
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
11.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.web.default.svc.cluster.local.
2.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-2.web.default.svc.cluster.local.
3.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-3.web.default.svc.cluster.local.
3.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-3.web.default.svc.cluster.local.
4.1.244.10.in-addr.arpa. 30 IN PTR 10-244-1-4.kube-dns.kube-system.svc.cluster.local.
5.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-5.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.web.default.svc.cluster.local. 30 IN SRV 0 100 53 web.default.svc.cluster.local.
_hold._tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 9000 web.default.svc.cluster.local.
_http._tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 80 web.default.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
web.default.svc.cluster.local. 30 IN A 10.96.0.11
web.default.svc.cluster.local. 30 IN SRV 0 33 53 web.default.svc.cluster.local.
web.default.svc.cluster.local. 30 IN SRV 0 33 80 web.default.svc.cluster.local.
web.default.svc.cluster.local. 30 IN SRV 0 33 9000 web.default.svc.cluster.local.
EOF
mkdir -p "/etc/netns/netlab.deployment.node1" && cat > "/etc/netns/netlab.deployment.node1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.deployment.node2" && cat > "/etc/netns/netlab.deployment.node2/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.deployment.ns1" && cat > "/etc/netns/netlab.deployment.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.deployment.web-545599c9dd-rf9db" && cat > "/etc/netns/netlab.deployment.web-545599c9dd-rf9db/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.deployment.web-545599c9dd-78npk" && cat > "/etc/netns/netlab.deployment.web-545599c9dd-78npk/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.deployment.web-545599c9dd-7g4wb" && cat > "/etc/netns/netlab.deployment.web-545599c9dd-7g4wb/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.deployment.web-545599c9dd-ph4zw" && cat > "/etc/netns/netlab.deployment.web-545599c9dd-ph4zw/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.deployment.client" && cat > "/etc/netns/netlab.deployment.client/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.deployment.coredns-7b5fc74fc-gmtxp" && cat > "/etc/netns/netlab.deployment.coredns-7b5fc74fc-gmtxp/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.deployment.coredns-7b5fc74fc-896cd" && cat > "/etc/netns/netlab.deployment.coredns-7b5fc74fc-896cd/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF

# node node1: kube-proxy (iptables mode) programs 2 services
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
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-LASJGFFJP3UOS6RQ - [0:0]
:KUBE-SEP-5BME6LXGYWTVD5D3 - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-LPGSDLJ3FDW46N4W - [0:0]
:KUBE-SEP-222YD7DQOUNKFRLL - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-FVQSBIWR5JTECIVC - [0:0]
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
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns cluster IP" -m udp -p udp -d 10.96.0.11 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
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
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
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
-A KUBE-SERVICES -m comment --comment "default/web:hold cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 9000 -j KUBE-SVC-BMVAO25PBZVXAPGL
-A KUBE-SVC-BMVAO25PBZVXAPGL -m comment --comment "default/web:hold cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 9000 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
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
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.5:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LASJGFFJP3UOS6RQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.1.4:53" -j KUBE-SEP-5BME6LXGYWTVD5D3
-A KUBE-SEP-LASJGFFJP3UOS6RQ -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-LASJGFFJP3UOS6RQ -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:53
-A KUBE-SEP-5BME6LXGYWTVD5D3 -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-5BME6LXGYWTVD5D3 -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.5:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LPGSDLJ3FDW46N4W
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.4:53" -j KUBE-SEP-222YD7DQOUNKFRLL
-A KUBE-SEP-LPGSDLJ3FDW46N4W -m comment --comment kube-system/kube-dns:dns -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-LPGSDLJ3FDW46N4W -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.5:53
-A KUBE-SEP-222YD7DQOUNKFRLL -m comment --comment kube-system/kube-dns:dns -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-222YD7DQOUNKFRLL -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.1.4:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.5:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-FVQSBIWR5JTECIVC
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.1.4:9153" -j KUBE-SEP-NG3JZDJDUTWZSDOR
-A KUBE-SEP-FVQSBIWR5JTECIVC -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-FVQSBIWR5JTECIVC -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:9153
-A KUBE-SEP-NG3JZDJDUTWZSDOR -m comment --comment kube-system/kube-dns:metrics -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-NG3JZDJDUTWZSDOR -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:9153
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node2: kube-proxy (iptables mode) programs 2 services
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
:KUBE-SVC-ERIFXISQEP7F7OF4 - [0:0]
:KUBE-SEP-LASJGFFJP3UOS6RQ - [0:0]
:KUBE-SEP-5BME6LXGYWTVD5D3 - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-LPGSDLJ3FDW46N4W - [0:0]
:KUBE-SEP-222YD7DQOUNKFRLL - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-FVQSBIWR5JTECIVC - [0:0]
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
-A KUBE-SVC-3OI236ZBKTWAFB2I -m comment --comment "default/web:dns cluster IP" -m udp -p udp -d 10.96.0.11 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
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
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
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
-A KUBE-SERVICES -m comment --comment "default/web:hold cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 9000 -j KUBE-SVC-BMVAO25PBZVXAPGL
-A KUBE-SVC-BMVAO25PBZVXAPGL -m comment --comment "default/web:hold cluster IP" -m tcp -p tcp -d 10.96.0.11 --dport 9000 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
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
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.5:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LASJGFFJP3UOS6RQ
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.1.4:53" -j KUBE-SEP-5BME6LXGYWTVD5D3
-A KUBE-SEP-LASJGFFJP3UOS6RQ -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-LASJGFFJP3UOS6RQ -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:53
-A KUBE-SEP-5BME6LXGYWTVD5D3 -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-5BME6LXGYWTVD5D3 -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.5:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-LPGSDLJ3FDW46N4W
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.4:53" -j KUBE-SEP-222YD7DQOUNKFRLL
-A KUBE-SEP-LPGSDLJ3FDW46N4W -m comment --comment kube-system/kube-dns:dns -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-LPGSDLJ3FDW46N4W -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.5:53
-A KUBE-SEP-222YD7DQOUNKFRLL -m comment --comment kube-system/kube-dns:dns -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-222YD7DQOUNKFRLL -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.1.4:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.5:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-FVQSBIWR5JTECIVC
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.1.4:9153" -j KUBE-SEP-NG3JZDJDUTWZSDOR
-A KUBE-SEP-FVQSBIWR5JTECIVC -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-FVQSBIWR5JTECIVC -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.5:9153
-A KUBE-SEP-NG3JZDJDUTWZSDOR -m comment --comment kube-system/kube-dns:metrics -s 10.244.1.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-NG3JZDJDUTWZSDOR -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.1.4:9153
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

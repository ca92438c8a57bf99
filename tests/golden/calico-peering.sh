#!/usr/bin/env bash
# netlab plan for lab calico-peering: the exact commands `netlab up` performs (through netlink), in order.
# Run it as root on a machine where the lab is not up; tear it down with `netlab down calico-peering`.
set -euo pipefail
NETLAB_PYTHON=${NETLAB_PYTHON:-python3}
NETLAB_STATE=${NETLAB_STATE:-/run/netlab/calico-peering}
mkdir -p "$NETLAB_STATE/logs"

# underlay: the switch every node is plugged into (192.168.56.0/24)
ip netns add netlab.calico-peering.underlay
ip -n netlab.calico-peering.underlay link add br0 address 72:2a:6f:5a:c3:82 mtu 1500 type bridge
ip -n netlab.calico-peering.underlay link set dev br0 alias netlab:calico-peering up

# internet: a router between the underlay and the internet hosts (203.0.113.0/24)
ip netns add netlab.calico-peering.internet
ip -n netlab.calico-peering.underlay link add internet mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.calico-peering.internet
ip -n netlab.calico-peering.underlay link set dev internet master br0 alias netlab:calico-peering up
ip -n netlab.calico-peering.internet link set dev lo up
ip -n netlab.calico-peering.internet addr add 192.168.56.1/24 dev eth0
ip -n netlab.calico-peering.internet link set dev eth0 alias netlab:calico-peering up
ip -n netlab.calico-peering.internet link add br0 address 5e:cd:0a:72:bf:23 mtu 1500 type bridge
ip -n netlab.calico-peering.internet addr add 203.0.113.1/24 dev br0
ip -n netlab.calico-peering.internet link set dev br0 alias netlab:calico-peering up
ip netns exec netlab.calico-peering.internet sysctl -qw net.ipv4.ip_forward=1

# internet host web
ip netns add netlab.calico-peering.web
ip -n netlab.calico-peering.internet link add web mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.calico-peering.web
ip -n netlab.calico-peering.internet link set dev web master br0 alias netlab:calico-peering up
ip -n netlab.calico-peering.web link set dev lo up
ip -n netlab.calico-peering.web addr add 203.0.113.10/24 dev eth0
ip -n netlab.calico-peering.web link set dev eth0 alias netlab:calico-peering up
ip -n netlab.calico-peering.web route add default via 203.0.113.1 dev eth0

# internet host ns1
ip netns add netlab.calico-peering.ns1
ip -n netlab.calico-peering.internet link add ns1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.calico-peering.ns1
ip -n netlab.calico-peering.internet link set dev ns1 master br0 alias netlab:calico-peering up
ip -n netlab.calico-peering.ns1 link set dev lo up
ip -n netlab.calico-peering.ns1 addr add 203.0.113.53/24 dev eth0
ip -n netlab.calico-peering.ns1 link set dev eth0 alias netlab:calico-peering up
ip -n netlab.calico-peering.ns1 route add default via 203.0.113.1 dev eth0

# node node1: eth0 192.168.56.11 on the underlay, default route via the router
ip netns add netlab.calico-peering.node1
ip -n netlab.calico-peering.underlay link add node1 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.calico-peering.node1
ip -n netlab.calico-peering.underlay link set dev node1 master br0 alias netlab:calico-peering up
ip -n netlab.calico-peering.node1 link set dev lo up
ip -n netlab.calico-peering.node1 addr add 192.168.56.11/24 dev eth0
ip -n netlab.calico-peering.node1 link set dev eth0 alias netlab:calico-peering up
ip -n netlab.calico-peering.node1 route add default via 192.168.56.1 dev eth0

# node node2: eth0 192.168.56.12 on the underlay, default route via the router
ip netns add netlab.calico-peering.node2
ip -n netlab.calico-peering.underlay link add node2 mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.calico-peering.node2
ip -n netlab.calico-peering.underlay link set dev node2 master br0 alias netlab:calico-peering up
ip -n netlab.calico-peering.node2 link set dev lo up
ip -n netlab.calico-peering.node2 addr add 192.168.56.12/24 dev eth0
ip -n netlab.calico-peering.node2 link set dev eth0 alias netlab:calico-peering up
ip -n netlab.calico-peering.node2 route add default via 192.168.56.1 dev eth0

# node node1: felix turns on forwarding
ip netns exec netlab.calico-peering.node1 sysctl -qw net.ipv4.ip_forward=1

# node node2: felix turns on forwarding
ip netns exec netlab.calico-peering.node2 sysctl -qw net.ipv4.ip_forward=1

# pod web1: 10.244.0.0/32 through cali15104693972, routed (no bridge)
ip netns add netlab.calico-peering.web1
ip -n netlab.calico-peering.node1 link add cali15104693972 address ee:ee:ee:ee:ee:ee mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.calico-peering.web1
ip -n netlab.calico-peering.node1 link set dev cali15104693972 alias netlab:calico-peering up
ip -n netlab.calico-peering.web1 link set dev lo up
ip -n netlab.calico-peering.web1 addr add 10.244.0.0/32 dev eth0
ip -n netlab.calico-peering.web1 link set dev eth0 alias netlab:calico-peering up
ip netns exec netlab.calico-peering.node1 sysctl -qw net.ipv4.conf.cali15104693972.route_localnet=1
ip netns exec netlab.calico-peering.node1 sysctl -qw net.ipv4.conf.cali15104693972.proxy_arp=1
ip netns exec netlab.calico-peering.node1 sysctl -qw net.ipv4.neigh.cali15104693972.proxy_delay=0
ip netns exec netlab.calico-peering.node1 sysctl -qw net.ipv4.conf.cali15104693972.forwarding=1
ip -n netlab.calico-peering.web1 route add 169.254.1.1/32 dev eth0
ip -n netlab.calico-peering.web1 route add default via 169.254.1.1 dev eth0
ip -n netlab.calico-peering.node1 route add 10.244.0.0/32 dev cali15104693972 metric 1024

# pod client1: 10.244.0.1/32 through cali58d1121ff1b, routed (no bridge)
ip netns add netlab.calico-peering.client1
ip -n netlab.calico-peering.node1 link add cali58d1121ff1b address ee:ee:ee:ee:ee:ee mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.calico-peering.client1
ip -n netlab.calico-peering.node1 link set dev cali58d1121ff1b alias netlab:calico-peering up
ip -n netlab.calico-peering.client1 link set dev lo up
ip -n netlab.calico-peering.client1 addr add 10.244.0.1/32 dev eth0
ip -n netlab.calico-peering.client1 link set dev eth0 alias netlab:calico-peering up
ip netns exec netlab.calico-peering.node1 sysctl -qw net.ipv4.conf.cali58d1121ff1b.route_localnet=1
ip netns exec netlab.calico-peering.node1 sysctl -qw net.ipv4.conf.cali58d1121ff1b.proxy_arp=1
ip netns exec netlab.calico-peering.node1 sysctl -qw net.ipv4.neigh.cali58d1121ff1b.proxy_delay=0
ip netns exec netlab.calico-peering.node1 sysctl -qw net.ipv4.conf.cali58d1121ff1b.forwarding=1
ip -n netlab.calico-peering.client1 route add 169.254.1.1/32 dev eth0
ip -n netlab.calico-peering.client1 route add default via 169.254.1.1 dev eth0
ip -n netlab.calico-peering.node1 route add 10.244.0.1/32 dev cali58d1121ff1b metric 1024

# pod coredns-7b5fc74fc-gmtxp: 10.244.0.2/32 through calidd72509c9a3, routed (no bridge)
ip netns add netlab.calico-peering.coredns-7b5fc74fc-gmtxp
ip -n netlab.calico-peering.node1 link add calidd72509c9a3 address ee:ee:ee:ee:ee:ee mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.calico-peering.coredns-7b5fc74fc-gmtxp
ip -n netlab.calico-peering.node1 link set dev calidd72509c9a3 alias netlab:calico-peering up
ip -n netlab.calico-peering.coredns-7b5fc74fc-gmtxp link set dev lo up
ip -n netlab.calico-peering.coredns-7b5fc74fc-gmtxp addr add 10.244.0.2/32 dev eth0
ip -n netlab.calico-peering.coredns-7b5fc74fc-gmtxp link set dev eth0 alias netlab:calico-peering up
ip netns exec netlab.calico-peering.node1 sysctl -qw net.ipv4.conf.calidd72509c9a3.route_localnet=1
ip netns exec netlab.calico-peering.node1 sysctl -qw net.ipv4.conf.calidd72509c9a3.proxy_arp=1
ip netns exec netlab.calico-peering.node1 sysctl -qw net.ipv4.neigh.calidd72509c9a3.proxy_delay=0
ip netns exec netlab.calico-peering.node1 sysctl -qw net.ipv4.conf.calidd72509c9a3.forwarding=1
ip -n netlab.calico-peering.coredns-7b5fc74fc-gmtxp route add 169.254.1.1/32 dev eth0
ip -n netlab.calico-peering.coredns-7b5fc74fc-gmtxp route add default via 169.254.1.1 dev eth0
ip -n netlab.calico-peering.node1 route add 10.244.0.2/32 dev calidd72509c9a3 metric 1024

# pod web2: 10.244.0.64/32 through cali4e54bcdb445, routed (no bridge)
ip netns add netlab.calico-peering.web2
ip -n netlab.calico-peering.node2 link add cali4e54bcdb445 address ee:ee:ee:ee:ee:ee mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.calico-peering.web2
ip -n netlab.calico-peering.node2 link set dev cali4e54bcdb445 alias netlab:calico-peering up
ip -n netlab.calico-peering.web2 link set dev lo up
ip -n netlab.calico-peering.web2 addr add 10.244.0.64/32 dev eth0
ip -n netlab.calico-peering.web2 link set dev eth0 alias netlab:calico-peering up
ip netns exec netlab.calico-peering.node2 sysctl -qw net.ipv4.conf.cali4e54bcdb445.route_localnet=1
ip netns exec netlab.calico-peering.node2 sysctl -qw net.ipv4.conf.cali4e54bcdb445.proxy_arp=1
ip netns exec netlab.calico-peering.node2 sysctl -qw net.ipv4.neigh.cali4e54bcdb445.proxy_delay=0
ip netns exec netlab.calico-peering.node2 sysctl -qw net.ipv4.conf.cali4e54bcdb445.forwarding=1
ip -n netlab.calico-peering.web2 route add 169.254.1.1/32 dev eth0
ip -n netlab.calico-peering.web2 route add default via 169.254.1.1 dev eth0
ip -n netlab.calico-peering.node2 route add 10.244.0.64/32 dev cali4e54bcdb445 metric 1024

# pod coredns-7b5fc74fc-896cd: 10.244.0.65/32 through cali42663a47498, routed (no bridge)
ip netns add netlab.calico-peering.coredns-7b5fc74fc-896cd
ip -n netlab.calico-peering.node2 link add cali42663a47498 address ee:ee:ee:ee:ee:ee mtu 1500 type veth peer name eth0 mtu 1500 netns netlab.calico-peering.coredns-7b5fc74fc-896cd
ip -n netlab.calico-peering.node2 link set dev cali42663a47498 alias netlab:calico-peering up
ip -n netlab.calico-peering.coredns-7b5fc74fc-896cd link set dev lo up
ip -n netlab.calico-peering.coredns-7b5fc74fc-896cd addr add 10.244.0.65/32 dev eth0
ip -n netlab.calico-peering.coredns-7b5fc74fc-896cd link set dev eth0 alias netlab:calico-peering up
ip netns exec netlab.calico-peering.node2 sysctl -qw net.ipv4.conf.cali42663a47498.route_localnet=1
ip netns exec netlab.calico-peering.node2 sysctl -qw net.ipv4.conf.cali42663a47498.proxy_arp=1
ip netns exec netlab.calico-peering.node2 sysctl -qw net.ipv4.neigh.cali42663a47498.proxy_delay=0
ip netns exec netlab.calico-peering.node2 sysctl -qw net.ipv4.conf.cali42663a47498.forwarding=1
ip -n netlab.calico-peering.coredns-7b5fc74fc-896cd route add 169.254.1.1/32 dev eth0
ip -n netlab.calico-peering.coredns-7b5fc74fc-896cd route add default via 169.254.1.1 dev eth0
ip -n netlab.calico-peering.node2 route add 10.244.0.65/32 dev cali42663a47498 metric 1024

# node node1: felix's ipsets and chains: cali-FORWARD dispatches to a chain each way per local pod (3), cali-nat-outgoing (empty)
ip netns exec netlab.calico-peering.node1 ipset restore -exist <<'EOF'
create cali40network-ip-pools hash:net family inet hashsize 1024 maxelem 1048576
add cali40network-ip-pools 10.244.0.0/16
EOF
ip netns exec netlab.calico-peering.node1 iptables-restore --noflush <<'EOF'
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
:cali-tw-cali15104693972 - [0:0]
:cali-fw-cali15104693972 - [0:0]
:cali-tw-cali58d1121ff1b - [0:0]
:cali-fw-cali58d1121ff1b - [0:0]
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
-A cali-INPUT -m comment --comment "cali:FewJpBykm9iJ-YNH" --in-interface cali+ --goto cali-wl-to-host
-A cali-INPUT -m comment --comment "cali:hder3ARWznqqv8Va" -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-INPUT -m comment --comment "cali:eyx2leKMZ98ckPa-" --jump MARK --set-mark 0/0x1b0000
-A cali-INPUT -m comment --comment "cali:3x0rc-VDNNJkVu93" --jump cali-from-host-endpoint
-A cali-INPUT -m comment --comment "cali:pARw-KZUlQru4OX0" -m comment --comment "Host endpoint policy accepted packet." -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-OUTPUT -m comment --comment "cali:Mq1_rAdXXH3YkrzW" -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-OUTPUT -m comment --comment "cali:69FkRTJDvD5Vu6Vl" --out-interface cali+ --jump RETURN
-A cali-OUTPUT -m comment --comment "cali:_qC1vc3_sSxJWgRW" --jump MARK --set-mark 0/0x1b0000
-A cali-OUTPUT -m comment --comment "cali:utu2eOH2IZRmlfMX" -m conntrack ! --ctstate DNAT --jump cali-to-host-endpoint
-A cali-OUTPUT -m comment --comment "cali:IL6b-f6R0sfjMo-y" -m comment --comment "Host endpoint policy accepted packet." -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-wl-to-host -m comment --comment "cali:Ee9Sbo10IpVujdIY" --jump cali-from-wl-dispatch
-A cali-wl-to-host -m comment --comment "cali:nSZbcOoG1xPONxb8" -m comment --comment "Configured DefaultEndpointToHostAction" --jump ACCEPT
-A cali-from-wl-dispatch -m comment --comment "cali:lASOFVjUWxGwyEt2" --in-interface cali15104693972 --goto cali-fw-cali15104693972
-A cali-from-wl-dispatch -m comment --comment "cali:SH_PwYSUDCISd79k" --in-interface cali58d1121ff1b --goto cali-fw-cali58d1121ff1b
-A cali-from-wl-dispatch -m comment --comment "cali:k71qLMWxb03yX7RR" --in-interface calidd72509c9a3 --goto cali-fw-calidd72509c9a3
-A cali-from-wl-dispatch -m comment --comment "cali:BbLKMsnrBR931g-q" -m comment --comment "Unknown interface" --jump DROP
-A cali-to-wl-dispatch -m comment --comment "cali:9IiGCRShWUDOU8AV" --out-interface cali15104693972 --goto cali-tw-cali15104693972
-A cali-to-wl-dispatch -m comment --comment "cali:Hh_W58tvbogGyorv" --out-interface cali58d1121ff1b --goto cali-tw-cali58d1121ff1b
-A cali-to-wl-dispatch -m comment --comment "cali:XtJrMG_UI058tB29" --out-interface calidd72509c9a3 --goto cali-tw-calidd72509c9a3
-A cali-to-wl-dispatch -m comment --comment "cali:fxJXfuRz_1M-pmas" -m comment --comment "Unknown interface" --jump DROP
-A cali-tw-cali15104693972 -m comment --comment "cali:fDql08CiS_riFXZ7" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-tw-cali15104693972 -m comment --comment "cali:WwY0XPTyzmkoZ6F1" -m conntrack --ctstate INVALID --jump DROP
-A cali-tw-cali15104693972 -m comment --comment "cali:RJbbU8-QVgMvLcd_" --jump MARK --set-mark 0/0x30000
-A cali-tw-cali15104693972 -m comment --comment "cali:H3r7uwSPyITQChbS" --jump cali-pri-kns.default
-A cali-tw-cali15104693972 -m comment --comment "cali:96PU2V9uciVoDVix" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-cali15104693972 -m comment --comment "cali:EQqB6Njy2k6lpjAc" --jump cali-pri-ksa.default.default
-A cali-tw-cali15104693972 -m comment --comment "cali:eJcBAIFAjNtjMGhK" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-cali15104693972 -m comment --comment "cali:_QXR6G2HZL87O__1" -m comment --comment "Drop if no profiles matched" --jump DROP
-A cali-fw-cali15104693972 -m comment --comment "cali:dy5zKTmIpm0Hj6oX" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-fw-cali15104693972 -m comment --comment "cali:zo8jttLxU1JbIEpT" -m conntrack --ctstate INVALID --jump DROP
-A cali-fw-cali15104693972 -m comment --comment "cali:kzIxQWj8ofbOLcEr" --jump MARK --set-mark 0/0x30000
-A cali-fw-cali15104693972 -m comment --comment "cali:9EH10zMyXa2K9dAo" -m comment --comment "Drop VXLAN encapped packets originating in workloads" -p 17 -m multiport --destination-ports 4789 --jump DROP
-A cali-fw-cali15104693972 -m comment --comment "cali:_v-mIYjBGBcFaeOg" -m comment --comment "Drop IPinIP encapped packets originating in workloads" -p 4 --jump DROP
-A cali-fw-cali15104693972 -m comment --comment "cali:mTPR3HWVP6Igos30" --jump cali-pro-kns.default
-A cali-fw-cali15104693972 -m comment --comment "cali:J67FdUOVbc-PTCg-" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-cali15104693972 -m comment --comment "cali:B4zlTzZcN27xRRDo" --jump cali-pro-ksa.default.default
-A cali-fw-cali15104693972 -m comment --comment "cali:WX78Ji3erBjpTNIQ" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-cali15104693972 -m comment --comment "cali:DzBLjQvy_OxWKgKU" -m comment --comment "Drop if no profiles matched" --jump DROP
-A cali-tw-cali58d1121ff1b -m comment --comment "cali:xLCS5LmgxZMSPRel" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-tw-cali58d1121ff1b -m comment --comment "cali:Hs9CD91kU0eRbaUn" -m conntrack --ctstate INVALID --jump DROP
-A cali-tw-cali58d1121ff1b -m comment --comment "cali:ZiHmVZPDO-mFSOiz" --jump MARK --set-mark 0/0x30000
-A cali-tw-cali58d1121ff1b -m comment --comment "cali:IIjQ-VNQVHNNQ-nJ" --jump cali-pri-kns.default
-A cali-tw-cali58d1121ff1b -m comment --comment "cali:kRLsGBBjiyM6LLXW" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-cali58d1121ff1b -m comment --comment "cali:wUX7il39vhf6GFVn" --jump cali-pri-ksa.default.default
-A cali-tw-cali58d1121ff1b -m comment --comment "cali:N8K8ewM_veftsHcI" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-cali58d1121ff1b -m comment --comment "cali:BDyJurW9MVIsYdyR" -m comment --comment "Drop if no profiles matched" --jump DROP
-A cali-fw-cali58d1121ff1b -m comment --comment "cali:bG-qbNWPxNOkbNZ7" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-fw-cali58d1121ff1b -m comment --comment "cali:Qt98-1jZ44vapb_o" -m conntrack --ctstate INVALID --jump DROP
-A cali-fw-cali58d1121ff1b -m comment --comment "cali:gL4haZbz5YOnQdzW" --jump MARK --set-mark 0/0x30000
-A cali-fw-cali58d1121ff1b -m comment --comment "cali:XkbdEPow8D_0ugSY" -m comment --comment "Drop VXLAN encapped packets originating in workloads" -p 17 -m multiport --destination-ports 4789 --jump DROP
-A cali-fw-cali58d1121ff1b -m comment --comment "cali:xB6tHZDbmYPwSxzq" -m comment --comment "Drop IPinIP encapped packets originating in workloads" -p 4 --jump DROP
-A cali-fw-cali58d1121ff1b -m comment --comment "cali:4ONnd1TS9DFqwCBS" --jump cali-pro-kns.default
-A cali-fw-cali58d1121ff1b -m comment --comment "cali:PhlHlXwTOOUAkGSV" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-cali58d1121ff1b -m comment --comment "cali:TPakAKeUm-TQQ3dv" --jump cali-pro-ksa.default.default
-A cali-fw-cali58d1121ff1b -m comment --comment "cali:nGhnGRIrKnj6HSh-" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-cali58d1121ff1b -m comment --comment "cali:VSSVFfbse8rJYcq2" -m comment --comment "Drop if no profiles matched" --jump DROP
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
COMMIT
EOF

# node node2: felix's ipsets and chains: cali-FORWARD dispatches to a chain each way per local pod (2), cali-nat-outgoing (empty)
ip netns exec netlab.calico-peering.node2 ipset restore -exist <<'EOF'
create cali40network-ip-pools hash:net family inet hashsize 1024 maxelem 1048576
add cali40network-ip-pools 10.244.0.0/16
EOF
ip netns exec netlab.calico-peering.node2 iptables-restore --noflush <<'EOF'
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
:cali-tw-cali4e54bcdb445 - [0:0]
:cali-fw-cali4e54bcdb445 - [0:0]
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
-A cali-INPUT -m comment --comment "cali:FewJpBykm9iJ-YNH" --in-interface cali+ --goto cali-wl-to-host
-A cali-INPUT -m comment --comment "cali:hder3ARWznqqv8Va" -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-INPUT -m comment --comment "cali:eyx2leKMZ98ckPa-" --jump MARK --set-mark 0/0x1b0000
-A cali-INPUT -m comment --comment "cali:3x0rc-VDNNJkVu93" --jump cali-from-host-endpoint
-A cali-INPUT -m comment --comment "cali:pARw-KZUlQru4OX0" -m comment --comment "Host endpoint policy accepted packet." -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-OUTPUT -m comment --comment "cali:Mq1_rAdXXH3YkrzW" -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-OUTPUT -m comment --comment "cali:69FkRTJDvD5Vu6Vl" --out-interface cali+ --jump RETURN
-A cali-OUTPUT -m comment --comment "cali:_qC1vc3_sSxJWgRW" --jump MARK --set-mark 0/0x1b0000
-A cali-OUTPUT -m comment --comment "cali:utu2eOH2IZRmlfMX" -m conntrack ! --ctstate DNAT --jump cali-to-host-endpoint
-A cali-OUTPUT -m comment --comment "cali:IL6b-f6R0sfjMo-y" -m comment --comment "Host endpoint policy accepted packet." -m mark --mark 0x10000/0x10000 --jump ACCEPT
-A cali-wl-to-host -m comment --comment "cali:Ee9Sbo10IpVujdIY" --jump cali-from-wl-dispatch
-A cali-wl-to-host -m comment --comment "cali:nSZbcOoG1xPONxb8" -m comment --comment "Configured DefaultEndpointToHostAction" --jump ACCEPT
-A cali-from-wl-dispatch -m comment --comment "cali:RDpwH570X3ttI_Cw" --in-interface cali42663a47498 --goto cali-fw-cali42663a47498
-A cali-from-wl-dispatch -m comment --comment "cali:xZqC8IOS7xK8FfTY" --in-interface cali4e54bcdb445 --goto cali-fw-cali4e54bcdb445
-A cali-from-wl-dispatch -m comment --comment "cali:KvLeJn7tdloKhX-J" -m comment --comment "Unknown interface" --jump DROP
-A cali-to-wl-dispatch -m comment --comment "cali:WuLzXM27RncVz4XO" --out-interface cali42663a47498 --goto cali-tw-cali42663a47498
-A cali-to-wl-dispatch -m comment --comment "cali:BFUVyoXne8sqCg33" --out-interface cali4e54bcdb445 --goto cali-tw-cali4e54bcdb445
-A cali-to-wl-dispatch -m comment --comment "cali:PAHkRrYm-vjZwNwu" -m comment --comment "Unknown interface" --jump DROP
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
-A cali-tw-cali4e54bcdb445 -m comment --comment "cali:QxTGvmkO9mWs8Myc" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-tw-cali4e54bcdb445 -m comment --comment "cali:XlpvKQQaSzweVpbP" -m conntrack --ctstate INVALID --jump DROP
-A cali-tw-cali4e54bcdb445 -m comment --comment "cali:YKeav6JEIQRg7VSY" --jump MARK --set-mark 0/0x30000
-A cali-tw-cali4e54bcdb445 -m comment --comment "cali:eIfxC66IPF8dR5vS" --jump cali-pri-kns.default
-A cali-tw-cali4e54bcdb445 -m comment --comment "cali:CXHkvZbsAI-36gOK" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-cali4e54bcdb445 -m comment --comment "cali:ANZeh28TSWmJywUF" --jump cali-pri-ksa.default.default
-A cali-tw-cali4e54bcdb445 -m comment --comment "cali:HnipgRc1CtuZDD9i" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-tw-cali4e54bcdb445 -m comment --comment "cali:Z5ceGU4THDRl-gIL" -m comment --comment "Drop if no profiles matched" --jump DROP
-A cali-fw-cali4e54bcdb445 -m comment --comment "cali:64_IztcLinHfb7NY" -m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT
-A cali-fw-cali4e54bcdb445 -m comment --comment "cali:dWS1imVasX6HPmaR" -m conntrack --ctstate INVALID --jump DROP
-A cali-fw-cali4e54bcdb445 -m comment --comment "cali:-YO_yYTJgL1Bf-q8" --jump MARK --set-mark 0/0x30000
-A cali-fw-cali4e54bcdb445 -m comment --comment "cali:nQDE8DUiEPck672Y" -m comment --comment "Drop VXLAN encapped packets originating in workloads" -p 17 -m multiport --destination-ports 4789 --jump DROP
-A cali-fw-cali4e54bcdb445 -m comment --comment "cali:yfMLNmdfHtrR7cKs" -m comment --comment "Drop IPinIP encapped packets originating in workloads" -p 4 --jump DROP
-A cali-fw-cali4e54bcdb445 -m comment --comment "cali:da7Nu_J1tyuaOXw-" --jump cali-pro-kns.default
-A cali-fw-cali4e54bcdb445 -m comment --comment "cali:LRoLOmLYONYP6B_q" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-cali4e54bcdb445 -m comment --comment "cali:H_vRK6ibvoR2OujA" --jump cali-pro-ksa.default.default
-A cali-fw-cali4e54bcdb445 -m comment --comment "cali:KI7Lr9g1uh9aJDas" -m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 --jump RETURN
-A cali-fw-cali4e54bcdb445 -m comment --comment "cali:Wa5tlGLYEDOjl6lV" -m comment --comment "Drop if no profiles matched" --jump DROP
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
protocol bgp Global_192_168_56_1 from bgp_template {
  neighbor 192.168.56.1 as 64500;
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
    calico_export_to_bgp_peers(false);
    reject;
  };  # Only want to export routes for workloads.
  next hop keep;
}
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
  if (net ~ 10.244.0.0/16) then { accept; }
  accept;
}
EOF
ip netns exec netlab.calico-peering.node1 setsid -f bird -R -s "$NETLAB_STATE/calico/node1/bird.ctl" -d -c "$NETLAB_STATE/calico/node1/bird.cfg" >"$NETLAB_STATE/logs/bird-node1.log" 2>&1 </dev/null

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
protocol bgp Global_192_168_56_1 from bgp_template {
  neighbor 192.168.56.1 as 64500;
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
    calico_export_to_bgp_peers(false);
    reject;
  };  # Only want to export routes for workloads.
  next hop keep;
}
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
  if (net ~ 10.244.0.0/16) then { accept; }
  accept;
}
EOF
ip netns exec netlab.calico-peering.node2 setsid -f bird -R -s "$NETLAB_STATE/calico/node2/bird.ctl" -d -c "$NETLAB_STATE/calico/node2/bird.cfg" >"$NETLAB_STATE/logs/bird-node2.log" 2>&1 </dev/null

# internet: FRR speaks BGP (AS 64500) with node1, node2
mkdir -p "$NETLAB_STATE/frr" && cat > "$NETLAB_STATE/frr/zebra.conf" <<'EOF'
hostname internet
log stdout informational
!
EOF
chown frr:frr "$NETLAB_STATE/frr"
ip netns exec netlab.calico-peering.internet setsid -f /usr/lib/frr/zebra -u frr -g frr --vty_socket "$NETLAB_STATE/frr" -z "$NETLAB_STATE/frr/zserv.api" -P 0 -i "$NETLAB_STATE/frr/zebra.pid" -f "$NETLAB_STATE/frr/zebra.conf" >"$NETLAB_STATE/logs/frr-zebra.log" 2>&1 </dev/null
mkdir -p "$NETLAB_STATE/frr" && cat > "$NETLAB_STATE/frr/bgpd.conf" <<'EOF'
frr defaults traditional
hostname internet
log stdout informational
!
router bgp 64500
 bgp router-id 192.168.56.1
 no bgp ebgp-requires-policy
 neighbor 192.168.56.11 remote-as 64512
 neighbor 192.168.56.11 description node1
 neighbor 192.168.56.12 remote-as 64512
 neighbor 192.168.56.12 description node2
!
EOF
chown frr:frr "$NETLAB_STATE/frr"
ip netns exec netlab.calico-peering.internet setsid -f /usr/lib/frr/bgpd -u frr -g frr --vty_socket "$NETLAB_STATE/frr" -z "$NETLAB_STATE/frr/zserv.api" -P 0 -i "$NETLAB_STATE/frr/bgpd.pid" -f "$NETLAB_STATE/frr/bgpd.conf" >"$NETLAB_STATE/logs/frr-bgpd.log" 2>&1 </dev/null

# node node1: BGP sessions Established: Global_192_168_56_1, Mesh_192_168_56_12
ip netns exec netlab.calico-peering.node1 sh -c 'until [ "$(birdc -s "$0" show protocols | grep -c -e '"'"'^Global_192_168_56_1 .*Established'"'"' -e '"'"'^Mesh_192_168_56_12 .*Established'"'"')" = 2 ]; do sleep 0.2; done' "$NETLAB_STATE/calico/node1/bird.ctl"

# node node1: the routes BIRD installs
ip netns exec netlab.calico-peering.node1 sh -c 'until [ -n "$(ip -n netlab.calico-peering.node1 route show exact 10.244.0.0/26 proto bird)" ]; do sleep 0.1; done'   # bird-node1 installs it: blackhole 10.244.0.0/26 proto bird
ip netns exec netlab.calico-peering.node1 sh -c 'until [ -n "$(ip -n netlab.calico-peering.node1 route show exact 10.244.0.64/26 proto bird)" ]; do sleep 0.1; done'   # bird-node1 installs it: 10.244.0.64/26 via 192.168.56.12 dev eth0 proto bird metric 1024

# node node2: BGP sessions Established: Global_192_168_56_1, Mesh_192_168_56_11
ip netns exec netlab.calico-peering.node2 sh -c 'until [ "$(birdc -s "$0" show protocols | grep -c -e '"'"'^Global_192_168_56_1 .*Established'"'"' -e '"'"'^Mesh_192_168_56_11 .*Established'"'"')" = 2 ]; do sleep 0.2; done' "$NETLAB_STATE/calico/node2/bird.ctl"

# node node2: the routes BIRD installs
ip netns exec netlab.calico-peering.node2 sh -c 'until [ -n "$(ip -n netlab.calico-peering.node2 route show exact 10.244.0.64/26 proto bird)" ]; do sleep 0.1; done'   # bird-node2 installs it: blackhole 10.244.0.64/26 proto bird
ip netns exec netlab.calico-peering.node2 sh -c 'until [ -n "$(ip -n netlab.calico-peering.node2 route show exact 10.244.0.0/26 proto bird)" ]; do sleep 0.1; done'   # bird-node2 installs it: 10.244.0.0/26 via 192.168.56.11 dev eth0 proto bird metric 1024
ip netns exec netlab.calico-peering.internet sh -c 'until [ "$(vtysh --vty_socket "$0" -c "show bgp summary json" | grep -c '"'"'"state":"Established"'"'"')" = 2 ]; do sleep 0.2; done' "$NETLAB_STATE/frr"

# internet: the routes to the pod blocks zebra installs, from what bgpd learnt
ip netns exec netlab.calico-peering.internet sh -c 'until [ -n "$(ip -n netlab.calico-peering.internet route show exact 10.244.0.0/26 proto bgp)" ]; do sleep 0.1; done'   # frr-bgpd installs it: 10.244.0.0/26 via 192.168.56.11 dev eth0 proto bgp metric 20
ip netns exec netlab.calico-peering.internet sh -c 'until [ -n "$(ip -n netlab.calico-peering.internet route show exact 10.244.0.64/26 proto bgp)" ]; do sleep 0.1; done'   # frr-bgpd installs it: 10.244.0.64/26 via 192.168.56.12 dev eth0 proto bgp metric 20

# workloads: the echo server answers with its name and the client address it saw
ip netns exec netlab.calico-peering.web1 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web1 --http 80 >"$NETLAB_STATE/logs/echo-web1.log" 2>&1 </dev/null
ip netns exec netlab.calico-peering.web2 setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web2 --http 80 >"$NETLAB_STATE/logs/echo-web2.log" 2>&1 </dev/null
ip netns exec netlab.calico-peering.web setsid -f "$NETLAB_PYTHON" -m netlab.workloads.echo --name web --http 80 >"$NETLAB_STATE/logs/echo-web.log" 2>&1 </dev/null

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
ip netns exec netlab.calico-peering.ns1 setsid -f unbound -d -p -c "$NETLAB_STATE/dns/ns1/unbound.conf" >"$NETLAB_STATE/logs/dns-ns1.log" 2>&1 </dev/null
ip netns exec netlab.calico-peering.ns1 sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/ns1/unbound.conf"
ip netns exec netlab.calico-peering.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_zones <<'EOF'
. static
113.0.203.in-addr.arpa. static
example.com. static
EOF
ip netns exec netlab.calico-peering.ns1 unbound-control -c "$NETLAB_STATE/dns/ns1/unbound.conf" local_datas <<'EOF'
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
ip netns exec netlab.calico-peering.coredns-7b5fc74fc-gmtxp setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-gmtxp.log" 2>&1 </dev/null
ip netns exec netlab.calico-peering.coredns-7b5fc74fc-gmtxp sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf"
ip netns exec netlab.calico-peering.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.calico-peering.coredns-7b5fc74fc-gmtxp unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-gmtxp/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 4217186943 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-0.default.pod.cluster.local. 30 IN A 10.244.0.0
10-244-0-1.default.pod.cluster.local. 30 IN A 10.244.0.1
10-244-0-2.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.kube-system.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-64.default.pod.cluster.local. 30 IN A 10.244.0.64
10-244-0-65.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.65
10-244-0-65.kube-system.pod.cluster.local. 30 IN A 10.244.0.65
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.kube-dns.kube-system.svc.cluster.local.
65.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-65.kube-dns.kube-system.svc.cluster.local.
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
ip netns exec netlab.calico-peering.coredns-7b5fc74fc-896cd setsid -f unbound -d -p -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" >"$NETLAB_STATE/logs/dns-coredns-7b5fc74fc-896cd.log" 2>&1 </dev/null
ip netns exec netlab.calico-peering.coredns-7b5fc74fc-896cd sh -c 'until unbound-control -c "$0" status >/dev/null 2>&1; do sleep 0.1; done' "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf"
ip netns exec netlab.calico-peering.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_zones <<'EOF'
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
ip netns exec netlab.calico-peering.coredns-7b5fc74fc-896cd unbound-control -c "$NETLAB_STATE/dns/coredns-7b5fc74fc-896cd/unbound.conf" local_datas <<'EOF'
cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 4217186943 7200 1800 86400 30
cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.
10-244-0-0.default.pod.cluster.local. 30 IN A 10.244.0.0
10-244-0-1.default.pod.cluster.local. 30 IN A 10.244.0.1
10-244-0-2.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.2
10-244-0-2.kube-system.pod.cluster.local. 30 IN A 10.244.0.2
10-244-0-64.default.pod.cluster.local. 30 IN A 10.244.0.64
10-244-0-65.kube-dns.kube-system.svc.cluster.local. 30 IN A 10.244.0.65
10-244-0-65.kube-system.pod.cluster.local. 30 IN A 10.244.0.65
10.0.96.10.in-addr.arpa. 30 IN PTR kube-dns.kube-system.svc.cluster.local.
2.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-2.kube-dns.kube-system.svc.cluster.local.
65.0.244.10.in-addr.arpa. 30 IN PTR 10-244-0-65.kube-dns.kube-system.svc.cluster.local.
_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_dns._udp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.
_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.
dns-version.cluster.local. 28800 IN TXT "1.1.0"
kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.
kube-dns.kube-system.svc.cluster.local. 30 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.
ns.dns.cluster.local. 30 IN A 10.96.0.10
EOF
mkdir -p "/etc/netns/netlab.calico-peering.node1" && cat > "/etc/netns/netlab.calico-peering.node1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.calico-peering.node2" && cat > "/etc/netns/netlab.calico-peering.node2/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.calico-peering.web" && cat > "/etc/netns/netlab.calico-peering.web/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.calico-peering.ns1" && cat > "/etc/netns/netlab.calico-peering.ns1/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.calico-peering.web1" && cat > "/etc/netns/netlab.calico-peering.web1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.calico-peering.web2" && cat > "/etc/netns/netlab.calico-peering.web2/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.calico-peering.client1" && cat > "/etc/netns/netlab.calico-peering.client1/resolv.conf" <<'EOF'
search default.svc.cluster.local svc.cluster.local cluster.local
nameserver 10.96.0.10
options ndots:5
EOF
mkdir -p "/etc/netns/netlab.calico-peering.coredns-7b5fc74fc-gmtxp" && cat > "/etc/netns/netlab.calico-peering.coredns-7b5fc74fc-gmtxp/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF
mkdir -p "/etc/netns/netlab.calico-peering.coredns-7b5fc74fc-896cd" && cat > "/etc/netns/netlab.calico-peering.coredns-7b5fc74fc-896cd/resolv.conf" <<'EOF'
nameserver 203.0.113.53
EOF

# node node1: kube-proxy (iptables mode) programs 1 services
ip netns exec netlab.calico-peering.node1 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.calico-peering.node1 iptables-restore --noflush <<'EOF'
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
:KUBE-SEP-IT2ZTR26TO4XFPTO - [0:0]
:KUBE-SEP-QIDMOB36OGPAKVCN - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-YIL6JZP7A3QYXJU2 - [0:0]
:KUBE-SEP-OXLH62QCC2B7AA2Z - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-N4G2XR5TDX7PQE7P - [0:0]
:KUBE-SEP-K5VHDJI3NY7RQ3AU - [0:0]
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
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.2:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-IT2ZTR26TO4XFPTO
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.65:53" -j KUBE-SEP-QIDMOB36OGPAKVCN
-A KUBE-SEP-IT2ZTR26TO4XFPTO -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-IT2ZTR26TO4XFPTO -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:53
-A KUBE-SEP-QIDMOB36OGPAKVCN -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.65 -j KUBE-MARK-MASQ
-A KUBE-SEP-QIDMOB36OGPAKVCN -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.65:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.2:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-YIL6JZP7A3QYXJU2
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.65:53" -j KUBE-SEP-OXLH62QCC2B7AA2Z
-A KUBE-SEP-YIL6JZP7A3QYXJU2 -m comment --comment kube-system/kube-dns:dns -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-YIL6JZP7A3QYXJU2 -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.2:53
-A KUBE-SEP-OXLH62QCC2B7AA2Z -m comment --comment kube-system/kube-dns:dns -s 10.244.0.65 -j KUBE-MARK-MASQ
-A KUBE-SEP-OXLH62QCC2B7AA2Z -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.65:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.2:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-N4G2XR5TDX7PQE7P
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.65:9153" -j KUBE-SEP-K5VHDJI3NY7RQ3AU
-A KUBE-SEP-N4G2XR5TDX7PQE7P -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-N4G2XR5TDX7PQE7P -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:9153
-A KUBE-SEP-K5VHDJI3NY7RQ3AU -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.65 -j KUBE-MARK-MASQ
-A KUBE-SEP-K5VHDJI3NY7RQ3AU -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.65:9153
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node2: kube-proxy (iptables mode) programs 1 services
ip netns exec netlab.calico-peering.node2 sysctl -qw net.ipv4.conf.all.route_localnet=1
ip netns exec netlab.calico-peering.node2 iptables-restore --noflush <<'EOF'
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
:KUBE-SEP-IT2ZTR26TO4XFPTO - [0:0]
:KUBE-SEP-QIDMOB36OGPAKVCN - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-YIL6JZP7A3QYXJU2 - [0:0]
:KUBE-SEP-OXLH62QCC2B7AA2Z - [0:0]
:KUBE-SVC-JD5MR3NA4I4DYORP - [0:0]
:KUBE-SEP-N4G2XR5TDX7PQE7P - [0:0]
:KUBE-SEP-K5VHDJI3NY7RQ3AU - [0:0]
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
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.2:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-IT2ZTR26TO4XFPTO
-A KUBE-SVC-ERIFXISQEP7F7OF4 -m comment --comment "kube-system/kube-dns:dns-tcp -> 10.244.0.65:53" -j KUBE-SEP-QIDMOB36OGPAKVCN
-A KUBE-SEP-IT2ZTR26TO4XFPTO -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-IT2ZTR26TO4XFPTO -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:53
-A KUBE-SEP-QIDMOB36OGPAKVCN -m comment --comment kube-system/kube-dns:dns-tcp -s 10.244.0.65 -j KUBE-MARK-MASQ
-A KUBE-SEP-QIDMOB36OGPAKVCN -m comment --comment kube-system/kube-dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.244.0.65:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.2:53" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-YIL6JZP7A3QYXJU2
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.0.65:53" -j KUBE-SEP-OXLH62QCC2B7AA2Z
-A KUBE-SEP-YIL6JZP7A3QYXJU2 -m comment --comment kube-system/kube-dns:dns -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-YIL6JZP7A3QYXJU2 -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.2:53
-A KUBE-SEP-OXLH62QCC2B7AA2Z -m comment --comment kube-system/kube-dns:dns -s 10.244.0.65 -j KUBE-MARK-MASQ
-A KUBE-SEP-OXLH62QCC2B7AA2Z -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.0.65:53
-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 9153 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.2:9153" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-N4G2XR5TDX7PQE7P
-A KUBE-SVC-JD5MR3NA4I4DYORP -m comment --comment "kube-system/kube-dns:metrics -> 10.244.0.65:9153" -j KUBE-SEP-K5VHDJI3NY7RQ3AU
-A KUBE-SEP-N4G2XR5TDX7PQE7P -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-N4G2XR5TDX7PQE7P -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.2:9153
-A KUBE-SEP-K5VHDJI3NY7RQ3AU -m comment --comment kube-system/kube-dns:metrics -s 10.244.0.65 -j KUBE-MARK-MASQ
-A KUBE-SEP-K5VHDJI3NY7RQ3AU -m comment --comment kube-system/kube-dns:metrics -m tcp -p tcp -j DNAT --to-destination 10.244.0.65:9153
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
EOF

# node node1: felix hooks its chains in first (INPUT, FORWARD, OUTPUT, nat)
ip netns exec netlab.calico-peering.node1 iptables-restore --noflush <<'EOF'
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
ip netns exec netlab.calico-peering.node2 iptables-restore --noflush <<'EOF'
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

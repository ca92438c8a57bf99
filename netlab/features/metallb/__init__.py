"""MetalLB: addresses for LoadBalancer Services on a cluster without a cloud.

model.py and schema.py read `cluster.loadBalancer:` (the IPAddressPool and the mode); controller.py is MetalLB's
controller, which gives each LoadBalancer Service an address from the pool (its status.loadBalancer.ingress).
The speakers make the outside send the address's packets to a node, where kube-proxy's "loadbalancer IP" rules
take them on:
  layer2.py  every node runs a speaker (netlab/workloads/metallb_speaker.py); the node MetalLB's election picks
             answers ARP for the address, which is on no interface;
  bgp.py     every node runs FRR's bgpd with the configuration MetalLB's FRR mode renders, announcing the address
             to the internet router, which routes it over all of them (ECMP).

MetalLB itself is not installable here (no Debian or PyPI package, and it needs the Kubernetes API): netlab does
what its controller and speakers decide and put on the wire — the layer 2 speaker's ARP replies, gratuitous ARP and
sha256 election, and in BGP mode the real FRR MetalLB drives — and the docs say so (docs/loadbalancer.md).
"""

"""MetalLB: addresses for LoadBalancer Services on a cluster without a cloud.

model.py and schema.py read `cluster.loadBalancer:` (the IPAddressPool and the mode); controller.py is MetalLB's
controller, which gives each LoadBalancer Service an address from the pool (its status.loadBalancer.ingress);
speakers.py starts the speakers. In layer 2 mode every node runs one (netlab/workloads/metallb_speaker.py):
the node MetalLB's election picks answers ARP for the address, and kube-proxy's "loadbalancer IP" rules on that
node take the packets from there.

MetalLB itself is not installable here (no Debian or PyPI package, and it needs the Kubernetes API): netlab's
speaker does what its layer 2 speaker does on the wire (ARP replies, gratuitous ARP on takeover, the sha256
election), and the docs say so (docs/loadbalancer.md).
"""

"""CNI modes: one module per way of wiring pods, each with `compile_pod_network(topology)`."""

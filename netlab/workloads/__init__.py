"""Built-in workloads that netlab runs inside lab namespaces."""

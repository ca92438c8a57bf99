"""netlab: Docker and Kubernetes data paths built for real in network namespaces, and traced."""

__version__ = "0.1.0"

"""Ingress: HTTP routing by host and path into the cluster, by an ingress controller — ingress-nginx.

model.py and schema.py read `ingresses:` (Ingress objects) and `cluster.ingress:` (the controller);
controller.py is ingress-nginx's controller: it adds its Deployment and Service to the cluster, checks the
Ingresses, and turns them into nginx's servers, locations and upstreams; nginx.py renders nginx.conf as
ingress-nginx's template does and runs Debian's nginx in each controller pod.

The controller is the home-made part (Ingress objects to nginx.conf, which is what ingress-nginx's Go code
does); the proxy is the real one, nginx. docs/ingress.md says where they differ.
"""

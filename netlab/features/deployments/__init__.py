"""Deployments: a pod entry with `replicas:` is a Deployment — its pods named and spread as Kubernetes does,
scaled by `apply`, and rolled out stage by stage when its pod template changes."""

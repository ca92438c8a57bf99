"""Each kind of object netlab reads, turned into an entry of the lab's own keys.

    Namespace              → namespaces:        {name, labels}
    Pod                    → pods:              {name, namespace, labels, serve, node, nodeSelector, …}
    Deployment             → pods:              the same, with replicas, version and strategy (features/deployments)
    StatefulSet, DaemonSet,
    ReplicaSet             → pods:              the same, with their kind (and a StatefulSet's serviceName)
    Service                → services:          its spec, as it is
    NetworkPolicy, Ingress → networkPolicies:, ingresses:   their spec, as it is
    Endpoints, EndpointSlice → endpoints:       for a Service without a selector (a slice: its ready addresses)

What a container serves is its `ports` (containerPort, name, protocol): UDP is answered as UDP; TCP as HTTP when
the port is named http (or http-…, or web) or is 80 or 8080, else as plain TCP. The pod annotation
`netlab/serve: "tcp:8080,udp:9000"` says it where the port alone does not, and may add ports a container listens on
without declaring them (declaring is informational in Kubernetes too). A Deployment's template version — what its
echo servers report, and what makes a new ReplicaSet when it changes — is its containers' image tags:
`nginx:1.14.2` → 1.14.2, so `image: nginx:1.16.1` rolls it as on a cluster (an image without a tag marks none).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from netlab.features.netpol import schema as netpol_schema
from netlab.topology.manifests.api import NO_NOTES, Notes, ObjectDocument, annotation, check_name, fields, metadata
from netlab.topology.reader import Path, Reader
from netlab.topology.yaml_source import YamlPath

SERVE_ANNOTATION = "netlab/serve"
HTTP_PORTS = (80, 8080)
LEFT_OUT_KINDS = {  # kinds with no network state of their own: read past, and said once
    kind: "no network state; netlab leaves it out" for kind in (
        "ConfigMap", "Secret", "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding",
        "PersistentVolume", "PersistentVolumeClaim", "StorageClass", "HorizontalPodAutoscaler",
        "PodDisruptionBudget", "LimitRange", "ResourceQuota", "PriorityClass", "IngressClass", "Job", "CronJob")}
API_VERSIONS = {"Namespace": "v1", "Pod": "v1", "Service": "v1", "Deployment": "apps/v1", "StatefulSet": "apps/v1",
                "DaemonSet": "apps/v1", "ReplicaSet": "apps/v1", "NetworkPolicy": "networking.k8s.io/v1",
                "Ingress": "networking.k8s.io/v1", "Endpoints": "v1", "EndpointSlice": "discovery.k8s.io/v1"}
TOP_FIELDS = {"Endpoints": ("subsets",), "EndpointSlice": ("addressType", "endpoints", "ports")}  # no spec
SERVICE_NAME_LABEL = "kubernetes.io/service-name"  # what binds an EndpointSlice to its Service

POD_SPEC = ("containers", "nodeName", "nodeSelector", "hostname", "subdomain", "dnsPolicy", "dnsConfig", "hostNetwork")
POD_SPEC_LEFT_OUT = {
    **dict.fromkeys(("volumes", "restartPolicy", "terminationGracePeriodSeconds", "activeDeadlineSeconds",
                     "serviceAccountName", "serviceAccount", "automountServiceAccountToken", "securityContext",
                     "imagePullSecrets", "schedulerName", "priorityClassName", "priority", "runtimeClassName",
                     "enableServiceLinks", "preemptionPolicy", "overhead", "setHostnameAsFQDN", "os", "hostPID",
                     "hostIPC", "shareProcessNamespace", "readinessGates", "schedulingGates", "resourceClaims",
                     "resources", "hostUsers", "ephemeralContainers"), "not modelled: no network state"),
    "initContainers": "not run: netlab starts the pod's containers at once",
    "hostAliases": "not written to the pod's /etc/hosts",
    **dict.fromkeys(("affinity", "tolerations", "topologySpreadConstraints"),
                    "netlab places pods by nodeName and nodeSelector only"),
}
CONTAINER = ("name", "image", "ports")
CONTAINER_LEFT_OUT = {
    **dict.fromkeys(("command", "args", "workingDir", "env", "envFrom", "volumeMounts", "volumeDevices",
                     "lifecycle", "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy",
                     "securityContext", "stdin", "stdinOnce", "tty", "resizePolicy", "restartPolicy"),
                    "not modelled: netlab runs its echo server in every container's place"),
    "resources": "not modelled: no limits on netlab's echo servers",
    **dict.fromkeys(("livenessProbe", "startupProbe"), "not run: netlab's echo server is always alive"),
    "readinessProbe": "not run: netlab's echo server is ready as soon as it listens",
}
CONTAINER_PORT = ("containerPort", "name", "protocol")
CONTAINER_PORT_LEFT_OUT = {"hostPort": "not modelled: no portmap rules for host ports", "hostIP": ""}
ROLLOUT = "not modelled: netlab's rollouts wait for no readiness and keep no history"
WORKLOAD_SPECS = {  # each controller's spec: the fields netlab reads, and those it leaves out
    "Deployment": (("replicas", "selector", "template", "strategy"),
                   dict.fromkeys(("minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds", "paused"),
                                 ROLLOUT)),
    "StatefulSet": (("replicas", "selector", "template", "serviceName"),
                    {**dict.fromkeys(("minReadySeconds", "revisionHistoryLimit", "updateStrategy",
                                      "podManagementPolicy"), ROLLOUT),
                     **dict.fromkeys(("volumeClaimTemplates", "persistentVolumeClaimRetentionPolicy"),
                                     "not modelled: no volumes"),
                     "ordinals": "not modelled: ordinals start at 0"}),
    "DaemonSet": (("selector", "template"), dict.fromkeys(("minReadySeconds", "revisionHistoryLimit",
                                                           "updateStrategy"), ROLLOUT)),
    "ReplicaSet": (("replicas", "selector", "template"), {"minReadySeconds": ROLLOUT}),
}
SERVICE_SPEC = ("type", "clusterIP", "clusterIPs", "selector", "ports", "sessionAffinity", "sessionAffinityConfig",
                "externalTrafficPolicy", "externalName", "allocateLoadBalancerNodePorts", "externalIPs",
                "healthCheckNodePort", "loadBalancerIP", "loadBalancerSourceRanges", "internalTrafficPolicy",
                "ipFamilies", "ipFamilyPolicy")
SERVICE_LEFT_OUT = {"publishNotReadyAddresses": "not modelled: netlab's pods are always ready",
                    "loadBalancerClass": "not modelled: the lab's one load balancer serves every LoadBalancer",
                    "trafficDistribution": "not modelled: kube-proxy here spreads over every endpoint"}
SERVICE_PORT = ("name", "port", "targetPort", "protocol", "nodePort")
SERVICE_PORT_LEFT_OUT = {"appProtocol": "not modelled: kube-proxy does not read it"}


@dataclass(frozen=True)
class Entry:
    """One item of a section of the lab's keys, and where each part of it was written in the object."""

    section: str
    data: dict[str, object]
    origins: dict[YamlPath, YamlPath] = field(default_factory=dict)


def flatten(objects: list[ObjectDocument]) -> Iterator[ObjectDocument]:
    """The objects, a `kind: List`'s items in its place."""
    for obj in objects:
        data = obj.data
        if isinstance(data, dict) and data.get("kind") == "List" and isinstance(data.get("items"), list):
            for i, item in enumerate(data["items"]):
                yield ObjectDocument(item, obj.lines, f"{obj.label} items[{i}]", obj.source, obj.base + ("items", i))
        elif data is not None:
            yield obj


def translate(r: Reader, obj: ObjectDocument, notes: Notes) -> list[Entry]:
    data = obj.data
    if not isinstance(data, dict):
        r.problem((), "expected a Kubernetes object (a mapping with apiVersion, kind, metadata)")
        return []
    kind, version = data.get("kind"), data.get("apiVersion")
    if "kind" not in data and "apiVersion" not in data:
        r.problem((), "not a Kubernetes object: it has no apiVersion and no kind",
                  "the lab's own keys go in the first document; the documents after it are Kubernetes objects")
        return []
    if not isinstance(kind, str) or not kind:
        r.problem(("kind",), "Required value: kind", "e.g. kind: Deployment")
        return []
    if not isinstance(version, str) or not version:
        r.problem(("apiVersion",), "Required value: apiVersion", f"e.g. apiVersion: {API_VERSIONS.get(kind, 'v1')}")
        return []
    if kind in LEFT_OUT_KINDS:
        notes.add(kind, LEFT_OUT_KINDS[kind], obj)
        return []
    if kind not in API_VERSIONS:
        r.problem(("kind",), f"no kind \"{kind}\" netlab reads", "netlab reads " + ", ".join(API_VERSIONS))
        return []
    if version != API_VERSIONS[kind]:
        r.problem(("apiVersion",), f'no matches for kind "{kind}" in version "{version}"',
                  f"apiVersion: {API_VERSIONS[kind]}")
        return []
    fields(r, data, (), ("apiVersion", "kind", "metadata", *TOP_FIELDS.get(kind, ("spec",))), {"status": ""}, notes)
    return TRANSLATORS[kind](r, data, notes)


def namespace(r: Reader, data: dict[str, object], notes: Notes) -> list[Entry]:
    name, _, labels = metadata(r, data.get("metadata"), "label", namespaced=False)
    if not name:
        return []
    fields(r, data.get("spec"), ("spec",), (), {"finalizers": ""}, notes)
    return [Entry("namespaces", {"name": name, "labels": labels},
                  {(): ("metadata",), ("name",): ("metadata", "name"), ("labels",): ("metadata", "labels")})]


def dotless(r: Reader, name: str) -> bool:
    """The API takes a DNS subdomain for a pod or workload; netlab names a network namespace after the pod, so it
    takes a label: no dots."""
    if "." in name:
        r.problem(("metadata", "name"), f"netlab needs a pod's or workload's name without dots: '{name}'",
                  "the name becomes its network namespace's; use '-' instead")
        return False
    return True


def pod(r: Reader, data: dict[str, object], notes: Notes) -> list[Entry]:
    name, ns, labels = metadata(r, data.get("metadata"), "subdomain")
    if not name or not dotless(r, name):
        return []
    entry: dict[str, object] = {"name": name, "namespace": ns, "labels": labels}
    origins: dict[YamlPath, YamlPath] = {(): ("metadata",), ("labels",): ("metadata", "labels")}
    pod_spec(r, data.get("spec"), ("spec",), entry, origins, notes, image_required=True)
    return [Entry("pods", entry, origins)]


def workload(r: Reader, data: dict[str, object], notes: Notes) -> list[Entry]:
    """A Deployment, StatefulSet, DaemonSet or ReplicaSet: a pod entry with its kind (features/deployments)."""
    kind = str(data["kind"])
    name, ns, _ = metadata(r, data.get("metadata"), "label" if kind == "StatefulSet" else "subdomain")
    if not name or not dotless(r, name):
        return []
    path: Path = ("spec",)
    spec = fields(r, data.get("spec"), path, *WORKLOAD_SPECS[kind], notes)
    if "spec" not in data:
        r.problem(path, "Required value")
    tpath = path + ("template",)
    template = fields(r, spec.get("template"), tpath, ("metadata", "spec"), {}, notes)
    tmeta = fields(r, template.get("metadata"), tpath + ("metadata",), ("labels", "annotations", "name"), {}, NO_NOTES)
    labels = dict(netpol_schema.read_labels(r, tmeta.get("labels"), tpath + ("metadata", "labels")))
    if "selector" not in spec:
        r.problem(path + ("selector",), "Required value")
    else:
        selector = netpol_schema.read_selector(r, spec["selector"], path + ("selector",))
        if selector.everything:
            r.problem(path + ("selector",), f"Invalid value: empty selector is invalid for {kind.lower()}")
        elif labels and not selector.matches(labels):
            r.problem(tpath + ("metadata", "labels"), "Invalid value: `selector` does not match template `labels`")
    if not labels:
        r.problem(tpath + ("metadata", "labels"), "Required value", "the pods' labels, which the selector matches")
    entry: dict[str, object] = {"name": name, "namespace": ns, "labels": labels}
    if kind != "Deployment":
        entry["kind"] = kind
    if kind != "DaemonSet":
        entry["replicas"] = spec.get("replicas", 1)
    if "serviceName" in spec:
        entry["serviceName"] = spec["serviceName"]
    origins: dict[YamlPath, YamlPath] = {(): ("metadata",), ("replicas",): path + ("replicas",),
                                         ("serviceName",): path + ("serviceName",),
                                         ("labels",): tpath + ("metadata", "labels")}
    images = pod_spec(r, template.get("spec"), tpath + ("spec",), entry, origins, notes, image_required=False,
                      annotations=tmeta.get("annotations"))
    if images:
        entry["version"] = ",".join(tag for tag in images)
    strategy = deployment_strategy(r, spec.get("strategy"), path + ("strategy",))
    if strategy:
        entry["strategy"] = strategy
        origins[("strategy",)] = path + ("strategy", "rollingUpdate")
    return [Entry("pods", entry, origins)]


def deployment_strategy(r: Reader, value: object, path: Path) -> dict[str, object]:
    """RollingUpdate's maxSurge and maxUnavailable; Recreate is a rollout that stops every old pod first."""
    m = fields(r, value, path, ("type", "rollingUpdate"), {}, NO_NOTES)
    kind = m.get("type", "RollingUpdate")
    if kind == "Recreate":
        if "rollingUpdate" in m:
            r.problem(path + ("rollingUpdate",), "Forbidden: may not be specified when strategy `type` is 'Recreate'")
        return {"maxSurge": 0, "maxUnavailable": "100%"}
    if kind != "RollingUpdate":
        r.problem(path + ("type",), f'Unsupported value: "{kind}": supported values: "Recreate", "RollingUpdate"')
        return {}
    return fields(r, m.get("rollingUpdate"), path + ("rollingUpdate",), ("maxSurge", "maxUnavailable"), {}, NO_NOTES)


def pod_spec(r: Reader, value: object, path: Path, entry: dict[str, object], origins: dict[YamlPath, YamlPath],
             notes: Notes, *, image_required: bool, annotations: object = None) -> list[str]:
    """A PodSpec into a pod entry: where it runs, its DNS settings and what it serves. Returns the containers'
    image tags."""
    if value is None:
        r.problem(path, "Required value")
        return []
    spec = fields(r, value, path, POD_SPEC, POD_SPEC_LEFT_OUT, notes)
    for key, ours in (("nodeName", "node"), ("nodeSelector", "nodeSelector"), ("hostname", "hostname"),
                      ("subdomain", "subdomain"), ("dnsPolicy", "dnsPolicy"), ("dnsConfig", "dnsConfig")):
        if key in spec:
            entry[ours] = spec[key]
            origins[(ours,)] = path + (key,)
    if entry.get("dnsPolicy") == "ClusterFirstWithHostNet":
        entry["dnsPolicy"] = "ClusterFirst"  # kubelet's reading for a pod not on the host's network
    if "hostNetwork" in spec and not isinstance(spec["hostNetwork"], bool):
        r.problem(path + ("hostNetwork",), f"Invalid value: {spec['hostNetwork']!r}: expected true or false")
    if spec.get("hostNetwork") is True:  # the pod runs in its node's namespace, with the node's address
        entry["hostNetwork"] = True
        origins[("hostNetwork",)] = path + ("hostNetwork",)
        if spec.get("dnsPolicy") == "ClusterFirstWithHostNet":
            notes.add("dnsPolicy", "ClusterFirstWithHostNet: the pod shares its node's namespace, and its "
                      "resolv.conf with it", r.doc)
    groups, images = containers(r, spec.get("containers"), path + ("containers",), notes, image_required)
    extra = annotation(r, SERVE_ANNOTATION) if annotations is None else (
        annotations.get(SERVE_ANNOTATION) if isinstance(annotations, dict) else None)
    if extra is not None and not isinstance(extra, str):
        r.problem(path[:-1] + ("metadata", "annotations", SERVE_ANNOTATION), "Invalid value: an annotation is a string",
                  'quote it: "tcp:8080"')
    elif extra is not None and groups:
        annotated(r, extra, groups)
    if groups:  # named, as `kubectl exec -c` names them; several run one process each (compile/workloads)
        entry["containers"] = [{"name": name, "serve": [e for e, _ in ports]} for name, ports in groups]
    for i, (_, ports) in enumerate(groups):
        origins[("containers", i)] = path + ("containers", i)
        origins.update({("containers", i, "serve", j): where for j, (_, where) in enumerate(ports) if where})
    return images


Ports = list[tuple[dict[str, object], Path | None]]  # serve entries, and where each was declared


def containers(r: Reader, value: object, path: Path, notes: Notes,
               image_required: bool) -> tuple[list[tuple[str, Ports]], list[str]]:
    """Each container's ports as serve entries; the containers share the pod's network namespace, so two of them
    may not use one port."""
    if not isinstance(value, list) or not value:
        r.problem(path, "Required value", "a pod has at least one container")
        return [], []
    groups: list[tuple[str, Ports]] = []
    images: list[str] = []
    for i, item in enumerate(value):  # two containers on one port: the loader says so (read_containers)
        cpath = path + (i,)
        c = fields(r, item, cpath, CONTAINER, CONTAINER_LEFT_OUT, notes)
        cname = check_name(r, c, "name", cpath, "label") or f"container-{i}"  # a name used twice: the loader says
        image = c.get("image")
        if image is None and image_required:
            r.problem(cpath + ("image",), "Required value")
        elif image is not None:
            notes.add("image", "not pulled: netlab runs its echo server in every container's place", r.doc)
            if (tag := image_tag(str(image))) is not None:
                images.append(tag)
        ports: Ports = []
        for j, port_item in enumerate(r.sequence(c.get("ports"), cpath + ("ports",))):
            ppath = cpath + ("ports", j)
            p = fields(r, port_item, ppath, CONTAINER_PORT, CONTAINER_PORT_LEFT_OUT, notes)
            number = p.get("containerPort")
            if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 65535:
                r.problem(ppath + ("containerPort",), "Required value" if number is None else
                          f"Invalid value: {number!r}: must be between 1 and 65535, inclusive")
                continue
            protocol = p.get("protocol", "TCP")
            if protocol not in ("TCP", "UDP", "SCTP"):
                r.problem(ppath + ("protocol",), f'Unsupported value: "{protocol}": supported values: "SCTP", '
                          '"TCP", "UDP"')
                continue
            if protocol == "SCTP":
                notes.add("SCTP", "not served: netlab's echo server speaks TCP, UDP and HTTP", r.doc)
                continue
            pname = p.get("name")
            if pname is not None and not (isinstance(pname, str) and netpol_schema.is_port_name(pname)):
                r.problem(ppath + ("name",), f"Invalid value: {pname!r}: must be no more than 15 characters, "
                          "contain only lowercase alphanumeric characters or '-', contain at least one letter, "
                          "and not begin or end with '-' or contain '--'")
                continue
            ports.append(({"port": number, "protocol": serve_kind(number, str(protocol), pname),
                           **({"name": pname} if pname else {})}, ppath))
        groups.append((cname, ports))
    return groups, images


def serve_kind(port: int, protocol: str, name: object) -> str:
    if protocol == "UDP":
        return "udp"
    named = isinstance(name, str) and (name in ("http", "web") or name.startswith("http-"))
    return "http" if named or port in HTTP_PORTS else "tcp"


def annotated(r: Reader, text: str, groups: list[tuple[str, Ports]]) -> None:
    """`netlab/serve: "tcp:8080,udp:9000"`: the kind of a declared port (in whichever container declares it), or a
    port no container declares (the first container's, then)."""
    for item in (part.strip() for part in text.split(",") if part.strip()):
        kind, _, port = item.partition(":")
        if kind not in ("tcp", "udp", "http") or not port.isdigit() or not 1 <= int(port) <= 65535:
            r.problem(("metadata", "annotations", SERVE_ANNOTATION), f"'{item}' is not a serve entry",
                      "PROTO:PORT with PROTO tcp, udp or http, e.g. \"tcp:8080,udp:9000\"")
            continue
        transport = "udp" if kind == "udp" else "tcp"
        wanted = (int(port), transport)
        declared = next(((ports, n) for _, ports in groups for n, (entry, _) in enumerate(ports)
                         if (entry["port"], "udp" if entry["protocol"] == "udp" else "tcp") == wanted), None)
        if declared is not None:
            ports, n = declared
            ports[n] = ({**ports[n][0], "protocol": kind}, ports[n][1])
        else:
            groups[0][1].append(({"port": int(port), "protocol": kind}, None))


def image_tag(image: str) -> str | None:
    """The tag of an image reference (`registry:5000/web:v2` → v2); None without one, or for an image by digest."""
    if "@" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    return last.rsplit(":", 1)[1] if ":" in last else None


def service(r: Reader, data: dict[str, object], notes: Notes) -> list[Entry]:
    name, ns, _ = metadata(r, data.get("metadata"), "dns1035")
    if not name:
        return []
    path: Path = ("spec",)
    spec = fields(r, data.get("spec"), path, SERVICE_SPEC, SERVICE_LEFT_OUT, notes)
    entry: dict[str, object] = {"name": name, "namespace": ns}
    origins: dict[YamlPath, YamlPath] = {(): path, ("name",): ("metadata", "name"),
                                         ("namespace",): ("metadata", "namespace")}
    for key, value in spec.items():
        if key in ("clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy", "sessionAffinityConfig"):
            continue
        entry[key] = value
    ips = spec.get("clusterIPs")
    if isinstance(ips, list) and ips:
        if "clusterIP" in spec and spec["clusterIP"] != ips[0]:
            r.problem(path + ("clusterIPs",), "Invalid value: must match `clusterIP` if specified")
        entry["clusterIP"] = ips[0]
        if len(ips) > 1:
            r.problem(path + ("clusterIPs",), "netlab labs are IPv4: one cluster IP")
    families = spec.get("ipFamilies")
    if isinstance(families, list) and any(f != "IPv4" for f in families):
        r.problem(path + ("ipFamilies",), "netlab labs are IPv4", "ipFamilies: [IPv4], or leave it out")
    if spec.get("ipFamilyPolicy", "SingleStack") != "SingleStack":
        notes.add("ipFamilyPolicy", "netlab labs are single-stack IPv4", r.doc)
    if spec.get("internalTrafficPolicy", "Cluster") != "Cluster":
        r.problem(path + ("internalTrafficPolicy",), "netlab's kube-proxy does not implement internalTrafficPolicy "
                  "Local yet", "leave it out (Cluster)")
    affinity = fields(r, spec.get("sessionAffinityConfig"), path + ("sessionAffinityConfig",), ("clientIP",), {},
                      NO_NOTES)
    client = fields(r, affinity.get("clientIP"), path + ("sessionAffinityConfig", "clientIP"), ("timeoutSeconds",),
                    {}, NO_NOTES)
    if "timeoutSeconds" in client:
        entry["sessionAffinityTimeout"] = client["timeoutSeconds"]
        origins[("sessionAffinityTimeout",)] = path + ("sessionAffinityConfig", "clientIP", "timeoutSeconds")
    ports = spec.get("ports")
    if isinstance(ports, list):  # the lab's own schema checks them, with these paths
        entry["ports"] = [fields(r, port, path + ("ports", i), SERVICE_PORT, SERVICE_PORT_LEFT_OUT, notes)
                          for i, port in enumerate(ports)]
    elif spec.get("type") != "ExternalName" and spec.get("clusterIP") != "None" and "ports" not in spec:
        r.problem(path + ("ports",), "Required value")
    return [Entry("services", entry, origins)]


def network_policy(r: Reader, data: dict[str, object], notes: Notes) -> list[Entry]:
    return _spec_entry(r, data, "networkPolicies")


def ingress(r: Reader, data: dict[str, object], notes: Notes) -> list[Entry]:
    spec = data.get("spec")
    if isinstance(spec, dict) and "tls" in spec:
        notes.add("tls", "not served: the lab's nginx answers plain HTTP", r.doc)
        data = {**data, "spec": {k: v for k, v in spec.items() if k != "tls"}}
    return _spec_entry(r, data, "ingresses")


def _spec_entry(r: Reader, data: dict[str, object], section: str) -> list[Entry]:
    """An object whose spec is the lab's entry as it is (the feature's schema checks it, with the spec's paths)."""
    name, ns, _ = metadata(r, data.get("metadata"), "subdomain")
    if not name:
        return []
    spec = data.get("spec")
    entry: dict[str, object] = {"name": name, "namespace": ns, **(spec if isinstance(spec, dict) else {})}
    return [Entry(section, entry, {(): ("spec",), ("name",): ("metadata", "name"),
                                   ("namespace",): ("metadata", "namespace")})]


def endpoints(r: Reader, data: dict[str, object], notes: Notes) -> list[Entry]:
    """A v1 Endpoints object: its subsets, for the Service of its name."""
    name, ns, _ = metadata(r, data.get("metadata"), "subdomain")
    if not name:
        return []
    return [Entry("endpoints", {"name": name, "namespace": ns, "subsets": data.get("subsets") or []},
                  {(): ("subsets",), ("name",): ("metadata", "name"), ("subsets",): ("subsets",)})]


def endpoint_slice(r: Reader, data: dict[str, object], notes: Notes) -> list[Entry]:
    """A discovery.k8s.io/v1 EndpointSlice: its ready IPv4 addresses on its ports, for the Service its
    kubernetes.io/service-name label names (a slice without it serves no Service)."""
    name, ns, labels = metadata(r, data.get("metadata"), "subdomain")
    if not name:
        return []
    service = labels.get(SERVICE_NAME_LABEL)
    if service is None:
        r.problem(("metadata", "labels"), f"an EndpointSlice serves the Service its label {SERVICE_NAME_LABEL} "
                  "names, and this one has none", f"add {SERVICE_NAME_LABEL}: <the Service's name>")
        return []
    if data.get("addressType") != "IPv4":
        r.problem(("addressType",), "Required value" if "addressType" not in data else
                  f"Unsupported value: {data.get('addressType')!r}: netlab labs are IPv4", "addressType: IPv4")
        return []
    ready: list[object] = []
    for i, item in enumerate(r.sequence(data.get("endpoints"), ("endpoints",))):
        e = fields(r, item, ("endpoints", i), ("addresses", "conditions"),
                   dict.fromkeys(("nodeName", "targetRef", "hostname", "zone", "hints", "deprecatedTopology"), ""),
                   NO_NOTES)
        conditions = e.get("conditions")
        if isinstance(conditions, dict) and conditions.get("ready") is False:
            continue  # an endpoint not ready is no destination (ready unset means ready)
        ready += [{"ip": ip} for ip in r.sequence(e.get("addresses"), ("endpoints", i, "addresses"))]
    return [Entry("endpoints", {"name": service, "namespace": ns,
                                "subsets": [{"addresses": ready, "ports": data.get("ports") or []}]},
                  {(): ("endpoints",), ("name",): ("metadata", "labels", SERVICE_NAME_LABEL),
                   ("subsets", 0, "ports"): ("ports",), ("subsets", 0, "addresses"): ("endpoints",)})]


TRANSLATORS = {"Namespace": namespace, "Pod": pod, "Deployment": workload, "StatefulSet": workload,
               "DaemonSet": workload, "ReplicaSet": workload, "Service": service, "NetworkPolicy": network_policy,
               "Ingress": ingress, "Endpoints": endpoints, "EndpointSlice": endpoint_slice}


__all__ = ["Entry", "Notes", "flatten", "translate"]

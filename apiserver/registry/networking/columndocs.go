package networking

// Column descriptions of this package's tables: upstream's printers take
// them from the field documentation of the beta API types, quoted here so
// that the server does not link those packages (their code and
// registrations cost resident memory) for a few strings.
const (
	// extensionsv1beta1.NetworkPolicySpec.podSelector
	docNetworkPolicySpecPodSelector = "Selects the pods to which this NetworkPolicy object applies.  The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods.  In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace."
)

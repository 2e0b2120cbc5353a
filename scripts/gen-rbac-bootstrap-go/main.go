// Prints the RBAC bootstrap policy of the k8s.io/kubernetes version this module is built with, as
// JSON: exactly the objects kube-apiserver's RBAC post-start hook reconciles at start
// (pkg/registry/rbac/rest/storage_rbac.go: ClusterRoles() + ControllerRoles(),
// ClusterRoleBindings() + ControllerRoleBindings(), NamespaceRoles(), NamespaceRoleBindings()),
// computed with the default feature gates of that version. Also:
//   - "aggregated": the rules kube-controller-manager's clusterrole-aggregation controller gives
//     each aggregated ClusterRole of the policy (admin, edit, view, ...), computed with the
//     controller's algorithm (pkg/controller/clusterroleaggregation: per selector, the matching
//     ClusterRoles sorted by name, rules appended unless semantically equal to one already there)
//     repeated until nothing changes, as the controller's resyncs do;
//   - "featureGates": the default value of each feature gate named on the command line (absent
//     when the version does not know it).
//
// Built and run by scripts/gen-rbac-bootstrap.ts in a module of its own per Kubernetes version
// (go.mod written there: k8s.io/kubernetes at the version, its staging modules replaced by their
// published v0.MINOR.PATCH). Not part of the kordon build.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/component-base/featuregate"
	"k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac/bootstrappolicy"
)

type policy struct {
	ClusterRoles        []rbacv1.ClusterRole            `json:"clusterRoles"`
	ClusterRoleBindings []rbacv1.ClusterRoleBinding     `json:"clusterRoleBindings"`
	Roles               map[string][]rbacv1.Role        `json:"roles"`
	RoleBindings        map[string][]rbacv1.RoleBinding `json:"roleBindings"`
	Aggregated          map[string][]rbacv1.PolicyRule  `json:"aggregated"`
	FeatureGates        map[string]bool                 `json:"featureGates"`
}

func ruleExists(haystack []rbacv1.PolicyRule, needle rbacv1.PolicyRule) bool {
	for _, curr := range haystack {
		if equality.Semantic.DeepEqual(curr, needle) {
			return true
		}
	}
	return false
}

func aggregate(roles []rbacv1.ClusterRole) (map[string][]rbacv1.PolicyRule, error) {
	cur := make([]rbacv1.ClusterRole, len(roles))
	for i := range roles {
		cur[i] = *roles[i].DeepCopy()
	}
	for round := 0; ; round++ {
		if round > len(cur) {
			return nil, fmt.Errorf("aggregation does not settle")
		}
		changed := false
		for i := range cur {
			role := &cur[i]
			if role.AggregationRule == nil {
				continue
			}
			newPolicyRules := []rbacv1.PolicyRule{}
			for s := range role.AggregationRule.ClusterRoleSelectors {
				selector, err := metav1.LabelSelectorAsSelector(&role.AggregationRule.ClusterRoleSelectors[s])
				if err != nil {
					return nil, err
				}
				matched := []*rbacv1.ClusterRole{}
				for j := range cur {
					if selector.Matches(labels.Set(cur[j].Labels)) {
						matched = append(matched, &cur[j])
					}
				}
				sort.Slice(matched, func(a, b int) bool { return matched[a].Name < matched[b].Name })
				for _, m := range matched {
					if m.Name == role.Name {
						continue
					}
					for _, rule := range m.Rules {
						if !ruleExists(newPolicyRules, rule) {
							newPolicyRules = append(newPolicyRules, rule)
						}
					}
				}
			}
			if !equality.Semantic.DeepEqual(newPolicyRules, role.Rules) {
				role.Rules = newPolicyRules
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	out := map[string][]rbacv1.PolicyRule{}
	for _, r := range cur {
		if r.AggregationRule != nil {
			out[r.Name] = r.Rules
		}
	}
	return out, nil
}

func main() {
	p := policy{
		ClusterRoles:        append(bootstrappolicy.ClusterRoles(), bootstrappolicy.ControllerRoles()...),
		ClusterRoleBindings: append(bootstrappolicy.ClusterRoleBindings(), bootstrappolicy.ControllerRoleBindings()...),
		Roles:               bootstrappolicy.NamespaceRoles(),
		RoleBindings:        bootstrappolicy.NamespaceRoleBindings(),
		FeatureGates:        map[string]bool{},
	}
	aggregated, err := aggregate(p.ClusterRoles)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	p.Aggregated = aggregated
	known := utilfeature.DefaultMutableFeatureGate.GetAll()
	for _, name := range os.Args[1:] {
		if _, ok := known[featuregate.Feature(name)]; ok {
			p.FeatureGates[name] = utilfeature.DefaultFeatureGate.Enabled(featuregate.Feature(name))
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(p); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

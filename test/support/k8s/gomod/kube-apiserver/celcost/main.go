// celcost is the cost oracle of kordon's CEL engine: it compiles each expression exactly as
// the kube-apiserver compiles a ValidatingAdmissionPolicy's (k8s.io/apiserver's admission CEL
// compiler, the base environment of this Kubernetes version, cel-go's cost tracking with the
// Kubernetes cost estimator), evaluates it with `object` set as the API server sets it (an
// unstructured object: whole numbers int64), and prints the actual runtime cost.
//
// Input: JSON lines {"expr": "...", "object": {...}}. Output: one JSON line each with the
// cost and the value, or the compile or evaluation error. Built by ../../../build.sh celcost.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/google/cel-go/cel"
	plugincel "k8s.io/apiserver/pkg/admission/plugin/cel"
	"k8s.io/apiserver/pkg/cel/environment"
)

type in struct {
	Expr   string         `json:"expr"`
	Object map[string]any `json:"object"`
}

type accessor struct{ e string }

func (a accessor) GetExpression() string    { return a.e }
func (a accessor) ReturnTypes() []*cel.Type { return []*cel.Type{cel.AnyType} }

func main() {
	compiler := plugincel.NewCompiler(environment.MustBaseEnvSet(environment.DefaultCompatibilityVersion()))
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 64<<20), 64<<20)
	enc := json.NewEncoder(os.Stdout)
	for sc.Scan() {
		var x in
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		if err := dec.Decode(&x); err != nil {
			enc.Encode(map[string]any{"error": err.Error()})
			continue
		}
		res := compiler.CompileCELExpression(accessor{x.Expr}, plugincel.OptionalVariableDeclarations{}, environment.StoredExpressions)
		if res.Error != nil {
			enc.Encode(map[string]any{"expr": x.Expr, "compileError": res.Error.Error()})
			continue
		}
		vars := map[string]any{"object": ints(map[string]any(x.Object)), "oldObject": nil}
		val, details, err := res.Program.Eval(vars)
		out := map[string]any{"expr": x.Expr}
		if details != nil && details.ActualCost() != nil {
			out["cost"] = *details.ActualCost()
		}
		if err != nil {
			out["error"] = err.Error()
		} else {
			out["value"] = fmt.Sprint(val.Value())
		}
		enc.Encode(out)
	}
}

// ints: JSON numbers as the API server's unstructured objects hold them (int64 when whole).
func ints(v any) any {
	switch t := v.(type) {
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	case map[string]any:
		for k, x := range t {
			t[k] = ints(x)
		}
		return t
	case []any:
		for i, x := range t {
			t[i] = ints(x)
		}
		return t
	}
	return v
}

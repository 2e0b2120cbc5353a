// openvex-check reads OpenVEX documents with the OpenVEX project's own Go library
// (github.com/openvex/go-vex) and prints, as JSON, what the library makes of each: whether it
// parses, each statement's Validate() result, and the effective status the library finds for
// every (vulnerability, product, subcomponent) the document names. kordon's tests run it on
// kordon's OpenVEX output (test/unit/vulns-openvex-golib.test.ts).
//
// Usage: openvex-check [--match QUERIES.json] FILE...
//
// QUERIES.json: [{"vulnerability": …, "product": …, "subcomponent": …}]: identifiers as a VEX
// consumer would give them (its own image and package purls); for each, "queries" in the output
// holds the status of the statement go-vex's Matches() applies ("" when none).
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/openvex/go-vex/pkg/vex"
)

type statementResult struct {
	Vulnerability string   `json:"vulnerability"`
	Products      []string `json:"products"`
	Subcomponents []string `json:"subcomponents"`
	Status        string   `json:"status"`
	Justification string   `json:"justification,omitempty"`
	Valid         string   `json:"valid"`
	// the status of the statement go-vex matches for the vulnerability, the first product and
	// its first subcomponent (empty when it matches none)
	Matched string `json:"matched"`
}

type query struct {
	Vulnerability string `json:"vulnerability"`
	Product       string `json:"product"`
	Subcomponent  string `json:"subcomponent"`
}

type fileResult struct {
	File       string            `json:"file"`
	Queries    []string          `json:"queries,omitempty"`
	Error      string            `json:"error,omitempty"`
	Context    string            `json:"context,omitempty"`
	Author     string            `json:"author,omitempty"`
	Timestamp  string            `json:"timestamp,omitempty"`
	Statements []statementResult `json:"statements"`
}

func main() {
	out := []fileResult{}
	args := os.Args[1:]
	var queries []query
	if len(args) >= 2 && args[0] == "--match" {
		data, err := os.ReadFile(args[1])
		if err == nil {
			err = json.Unmarshal(data, &queries)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		args = args[2:]
	}
	for _, f := range args {
		r := fileResult{File: f, Statements: []statementResult{}}
		data, err := os.ReadFile(f)
		if err == nil {
			var doc *vex.VEX
			doc, err = vex.Parse(data)
			if err == nil {
				r.Context = doc.Context
				r.Author = doc.Author
				if doc.Timestamp != nil {
					r.Timestamp = doc.Timestamp.UTC().Format("2006-01-02T15:04:05Z07:00")
				}
				for i := range doc.Statements {
					s := &doc.Statements[i]
					sr := statementResult{Vulnerability: string(s.Vulnerability.Name), Status: string(s.Status), Justification: string(s.Justification), Valid: "ok", Products: []string{}, Subcomponents: []string{}}
					if verr := s.Validate(); verr != nil {
						sr.Valid = verr.Error()
					}
					for _, p := range s.Products {
						sr.Products = append(sr.Products, p.ID)
						for _, sc := range p.Subcomponents {
							sr.Subcomponents = append(sr.Subcomponents, sc.ID)
						}
					}
					if len(sr.Products) > 0 {
						subs := []string{}
						if len(sr.Subcomponents) > 0 {
							subs = append(subs, sr.Subcomponents[0])
						}
						if m := doc.Matches(sr.Vulnerability, sr.Products[0], subs); len(m) > 0 {
							sr.Matched = string(m[len(m)-1].Status)
						}
					}
					r.Statements = append(r.Statements, sr)
				}
				for _, q := range queries {
					subs := []string{}
					if q.Subcomponent != "" {
						subs = append(subs, q.Subcomponent)
					}
					status := ""
					if m := doc.Matches(q.Vulnerability, q.Product, subs); len(m) > 0 {
						status = string(m[len(m)-1].Status)
					}
					r.Queries = append(r.Queries, status)
				}
			}
		}
		if err != nil {
			r.Error = err.Error()
		}
		out = append(out, r)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

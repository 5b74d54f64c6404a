package graph_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestSchemaIsDocumented checks that every type, field, argument of a root
// field and enum value has a description, so GraphiQL's docs teach the domain.
func TestSchemaIsDocumented(t *testing.T) {
	files, _ := filepath.Glob("../*.graphqls")
	var sources []*ast.Source
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, &ast.Source{Name: f, Input: string(b)})
	}
	schema, err := gqlparser.LoadSchema(sources...)
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for name, def := range schema.Types {
		if def.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		if def.Description == "" && !strings.HasSuffix(name, "Connection") && !strings.HasSuffix(name, "Edge") && name != "Query" {
			missing = append(missing, name)
		}
		for _, f := range def.Fields {
			if f.Description == "" && !strings.HasPrefix(f.Name, "__") {
				missing = append(missing, name+"."+f.Name)
			}
		}
		for _, v := range def.EnumValues {
			if v.Description == "" && !isSelfExplanatory(v.Name) {
				missing = append(missing, name+"."+v.Name)
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d schema elements lack a description:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}

// isSelfExplanatory lists enum values whose name says it all.
func isSelfExplanatory(v string) bool {
	switch v {
	case "ASC", "DESC", "OPEN", "CLOSED", "ACUTE", "MENTAL_HEALTH", "COMMUNITY", "AMBULANCE", "SPECIALIST", "TRUST", "COUNCIL", "NAME", "CODE",
		"ICS", "SUB_ICB_LOCATION", "CANCER_ALLIANCE", "CLINICAL_SENATE", "REGION":
		return true
	}
	return false
}

package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/icsgraph/icsgraph/internal/store"
)

// TestAsOf checks the asOf argument of root fields: a date inside the data's
// range answers (nested fields for the same date), a date outside is
// BAD_USER_INPUT naming the range.
func TestAsOf(t *testing.T) {
	a := newAPI(t)
	t.Run("inside the range", func(t *testing.T) {
		var def, dated struct {
			Trust struct {
				Name                 string
				ValidFrom            *string
				IntegratedCareSystem struct{ Code string }
			}
		}
		a.query(`{ trust(code: "RJ1") { name validFrom integratedCareSystem { code } } }`, &def)
		a.query(fmt.Sprintf(`{ trust(code: "RJ1", asOf: %q) { name validFrom integratedCareSystem { code } } }`, store.DefaultDataTo), &dated)
		same := def.Trust.Name == dated.Trust.Name && def.Trust.IntegratedCareSystem == dated.Trust.IntegratedCareSystem &&
			(def.Trust.ValidFrom == nil) == (dated.Trust.ValidFrom == nil) && (def.Trust.ValidFrom == nil || *def.Trust.ValidFrom == *dated.Trust.ValidFrom)
		if !same || def.Trust.Name == "" {
			t.Fatalf("default %+v, asOf the newest date %+v", def, dated)
		}
	})
	for _, q := range []string{
		`{ trust(code: "RJ1", asOf: "2001-01-01") { name } }`,
		`{ trusts(asOf: "2999-01-01") { totalCount } }`,
		`{ search(text: "guys", asOf: "2001-01-01") { score } }`,
		`{ nodes(ids: [], asOf: "2001-01-01") { id } }`,
	} {
		t.Run(q, func(t *testing.T) {
			_, errs := a.raw(q)
			if len(errs) == 0 {
				t.Fatal("no error")
			}
			e := errs[0]
			if e.Extensions["code"] != "BAD_USER_INPUT" || e.Extensions["argument"] != "asOf" ||
				!strings.Contains(e.Message, store.DefaultDataFrom) || !strings.Contains(e.Message, store.DefaultDataTo) {
				t.Fatalf("error %+v: want BAD_USER_INPUT on asOf naming %s to %s", e, store.DefaultDataFrom, store.DefaultDataTo)
			}
		})
	}
}

// TestSuccessions checks predecessors and successors against each other:
// every successor of a CCG lists that CCG among its predecessors. CCGs have
// all closed by the newest date, so the list includes closed ones.
func TestSuccessions(t *testing.T) {
	a := newAPI(t)
	type succ struct {
		Organisation struct{ ID, Code, Kind string }
		Date         *string
		Share        *float64
	}
	var r struct {
		Ccgs struct {
			Edges []struct {
				Node struct {
					Code       string
					Successors []succ
				}
			}
		}
	}
	a.query(`{ ccgs(first: 500, includeClosed: true) { edges { node { code successors { organisation { id code kind } date share } } } } }`, &r)
	checked := 0
	for _, e := range r.Ccgs.Edges {
		for _, s := range e.Node.Successors {
			if checked >= 5 {
				break
			}
			var p struct {
				Node struct{ Predecessors []succ }
			}
			a.query(fmt.Sprintf(`{ node(id: %q) { ... on Organisation { predecessors { organisation { code kind } date } } } }`, s.Organisation.ID), &p)
			found := false
			for _, pre := range p.Node.Predecessors {
				found = found || pre.Organisation.Code == e.Node.Code
			}
			if !found {
				t.Fatalf("%s succeeded %s, but its predecessors are %+v", s.Organisation.Code, e.Node.Code, p.Node.Predecessors)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no CCG has a successor")
	}
}

// TestIncludeClosed checks that a list with includeClosed holds every
// organisation of the list without it, and more only when some have closed
// by the date.
func TestIncludeClosed(t *testing.T) {
	a := newAPI(t)
	type page struct {
		TotalCount int
		Edges      []struct {
			Node struct{ Code, ValidTo string }
		}
	}
	var open, all struct{ Ccgs page }
	a.query(`{ ccgs(first: 500) { totalCount edges { node { code validTo } } } }`, &open)
	a.query(`{ ccgs(first: 500, includeClosed: true) { totalCount edges { node { code validTo } } } }`, &all)
	if all.Ccgs.TotalCount < open.Ccgs.TotalCount || all.Ccgs.TotalCount == 0 {
		t.Fatalf("includeClosed: %d CCGs, without: %d", all.Ccgs.TotalCount, open.Ccgs.TotalCount)
	}
	closed := 0
	for _, e := range all.Ccgs.Edges {
		if e.Node.ValidTo != "" && e.Node.ValidTo <= store.DefaultDataTo {
			closed++
		}
	}
	if all.Ccgs.TotalCount-open.Ccgs.TotalCount != closed {
		t.Fatalf("%d more CCGs with includeClosed, but %d have closed by %s", all.Ccgs.TotalCount-open.Ccgs.TotalCount, closed, store.DefaultDataTo)
	}
}

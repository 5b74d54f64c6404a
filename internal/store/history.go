package store

import (
	"context"

	"github.com/icsgraph/icsgraph/internal/cypher"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// History: lineages (chains of SUCCEEDED_BY) and the changes between two
// dates. Both start from nodes of the pinned release (inRelease), each in
// one statement.

// Succession is one SUCCEEDED_BY relationship: From was taken over, wholly or
// in part (Share), by To on Date.
type Succession struct {
	From, To    Organisation
	Date        string
	Share       *float64
	ShareWeight string
	Basis       string
	Source      string
}

func decodeSuccession(from, to Organisation, p props) Succession {
	date := p.str("date")
	if date == "" {
		date = p.str("validFrom")
	}
	return Succession{
		From: from, To: to, Date: date, Share: p.floatp("share"),
		ShareWeight: p.str("shareWeight"), Basis: p.str("basis"), Source: p.str("source"),
	}
}

// LineageNode is an organisation of a lineage with the dates it held and
// the organisations it was part of (PART_OF: a CCG's STP, a sub-ICB
// location's ICB), each with the dates of that membership.
type LineageNode struct {
	Org                Organisation
	ValidFrom, ValidTo string
	PartOf             []Parent
}

// Parent is an organisation another was part of, and when.
type Parent struct {
	Org                Organisation
	ValidFrom, ValidTo string
	Source             string
}

// Lineage is an organisation's chain of successions.
type Lineage struct {
	Nodes       []LineageNode
	Successions []Succession
}

// Lineage directions.
const (
	LineageBoth         = "BOTH"
	LineagePredecessors = "PREDECESSORS"
	LineageSuccessors   = "SUCCESSORS"
)

// MaxLineageSteps bounds how many successions a lineage follows each way.
const MaxLineageSteps = cypher.MaxLineageSteps

// MoveTypes are the relationships whose change of parent is a move
// (cypher.MoveTypes).
var MoveTypes = cypher.MoveTypes

// Lineage returns the organisation's predecessors and successors at any
// remove (as direction asks), itself included, with the successions between
// them, in one statement.
func (s *Store) Lineage(ctx context.Context, org KindCode, direction string, announced bool) (Lineage, error) {
	params := whenParams(ctx, When{IncludeAnnounced: announced}, map[string]any{
		"code": org.Code, "kind": org.Kind,
		"down": direction != LineagePredecessors, "up": direction != LineageSuccessors,
	})
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (Lineage, error) {
		var out Lineage
		res, err := tx.Run(ctx, cypher.Lineage, params)
		if err != nil {
			return out, err
		}
		if !res.Next(ctx) {
			if err := res.Err(); err != nil {
				return out, err
			}
			return out, ErrNotFound
		}
		v := res.Record().Values
		byKey := map[string]Organisation{}
		nodes, _ := v[0].([]any)
		for _, x := range nodes {
			m := props(asMap(x))
			n := LineageNode{Org: decodeOrganisation(asMap(m["n"])), ValidFrom: m.str("vf"), ValidTo: m.str("vt")}
			ps, _ := m["parents"].([]any)
			for _, y := range ps {
				pm := props(asMap(y))
				n.PartOf = append(n.PartOf, Parent{Org: decodeOrganisation(asMap(pm["x"])), ValidFrom: pm.str("vf"), ValidTo: pm.str("vt"), Source: pm.str("source")})
			}
			byKey[n.Org.Kind+" "+n.Org.Code] = n.Org
			out.Nodes = append(out.Nodes, n)
		}
		edges, _ := v[1].([]any)
		for _, list := range edges {
			l, _ := list.([]any)
			for _, x := range l {
				m := props(asMap(x))
				out.Successions = append(out.Successions, decodeSuccession(byKey[m.str("from")], byKey[m.str("to")], props(asMap(m["s"]))))
			}
		}
		return out, res.Err()
	})
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

// ChangeRow is one fact that changed between two dates, as the graph holds
// it; the API groups successions into merges and splits.
type ChangeRow struct {
	// Type is CREATED, CLOSED, SUCCESSION, RENAMED, RECODED or MOVED.
	Type string
	Date string
	Org  Organisation
	// Other is the successor (SUCCESSION) or the new parent (MOVED);
	// Former the old parent (MOVED).
	Other, Former *Organisation
	// Succession holds a SUCCESSION's relationship.
	Succession *Succession
	// Relationship is the membership type a MOVED child changed parent in.
	Relationship string
	// Before and After are the old and new name (RENAMED) or ONS code
	// (RECODED).
	Before, After string
	Source        string
}

// Changes returns every change on a date after from and on or before to, of
// organisations of the given kinds (all when empty), by date.
func (s *Store) Changes(ctx context.Context, from, to string, kinds []string, announced bool) ([]ChangeRow, error) {
	params := whenParams(ctx, When{IncludeAnnounced: announced}, map[string]any{"from": from, "to": to, "kinds": nil})
	if len(kinds) > 0 {
		params["kinds"] = kinds
	}
	return read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) ([]ChangeRow, error) {
		res, err := tx.Run(ctx, cypher.Changes, params)
		if err != nil {
			return nil, err
		}
		var out []ChangeRow
		for res.Next(ctx) {
			v := res.Record().Values
			row := ChangeRow{Type: str(v[0]), Date: str(v[1]), Org: decodeOrganisation(asMap(v[2])),
				Before: str(v[7]), After: str(v[8]), Source: str(v[9])}
			if m := asMap(v[3]); m != nil {
				o := decodeOrganisation(m)
				row.Other = &o
			}
			if m := asMap(v[4]); m != nil {
				o := decodeOrganisation(m)
				row.Former = &o
			}
			switch row.Type {
			case "SUCCESSION":
				sc := decodeSuccession(row.Org, *row.Other, props(asMap(v[6])))
				row.Succession = &sc
			case "MOVED":
				row.Relationship = str(v[5])
			}
			out = append(out, row)
		}
		return out, res.Err()
	})
}

package cypher

// The rules of time and of releases, written once. Every statement the
// project runs (the compiled reads here, the traversals, history, exports
// and coterminosity reads the store runs) builds its conditions from these
// functions, so the same question gets the same answer wherever it is asked.
//
// Every organisation and relationship carries validFrom (ISO date, the first
// day it held) and may carry validTo (the first day it no longer held:
// exclusive). A fact holds on $asOf when validFrom <= $asOf < validTo. A
// status (`historic`, a trust's `status`) is a display field derived from
// these dates and is never a filter. Facts held only by an announcement (the
// data's `announced = true`: nodes and relationships of a change announced
// for a date after the newest official extract) count only when the request
// asks for them ($announced). An official fact whose end is announced keeps
// validTo null and carries announcedValidTo (and announcedEnd, the
// announcing source): with $announced it ends on that date.

// Closed says how Valid treats facts that had ended by $asOf.
type Closed int

const (
	// HeldOn: the fact held on $asOf (validFrom <= $asOf < validTo).
	HeldOn Closed = iota
	// Begun: the fact had begun by $asOf, whether or not it still held
	// (lists with includeClosed, the organisations successions reach).
	Begun
	// ClosedParam: HeldOn, or Begun when the statement's $closed is true
	// (traversals with includeClosed).
	ClosedParam
)

// Valid is THE validity rule: the condition that x (a node or relationship
// variable) holds on $asOf, per closed. It reads $asOf, $announced and, for
// ClosedParam, $closed (Params binds them).
func Valid(x string, closed Closed) string {
	// Concatenation, not fmt: every compiled statement writes this for each
	// organisation and relationship it reads.
	from := x + ".validFrom <= $asOf"
	announced := "($announced OR NOT coalesce(" + x + ".announced, false))"
	notEnded := "coalesce(" + x + ".validTo, CASE WHEN $announced THEN " + x + ".announcedValidTo END, '9999') > $asOf"
	switch closed {
	case Begun:
		return "(" + from + " AND " + announced + ")"
	case ClosedParam:
		return "(" + from + " AND ($closed OR " + notEnded + ") AND " + announced + ")"
	}
	return "(" + from + " AND " + notEnded + " AND " + announced + ")"
}

// InRelease is THE release predicate: the node bound to x belongs to the
// pinned release ($release), or any when none is pinned ($release null).
// Every statement applies it to the node(s) it enters the graph by; nodes
// reached from them by relationships need none, since edges never leave a
// release.
func InRelease(x string) string {
	return "($release IS NULL OR " + x + ".release = $release)"
}

// When is the date a read answers for: AsOf (ISO date), whether facts that
// had closed by then still count (lists and traversals with includeClosed),
// and whether facts held only by an announcement count (includeAnnounced).
type When struct {
	AsOf             string
	IncludeClosed    bool
	IncludeAnnounced bool
}

// Params binds what Valid and InRelease read: $asOf, $closed, $announced and
// $release (release nil: no release pinned), into p (created when nil).
func (w When) Params(release *int64, p map[string]any) map[string]any {
	if p == nil {
		p = map[string]any{}
	}
	p["asOf"], p["closed"], p["announced"] = w.AsOf, w.IncludeClosed, w.IncludeAnnounced
	p["release"] = nil
	if release != nil {
		p["release"] = *release
	}
	return p
}

// Holds is Valid with HeldOn for a fact whose properties are already read
// (exports filter what a statement read for every date): validFrom <= asOf
// < validTo, and not held only by an announcement unless w asks for them.
func Holds(p map[string]any, w When) bool {
	from, _ := p["validFrom"].(string)
	to, _ := p["validTo"].(string)
	announced, _ := p["announced"].(bool)
	if end, _ := p["announcedValidTo"].(string); to == "" && w.IncludeAnnounced {
		to = end
	}
	return from != "" && from <= w.AsOf && (to == "" || to > w.AsOf) && (!announced || w.IncludeAnnounced)
}

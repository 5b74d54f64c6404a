package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/icsgraph/icsgraph/graph/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// Helpers for the history resolvers (history.resolvers.go): lineages and the
// changes between two dates.

// successionLink converts a stored succession.
func successionLink(ctx context.Context, s store.Succession, w store.When) (*model.SuccessionLink, error) {
	src, err := sourceOf(ctx, s.Source)
	if err != nil {
		return nil, err
	}
	return &model.SuccessionLink{
		Predecessor: toOrganisation(s.From, w), Successor: toOrganisation(s.To, w),
		Date: optDate(s.Date), Share: s.Share, ShareWeight: optStr(s.ShareWeight), Basis: optStr(s.Basis),
		Source: src,
	}, nil
}

// lineageOf converts a stored lineage rooted at root: generations are the
// number of successions from the root (negative for predecessors), found by
// walking successions forwards from the root and backwards from it.
func lineageOf(ctx context.Context, root store.Organisation, l store.Lineage, w store.When) (*model.Lineage, error) {
	key := func(o store.Organisation) store.KindCode { return keyOf(o) }
	gen := map[store.KindCode]int{key(root): 0}
	for _, dir := range []int{1, -1} {
		frontier := []store.KindCode{key(root)}
		seen := map[store.KindCode]bool{key(root): true}
		for step := dir; len(frontier) > 0; step += dir {
			var next []store.KindCode
			for _, s := range l.Successions {
				from, to := key(s.From), key(s.To)
				if dir < 0 {
					from, to = to, from
				}
				if slices.Contains(frontier, from) && !seen[to] {
					seen[to] = true
					gen[to] = step
					next = append(next, to)
				}
			}
			frontier = next
		}
	}
	out := &model.Lineage{Organisation: toOrganisation(root, w), Organisations: []*model.LineageNode{}, Successions: []*model.SuccessionLink{}}
	nodes := slices.Clone(l.Nodes)
	slices.SortFunc(nodes, func(a, b store.LineageNode) int {
		if c := gen[key(a.Org)] - gen[key(b.Org)]; c != 0 {
			return c
		}
		return strings.Compare(a.ValidFrom+a.Org.Code+a.Org.Kind, b.ValidFrom+b.Org.Code+b.Org.Kind)
	})
	for _, n := range nodes {
		ln := &model.LineageNode{Organisation: toOrganisation(n.Org, w), Generation: gen[key(n.Org)],
			ValidFrom: optDate(n.ValidFrom), ValidTo: optDate(n.ValidTo), PartOf: []*model.LineagePartOf{}}
		parents := slices.Clone(n.PartOf)
		slices.SortFunc(parents, func(a, b store.Parent) int {
			return strings.Compare(a.ValidFrom+a.Org.Code, b.ValidFrom+b.Org.Code)
		})
		for _, p := range parents {
			src, err := sourceOf(ctx, p.Source)
			if err != nil {
				return nil, err
			}
			ln.PartOf = append(ln.PartOf, &model.LineagePartOf{Organisation: toOrganisation(p.Org, w),
				ValidFrom: optDate(p.ValidFrom), ValidTo: optDate(p.ValidTo), Source: src})
		}
		out.Organisations = append(out.Organisations, ln)
	}
	succ := slices.Clone(l.Successions)
	slices.SortFunc(succ, func(a, b store.Succession) int {
		return strings.Compare(a.Date+"\x1f"+a.From.Code+"\x1f"+a.To.Code, b.Date+"\x1f"+b.From.Code+"\x1f"+b.To.Code)
	})
	for _, s := range succ {
		link, err := successionLink(ctx, s, w)
		if err != nil {
			return nil, err
		}
		out.Successions = append(out.Successions, link)
	}
	return out, nil
}

// changeOrder is the order of change types within a day.
var changeOrder = []model.ChangeType{
	model.ChangeTypeCreated, model.ChangeTypeClosed, model.ChangeTypeMerged, model.ChangeTypeSplit,
	model.ChangeTypeSucceeded, model.ChangeTypeRenamed, model.ChangeTypeRecoded, model.ChangeTypeMoved,
}

// change is a change with its sort key (date, type, kind, code, the other
// organisation's code), which is also its cursor.
type change struct {
	key string
	c   *model.Change
}

func changeKey(date string, t model.ChangeType, o store.Organisation, other string) string {
	return strings.Join([]string{date, fmt.Sprintf("%02d", slices.Index(changeOrder, t)), o.Kind, o.Code, other}, "\x1f")
}

// label names an organisation in a description: "NHS Bristol CCG (11H)".
func label(o store.Organisation) string { return fmt.Sprintf("%s (%s)", o.Name, o.Code) }

// changesOf turns the stored change rows into changes: successions on one
// date are grouped into mergers (a successor with several predecessors),
// splits (a predecessor with several successors) and single successions; a
// succession can be part of both a split and a merger.
func changesOf(ctx context.Context, rows []store.ChangeRow, w store.When) ([]change, error) {
	var out []change
	add := func(key string, c *model.Change, sourceID string) error {
		src, err := sourceOf(ctx, sourceID)
		if err != nil {
			return err
		}
		c.Source = src
		if c.Successions == nil {
			c.Successions = []*model.SuccessionLink{}
		}
		out = append(out, change{key: key, c: c})
		return nil
	}
	subject := func(o store.Organisation) *model.ChangeParty {
		return &model.ChangeParty{Organisation: toOrganisation(o, w), Role: model.ChangeRoleSubject}
	}
	var succ []store.Succession
	for _, r := range rows {
		c := &model.Change{Date: model.Date(r.Date), Organisation: toOrganisation(r.Org, w), Before: optStr(r.Before), After: optStr(r.After)}
		var other string
		switch r.Type {
		case "SUCCESSION":
			succ = append(succ, *r.Succession)
			continue
		case "CREATED":
			c.Type, c.Parties = model.ChangeTypeCreated, []*model.ChangeParty{subject(r.Org)}
			c.Description = label(r.Org) + " opened."
		case "CLOSED":
			c.Type, c.Parties = model.ChangeTypeClosed, []*model.ChangeParty{subject(r.Org)}
			c.Description = label(r.Org) + " closed."
		case "RENAMED":
			c.Type, c.Parties = model.ChangeTypeRenamed, []*model.ChangeParty{subject(r.Org)}
			c.Description = fmt.Sprintf("%s was renamed from %q to %q.", r.Org.Code, r.Before, r.After)
		case "RECODED":
			c.Type, c.Parties = model.ChangeTypeRecoded, []*model.ChangeParty{subject(r.Org)}
			c.Description = fmt.Sprintf("The ONS code of %s changed from %s to %s.", label(r.Org), r.Before, r.After)
		case "MOVED":
			c.Type, c.Relationship = model.ChangeTypeMoved, optStr(r.Relationship)
			c.Parties = []*model.ChangeParty{subject(r.Org),
				{Organisation: toOrganisation(*r.Former, w), Role: model.ChangeRoleFormerParent},
				{Organisation: toOrganisation(*r.Other, w), Role: model.ChangeRoleNewParent}}
			c.Description = fmt.Sprintf("%s moved from %s to %s (%s).", label(r.Org), label(*r.Former), label(*r.Other), r.Relationship)
			other = r.Other.Code
		default:
			return nil, fmt.Errorf("changes: unknown change row type %q", r.Type)
		}
		if err := add(changeKey(r.Date, c.Type, r.Org, other), c, r.Source); err != nil {
			return nil, err
		}
	}
	grouped, err := groupSuccessions(ctx, succ, w)
	if err != nil {
		return nil, err
	}
	out = append(out, grouped...)
	slices.SortFunc(out, func(a, b change) int { return strings.Compare(a.key, b.key) })
	return out, nil
}

// groupSuccessions makes mergers, splits and single successions of the
// successions, date by date.
func groupSuccessions(ctx context.Context, succ []store.Succession, w store.When) ([]change, error) {
	type dated struct {
		date string
		org  store.KindCode
	}
	preds, succs := map[dated][]store.Succession{}, map[dated][]store.Succession{}
	for _, s := range succ {
		succs[dated{s.Date, keyOf(s.From)}] = append(succs[dated{s.Date, keyOf(s.From)}], s)
		preds[dated{s.Date, keyOf(s.To)}] = append(preds[dated{s.Date, keyOf(s.To)}], s)
	}
	var out []change
	emit := func(t model.ChangeType, org store.Organisation, date string, group []store.Succession, other string) error {
		slices.SortFunc(group, func(a, b store.Succession) int {
			return strings.Compare(a.From.Code+"\x1f"+a.To.Code, b.From.Code+"\x1f"+b.To.Code)
		})
		c := &model.Change{Type: t, Date: model.Date(date), Organisation: toOrganisation(org, w)}
		var sourceID string
		seen := map[store.KindCode]bool{}
		party := func(o store.Organisation, role model.ChangeRole, share *float64) {
			if !seen[keyOf(o)] {
				seen[keyOf(o)] = true
				c.Parties = append(c.Parties, &model.ChangeParty{Organisation: toOrganisation(o, w), Role: role, Share: share})
			}
		}
		var names []string
		for _, s := range group {
			link, err := successionLink(ctx, s, w)
			if err != nil {
				return err
			}
			c.Successions = append(c.Successions, link)
			if sourceID == "" {
				sourceID = s.Source
			}
			switch t {
			case model.ChangeTypeMerged:
				party(s.From, model.ChangeRolePredecessor, s.Share)
				names = append(names, partOf(s.From, s.Share))
			case model.ChangeTypeSplit:
				party(s.To, model.ChangeRoleSuccessor, s.Share)
				names = append(names, shareOf(s.To, s.Share))
			default:
				party(s.From, model.ChangeRolePredecessor, s.Share)
			}
		}
		switch t {
		case model.ChangeTypeMerged:
			party(org, model.ChangeRoleSuccessor, nil)
			c.Description = capitalise(fmt.Sprintf("%s merged into %s.", joinAnd(names), label(org)))
		case model.ChangeTypeSplit:
			c.Parties = append([]*model.ChangeParty{{Organisation: toOrganisation(org, w), Role: model.ChangeRolePredecessor}}, c.Parties...)
			c.Description = fmt.Sprintf("%s was split between %s.", label(org), joinAnd(names))
		default:
			party(org, model.ChangeRoleSuccessor, nil)
			c.Description = fmt.Sprintf("%s was succeeded by %s.", label(group[0].From), label(org))
		}
		src, err := sourceOf(ctx, sourceID)
		if err != nil {
			return err
		}
		c.Source = src
		out = append(out, change{key: changeKey(date, t, org, other), c: c})
		return nil
	}
	for k, group := range preds {
		if len(group) > 1 {
			if err := emit(model.ChangeTypeMerged, group[0].To, k.date, group, ""); err != nil {
				return nil, err
			}
		}
	}
	for k, group := range succs {
		if len(group) > 1 {
			if err := emit(model.ChangeTypeSplit, group[0].From, k.date, group, ""); err != nil {
				return nil, err
			}
		}
	}
	for _, s := range succ {
		if len(succs[dated{s.Date, keyOf(s.From)}]) == 1 && len(preds[dated{s.Date, keyOf(s.To)}]) == 1 {
			if err := emit(model.ChangeTypeSucceeded, s.To, s.Date, []store.Succession{s}, s.From.Code); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func partOf(o store.Organisation, share *float64) string {
	if share != nil && *share < 1 {
		return fmt.Sprintf("part (%.0f%%) of %s", *share*100, label(o))
	}
	return label(o)
}

func shareOf(o store.Organisation, share *float64) string {
	if share != nil {
		return fmt.Sprintf("%s (%.0f%%)", label(o), *share*100)
	}
	return label(o)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func joinAnd(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// sortChanges names the order of changes lists in their cursors.
const sortChanges = "changes"

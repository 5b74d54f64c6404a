package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/icsgraph/icsgraph/internal/model"
	"github.com/icsgraph/icsgraph/internal/store"
)

// Announced facts (seed/curated/announced, written into seed/data by the
// converter): facts announced for a date after the newest official extract.
// Their source is an announcement, whose id starts AnnouncedPrefix. The
// property contract the API reads:
//
//   - a node or relationship held only by an announcement has
//     announced = true and announcement = <the announcement's source id>
//     (a node: every source it cites is an announcement; a relationship: its
//     source is one, or either end is an announced node);
//   - an official organisation whose closure is announced
//     (announced_endings.csv) keeps validTo null, so that it stays open
//     unless announced facts are asked for, with announcedValidTo = <date>
//     and announcedEnd = <source id>; so do its relationships that are open.

// AnnouncedPrefix starts the id of every announcement source.
const AnnouncedPrefix = "announced-"

// IsAnnouncement reports whether a source id is an announcement's.
func IsAnnouncement(id string) bool { return strings.HasPrefix(id, AnnouncedPrefix) }

// MeasureRow is one row of measures.csv (generated from the manifest's
// measures): a population measure's property, family, vintage, date, source,
// whether derived, and description. The measures are data: the loader
// writes them on the Release node and the API learns them from there.
type MeasureRow struct {
	Property, Family, Vintage, Date, Source, Description string
	Derived                                              bool
}

// readMeasures reads measures.csv: every measure's property must match
// model.MeasureProperty and not be another property of the model, each
// property and each family + vintage appear once, and at most
// model.MaxMeasures rows.
func readMeasures(dir string, srcIDs map[string]bool) ([]MeasureRow, error) {
	f, err := readFile(dir, "measures.csv", "property", "family", "vintage", "date", "source", "derived", "description")
	if err != nil {
		return nil, err
	}
	var out []MeasureRow
	props, editions := map[string]bool{}, map[[2]string]bool{}
	err = f.each(func(r *row) error {
		m := MeasureRow{Property: r.key("property"), Family: r.oneOf("family", model.MeasureFamilies...),
			Vintage: r.key("vintage"), Date: r.date("date"), Source: r.ref("source", srcIDs, "source", false), Derived: r.oneOf("derived", "true", "false") == "true",
			Description: r.key("description")}
		switch {
		case !model.MeasureProperty.MatchString(m.Property):
			r.fail("property %q is not a measure property name (%s)", m.Property, model.MeasureProperty)
		case model.ReservedProperty(m.Property):
			r.fail("property %q is another property of the model, not a measure", m.Property)
		case props[m.Property]:
			r.fail("property %q is declared twice", m.Property)
		case editions[[2]string{m.Family, m.Vintage}]:
			r.fail("family %s has vintage %q twice", m.Family, m.Vintage)
		case len(out) == model.MaxMeasures:
			r.fail("more than %d measures (model.MaxMeasures)", model.MaxMeasures)
		}
		props[m.Property], editions[[2]string{m.Family, m.Vintage}] = true, true
		out = append(out, m)
		return nil
	})
	return out, err
}

// readChangeReport reads change_report.txt (optional).
func readChangeReport(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "change_report.txt"))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	return string(b), err
}

// readAnnouncedEndings reads announced_endings.csv (optional: a seed without
// announcements has none): the organisation must exist and be open, the date
// be after its start, the source an announcement.
func readAnnouncedEndings(dir string, d *Dataset, orgs map[[2]string]*Org, srcIDs map[string]bool) error {
	if _, err := os.Stat(filepath.Join(dir, "announced_endings.csv")); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	f, err := readFile(dir, "announced_endings.csv", "kind", "code", "valid_to", "announcement")
	if err != nil {
		return err
	}
	return f.each(func(r *row) error {
		k, c, to := r.str("kind"), r.key("code"), r.date("valid_to")
		src := r.ref("announcement", srcIDs, "source", false)
		o := orgs[[2]string{k, c}]
		switch {
		case o == nil:
			r.fail("code: unknown %s %q", k, c)
		case o.ValidTo != "":
			r.fail("code: %s %s already ends (%s) in the official data: delete the announced ending", k, c, o.ValidTo)
		case to <= o.ValidFrom:
			r.fail("valid_to %s is not after the organisation's start %s", to, o.ValidFrom)
		case !IsAnnouncement(src):
			r.fail("announcement: %q is not an announcement (ids start %q)", src, AnnouncedPrefix)
		case o.AnnouncedTo != "":
			r.fail("%s %s has two announced endings", k, c)
		default:
			// orgs may point at a copy of d.Orgs[i] (the slice grew while
			// the map was filled): set both.
			o.AnnouncedTo, o.AnnouncedEnd = to, src
			for i := range d.Orgs {
				if d.Orgs[i].Kind == k && d.Orgs[i].Code == c {
					d.Orgs[i].AnnouncedTo, d.Orgs[i].AnnouncedEnd = to, src
				}
			}
		}
		return nil
	})
}

// markAnnounced applies the property contract to the graph.
func (d *Dataset) markAnnounced(g *store.Graph) {
	type key struct{ label, code string }
	announcedNode := map[key]string{} // node → its announcement
	endOf := map[key][2]string{}      // node → announced end (date, source)
	for _, o := range d.Orgs {
		k := key{store.KindLabels[o.Kind], o.Code}
		if o.AnnouncedTo != "" {
			endOf[k] = [2]string{o.AnnouncedTo, o.AnnouncedEnd}
		}
		all := len(o.Sources) > 0
		for _, s := range o.Sources {
			all = all && IsAnnouncement(s)
		}
		if all {
			announcedNode[k] = o.Sources[0]
		}
	}
	for _, ns := range g.Nodes {
		for _, m := range ns.Rows {
			k := key{ns.Label, m["code"].(string)}
			if a, ok := announcedNode[k]; ok {
				m["announced"], m["announcement"] = true, a
			}
			if e, ok := endOf[k]; ok {
				m["announcedValidTo"], m["announcedEnd"] = e[0], e[1]
			}
		}
	}
	for _, es := range g.Edges {
		for _, row := range es.Rows {
			p := row["props"].(map[string]any)
			from, to := key{es.From, row["from"].(string)}, key{es.To, row["to"].(string)}
			src, _ := p["source"].(string)
			switch {
			case IsAnnouncement(src):
				p["announced"], p["announcement"] = true, src
			case announcedNode[from] != "":
				p["announced"], p["announcement"] = true, announcedNode[from]
			case announcedNode[to] != "":
				p["announced"], p["announcement"] = true, announcedNode[to]
			}
			if p["validTo"] != nil || p["announced"] == true {
				continue
			}
			// An open relationship of an organisation whose closure is
			// announced ends with it (the earlier of its ends' dates).
			var end [2]string
			for _, k := range []key{from, to} {
				if e, ok := endOf[k]; ok && (end[0] == "" || e[0] < end[0]) {
					end = e
				}
			}
			if end[0] != "" {
				p["announcedValidTo"], p["announcedEnd"] = end[0], end[1]
			}
		}
	}
}

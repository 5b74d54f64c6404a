package cypher

import "testing"

// TestHoldsAnnouncedEnding: an official fact whose end is announced (validTo
// null, announcedValidTo set) holds past that date unless announced facts
// are asked for; a fact held only by an announcement holds only when asked.
func TestHoldsAnnouncedEnding(t *testing.T) {
	district := map[string]any{"validFrom": "2013-04-01", "announcedValidTo": "2027-04-01", "announcedEnd": "announcement"}
	unitary := map[string]any{"validFrom": "2027-04-01", "announced": true}
	for _, c := range []struct {
		name      string
		p         map[string]any
		w         When
		wantHolds bool
	}{
		{"district before its announced end", district, When{AsOf: "2027-03-31", IncludeAnnounced: true}, true},
		{"district on its announced end, announcements asked for", district, When{AsOf: "2027-04-01", IncludeAnnounced: true}, false},
		{"district on its announced end, official data only", district, When{AsOf: "2027-04-01"}, true},
		{"announced unitary, asked for", unitary, When{AsOf: "2027-04-01", IncludeAnnounced: true}, true},
		{"announced unitary, official data only", unitary, When{AsOf: "2027-04-01"}, false},
		{"announced unitary before it opens", unitary, When{AsOf: "2027-03-31", IncludeAnnounced: true}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Holds(c.p, c.w); got != c.wantHolds {
				t.Errorf("Holds(%v, %+v) = %v, want %v", c.p, c.w, got, c.wantHolds)
			}
		})
	}
}

package cypher

import (
	"fmt"

	"github.com/icsgraph/icsgraph/internal/model"
)

// The crosswalk's reads: the small areas of a release with their dated
// memberships, the periods those memberships come from, and the areas of one
// kind held on a date. The computation itself is internal/crosswalk's.
var (
	// SmallAreas reads the small areas of the pinned release (or of the
	// current one when none is pinned).
	SmallAreas = fmt.Sprintf(`
OPTIONAL MATCH (r:%s) WHERE r.current
WITH coalesce($release, max(r.id)) AS rel
MATCH (s:%s) WHERE s.release = rel
RETURN rel, s.code, s.residents2015, s.councilCodes, s.councilFrom, s.councilTo, s.areaCodes, s.areaKinds, s.areaFrom, s.areaTo`,
		model.LabelRelease, model.LabelSmallArea)

	// SmallAreaPeriods reads the periods of release $rel: which lookup each
	// kind's memberships come from and how derived periods were made.
	SmallAreaPeriods = fmt.Sprintf(`
MATCH (p:%s) WHERE p.release = $rel
RETURN p.kind, p.validFrom, coalesce(p.validTo, ''), p.source, coalesce(p.derived, ''), coalesce(p.areas, [])`,
		model.LabelSmallAreaPeriod)
)

// AreaNames reads the areas of one kind's label held on $asOf: code, name and
// names (county councils, $county, left out: small areas lie in districts).
func AreaNames(label string) string {
	return fmt.Sprintf(`
MATCH (n:%s)
WHERE coalesce(n.councilType, '') <> $county AND %s AND %s
RETURN n.code, n.name, coalesce(n.names, []), coalesce(n.namesFrom, [])`,
		label, InRelease("n"), held("n"))
}

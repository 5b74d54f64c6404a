package convert

// The ids of the curated tables (rows of the manifest's curated list); the
// raw files' ids come from the manifest.
const (
	srcDesig      = "curated-ics-designations"
	srcSenates    = "curated-clinical-senates"
	srcTrustTypes = "icsgraph-trust-types"
)

// srcPop is the small-area population file's id (set from the manifest when
// the overlaps are computed; every residents2015 figure cites it).
var srcPop string

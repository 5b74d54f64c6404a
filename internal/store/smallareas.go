package store

import "github.com/icsgraph/icsgraph/internal/model"

// Small areas (internal/model: LabelSmallArea, RelInArea): nodes of a
// release that are not organisations.
const (
	LabelSmallArea       = model.LabelSmallArea
	LabelSmallAreaPeriod = model.LabelSmallAreaPeriod
)

// PlainLabels are the labels of the release's nodes that are not
// organisations (Graph.Plain).
var PlainLabels = []string{LabelSmallArea, LabelSmallAreaPeriod}

// releaseLabels matches every node a release writes (a release is complete
// when it holds all of them; pruning deletes them).
var releaseLabels = LabelOrganisation + "|" + LabelSource + "|" + LabelSmallArea + "|" + LabelSmallAreaPeriod

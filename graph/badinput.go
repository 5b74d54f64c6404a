package graph

import "github.com/icsgraph/icsgraph/internal/apierr"

// badInput reports a bad argument, naming it (BAD_USER_INPUT): the
// resolvers' name for apierr.BadInput.
var badInput = apierr.BadInput

package store

import (
	"errors"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func asUsage(err error, target **neo4j.UsageError) bool { return errors.As(err, target) }

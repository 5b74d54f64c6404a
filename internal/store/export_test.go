package store

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// ReadForTest runs query in a managed read transaction the way every store
// read does (guard, deadline, retries, error classification) and consumes
// its records.
func ReadForTest(ctx context.Context, s *Store, query string) error {
	_, err := read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (struct{}, error) {
		res, err := tx.Run(ctx, query, nil)
		if err != nil {
			return struct{}{}, err
		}
		_, err = res.Consume(ctx)
		return struct{}{}, err
	})
	return err
}

// ObserveForTest runs f inside a read transaction (a slot of the call limits held).
func ObserveForTest(ctx context.Context, s *Store, f func()) error {
	_, err := read(ctx, s, func(ctx context.Context, tx neo4j.ManagedTransaction) (struct{}, error) {
		f()
		return struct{}{}, nil
	})
	return err
}

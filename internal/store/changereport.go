package store

import (
	"context"
	"fmt"
)

// setReleaseProps adds props (Graph.Release) to the unfinished Release node
// id; the fixed ones (id, complete, current, dataFrom, …) cannot be set so.
func (s *Store) setReleaseProps(ctx context.Context, id int64, props map[string]any) error {
	for _, k := range []string{"id", "complete", "current", "abandoned", "heartbeat", "startedAt", "loadedAt", "supersededAt", "dataFrom", "dataTo", "sources", "announcedTo"} {
		if _, ok := props[k]; ok {
			return fmt.Errorf("release property %q is set by the loader", k)
		}
	}
	if len(props) == 0 {
		return nil
	}
	return s.exec(ctx, "MATCH (r:"+LabelRelease+" {id: $id}) WHERE NOT r.complete SET r += $props", map[string]any{"id": id, "props": props})
}

// ChangeReport returns the change report kept on release id ("" when the
// release has none).
func (s *Store) ChangeReport(ctx context.Context, id int64) (string, error) {
	vals, err := s.Column(ctx, "MATCH (r:"+LabelRelease+" {id: $id}) RETURN coalesce(r.changeReport, '')", map[string]any{"id": id})
	if err != nil {
		return "", err
	}
	if len(vals) == 0 {
		return "", ErrNotFound
	}
	v, _ := vals[0].(string)
	return v, nil
}

package export

import (
	"archive/zip"
	"encoding/csv"
	"io"
	"time"
)

// WriteCSVZip writes a zip holding nodes.csv and edges.csv (UTF-8, comma
// separated, a header row; RFC 4180 quoting). nodes.csv: id, kind, code,
// onsCode, name, validFrom, validTo, then one column per other property;
// edges.csv: id, type, source, target, validFrom, validTo, then one column
// per other property. source and target are node ids. Lists are joined with
// "; "; an absent value is an empty cell. validTo is exclusive.
func WriteCSVZip(w io.Writer, g Graph) error {
	zw := zip.NewWriter(w)
	na, ea := declare(nodeAttrs(g)), declare(edgeAttrs(g))
	stamp := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) // fixed, so the same graph gives the same bytes
	create := func(name string) (*csv.Writer, error) {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return nil, err
		}
		return csv.NewWriter(f), nil
	}
	cw, err := create("nodes.csv")
	if err != nil {
		return err
	}
	header := append([]string{"id"}, coreNode...)
	for _, d := range na {
		header = append(header, d.Name)
	}
	_ = cw.Write(header)
	for _, n := range g.Nodes {
		row := append([]string{n.ID}, nodeCore(n)...)
		for _, d := range na {
			row = append(row, text(n.Attributes[d.Name]))
		}
		_ = cw.Write(row)
	}
	if cw.Flush(); cw.Error() != nil {
		return cw.Error()
	}
	if cw, err = create("edges.csv"); err != nil {
		return err
	}
	header = []string{"id", "type", "source", "target", "validFrom", "validTo"}
	for _, d := range ea {
		header = append(header, d.Name)
	}
	_ = cw.Write(header)
	for _, e := range g.Edges {
		row := []string{e.ID, e.Type, e.Source, e.Target, e.ValidFrom, e.ValidTo}
		for _, d := range ea {
			row = append(row, text(e.Attributes[d.Name]))
		}
		_ = cw.Write(row)
	}
	if cw.Flush(); cw.Error() != nil {
		return cw.Error()
	}
	return zw.Close()
}

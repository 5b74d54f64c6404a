// Package web holds the browser pages the server embeds: GraphiQL, the
// network view (/explore) and the map (/map), built from npm packages at
// pinned versions by `make web` into dist/ (see web/README.md). Nothing is
// fetched from a CDN: every script, style, font and boundary is in dist/.
package web

import (
	"embed"
	"io/fs"
)

//go:embed dist
var dist embed.FS

// Dist is the built pages and assets (index.html, explore.html, map.html,
// graphiql.js, explore.js, map.js, the CSS, favicon.svg, icb26.json,
// LICENSES.txt), at the root of the file system.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return sub
}

// GraphiQL, bundled from npm and served by the binary: no CDN. With the
// query builder (@graphiql/plugin-explorer: tick fields and arguments, the
// query is written for you) and the repository's example queries
// (examples/*.graphql, embedded at build time) one click away.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { useEditorContext } from '@graphiql/react';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { buildClientSchema, buildSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema } from 'graphql';
import examples from 'icsgraph:examples';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';

const h = React.createElement;
const fetcher = createGraphiQLFetcher({ url: new URL('/graphql', window.location.href).toString() });

const defaultQuery = `# ICS Graph: England's integrated care landscape as a graph.
# Build a query without typing: open the Explorer (the folder icon, left)
# and tick fields. Ready-made queries: the Examples (the list icon).
# The Docs pane (book icon) shows every type, its description and what is
# deprecated. Schema as SDL: /schema.graphql   Network view: /explore
# Map of ICBs: /map   Exports: /export/...

query Neighbourhood {
  organisation(code: "QWE") {
    code
    name
    kind
  }
  neighbourhood(code: "QWE", depth: 1) {
    nodes { id depth organisation { code name kind } }
    edges { relationship from to share }
  }
}
`;

// The examples' pane: each example with its leading comment; a click opens
// it in a new tab.
function ExamplesPane() {
  const editor = useEditorContext({ nonNull: true });
  const open = (ex) => {
    editor.addTab();
    // the new tab becomes active on the next render; fill it then
    setTimeout(() => {
      editor.queryEditor?.setValue(ex.query);
      editor.variableEditor?.setValue('');
      // the operation to run: the example's first named one (GraphiQL may
      // still hold the name of the tab it came from)
      const named = ex.query.match(/^\s*(?:query|mutation|subscription)\s+([_A-Za-z]\w*)/m);
      editor.setOperationName(named ? named[1] : '');
    }, 0);
  };
  return h('div', { className: 'ics-examples' },
    h('div', { className: 'graphiql-doc-explorer-title' }, 'Examples'),
    h('p', null, 'Ready queries from the repository\u2019s ', h('code', null, 'examples/'), ' folder. Click one to open it in a new tab, then run it (\u25b6).'),
    h('ul', null, examples.map((ex) => h('li', { key: ex.file },
      h('button', { type: 'button', className: 'ics-example', 'data-file': ex.file, onClick: () => open(ex) },
        h('strong', null, ex.title), h('br'), h('span', null, ex.description))))));
}

const examplesPlugin = {
  title: 'Examples',
  icon: () => h('svg', { viewBox: '0 0 24 24', width: 24, height: 24, fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': true },
    h('path', { d: 'M4 6h16M4 12h16M4 18h10' })),
  content: ExamplesPane,
};

const explorer = explorerPlugin({ showAttribution: false });

function App() {
  return h(GraphiQL, {
    fetcher,
    defaultQuery,
    plugins: [explorer, examplesPlugin],
    schemaDescription: true,
    inputValueDeprecation: true,
    defaultEditorToolsVisibility: true,
  });
}

// graphql-js, for the page tests and the console: compare /schema.graphql
// with what introspection says.
window.icsGraphiQL = { buildClientSchema, buildSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, examples };

createRoot(document.getElementById('graphiql')).render(h(App));

// Open the query builder on arrival. GraphiQL 4's visiblePlugin prop is
// overridden on the first render (its resizable pane starts hidden), so the
// page presses the Explorer's button itself once it is there.
(function openExplorer(tries) {
  const button = document.querySelector('button[aria-label="Show GraphiQL Explorer"]');
  if (button) {
    // (GraphiQL also renders a plugin off screen to measure it)
    const shown = [...document.querySelectorAll('.graphiql-plugin')].some((e) => e.getBoundingClientRect().left >= 0);
    if (!shown) button.click();
  } else if (tries > 0) setTimeout(() => openExplorer(tries - 1), 50);
}(200));

// GraphiQL, bundled from npm and served by the binary: no CDN.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';

const fetcher = createGraphiQLFetcher({ url: new URL('/graphql', window.location.href).toString() });

const defaultQuery = `# ICS Graph: England's integrated care landscape as a graph.
# The Docs pane (book icon, top left) shows the schema and its description.
# Network view: /explore   Map of ICBs: /map   Exports: /export/...

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

function App() {
  return React.createElement(GraphiQL, {
    fetcher,
    defaultQuery,
    schemaDescription: true,
    inputValueDeprecation: true,
    defaultEditorToolsVisibility: true,
  });
}

createRoot(document.getElementById('graphiql')).render(React.createElement(App));

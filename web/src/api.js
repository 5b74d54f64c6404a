// A small GraphQL client for the pages: POST to /graphql on this server.
export async function gql(query, variables = {}) {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors && body.errors.length) {
    const e = body.errors[0];
    const err = new Error(e.message);
    err.code = e.extensions && e.extensions.code;
    throw err;
  }
  return body.data;
}

// argumentType is the GraphQL type of Query.<field>(<arg>), e.g. "Date" or
// "Date!", by introspection; null when there is no such argument or
// introspection is off (the control then stays, unsent, with a note).
export async function argumentType(field, arg) {
  try {
    const d = await gql('{ __type(name: "Query") { fields { name args { name type { kind name ofType { name } } } } } }');
    const f = d.__type.fields.find((x) => x.name === field);
    const a = f && f.args.find((x) => x.name === arg);
    if (!a) return null;
    return a.type.kind === 'NON_NULL' ? `${a.type.ofType.name}!` : a.type.name;
  } catch {
    return null;
  }
}

export const kindColours = {
  REGION: '#330072',
  ICS: '#005eb8',
  SUB_ICB_LOCATION: '#41b6e6',
  TRUST: '#da291c',
  COUNCIL: '#009639',
  CANCER_ALLIANCE: '#ae2573',
  CLINICAL_SENATE: '#7c2855',
  PCN: '#ed8b00',
  PRACTICE: '#ffb81c',
  STP: '#768692',
  CCG: '#aeb7bd',
};

export function param(name) {
  return new URLSearchParams(window.location.search).get(name);
}

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'onclick') e.addEventListener('click', v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

// A .graphql file imported by a script: web/build.mjs turns it into its
// text and its persisted-query hash (SHA-256 of the file, as the server's
// PERSISTED_QUERIES computes it).
declare module '*.graphql' {
  const operation: { query: string; hash: string };
  export default operation;
}

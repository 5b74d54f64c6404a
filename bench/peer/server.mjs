// The benchmark's peer: the Neo4j GraphQL Library (@neo4j/graphql 7.x) served
// by Apollo Server over the same Neo4j database as ICS Graph, on 127.0.0.1.
//
//   NEO4J_URI (bolt://127.0.0.1:7687), NEO4J_DATABASE (neo4j),
//   PEER_PORT (4000); GraphQL at http://127.0.0.1:PEER_PORT/graphql
//   node server.mjs --print-schema   prints the generated schema and exits
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import { printSchema } from "graphql";
import neo4j from "neo4j-driver";

const typeDefs = readFileSync(new URL("./typeDefs.graphql", import.meta.url), "utf8");
const uri = process.env.NEO4J_URI || "bolt://127.0.0.1:7687";
const database = process.env.NEO4J_DATABASE || "neo4j";
const port = Number(process.env.PEER_PORT || 4000);

// No auth: the local benchmark databases run with auth disabled, as ours does.
const driver = neo4j.driver(uri, neo4j.auth.basic("neo4j", "unused"), { disableLosslessIntegers: true });
const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
const schema = await neoSchema.getSchema();

if (process.argv.includes("--print-schema")) {
  console.log(printSchema(schema));
  await driver.close();
  process.exit(0);
}

await driver.verifyConnectivity({ database });
const server = new ApolloServer({ schema, introspection: true });
const { url } = await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port },
  // The database is named in the session config, like our server's NEO4J_DATABASE.
  context: async () => ({ sessionConfig: { database } }),
});
console.error(`peer: @neo4j/graphql serving ${url}graphql over ${uri} (database ${database})`);

for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, async () => {
    await server.stop();
    await driver.close();
    process.exit(0);
  });
}

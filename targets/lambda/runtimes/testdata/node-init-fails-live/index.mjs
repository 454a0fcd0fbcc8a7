// Fails its INIT when it runs under a Runtime API, and loads in
// coldbench's check, which has none: a function that passes the checks
// before the load and then cannot start, as one whose database is
// unreachable.
if (process.env.AWS_LAMBDA_RUNTIME_API) {
  throw new Error("no database configured");
}
export const handler = async () => ({ statusCode: 200, body: "unreachable" });

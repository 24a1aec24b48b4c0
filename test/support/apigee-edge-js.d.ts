/**
 * The part of apigee-edge-js (0.4.x, plain JavaScript without types) that the tests call, typed from its
 * source (node_modules/apigee-edge-js/lib/*.js). Every call returns a promise that rejects with an
 * `Error("bad status: N")` whose `result` is the parsed answer.
 */
declare module 'apigee-edge-js' {
  // biome-ignore lint/suspicious/noExplicitAny: the client passes vendor JSON through
  type Json = Record<string, any>;
  // biome-ignore lint/suspicious/noExplicitAny: the client passes vendor JSON through
  type Call = (options?: Json) => Promise<any>;

  interface Organization {
    conn: { orgname: string; urlBase: string };
    developers: { create: Call; get: Call; del: Call; revoke: Call; approve: Call };
    developerapps: { create: Call; get: Call; del: Call; update: Call; revoke: Call; approve: Call };
    apps: { get: Call; del: Call };
    products: { create: Call; get: Call; update: Call; del: Call };
    appcredentials: {
      add: Call;
      get: Call;
      del: Call;
      addProduct: Call;
      removeProduct: Call;
      update: Call;
      find: Call;
      revoke: Call;
      approve: Call;
    };
  }

  const aej: { apigee: { connect(options: Json): Promise<Organization> } };
  export = aej;
}

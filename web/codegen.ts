import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**", "!src/**/*.test.{ts,tsx}", "!src/test/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: "string", Decimal: "string" },
        enumsAsTypes: true,
        useTypeImports: true,
        nonOptionalTypename: true,
        skipTypename: false,
      },
    },
    "src/gql/possibleTypes.ts": {
      plugins: ["fragment-matcher"],
      config: { apolloClientVersion: 3, useExplicitTyping: true },
    },
  },
};

export default config;

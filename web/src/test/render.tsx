import type { OperationVariables, TypedDocumentNode } from "@apollo/client";
import type { MockLink } from "@apollo/client/testing";
import { MockedProvider, type MockedProviderProps } from "@apollo/client/testing/react";
import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { GraphQLError } from "graphql";
import type { ReactElement } from "react";
import { createConnectionMonitor } from "../app/connectionMonitor";
import { createCache } from "../app/createApolloClient";
import { ServicesProvider } from "../app/services";
import { createTokenStore } from "../app/tokenStore";

export const TEST_HOST = "acme.localhost:8000";

type MockOptions = Pick<MockLink.MockedResponse, "delay" | "maxUsageCount">;

export function mockData<TData, TVariables extends OperationVariables>(
  query: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  data: TData,
  options: MockOptions = {},
): MockLink.MockedResponse<TData, TVariables> {
  return { request: { query, variables }, result: { data }, ...options };
}

export function mockErrors<TData, TVariables extends OperationVariables>(
  query: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  errors: { message: string; code: string }[],
): MockLink.MockedResponse<TData, TVariables> {
  return {
    request: { query, variables },
    result: { errors: errors.map(({ message, code }) => new GraphQLError(message, { extensions: { code } })) },
  };
}

export function renderWithApollo(ui: ReactElement, mocks: MockedProviderProps["mocks"] = []) {
  const tokens = createTokenStore(window.localStorage, TEST_HOST);
  const connection = createConnectionMonitor();
  const cache = createCache();
  const user = userEvent.setup();
  const view = render(
    <ServicesProvider services={{ tokens, connection }}>
      <MockedProvider mocks={mocks} cache={cache}>
        {ui}
      </MockedProvider>
    </ServicesProvider>,
  );
  return { ...view, user, tokens, connection, cache };
}

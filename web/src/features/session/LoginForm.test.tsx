import { screen, waitFor } from "@testing-library/react";
import { mockData, mockErrors, renderWithApollo } from "../../test/render";
import { LoginForm } from "./LoginForm";
import { LOGIN_MUTATION } from "./operations";

const credentials = { email: "owner@acme.test", password: "wrong-pass" };

describe("LoginForm", () => {
  it("shows the GraphQL error message and stores no token when login fails", async () => {
    const { user, tokens } = renderWithApollo(<LoginForm />, [
      mockErrors(LOGIN_MUTATION, credentials, [{ message: "Invalid email or password.", code: "UNAUTHENTICATED" }]),
    ]);

    await user.type(screen.getByTestId("login-email"), credentials.email);
    await user.type(screen.getByTestId("login-password"), credentials.password);
    await user.click(screen.getByTestId("login-submit"));

    expect(await screen.findByTestId("login-error")).toHaveTextContent("Invalid email or password.");
    expect(tokens.get()).toBeNull();
  });

  it("stores the token for this host when login succeeds", async () => {
    const variables = { email: "owner@acme.test", password: "demo-pass-2026" };
    const { user, tokens } = renderWithApollo(<LoginForm />, [
      mockData(LOGIN_MUTATION, variables, {
        __typename: "Mutation",
        login: {
          __typename: "AuthPayload",
          token: "token-123",
          user: { __typename: "User", id: "7", email: variables.email },
        },
      }),
    ]);

    await user.type(screen.getByTestId("login-email"), ` ${variables.email} `);
    await user.type(screen.getByTestId("login-password"), variables.password);
    await user.click(screen.getByTestId("login-submit"));

    await waitFor(() => expect(tokens.get()).toBe("token-123"));
    expect(window.localStorage.getItem("saas.authToken@acme.localhost:8000")).toBe("token-123");
    expect(screen.queryByTestId("login-error")).not.toBeInTheDocument();
  });
});

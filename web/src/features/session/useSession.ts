import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { useCallback, useEffect, useState } from "react";
import { useServices } from "../../app/services";
import type { SignOutNotice } from "../../app/tokenStore";
import { hasErrorCode } from "../../lib/errors";
import { LOGIN_MUTATION, LOGOUT_MUTATION, ME_QUERY, TENANT_QUERY } from "./operations";

export function useTenant() {
  const { data } = useQuery(TENANT_QUERY);
  return data?.tenant;
}

export function useEndSession() {
  const client = useApolloClient();
  const { tokens, connection } = useServices();
  return useCallback(
    async (reason?: SignOutNotice) => {
      tokens.clear(reason);
      connection.reset();
      await client.clearStore();
    },
    [client, tokens, connection],
  );
}

export function useCurrentUser() {
  const endSession = useEndSession();
  const { data, error } = useQuery(ME_QUERY);
  const signedOut = data?.me === null || hasErrorCode(error, "UNAUTHENTICATED");

  useEffect(() => {
    if (signedOut) void endSession("expired");
  }, [signedOut, endSession]);

  return { user: data?.me ?? null, error };
}

export function useLogin() {
  const { tokens } = useServices();
  const [login, { loading, error }] = useMutation(LOGIN_MUTATION, { errorPolicy: "all" });

  const submit = useCallback(
    async (email: string, password: string) => {
      const { data } = await login({ variables: { email, password } });
      if (data?.login) tokens.set(data.login.token);
    },
    [login, tokens],
  );

  return { login: submit, loading, error };
}

export function useLogout() {
  const client = useApolloClient();
  const { tokens, connection } = useServices();
  const [loading, setLoading] = useState(false);

  // The token leaves storage first, so every other tab signs out at once (storage event) before
  // the server ends the session's sockets; the logout request still carries the token.
  const submit = useCallback(async () => {
    const token = tokens.get();
    setLoading(true);
    tokens.beginSignOut();
    tokens.clear();
    connection.reset();
    await client.clearStore();
    if (token) {
      await client
        .mutate({ mutation: LOGOUT_MUTATION, context: { headers: { Authorization: `Bearer ${token}` } } })
        .catch(() => undefined);
    }
    setLoading(false);
  }, [client, tokens, connection]);

  return { logout: submit, loading };
}

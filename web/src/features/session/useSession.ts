import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { useCallback, useEffect } from "react";
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
  const endSession = useEndSession();
  const [logout, { loading }] = useMutation(LOGOUT_MUTATION, { errorPolicy: "all" });

  const { tokens } = useServices();
  const submit = useCallback(async () => {
    tokens.beginSignOut();
    await logout();
    await endSession();
  }, [logout, endSession, tokens]);

  return { logout: submit, loading };
}
